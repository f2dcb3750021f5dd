"""Targets: the linear pathway, on/off track in the target's direction, bounds, statuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.assess.progress import Goal, evaluate, on_track, pathway, satisfies, status
from tests.assess.conftest import as_json
from tests.conftest import Cli
from tests.factories import entities_file, write_csv

REDUCE = Goal(operator="<=", target_value=70, target_year=2030, base_year=2023, base_value=100)
RAISE = Goal(operator=">=", target_value=100, target_year=2027, base_year=2024, base_value=85)
MINOR_INJURIES = Goal(operator="<=", target_value=3, target_year=2025)  # ‰ of employees


def test_linear_pathway_between_base_and_target() -> None:
    assert pathway(REDUCE, 2022) is None
    assert pathway(REDUCE, 2023) == 100
    assert pathway(REDUCE, 2025) == pytest.approx(100 - 30 * 2 / 7)  # 91.43
    assert pathway(REDUCE, 2030) == 70 and pathway(REDUCE, 2032) == 70
    assert pathway(MINOR_INJURIES, 2024) == 3, "a standing target is its own pathway"


def test_on_track_respects_the_direction() -> None:
    assert on_track(REDUCE, 2025, 90) is True  # below the 91.43 path
    assert on_track(REDUCE, 2025, 95) is False
    assert on_track(RAISE, 2025, 90.1) is True  # path 90
    assert on_track(RAISE, 2025, 89) is False
    assert status(REDUCE, 90) == "not met" and status(REDUCE, 70) == "met"
    assert status(RAISE, 100) == "met" and status(RAISE, 99.9) == "not met"
    line = evaluate(REDUCE, 2025, 85)
    assert line["progress_share"] == pytest.approx(0.5)  # 15 of the 30 to cut
    assert line["on_track"] is True and line["status"] == "not met"


def test_bounds_printed_as_at_most_or_over() -> None:
    assert status(MINOR_INJURIES, 2.5, "at_most") == "met"  # ≤ 2.5‰ meets ≤ 3‰
    assert status(MINOR_INJURIES, 3, "at_most") == "met"
    assert status(MINOR_INJURIES, 3.5, "at_most") == "not assessable"
    assert status(MINOR_INJURIES, 3, "exact") == "met" and status(MINOR_INJURIES, 3.01) == "not met"
    assert status(MINOR_INJURIES, 3.5, "over") == "not met"
    assert status(MINOR_INJURIES, 2, "over") == "not assessable"
    assert status(RAISE, 90, "at_most") == "not met" and status(RAISE, 100, "over") == "met"
    assert status(MINOR_INJURIES, None) == "not assessable"
    assert evaluate(MINOR_INJURIES, 2025, 2.5, "at_most")["progress_share"] is None
    equal = Goal(operator="=", target_value=100, target_year=2025, tolerance=0.5)
    assert satisfies(99.6, "exact", "=", 100, 0.5) is True
    assert status(equal, 99.4) == "not met" and status(equal, 99, "at_most") == "not met"


def test_targets_from_kpi_values_and_manual_actuals(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    kpis = [
        ["GRP", 2024, "ohs.minor_injury_rate", 3.5, "‰", "at_most"],
        ["GRP", 2025, "ohs.minor_injury_rate", 2.5, "‰", "at_most"],
        ["GRP", 2023, "cybersecurity.training_share", 80, "%", ""],
        ["GRP", 2025, "cybersecurity.training_share", 97, "%", ""],
    ]
    cli(
        "import",
        "kpis",
        str(
            write_csv(
                tmp_path / "k.csv", ["entity", "year", "metric", "value", "unit", "qualifier"], kpis
            )
        ),
    )
    cli(
        "targets",
        "add",
        "OHS-3",
        "--metric",
        "ohs.minor_injury_rate",
        "--operator",
        "≤",
        "--value",
        "3",
        "--unit",
        "‰",
        "--target-year",
        "2025",
    )
    sec = as_json(
        cli,
        "targets",
        "add",
        "SEC-1",
        "--metric",
        "cybersecurity.training_share",
        "--operator",
        ">=",
        "--value",
        "100",
        "--target-year",
        "2026",
        "--base-year",
        "2023",
    )
    assert (sec["base_value"], sec["kind"], sec["unit"]) == (80, "ratio", "%")
    rows = {
        (r["target"], r["year"]): r
        for r in as_json(cli, "targets", "progress", "--year", "2024", "--year", "2025")
    }
    assert rows[("OHS-3", 2025)]["status"] == "met"
    assert (
        rows[("OHS-3", 2025)]["qualifier"] == "at_most" and rows[("OHS-3", 2025)]["actual"] == 2.5
    )
    assert rows[("OHS-3", 2024)]["status"] == "not assessable"
    sec25 = rows[("SEC-1", 2025)]
    assert sec25["pathway"] == pytest.approx(80 + 20 * 2 / 3)
    assert (sec25["on_track"], sec25["status"]) == (True, "not met")
    assert rows[("SEC-1", 2024)]["actual_source"] == "none"
    assert rows[("SEC-1", 2024)]["status"] == "not assessable"

    cli("targets", "actual", "SEC-1", "--year", "2024", "--value", "84", "--note", "HR system")
    manual = as_json(cli, "targets", "progress", "--year", "2024", "--target", "SEC-1")[0]
    assert (manual["actual"], manual["actual_source"], manual["on_track"]) == (84, "manual", False)

    assert (
        "does not fit metric"
        in cli(
            "targets",
            "add",
            "X",
            "--metric",
            "ohs.minor_injury_rate",
            "--operator",
            "<=",
            "--value",
            "3",
            "--unit",
            "t",
            "--target-year",
            "2025",
            expect=2,
        ).stderr
    )
    assert (
        "operator must be"
        in cli(
            "targets",
            "add",
            "X",
            "--metric",
            "ohs.serious_injuries",
            "--operator",
            "<",
            "--value",
            "0",
            "--target-year",
            "2025",
            expect=2,
        ).stderr
    )
    assert (
        "give --base-value"
        in cli(
            "targets",
            "add",
            "X",
            "--metric",
            "ohs.serious_injuries",
            "--operator",
            "<=",
            "--value",
            "0",
            "--target-year",
            "2025",
            "--base-year",
            "2020",
            expect=2,
        ).stderr
    )
    assert [t["code"] for t in as_json(cli, "targets", "list")] == ["OHS-3", "SEC-1"]


def test_progress_computes_each_years_kpi_table_once_for_all_targets(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A KPI table reads every figure of the year (seconds on a large group, and register
    figures on top): nine targets must not compute it nine times (the targets page did)."""
    from esgledger.assess import targets
    from esgledger.kpi import values

    cli("import", "entities", str(entities_file(tmp_path)))
    header = ["entity", "year", "metric", "value", "unit", "qualifier"]
    kpis = [["GRP", 2025, "ohs.minor_injury_rate", 2.5, "‰", ""]]
    cli("import", "kpis", str(write_csv(tmp_path / "k.csv", header, kpis)))
    for code in ("A", "B", "C"):
        cli("targets", "add", code, "--metric", "ohs.minor_injury_rate", "--operator", "<=",
            "--value", "3", "--unit", "‰", "--target-year", "2026")  # fmt: skip
    computed: list[int] = []
    real = values.kpi_table

    def counted(session, year, **kwargs):  # type: ignore[no-untyped-def]
        computed.append(year)
        return real(session, year, **kwargs)

    monkeypatch.setattr(values, "kpi_table", counted)
    with cli.db.read() as session:
        lines = targets.progress(session, years=[2024, 2025])
    assert sorted(computed) == [2024, 2025]
    assert {
        (line["target"], line["year"], line["actual"]) for line in lines if line["year"] == 2025
    } == {(code, 2025, 2.5) for code in ("A", "B", "C")}
