"""The KPI tables roll members up from values grouped in the database (#18), not from rows.

At 10,000 entities a KPI series read 3.6 M stored values into Python one row at a time, most
of ``esg kpi``. Now the database groups the members' values and only the group root's own
rows come back whole. The figures are the same as the row-by-row roll-up's, to the bit.
"""

from __future__ import annotations

import itertools
import random
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import event

from esgledger.catalog import metrics
from esgledger.kpi.member_groups import MemberGroup
from esgledger.kpi.reported import groups_figure, rows_figure
from esgledger.kpi.scope import Scope
from esgledger.kpi.series import kpi_series
from esgledger.kpi.values import kpi_table
from esgledger.ledger.db import Database
from esgledger.ledger.kpi_rows import KpiRow, figure_rows
from tests.checks.plain import ROOT, row
from tests.checks.workspace import Workspace

YEAR = 2025
METRIC = metrics()["packaging.plastics"]  # additive, in t


def _grouped(rows: list[KpiRow]) -> list[MemberGroup]:
    """The rows as the database groups them."""

    def key(r: KpiRow) -> tuple[object, ...]:
        restated = r.restates_id is not None
        return (r.unit, r.decimals or -1, r.qualifier, r.preliminary, restated)

    out = []
    for _, members in itertools.groupby(sorted(rows, key=key), key=key):
        part = list(members)
        first = part[0]
        out.append(
            MemberGroup(
                first.year, first.metric_id, first.dims, first.unit, first.decimals,
                first.qualifier, first.preliminary, first.restates_id is not None,
                [r.entity_id for r in part], [r.value for r in part],  # type: ignore[misc]
                [r.id for r in part],
            )
        )  # fmt: skip
    return out


MEMBERS = [
    row(METRIC.id, 2.0, "t", entity_id="WH1", qualifier="at_most"),
    row(METRIC.id, 1500.0, "kg", entity_id="SZ1", decimals=0, preliminary=True),
    row(METRIC.id, 0.1, "t", entity_id="HQ", qualifier="over", restates_id=99),
    row(METRIC.id, 7.0, "person", entity_id="VN1"),  # another measure: left out, said so
    row(METRIC.id, 0.2, "t", entity_id="ZZ9"),  # outside the boundary
    row(METRIC.id, 0.3, "t", entity_id="AB1", decimals=3),
    row(METRIC.id, 9.0, "person", entity_id="AA1"),
]


@pytest.mark.parametrize("start", range(len(MEMBERS)))
def test_grouped_members_give_the_row_by_row_figure(start: int) -> None:
    shares = {"WH1": 0.5, "SZ1": 1.0, "HQ": 0.3, "VN1": 1.0, "AB1": 1.0, "AA1": 1.0}
    scope = Scope("2025-env", shares)
    rows = MEMBERS[start:] + MEMBERS[:start]  # the database groups them in any order
    expected = rows_figure({}, METRIC, "", YEAR, MEMBERS, ROOT, scope)  # oldest first
    found = groups_figure(METRIC, "", YEAR, _grouped(rows), scope)
    assert expected is not None and found is not None
    assert found.as_dict() == expected.as_dict()
    assert found.partial and "2 entities' values in person" in found.note


def test_only_members_outside_the_boundary_give_no_figure() -> None:
    scope = Scope("2025-env", {"SZ1": 1.0})
    rows = [row(METRIC.id, 1.0, "t", entity_id="ZZ9")]
    assert groups_figure(METRIC, "", YEAR, _grouped(rows), scope) is None
    assert rows_figure({}, METRIC, "", YEAR, rows, ROOT, scope) is None


def test_members_all_in_another_measure_are_not_available() -> None:
    scope = Scope(None, {"SZ1": 1.0})
    rows = [row(METRIC.id, 1.0, "person", entity_id="SZ1")]
    found = groups_figure(METRIC, "", YEAR, _grouped(rows), scope)
    expected = rows_figure({}, METRIC, "", YEAR, rows, ROOT, scope)
    assert found is not None and expected is not None
    assert found.as_dict() == expected.as_dict() and found.value is None


