"""One report run reads the stored KPI rows and the activity sums of its years once: the
appendix's KPI tables and the publication gate's checks share them (#12: at 1,000 entities
the second reading of 360,000 rows cost seconds of every ``esg report``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from esgledger.assess.targets import add_target
from esgledger.checks import run_checks
from esgledger.disclose.publish import publish_report
from esgledger.kpi.inputs import StoredInputs, read_grouped_inputs, read_inputs
from esgledger.kpi.series import kpi_series_and_tables
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, kpi
from tests.filled import filled_db

YEAR = 2025


def fill(db: Database, folder: Path) -> None:
    """Two years of activities and KPI values, one of them preliminary, and the year's run."""
    ws = Workspace(db, folder)
    ws.activities(
        [
            ("SZ1", 2024, "electricity.purchased", 400, "MWh"),
            ("SZ1", 2025, "electricity.purchased", 500, "MWh"),
            ("WH1", 2025, "fuel.diesel", 10, "t"),
        ]
    )
    ws.kpis(
        kpi("economy.revenue", "1000.00", "RMB million", 2024),
        kpi("economy.revenue", "1080.00", "RMB million"),
        kpi("economy.cash_dividend", "0.05", "RMB billion", preliminary="yes"),
        {
            "entity": "SZ1",
            "metric": "packaging.plastics",
            "value": "2.5",
            "unit": "t",
            "year": 2025,
        },
        {
            "entity": "WH1",
            "metric": "packaging.plastics",
            "value": "1.25",
            "unit": "t",
            "year": 2025,
        },
        {"entity": "WH1", "metric": "packaging.plastics", "value": "1", "unit": "t", "year": 2024},
    )
    ws.calc(YEAR)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A copy of the workspace :func:`fill` makes, filled once per run (each of the module's
    12 items imported and calculated its own, #20)."""
    yield from filled_db(request, tmp_path, "report_reads_once", fill)


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL the database is sent while the block runs."""
    sent: list[str] = []

    def seen(conn: object, cursor: object, sql: str, *args: object) -> None:
        sent.append(sql)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def kpi_row_reads(sent: list[str]) -> list[str]:
    return [s for s in sent if "FROM kpi_values" in s and "AS pending" in s]


def activity_sum_reads(sent: list[str]) -> list[str]:
    return [s for s in sent if "sum(activity_records.quantity)" in s.replace("SUM", "sum")]


def grouped_reads(sent: list[str]) -> list[str]:
    """The members' grouped sums read from the groups the database keeps (``kpi_groups``,
    :mod:`esgledger.kpi.kept_sums`), or their values handed over value by value where the
    sums are not the roll-up (``kpi.member_groups``). The rules' read of the kept groups'
    keys alone (units and years, no sums) is not one of them."""
    return [
        s
        for s in sent
        if ("FROM kpi_groups" in s and "kpi_groups.whole" in s)
        or ("FROM kpi_values" in s and ("esg_collect_members" in s or "array_agg" in s))
    ]


def test_a_report_groups_the_values_and_reads_activity_sums_once(
    db: Database, tmp_path: Path
) -> None:
    """The members' values are grouped in the database once for the tables and the checks,
    and no stored value is read as a row unless a rule asks for it by id (#18: every row of
    the span as a row took most of a report at 10,000 entities)."""
    with statements(db) as sent:
        publish_report(db, YEAR, out=tmp_path / "report", formats=["html"])
    assert len(grouped_reads(sent)) == 1
    assert [s for s in kpi_row_reads(sent) if "kpi_values.id IN" not in s] == []
    assert len(activity_sum_reads(sent)) == 1


def test_the_targets_progress_reads_the_reports_own_tables(db: Database, tmp_path: Path) -> None:
    """The targets' progress, printed by the targets chapter and under every topic chapter
    in each edition, takes the year's KPI table the report computed: it computed the table
    again from the ledger four times in a two-edition report (#20: about 2 CPU s of the
    demo's report)."""
    with db.write() as session:
        add_target(session, code="PK-1", metric_id="packaging.plastics", op="<=", value=2,
                   target_year=2030, base_year=YEAR - 1, actor="seed")  # fmt: skip
    with statements(db) as sent:
        written = publish_report(
            db, YEAR, out=tmp_path / "report", formats=["html"], langs=("en", "zh")
        )
    assert len(activity_sum_reads(sent)) == 1
    assert len(grouped_reads(sent)) == 1
    for key in ("html", "zh.html"):
        assert "PK-1" in Path(written["files"][key]).read_text(encoding="utf-8"), key


@pytest.mark.parametrize("read", [read_inputs, read_grouped_inputs])
def test_shared_inputs_give_the_figures_and_findings_read_alone(
    db: Database, read: Callable[[Session, int, int], StoredInputs]
) -> None:
    with db.read() as session:
        series_alone, tables_alone = kpi_series_and_tables(session, YEAR)
        findings_alone = run_checks(session, YEAR)
        inputs = read(session, YEAR - 2, YEAR)
        series, tables = kpi_series_and_tables(session, YEAR, inputs=inputs)
        findings = run_checks(session, YEAR, tables=tables, inputs=inputs)
    assert series == series_alone
    assert {y: {k: f.as_dict() for k, f in t.items()} for y, t in tables.items()} == {
        y: {k: f.as_dict() for k, f in t.items()} for y, t in tables_alone.items()
    }
    assert [f.as_dict() for f in findings] == [f.as_dict() for f in findings_alone]
    assert any(f.rule == "preliminary.value" for f in findings)


@pytest.mark.parametrize("read", [read_inputs, read_grouped_inputs])
def test_inputs_of_other_years_are_not_used(
    db: Database, read: Callable[[Session, int, int], StoredInputs]
) -> None:
    """Inputs read for a span that misses a year of the checks are ignored, not trusted."""
    with db.read() as session:
        alone = run_checks(session, YEAR)
        narrow = read(session, YEAR, YEAR)  # the checks look back three years
        findings = run_checks(session, YEAR, inputs=narrow)
    assert [f.as_dict() for f in findings] == [f.as_dict() for f in alone]
