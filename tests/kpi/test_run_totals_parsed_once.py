"""A KPI table reads many figures from one calculation run; the run's stored totals (several MB
with Scope 3 lines) are parsed once per text, not once per figure (a 10 s targets page).

The table is computed from plain inputs (the read layer hands the run's text over as
stored; it parses none), the run the engine's, computed in memory (#20)."""

from __future__ import annotations

from esgledger.ledger.run_totals import stored_totals
from tests.checks.workspace import ACTIVITY_HEADER, activity_cells
from tests.kpi.plain import Ledger


def test_a_kpi_table_parses_each_run_once() -> None:
    ledger = Ledger()
    rows = [
        ("SZ1", 2025, "fuel.diesel", 10, "t"),
        ("WH1", 2025, "fuel.natural_gas", 3, "10000 m3"),
        ("WH1", 2025, "electricity.purchased", 500, "MWh"),
    ]
    ledger.import_activities(ACTIVITY_HEADER, activity_cells(rows))
    ledger.calc(2025)
    stored_totals.cache_clear()
    table = ledger.table(2025)
    calculated = [f for f in table.values() if f.source == "calculated" and f.value is not None]
    assert len(calculated) > 3  # several figures read from the run …
    assert stored_totals.cache_info().misses == 1  # … which was parsed once


def test_the_parsed_totals_are_the_stored_json() -> None:
    text = '{"totals": {"scope1_tco2e": 1.5}, "by_entity": {}}'
    assert stored_totals(text) == {"totals": {"scope1_tco2e": 1.5}, "by_entity": {}}
    assert stored_totals(text) is stored_totals(text)