def test_many_members_as_the_database_hands_them_over() -> None:
    """A thousand members in three units, some outside the boundary, values and ids in the
    typed arrays :mod:`esgledger.kpi.member_groups` builds: the figure is the row-by-row
    roll-up's to the bit (the roll-up works on whole groups at once)."""
    rng = random.Random(18)
    units = ("t", "kg", "person")
    rows = [
        row(
            METRIC.id,
            rng.uniform(0, 1e4),
            rng.choice(units),
            entity_id=f"E{i:04d}",
            decimals=rng.choice((None, 2)),
            qualifier=rng.choice(("exact", "over")),
        )
        for i in range(1000)
    ]
    shares = {f"E{i:04d}": rng.choice((1.0, 0.5, 0.3)) for i in range(0, 1000, 3)}
    scope = Scope("2025-env", shares)
    groups = [
        replace(g, values=array("d", g.values), ids=array("q", g.ids)) for g in _grouped(rows[::-1])
    ]
    expected = rows_figure({}, METRIC, "", YEAR, rows, ROOT, scope)
    found = groups_figure(METRIC, "", YEAR, groups, scope)
    assert expected is not None and found is not None
    assert found.as_dict() == expected.as_dict()
    assert found.partial and found.entities == expected.entities > 200


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    sent: list[str] = []

    def seen(conn: object, cursor: object, sql: str, *args: object) -> None:
        sent.append(" ".join(sql.split()))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def _value_reads(sent: list[str]) -> list[str]:
    return [s for s in sent if "FROM kpi_values" in s]


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    ws = Workspace(db, tmp_path)
    members = ("HQ", "SZ1", "WH1", "VN1")
    ws.kpis(
        *(
            {"entity": e, "metric": METRIC.id, "value": 0.1 * (i + 1), "unit": "t", "year": y}
            for y in (YEAR - 1, YEAR)
            for i, e in enumerate(members)
        ),
        {"entity": "WH1", "metric": "workforce.headcount", "value": 10, "unit": "person",
         "gender": "female", "preliminary": "yes", "year": YEAR},
        {"entity": "SZ1", "metric": "workforce.headcount", "value": 12, "unit": "person",
         "gender": "female", "year": YEAR},
        {"metric": "economy.revenue", "value": "1080.00", "unit": "RMB million", "year": YEAR},
        {"metric": "economy.revenue", "value": "1000.00", "unit": "RMB million", "year": 2024},
    )  # fmt: skip
    ws.kpis(
        {"entity": "SZ1", "metric": METRIC.id, "value": 5, "unit": "t", "year": YEAR,
         "restatement_reason": "meter replaced", "qualifier": "over"},
        {"metric": "economy.revenue", "value": "1100.00", "unit": "RMB million",
         "restatement_reason": "audited", "year": 2024},
    )  # fmt: skip
    return ws


def test_the_kpi_table_from_groups_is_the_table_from_rows(ws: Workspace) -> None:
    with ws.db.read() as session:
        for year in (YEAR - 1, YEAR):
            grouped = kpi_table(session, year)
            by_rows = kpi_table(session, year, rows=figure_rows(session, year))
            assert list(grouped) == list(by_rows)
            assert {k: f.as_dict() for k, f in grouped.items()} == {
                k: f.as_dict() for k, f in by_rows.items()
            }
    assert grouped[(METRIC.id, "")].qualifier == "over"
    assert grouped[(METRIC.id, "")].restatement == {"members_restated": 1}


def test_a_series_reads_no_kpi_value_row_by_row(ws: Workspace) -> None:
    """Every read of stored values groups them in the database, or fetches only the group
    root's own rows (and the rows those restate): never one row per member."""
    with ws.db.read() as session, statements(ws.db) as sent:
        kpi_series(session, YEAR)
    reads = _value_reads(sent)
    assert reads
    for sql in reads:
        assert "GROUP BY" in sql or "kpi_values.entity_id = " in sql or "kpi_values.id IN" in sql


def test_the_reads_do_not_grow_with_the_members(ws: Workspace) -> None:
    with ws.db.read() as session, statements(ws.db) as sent:
        kpi_series(session, YEAR)
    before = len(sent)
    ws.kpis(
        *(
            {"entity": e, "metric": "packaging.cartons", "value": 1, "unit": "t", "year": YEAR}
            for e in ("HQ", "SZ1", "WH1", "VN1")
        )
    )
    with ws.db.read() as session, statements(ws.db) as sent:
        kpi_series(session, YEAR)
    assert len(sent) == before
