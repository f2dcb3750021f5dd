"""#19: why a KPI figure uses its reported or its recomputed value (the /kpis "Why" column
and the source cell's tooltip) is a catalog message, worded in the page's language; the
API's and the CLI's English are unchanged word for word."""

from __future__ import annotations

from typing import Any

import pytest

from esgledger.catalog.messages import translate
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.precedence import choose
from esgledger.kpi.precedence_why import why_words
from esgledger.kpi.readout import figure_readout

ENGLISH = [
    "recomputed from the ledger's data (it takes precedence)",
    "reported; the recomputed figure is incomplete (unresolved activity rows)",
    "reported; the recomputed figure covers only part of the boundary",
    "reported; nothing recomputed for it",
    "recomputed from the ledger's data; nothing reported",
]


def _fig(source: str, **flags: Any) -> KpiFigure:
    return KpiFigure("ghg.scope1", 2025, 5.0, "tCO2e", source, **flags)


@pytest.mark.parametrize(
    ("flags", "english"),
    [({}, ENGLISH[0]), ({"incomplete": True}, ENGLISH[1]), ({"partial": True}, ENGLISH[2])],
)
def test_the_precedence_sentence_is_worded_in_chinese(flags: dict[str, Any], english: str) -> None:
    used = choose(_fig("reported"), _fig("calculated", **flags))
    assert used.comparison is not None
    assert used.comparison["why"] == english  # the API's English, word for word
    zh = why_words(english, "zh")
    assert zh and zh != english and zh == translate(english, "zh")
    assert not any(c.isascii() and c.isalpha() for c in zh), zh


@pytest.mark.parametrize(
    ("source", "english"), [("reported", ENGLISH[3]), ("calculated", ENGLISH[4])]
)
def test_a_one_sided_figure_s_sentence_is_worded_in_chinese(source: str, english: str) -> None:
    fig = {"value": 5.0, "status": "reported", "source": source, "note": None}
    said = figure_readout(fig)
    assert said is not None and said["why"] == english
    zh = why_words(english, "zh")
    assert zh != english and not any(c.isascii() and c.isalpha() for c in zh), zh


def test_english_and_other_text_stay_as_given() -> None:
    assert why_words(ENGLISH[0], "en") == ENGLISH[0]
    assert why_words("typed by a user", "zh") == "typed by a user"
    assert why_words(None, "zh") is None
