"""Roll-ups are exactly rounded sums (#18): the members' values of a figure add up to the
float nearest their exact sum, whatever the order the rows were stored or read in.

A plain float sum depends on its order: 0.1 + 0.2 + 0.3 is 0.6000000000000001 added left
to right and 0.6 right to left. Summing in entity order made the figures repeatable, but it
tied them to one order, so a roll-up could not be summed by column or in the database. The
sums are now ``math.fsum``'s: the nearest float to the exact sum, in any order.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from esgledger.catalog import metrics
from esgledger.kpi.calculated import ActivitySums, activity_figure
from esgledger.kpi.reported import rows_figure
from esgledger.kpi.scope import Scope
from esgledger.kpi.series import kpi_series
from esgledger.kpi.values import kpi_table
from esgledger.ledger.db import Database
from tests.checks.plain import ROOT, row
from tests.checks.workspace import Workspace

METRIC = metrics()["packaging.plastics"]  # additive, in t
PARTS = [0.1, 0.2, 0.3]  # left to right 0.6000000000000001, exactly rounded 0.6
YEAR = 2025


def test_the_order_matters_to_a_plain_sum_of_these_values() -> None:
    assert sum(PARTS) != sum(reversed(PARTS))
    assert math.fsum(PARTS) == 0.6


def test_members_add_up_exactly_in_any_order() -> None:
    entities = ["E1", "E2", "E3", "E4", "E5"]
    values = [1e16, 1.0, 1.0, -1e16, 0.1]  # a plain sum gives 0.1, 2.0 or 2.1 by order
    scope = Scope("2025-env", dict.fromkeys(entities, 1.0))
    seen = set()
    for order in itertools.permutations(range(len(entities))):
        rows = [row(METRIC.id, values[i], "t", entity_id=entities[i]) for i in order]
        fig = rows_figure({}, METRIC, "", YEAR, rows, ROOT, scope)
        assert fig is not None
        seen.add(fig.value)
    assert seen == {math.fsum(values)} == {2.1}


def test_shares_and_units_apply_per_member_before_the_exact_sum() -> None:
    scope = Scope("2025-env", {"A": 0.5, "B": 1.0, "C": 0.3})
    rows = [
        row(METRIC.id, 100.0, "kg", entity_id="A"),
        row(METRIC.id, 0.2, "t", entity_id="B"),
        row(METRIC.id, 0.7, "t", entity_id="C", decimals=1),
    ]
    fig = rows_figure({}, METRIC, "", YEAR, rows, ROOT, scope)
    assert fig is not None
    assert fig.value == math.fsum([(100.0 * 0.001) * 0.5, 0.2 * 1.0, 0.7 * 0.3])
    halves = [0.5 * 10.0**-METRIC.precision * 0.001 * 0.5, 0.5 * 10.0**-METRIC.precision]
    assert fig.rounding == math.fsum([halves[0], halves[1] * 1.0, 0.05 * 0.3])


def test_ten_tenths_make_one() -> None:
    entities = [f"E{i}" for i in range(10)]
    scope = Scope(None, dict.fromkeys(entities, 1.0))
    rows = [row(METRIC.id, 0.1, "t", entity_id=e) for e in entities]
    fig = rows_figure({}, METRIC, "", YEAR, rows, ROOT, scope)
    assert fig is not None and fig.value == 1.0  # 0.9999999999999999 added one by one


def test_an_activity_figure_is_the_exact_sum_of_its_members() -> None:
    metric = next(m for m in metrics().values() if m.calc_key == "activity:fuel.diesel")
    sums = ActivitySums()
    for entity, quantity in zip(("A", "B", "C"), PARTS, strict=True):
        sums[("fuel.diesel", entity)].append(("t", quantity))
    fig = activity_figure(metric, YEAR, Scope(None, dict.fromkeys("ABC", 1.0)), sums)
    assert fig.value == 0.6


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    ws = Workspace(db, tmp_path)
    ws.kpis(
        *(
            {"entity": e, "metric": METRIC.id, "value": v, "unit": "t", "year": YEAR}
            for e, v in zip(("HQ", "SZ1", "WH1"), PARTS, strict=True)
        )
    )
    ws.activities(
        [(e, YEAR, "fuel.diesel", v, "t") for e, v in zip(("HQ", "SZ1", "WH1"), PARTS, strict=True)]
    )
    return ws


def test_the_kpi_table_rolls_members_up_exactly(ws: Workspace) -> None:
    diesel = next(m.id for m in metrics().values() if m.calc_key == "activity:fuel.diesel")
    with ws.db.read() as session:
        table = kpi_table(session, YEAR)
        series = kpi_series(session, YEAR)
    assert table[(METRIC.id, "")].value == 0.6
    assert table[(diesel, "")].value == 0.6
    row_of = {r["metric"]: r for r in series["kpis"] if not r["dims"]}
    assert row_of[METRIC.id]["values"][str(YEAR)] == 0.6


def test_the_entity_sums_check_adds_members_as_the_kpi_table_does(ws: Workspace) -> None:
    ws.kpis({"metric": METRIC.id, "value": "2", "unit": "t", "year": YEAR})
    (finding,) = [f for f in ws.check(YEAR) if f.rule == "sum.entities"]
    assert (finding.expected, finding.found) == (0.6, 2.0)
