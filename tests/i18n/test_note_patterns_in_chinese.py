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


@pytest.mark.parametrize(
    ("note", "message", "values"),
    [
        (
            "no calculation run for 2025; run `esg calc --year 2025`",
            "no calculation run for %(year)s; run `esg calc --year %(year)s`",
            {"year": "2025"},
        ),
        (
            "not available: 2 donation(s) have no CNY rate for their date, first D-7 (USD, "
            "2025-03-01); import the rate with its source (`esg register giving import-rates`)",
            "not available: %(n)s donation(s) have no %(quote)s rate for their date, first "
            "%(ref)s (%(currency)s, %(day)s); import the rate with its source "
            "(`esg register giving import-rates`)",
            {"n": "2", "quote": "CNY", "ref": "D-7", "currency": "USD", "day": "2025-03-01"},
        ),
    ],
)
def test_a_stored_part_holding_its_own_separator_is_worded_whole(
    note: str, message: str, values: dict[str, str]
) -> None:
    # The whole coded English is matched before the note is split on "; ".
    said = translate(message, "zh") % values
    assert worded_note(note, [], "zh") == said
    assert worded_note(f"typed by a user; {note}", [], "zh") == "typed by a user；" + said
    assert worded_note(f"{note}; nothing reported", [], "zh") == (
        said + "；" + translate("nothing reported", "zh")
    )
    assert worded_note(note, [], "en") == note  # English as stored


def test_a_nested_part_holding_its_own_separator_is_worded_whole() -> None:
    note = "reported; nothing recomputed (no calculation run for 2024; run `esg calc --year 2024`)"
    zh = worded_note(note, [], "zh")
    inner = translate("no calculation run for %(year)s; run `esg calc --year %(year)s`", "zh")
    assert inner % {"year": "2024"} in zh, zh
    assert "no calculation" not in zh, zh
