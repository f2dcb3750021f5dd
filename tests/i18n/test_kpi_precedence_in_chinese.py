"""#19: why a KPI figure uses its reported or its recomputed value (the /kpis "Why" column
and the source cell's tooltip) is a catalog message, worded in the page's language; the
API's and the CLI's English are unchanged word for word."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from esgledger.catalog.messages import translate
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.precedence import choose
from esgledger.kpi.precedence_why import why_sentence, why_words
from esgledger.kpi.readout import figure_readout
from esgledger.ledger.db import Database
from tests.api_reads import auditor_get, undivided_kpi_rows
from tests.web.kpi_marks_workspace import LAST, MIDDLE, build

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


CODES = [
    "takes_precedence",
    "recomputed_incomplete",
    "recomputed_partial",
    "nothing_recomputed",
    "nothing_reported",
]


@pytest.mark.parametrize(
    ("flags", "code"),
    [({}, CODES[0]), ({"incomplete": True}, CODES[1]), ({"partial": True}, CODES[2])],
)
def test_the_readout_carries_the_sentence_s_code(flags: dict[str, Any], code: str) -> None:
    used = choose(_fig("reported"), _fig("calculated", **flags))
    said = figure_readout(used.as_dict())
    assert said is not None
    assert said["why"] == used.comparison["why"]  # type: ignore[index]  # English unchanged
    assert said["why_code"] == code and said["comparison"]["why_code"] == code
    assert why_sentence(code, "en") == said["why"]
    assert why_sentence(code, "zh") == why_words(said["why"], "zh")


@pytest.mark.parametrize(("source", "code"), [("reported", CODES[3]), ("calculated", CODES[4])])
def test_a_one_sided_figure_carries_its_code(source: str, code: str) -> None:
    said = figure_readout({"value": 5.0, "status": "reported", "source": source, "note": None})
    assert said is not None and said["why_code"] == code
    assert why_sentence(code, "en") == said["why"]


def test_no_sentence_has_no_code() -> None:
    said = figure_readout({"value": None, "status": "missing", "source": "missing", "note": ""})
    assert said is not None and said["why"] is None and said["why_code"] is None


@pytest.fixture
def api_rows(db: Database, tmp_path: Path) -> Iterator[dict[str, dict[str, Any]]]:
    build(db, tmp_path)
    body = auditor_get(db, "/kpis", params={"year": LAST, "years": 3})
    yield undivided_kpi_rows(body)


def test_the_api_carries_the_code_beside_the_english(
    api_rows: dict[str, dict[str, Any]],
) -> None:
    before = api_rows["water.withdrawal.municipal"]["figures"][str(MIDDLE)]
    assert before["why"] == ENGLISH[0]  # word for word, as before
    assert before["comparison"]["why"] == ENGLISH[0]
    assert before["why_code"] == "takes_precedence"
    assert before["comparison"]["why_code"] == "takes_precedence"
    coded = [
        f
        for row in api_rows.values()
        for f in row["figures"].values()
        if f and f["why"] is not None
    ]
    assert coded and all(why_sentence(f["why_code"], "en") == f["why"] for f in coded)
