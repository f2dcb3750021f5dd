"""#19: a stored note part without a code (a note written before the codes, or the old
"recomputed; the reported value is …" form) is worded in Chinese when it matches a known
English pattern exactly — its values kept as stored — and shown as stored when it does not.
English is the note itself."""

from __future__ import annotations

import pytest

from esgledger.catalog.messages import translate
from esgledger.kpi.register_figures.notes import worded_note


def _chinese(text: str) -> bool:
    return not any(c.isascii() and c.isalpha() for c in text)


def test_the_old_recomputed_form_is_worded() -> None:
    note = "recomputed; the reported value is not_disclosed"
    zh = worded_note(note, [], "zh")
    assert zh == translate("recomputed", "zh") + "；" + translate(
        "the reported value is %(status)s", "zh"
    ) % {"status": translate("not disclosed", "zh")}
    assert _chinese(zh), zh
    assert worded_note(note, [], "en") == note  # English as stored


@pytest.mark.parametrize(
    "note",
    [
        "reported; the recomputed figure is incomplete (unresolved activity rows)",
        "reported; the recomputed figure covers only part of the boundary",
        "reported; nothing recomputed for it",
        "recomputed from the ledger's data; nothing reported",
        "recomputed from the ledger's data (it takes precedence)",
        "reported; nothing recomputed (no data)",
        "not available: no Scope 3 activity rows in the run",
        "not available: no Scope 3 row could be computed (4 rows unresolved)",
        "reported; nothing recomputed (not available: no conformant-smelter list imported)",
    ],
)
def test_a_stored_note_of_known_parts_is_worded(note: str) -> None:
    zh = worded_note(note, [], "zh")
    assert zh != note and _chinese(zh), zh


def test_values_are_kept_as_stored() -> None:
    zh = worded_note("not available: all 3 rows unresolved (gizmo: no factor)", [], "zh")
    said = translate("not available: all %(rows)s rows unresolved (%(reasons)s)", "zh")
    assert zh == said % {"rows": "3", "reasons": "gizmo: no factor"}
    assert worded_note("incomplete: 12 rows unresolved", [], "zh") == translate(
        "incomplete: %(rows)s rows unresolved", "zh"
    ) % {"rows": "12"}


@pytest.mark.parametrize(
    "note",
    [
        "typed by a user",
        "Board: decided in March",  # no pattern that begins with a value alone
        "recomputed from the ledger's data (it takes precedence) mostly",  # not exactly
        "the reported value is",
    ],
)
def test_a_note_no_pattern_knows_stays_as_stored(note: str) -> None:
    assert worded_note(note, [], "zh") == note


def test_unknown_parts_keep_their_separator_beside_worded_ones() -> None:
    zh = worded_note("typed by a user; nothing reported", [], "zh")
    assert zh == "typed by a user；" + translate("nothing reported", "zh")
