"""The risk register: scoring matrix, versions, overdue reviews, heat map."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from esgledger.assess.risk_settings import DIMENSIONS, Matrix
from tests.assess.conftest import as_json
from tests.conftest import Cli
from tests.factories import entities_file


def impacts(**given: int) -> dict[str, int]:
    return {d: given.get(d, 1) for d in DIMENSIONS}


@pytest.mark.parametrize(
    ("likelihood", "given", "score", "level"),
    [
        (3, {"safety": 5}, 15, "high"),  # exactly the high cut-off
        (2, {"legal": 4, "financial": 2}, 8, "medium"),  # exactly the medium cut-off
        (7 // 2, {"financial": 2}, 6, "low"),
        (5, {}, 5, "low"),
        (4, {"operational": 5, "reputational": 5}, 20, "high"),
    ],
)
def test_default_matrix_is_likelihood_times_max_impact(
    likelihood: int, given: dict[str, int], score: float, level: str
) -> None:
    m = Matrix()
    assert m.score(likelihood, impacts(**given)) == score
    assert m.level(m.score(likelihood, impacts(**given))) == level


def test_mean_rule_and_other_cut_offs() -> None:
    m = Matrix(impact_rule="mean", high_cutoff=12, medium_cutoff=4)
    # mean of (5, 1, 1, 1, 1, 1, 1) = 11/7; × 5 = 7.857
    assert m.score(5, impacts(financial=5)) == pytest.approx(55 / 7)
    assert m.level(55 / 7) == "medium"
    assert m.level(12) == "high" and m.level(3.99) == "low"


@pytest.fixture
def register(cli: Cli, tmp_path: Path) -> Cli:
    cli("import", "entities", str(entities_file(tmp_path)))
    today = dt.date.today()
    for code, likelihood, impact, due in (
        ("R-1", 3, "safety=5", today - dt.timedelta(days=40)),
        ("R-2", 2, "legal=4", today + dt.timedelta(days=30)),
        ("R-3", 1, "financial=2", today - dt.timedelta(days=5)),
    ):
        cli(
            "risk",
            "add",
            "--code",
            code,
            "--title",
            f"Risk {code}",
            "--category",
            "operational.production_safety",
            "--entity",
            "SZ1",
            "--likelihood",
            str(likelihood),
            "--impact",
            impact,
            "--response",
            "reduce",
            "--rationale",
            "controls are cheap",
            "--review-due",
            due.isoformat(),
            "--cause",
            "c",
            "--event",
            "e",
            "--consequence",
            "q",
        )
    return cli


def test_levels_overdue_and_history(register: Cli) -> None:
    rows = {r["code"]: r for r in as_json(register, "risk", "list")}
    assert {c: (r["score"], r["level"]) for c, r in rows.items()} == {
        "R-1": (15, "high"),
        "R-2": (8, "medium"),
        "R-3": (2, "low"),
    }
    assert rows["R-1"]["statement"] == {"cause": "c", "event": "e", "consequence": "q"}

    late = as_json(register, "risk", "overdue")
    assert [r["code"] for r in late] == ["R-1", "R-3"]
    assert late[0]["days_overdue"] == 40
    far = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    assert [r["code"] for r in as_json(register, "risk", "overdue", "--as-of", far)] == [
        "R-1",
        "R-3",
        "R-2",
    ]

    register("risk", "review", "R-1", "--date", dt.date.today().isoformat(), "--next", far)
    assert [r["code"] for r in as_json(register, "risk", "overdue")] == ["R-3"]
    updated = as_json(
        register,
        "risk",
        "update",
        "R-2",
        "--likelihood",
        "4",
        "--note",
        "incident in Q3",
        "--expect-version",
        "1",
    )
    assert (updated["version"], updated["score"], updated["level"]) == (2, 16, "high")
    stale = register(
        "risk", "update", "R-2", "--likelihood", "5", "--expect-version", "1", expect=2
    )
    assert "at version 2, not 1" in stale.stderr
    history = as_json(register, "risk", "show", "R-2")["history"]
    assert [(h["version"], h["risk"]["likelihood"], h["risk"]["level"]) for h in history] == [
        (1, 2, "medium"),
        (2, 4, "high"),
    ]
    assert history[1]["note"] == "incident in Q3"


def test_matrix_setting_relevels_and_refusals(register: Cli, tmp_path: Path) -> None:
    out = as_json(register, "risk", "matrix", "--high", "16", "--medium", "3")
    assert out == {"impact_rule": "max", "high_cutoff": 16, "medium_cutoff": 3}
    levels = {r["code"]: r["level"] for r in as_json(register, "risk", "list")}
    assert levels == {"R-1": "medium", "R-2": "medium", "R-3": "low"}
    assert "1 ≤ medium < high ≤ 25" in register("risk", "matrix", "--high", "2", expect=2).stderr

    base = (
        "risk",
        "add",
        "--title",
        "x",
        "--entity",
        "SZ1",
        "--likelihood",
        "2",
        "--response",
        "reduce",
        "--rationale",
        "r",
    )
    assert "unknown risk category" in register(*base, "--category", "nope", expect=2).stderr
    assert (
        "from 1 to 5"
        in register(*base, "--category", "esg.climate", "--impact", "legal=6", expect=2).stderr
    )
    assert (
        "unknown entity"
        in register(
            "risk",
            "add",
            "--title",
            "x",
            "--entity",
            "ZZ",
            "--likelihood",
            "2",
            "--response",
            "reduce",
            "--rationale",
            "r",
            "--category",
            "esg.climate",
            expect=2,
        ).stderr
    )
    no_reason = register(
        "risk",
        "add",
        "--title",
        "x",
        "--entity",
        "SZ1",
        "--likelihood",
        "2",
        "--response",
        "retain",
        "--rationale",
        " ",
        "--category",
        "esg.climate",
        expect=2,
    )
    assert "give the rationale" in no_reason.stderr
    register(
        "risk",
        "categories",
        "add",
        "esg.water",
        "--category-name",
        "Water stress",
        "--parent",
        "esg",
    )
    added = as_json(register, *base, "--category", "esg.water")
    assert added["code"] == "RSK-004" and added["category"] == "esg.water"
    cats = {c["code"]: c["origin"] for c in as_json(register, "risk", "categories")}
    assert cats["esg.water"] == "workspace" and cats["esg.climate"] == "shipped"

    svg, png = tmp_path / "h.svg", tmp_path / "h.png"
    register("risk", "heatmap", "--out", str(svg))
    register("risk", "heatmap", "--out", str(png))
    assert ET.parse(svg).getroot().tag.endswith("svg") and "R-1" in svg.read_text()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
