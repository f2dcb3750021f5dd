"""KPI rows read for a large group share one object per repeated value: at 10,000 entities
3.5 M rows with their own copy of each metric id, unit and status were most of `esg check`'s
2.6 GiB (#18)."""

from __future__ import annotations

from pathlib import Path

from esgledger.ledger.db import Database
from esgledger.ledger.kpi_rows import figure_rows, span_rows
from tests.checks.workspace import Workspace


def test_repeated_values_of_rows_are_one_object(db: Database, tmp_path: Path) -> None:
    ws = Workspace(db, tmp_path)
    ws.kpis(
        *(
            {"entity": e, "metric": "packaging.plastics", "value": v, "unit": "t", "year": y}
            for y in (2024, 2025)
            for e, v in (("SZ1", "2.5"), ("WH1", "1.25"))
        )
    )
    with db.read() as session:
        rows = span_rows(session, 2024, 2025)
        current = figure_rows(session, 2025)
    assert [(r.entity_id, r.year, r.value) for r in rows] == [
        ("SZ1", 2024, 2.5),
        ("WH1", 2024, 1.25),
        ("SZ1", 2025, 2.5),
        ("WH1", 2025, 1.25),
    ]
    first, *others = rows
    for other in others:
        assert other.metric_id is first.metric_id
        assert other.status is first.status
        assert other.qualifier is first.qualifier
    assert rows[2].entity_id is rows[0].entity_id
    assert rows[3].year is rows[2].year
    assert [(r.entity_id, r.value) for r in current] == [("SZ1", 2.5), ("WH1", 1.25)]
