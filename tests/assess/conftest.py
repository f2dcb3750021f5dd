"""A small materiality survey: the hand-computed example of ``test_scoring`` in a workspace.

Topics A, B, C; investors r1 and r2 and employee r3 rate impacts (positive, actual, scale =
scope = the score, so the response score is that number); executives e1 and e2 rate the
financial axis with likelihood × magnitude / 5 on the short horizon.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esgledger.assess.materiality import add_topic, create_assessment
from esgledger.assess.respondents import import_respondents
from tests.conftest import Cli
from tests.factories import write_csv

IMPACT = {
    "r1": ("investors", (5, 3, 1)),
    "r2": ("investors", (3, 3, 2)),
    "r3": ("employees", (4, 1, 1)),
}
FINANCIAL = {"e1": ((2, 5), (5, 5), (4, 5)), "e2": ((2, 5), (4, 5), (3, 5))}
TOPICS = ("A", "B", "C")
HEADER = [
    "respondent",
    "topic",
    "valence",
    "actuality",
    "scale",
    "scope",
    "likelihood_short",
    "magnitude_short",
]


def impact_rows(names: tuple[str, ...] = ("r1", "r2", "r3")) -> list[list[object]]:
    return [
        [name, topic, "positive", "actual", score, score, "", ""]
        for name in names
        for topic, score in zip(TOPICS, IMPACT[name][1], strict=True)
    ]


def financial_rows(names: tuple[str, ...] = ("e1", "e2")) -> list[list[object]]:
    return [
        [name, topic, "", "", "", "", lk, mg]
        for name in names
        for topic, (lk, mg) in zip(TOPICS, FINANCIAL[name], strict=True)
    ]


def make_survey(cli: Cli, tmp_path: Path, year: int = 2025, **options: object) -> Cli:
    """The assessment, its topics and respondents, made through the services (fast); the
    respondents come from a file, as ``esg materiality respondents import`` reads it."""
    people = [[n, g] for n, (g, _s) in IMPACT.items()] + [
        ["e1", "executives"],
        ["e2", "executives"],
    ]
    path = write_csv(tmp_path / f"people-{year}.csv", ["name", "group"], people)
    with cli.db.write() as session:
        a = create_assessment(session, year=year, library="none", actor="test", **options)  # type: ignore[arg-type]
        for topic in TOPICS:
            add_topic(session, a, code=topic, name=f"Topic {topic}", actor="test")
        import_respondents(session, a, path, actor="test")
    return cli


@pytest.fixture
def survey(cli: Cli, tmp_path: Path) -> Cli:
    return make_survey(cli, tmp_path)


def responses_file(tmp_path: Path, rows: list[list[object]], name: str = "r.csv") -> str:
    return str(write_csv(tmp_path / name, HEADER, rows))


def as_json(cli: Cli, *args: str) -> object:
    return json.loads(cli(*args, "--json").stdout)
