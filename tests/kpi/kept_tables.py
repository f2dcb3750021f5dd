"""What the kept-groups and member-sums tests share: the member entities they write values
for, and the check that a KPI table read from the grouped sums is the one rolled up row by
row (``tests/kpi/test_kept_groups.py``, ``tests/kpi/test_member_sums.py``)."""

from __future__ import annotations

from pathlib import Path

from esgledger.kpi.values import kpi_table
from esgledger.ledger.db import Database
from esgledger.ledger.kpi_rows import figure_rows
from tests.checks.workspace import Workspace

MEMBERS = ("HQ", "SZ1", "WH1", "VN1")  # entities under the root of tests.factories.ENTITIES


def wood_values(db: Database, tmp_path: Path, year: int, members: tuple[str, ...]) -> Workspace:
    """A workspace with one ``packaging.wood`` value per member, 1.25 t, 2.25 t, … in order."""
    ws = Workspace(db, tmp_path)
    ws.kpis(
        *(
            {"entity": e, "metric": "packaging.wood", "value": repr(1.25 + i), "unit": "t"}
            | {"year": year}
            for i, e in enumerate(members)
        )
    )
    return ws


def tables_agree(db: Database, year: int) -> None:
    """The year's KPI table from the grouped sums is the one rolled up row by row, figure for
    figure and every value to the bit."""
    with db.read() as session:
        grouped = kpi_table(session, year)
        by_rows = kpi_table(session, year, rows=figure_rows(session, year))
    assert list(grouped) == list(by_rows)
    assert {k: f.as_dict() for k, f in grouped.items()} == {
        k: f.as_dict() for k, f in by_rows.items()
    }
    for key, fig in grouped.items():
        if fig.value is not None:
            assert fig.value.hex() == by_rows[key].value.hex(), key  # type: ignore[union-attr]
