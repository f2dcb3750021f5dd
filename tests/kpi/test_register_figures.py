"""#17 finding 1: register figures in the KPI table — ``source: "register"``, inputs naming
the register and its rows, roll-up over the entity tree, lineage, and the same precedence
against typed values as any recomputed figure. Served for any provider: the figures are
given as a provider would give them, in plain inputs built in the test (#20); the
providers' registry and the read of their figures are tested on a workspace in
tests/kpi/test_plain_inputs_read.py."""

from __future__ import annotations

from typing import Any

from esgledger.kpi.register_source import RegisterFigure
from esgledger.kpi.registered import lineage_of
from tests.kpi.plain import Ledger, figure_of, kpi

CASES = "compliance.whistleblowing.received"


def cases(
    entity: str, value: float | None, rows: tuple[int, ...], note: str = ""
) -> RegisterFigure:
    return RegisterFigure(CASES, 2025, entity, value, "case", "whistleblowing", rows, note=note)


def figure(ledger: Ledger, metric: str = CASES) -> dict[str, Any]:
    return figure_of(ledger.series(2025, years=1), metric, 2025)


def test_a_register_covering_the_boundary_wins_with_the_comparison_shown() -> None:
    ledger = Ledger()
    ledger.registers += [cases("GRP", 7, (1, 2, 3, 4, 5, 6, 7))]  # a group-wide hotline
    ledger.kpis(kpi(CASES, 9, "case"))
    got = figure(ledger)
    assert (got["value"], got["source"], got["partial"]) == (7, "register", False)
    assert got["inputs"] == [{"register": "whistleblowing", "rows": 7, "entities": 1}]
    side = got["comparison"]
    assert (side["reported"], side["calculated"], side["used"]) == (9, 7, "calculated")
    assert side["recomputed_source"] == "register" and side["difference"] == 2


def test_partial_coverage_keeps_the_typed_value_with_the_register_beside() -> None:
    ledger = Ledger()
    ledger.registers += [cases("SZ1", 2, (1, 2)), cases("WH1", 0, ())]  # VN1 has no register
    ledger.kpis(kpi(CASES, 5, "case"))
    got = figure(ledger)
    assert (got["value"], got["source"]) == (5, "reported")
    side = got["comparison"]
    assert (side["calculated"], side["calculated_partial"], side["used"]) == (2, True, "reported")
    assert side["why"] == "reported; the recomputed figure covers only part of the boundary"


def test_without_a_typed_value_a_partial_register_figure_is_shown_marked() -> None:
    ledger = Ledger()
    ledger.registers += [cases("SZ1", 2, (1, 2))]
    got = figure(ledger)
    assert (got["value"], got["source"], got["partial"]) == (2, "register", True)
    assert "partial: the register does not cover 2 member(s) (VN1, WH1)" in got["note"]


def test_rolled_up_over_the_tree_within_the_boundary() -> None:
    ledger = Ledger()
    ledger.boundary("2025-social", 2025, "social", "HQ", "WH1")  # with SZ1 below HQ; VN1 out
    ledger.registers += [
        cases("SZ1", 2, (1, 2)),
        cases("WH1", 1, (3,)),
        cases("VN1", 4, (4, 5, 6, 7)),
    ]
    series = ledger.series(2025, years=1, boundary="2025-social")
    got = figure_of(series, CASES, 2025)
    assert (got["value"], got["entities"], got["partial"]) == (3, 2, False)
    assert "leaves out 1 entity figure(s) outside the boundary" in got["note"]
    assert got["inputs"] == [{"register": "whistleblowing", "rows": 3, "entities": 2}]


def test_the_lineage_names_each_entity_figure_and_the_member_it_counts_at() -> None:
    ledger = Ledger()
    ledger.boundary("2025-social", 2025, "social", "HQ", "WH1")  # with SZ1 below HQ; VN1 out
    ledger.registers += [
        cases("SZ1", 2, (1, 2)),
        cases("WH1", 1, (3,)),
        cases("VN1", 4, (4, 5, 6, 7)),
    ]
    lineage = lineage_of(ledger.registers, ledger.scopes(2025, "2025-social"), CASES)
    assert [(x["entity"], x["member"], x["rows"]) for x in lineage] == [
        ("SZ1", "SZ1", [1, 2]),
        ("VN1", None, [4, 5, 6, 7]),
        ("WH1", "WH1", [3]),
    ]


def test_a_register_without_any_figure_is_not_available_never_zero() -> None:
    ledger = Ledger()
    ledger.registers += [cases("GRP", None, (), note="the hotline export for 2025 is missing")]
    got = figure(ledger)
    assert got["value"] is None and got["status"] == "missing"
    assert got["note"].startswith("not available: the register has no figure for the boundary")
    assert "the hotline export for 2025 is missing" in got["note"]
