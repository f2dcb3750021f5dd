"""The materiality commands end to end: score, show --json, chart, approval, IROs, tiers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.assess.conftest import (
    as_json,
    financial_rows,
    impact_rows,
    make_survey,
    responses_file,
)
from tests.conftest import Cli
from tests.factories import write_csv

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def answered(survey: Cli, tmp_path: Path) -> Cli:
    path = responses_file(tmp_path, impact_rows() + financial_rows())
    survey("materiality", "responses", "import", path, "--year", "2025")
    return survey


def test_show_json_has_the_hand_computed_matrix(answered: Cli, tmp_path: Path) -> None:
    live = as_json(answered, "materiality", "show", "--year", "2025")
    assert live["stored"] is False
    out = as_json(answered, "materiality", "score", "--year", "2025")
    assert out["stored"] is True and out["stale"] is False
    rows = {t["topic"]: t for t in out["topics"]}
    for row in rows.values():
        for key in (
            "topic",
            "impact_score",
            "financial_score",
            "impact_level",
            "financial_level",
            "double_material",
        ):
            assert key in row, key
    assert [rows[t]["impact_score"] for t in "ABC"] == pytest.approx([1, 0.375, 0])
    assert [rows[t]["financial_score"] for t in "ABC"] == pytest.approx([0, 1, 0.6])
    assert [rows[t]["impact_level"] for t in "ABC"] == [
        "highly_material",
        "moderately_material",
        "less_material",
    ]
    assert [rows[t]["double_material"] for t in "ABC"] == [False, False, False]
    assert [rows[t]["tier"] for t in "ABC"] == ["moderate", "high", "low"]
    stored = as_json(answered, "materiality", "show", "--year", "2025")
    assert stored["topics"] == out["topics"], "show reads back exactly what score stored"
    assert stored["method"]["rule"] == "double"

    # A weight change makes the stored scoring stale; rescoring follows the weight.
    answered("materiality", "groups", "weight", "employees", "--weight", "2", "--year", "2025")
    assert as_json(answered, "materiality", "show", "--year", "2025")["stale"] is True
    rescored = {
        t["topic"]: t for t in as_json(answered, "materiality", "score", "--year", "2025")["topics"]
    }
    assert rescored["B"]["impact_score"] == pytest.approx(3 / 11)


def test_esrs_rule_charts_approval_and_iros(db: object, cli: Cli, tmp_path: Path) -> None:
    make_survey(cli, tmp_path, rule="esrs")
    cli(
        "materiality",
        "responses",
        "import",
        responses_file(tmp_path, impact_rows() + financial_rows()),
        "--year",
        "2025",
    )
    rows = {t["topic"]: t for t in as_json(cli, "materiality", "score", "--year", "2025")["topics"]}
    assert [rows[t]["double_material"] for t in "ABC"] == [True, True, False]
    assert rows["A"]["material_on"] == ["impact"]

    svg, png = tmp_path / "m.svg", tmp_path / "m.png"
    cli("materiality", "chart", "--year", "2025", "--out", str(svg))
    cli("materiality", "chart", "--year", "2025", "--out", str(png))
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    text = svg.read_text()
    assert "Importance to corporate finance" in text and "Topic A" in text
    assert png.read_bytes()[:8] == PNG
    bad = cli("materiality", "chart", "--year", "2025", "--out", str(tmp_path / "m.gif"), expect=2)
    assert "must end in .svg or .png" in bad.stderr

    refused = cli(
        "materiality",
        "iro",
        "add",
        "--topic",
        "C",
        "--kind",
        "risk",
        "--text",
        "x",
        "--year",
        "2025",
        expect=2,
    )
    assert "not material" in refused.stderr
    cli(
        "materiality",
        "iro",
        "add",
        "--topic",
        "A",
        "--kind",
        "risk",
        "--text",
        "Rising carbon prices",
        "--year",
        "2025",
    )
    cli(
        "materiality",
        "approve",
        "--body",
        "Board of directors",
        "--date",
        "2026-03-27",
        "--resolution",
        "Approved.",
        "--year",
        "2025",
    )
    shown = as_json(cli, "materiality", "show", "--year", "2025")
    assert shown["assessment"]["status"] == "approved"
    assert shown["approvals"][0]["body"] == "Board of directors"
    locked = cli("materiality", "score", "--year", "2025", expect=2)
    assert "is approved" in locked.stderr
    iros = as_json(cli, "materiality", "iro", "list", "--year", "2025")
    assert iros == [
        {
            "topic": "A",
            "topic_name": "Topic A",
            "kind": "risk",
            "text": "Rising carbon prices",
            "risk_code": "",
        }
    ]


def test_approval_needs_a_current_scoring(answered: Cli) -> None:
    args = (
        "materiality",
        "approve",
        "--body",
        "Board",
        "--date",
        "2026-03-27",
        "--resolution",
        "ok",
        "--year",
        "2025",
    )
    assert "score the assessment first" in answered(*args, expect=2).stderr
    answered("materiality", "score", "--year", "2025")
    answered("materiality", "groups", "weight", "investors", "--weight", "1.5", "--year", "2025")
    assert "score again first" in answered(*args, expect=2).stderr
    assert "not a date" in answered(*args[:5], "27/03/2026", *args[6:], expect=2).stderr


def test_legacy_single_axis_tiers_and_changes(db: object, cli: Cli, tmp_path: Path) -> None:
    make_survey(cli, tmp_path, year=2024, mode="single", low=0.3, high=0.6)
    groups = as_json(cli, "materiality", "groups", "list", "--year", "2024")
    assert {g["axis"] for g in groups} == {"stakeholder", "business"}
    # stakeholders (r1-r3) rate A 4, B 2, C 1 and the company (e1, e2) A 5, B 2, C 1:
    # norms A (1, 1), B (1/3, 1/4), C (0, 0) → tiers high, low, low (mean 0.29 < 0.3)
    scores = {"r1": (4, 2, 1), "r2": (4, 2, 1), "r3": (4, 2, 1), "e1": (5, 2, 1), "e2": (5, 2, 1)}
    rows = [[p, t, s] for p, ss in scores.items() for t, s in zip("ABC", ss, strict=True)]
    path = write_csv(tmp_path / "legacy.csv", ["respondent", "topic", "score"], rows)
    cli("materiality", "responses", "import", str(path), "--year", "2024")
    legacy = {
        t["topic"]: t for t in as_json(cli, "materiality", "score", "--year", "2024")["topics"]
    }
    assert [legacy[t]["tier"] for t in "ABC"] == ["high", "low", "low"]
    assert [legacy[t]["material"] for t in "ABC"] == [True, False, False], "material = high tier"
    assert "double_material" not in legacy["A"]
    listed = as_json(cli, "materiality", "list", "--year", "2024")
    assert (listed[0]["mode"], listed[0]["rule"]) == ("single", "tier")
    chart = tmp_path / "legacy.svg"
    cli("materiality", "chart", "--year", "2024", "--out", str(chart))
    assert "Significance to stakeholders" in chart.read_text()

    make_survey(cli, tmp_path, year=2025)
    cli("materiality", "topics", "rename", "B", "--to", "Topic B (renamed)", "--year", "2025")
    cli(
        "materiality",
        "responses",
        "import",
        responses_file(tmp_path, impact_rows() + financial_rows()),
        "--year",
        "2025",
    )
    cli("materiality", "score", "--year", "2025")
    changes = {
        r["topic"]: r
        for r in as_json(cli, "materiality", "compare", "--year", "2025", "--against", "2024")
    }
    assert changes["A"] == {
        "topic": "A",
        "name": "Topic A",
        "tier": "moderate",
        "previous_topic": "A",
        "previous_tier": "high",
        "change": "down",
    }
    assert changes["B"]["change"] == "up" and changes["C"]["change"] == "same"
