"""Questionnaires: one-time tokens, responses recorded once, bad files refused whole."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from esgledger.ledger.assess_models import MaterialityResponse, Respondent
from esgledger.ledger.db import Database
from tests.assess.conftest import (
    HEADER,
    as_json,
    financial_rows,
    impact_rows,
    responses_file,
)
from tests.conftest import Cli
from tests.factories import write_csv, write_xlsx


def stored_responses(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(MaterialityResponse)) or 0


GOOD = ["r1", "A", "positive", "actual", 4, 4, "", ""]


BAD_ROWS = [
    (
        ["r2", "A", "positive", "actual", 7, 4, "", ""],
        "row 3, column 'scale': scale '7' is not a score from 1 to 5",
    ),
    (
        ["r2", "A", "negative", "actual", 3, 4, "", ""],
        "row 3, column 'irremediability': irremediability is required",
    ),
    (["r2", "Z", "positive", "actual", 3, 4, "", ""], "row 3, column 'topic': unknown topic 'Z'"),
    (
        ["nobody", "A", "positive", "actual", 3, 4, "", ""],
        "row 3, column 'respondent': unknown respondent 'nobody'",
    ),
    (
        ["e1", "A", "", "", "", "", 6, 5],
        "row 3, column 'likelihood_short': likelihood_short '6' is not a score",
    ),
    (["e1", "A", "", "", "", "", 3, ""], "give both likelihood_short and magnitude_short"),
    (["r1", "A", "positive", "actual", 3, 3, "", ""], "topic 'A' is rated more than once"),
]


def test_a_bad_row_refuses_the_whole_file(survey: Cli, tmp_path: Path) -> None:
    for n, (bad_row, expected) in enumerate(BAD_ROWS):
        path = responses_file(tmp_path, [GOOD, bad_row], f"bad{n}.csv")
        result = survey("materiality", "responses", "import", path, "--year", "2025", expect=2)
        assert expected in result.stderr, result.stderr
        assert "nothing was imported" in result.stderr
        assert stored_responses(survey.db) == 0
    people = as_json(survey, "materiality", "respondents", "list", "--year", "2025")
    assert len(people) == 5 and not any(p["responded"] for p in people)


def test_every_bad_row_is_named(survey: Cli, tmp_path: Path) -> None:
    rows = [
        ["r1", "A", "positive", "actual", 0, 4, "", ""],
        ["r2", "Q", "positive", "actual", 3, 4, "", ""],
        ["ghost", "B", "positive", "actual", 3, 4, "", ""],
    ]
    result = survey(
        "materiality",
        "responses",
        "import",
        responses_file(tmp_path, rows),
        "--year",
        "2025",
        expect=2,
    )
    assert "row 2, column 'scale'" in result.stderr
    assert "row 3, column 'topic'" in result.stderr
    assert "row 4, column 'respondent'" in result.stderr
    assert "refused, 3 problems" in result.stderr


def test_tokens_are_one_time_and_only_hashed(survey: Cli, tmp_path: Path) -> None:
    tokens = {
        t["respondent"]: t["token"]
        for t in as_json(survey, "materiality", "issue", "--year", "2025")
    }
    assert set(tokens) == {"r1", "r2", "r3", "e1", "e2"}
    with survey.db.read() as session:
        hashes = set(session.scalars(select(Respondent.token_hash)))
    assert not hashes & set(tokens.values()), "tokens themselves are never stored"
    assert as_json(survey, "materiality", "issue", "--year", "2025") == [], "no second token"

    # r1 answers online with options, once
    rate = [
        "--rate",
        "A:valence=positive,actuality=actual,scale=5,scope=5",
        "--rate",
        "b:valence=negative,actuality=potential,scale=4,scope=4,irremediability=4,likelihood=5",
    ]
    out = as_json(survey, "materiality", "respond", "--token", tokens["r1"], *rate)
    assert out["responses"] == 2
    again = survey("materiality", "respond", "--token", tokens["r1"], *rate, expect=2)
    assert "token already used" in again.stderr
    assert stored_responses(survey.db) == 2

    # a file reusing r1's token is refused whole, even with a good row for r2
    header = ["token", "topic", "valence", "actuality", "scale", "scope"]
    path = write_csv(
        tmp_path / "t.csv",
        header,
        [
            [tokens["r2"], "A", "positive", "actual", 3, 3],
            [tokens["r1"], "C", "positive", "actual", 3, 3],
            ["not-a-token", "C", "positive", "actual", 3, 3],
        ],
    )
    result = survey("materiality", "responses", "import", str(path), "--year", "2025", expect=2)
    assert "row 3, column 'token': token already used" in result.stderr
    assert "row 4, column 'token': unknown token" in result.stderr
    assert stored_responses(survey.db) == 2

    # and a named respondent who already answered is refused too
    result = survey(
        "materiality",
        "responses",
        "import",
        responses_file(tmp_path, impact_rows(("r1",))),
        "--year",
        "2025",
        expect=2,
    )
    assert "respondent 'r1' has already responded" in result.stderr
    unknown = survey("materiality", "respond", "--token", "nope", *rate, expect=2)
    assert "unknown token" in unknown.stderr


def test_xlsx_import_and_topics_freeze_once_responses_arrive(survey: Cli, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "r.xlsx", {"responses": (HEADER, impact_rows() + financial_rows())}
    )
    out = as_json(survey, "materiality", "responses", "import", str(path), "--year", "2025")
    assert out == {"batch_id": out["batch_id"], "responses": 15, "respondents": 5}
    assert stored_responses(survey.db) == 15
    refused = survey(
        "materiality", "topics", "add", "D", "--topic-name", "Late", "--year", "2025", expect=2
    )
    assert "only change before responses arrive" in refused.stderr
    survey("materiality", "topics", "remove", "A", "--year", "2025", expect=2)
    survey("materiality", "topics", "rename", "A", "--to", "X", "--year", "2025", expect=2)


def test_topics_can_be_edited_before_responses(survey: Cli) -> None:
    survey("materiality", "topics", "rename", "A", "--to", "Topic Alpha", "--year", "2025")
    survey("materiality", "topics", "remove", "C", "--year", "2025")
    survey("materiality", "topics", "add", "D", "--topic-name", "Topic D", "--year", "2025")
    topics = as_json(survey, "materiality", "topics", "list", "--year", "2025")
    assert [(t["code"], t["name"]) for t in topics] == [
        ("A", "Topic Alpha"),
        ("B", "Topic B"),
        ("D", "Topic D"),
    ]
    dup = survey(
        "materiality", "topics", "add", "D", "--topic-name", "Again", "--year", "2025", expect=2
    )
    assert "already in assessment" in dup.stderr


def test_the_services_return_typed_results_the_cli_prints_unchanged(
    survey: Cli, tmp_path: Path
) -> None:
    """#20: a service's result crossing into the CLI is a dataclass, not a loose dict."""
    from esgledger.assess import survey as service

    path = responses_file(tmp_path, impact_rows(("r1", "r2")))
    imported = service.import_responses(survey.db, 2025, path, actor="test")
    assert isinstance(imported, service.ResponsesImported)
    assert (imported.responses, imported.respondents) == (6, 2)
    token = {
        t["respondent"]: t["token"]
        for t in as_json(survey, "materiality", "issue", "--year", "2025")
    }["r3"]
    rate = ["--rate", "A:valence=positive,actuality=actual,scale=4,scope=4"]
    out = as_json(survey, "materiality", "respond", "--token", token, *rate)
    assert out == {"assessment": out["assessment"], "year": 2025, "responses": 1}
    assert isinstance(out["assessment"], str) and out["assessment"]
