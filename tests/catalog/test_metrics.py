"""The shipped metric catalog: complete against the spec's KPI list, and internally consistent."""

from __future__ import annotations

import ast
import csv
import re
from importlib import resources
from pathlib import Path

import pytest

from esgledger.catalog import Metric, activity_types, dimensions, metric, metrics
from esgledger.catalog.formulas import evaluate, formula_inputs, formula_unit, unit_factor
from esgledger.errors import NotFound
from esgledger.units import compatible, multiplier, parse

SPEC = Path(__file__).parent.parent / "data" / "kpi-catalog.csv"
COLUMNS = [
    "id", "area", "group", "name", "unit", "published_unit", "kind", "formula", "calc_key",
    "dimensions", "precision", "boundary_family", "gri", "szse17", "definition", "spec_kpi",
    "notes",
]  # fmt: skip
ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
GRI_CODE = re.compile(r"^\d{1,3}-\d{1,2}$")
KINDS = {"reported", "calculated", "derived"}
FAMILIES = {"energy_ghg", "environment", "social", "financial", "all"}
ENGINE_KEYS = {
    "energy_direct_tce": "tce",
    "energy_indirect_tce": "tce",
    "scope1_tco2e": "tCO2e",
    "scope2_location_tco2e": "tCO2e",
    "scope2_market_tco2e": "tCO2e",
    "scope3_tco2e": "tCO2e",
    # certificates and PPAs meeting the Scope 2 Quality Criteria (#15)
    "certificates_qualifying_mwh": "MWh",
    "ppas_qualifying_mwh": "MWh",
}
SCOPE3_CATEGORIES = {f"cat{n}" for n in range(1, 16)}  # ``scope3_tco2e@cat11`` (#15)
# The 21 SZSE Guideline No.17 topics as spec/README.md translates them.
SZSE17 = {
    "response to climate change", "pollutant emissions", "waste disposal",
    "ecosystem & biodiversity protection", "environmental compliance management",
    "energy utilization", "water resource utilization", "circular economy",
    "rural revitalization", "social contribution", "innovation-driven",
    "science & technology ethics", "supply chain security", "equal treatment of SMEs",
    "product & service safety and quality", "data security & customer privacy protection",
    "employees", "due diligence", "stakeholder communication",
    "anti-commercial bribery & anti-corruption", "anti-unfair competition",
}  # fmt: skip
SEEDED = [
    "economy.revenue", "energy.fuel.gasoline", "energy.electricity.purchased", "energy.total",
    "energy.direct", "energy.intensity", "workforce.headcount",
]  # fmt: skip
HEADCOUNT_BREAKDOWNS = [
    "Male", "Female", "Unknown gender", "Age 18-30", "Age 31-40", "Age 41-50", "Age above 50",
    "Unknown age", "First-line employees", "Middle management", "Senior management",
    "Unknown position", "Employees by region (e.g. Chinese mainland / outside)",
]  # fmt: skip
# Spec rows that are a total of parts, an intensity or a ratio of catalogued figures.
SPEC_DERIVED = {
    "Dividend payout ratio", "Including: photovoltaic power", "Total energy consumption",
    "Energy use intensity", "Total emissions (Scope 1 + Scope 2)", "GHG emission intensity",
    "Total water withdrawal", "Total water consumption", "Water withdrawal intensity",
    "Total packaging material use", "Packaging material use intensity", "Total recyclable waste",
    "Recyclable waste intensity", "Total non-recyclable waste", "Non-recyclable waste intensity",
    "Hazardous waste intensity", "Training hours per employee", "R&D investment as % of revenue",
    "Proportion of R&D personnel", "New patents", "New IP rights (all types)", "Total IP rights",
}  # fmt: skip
# Published spellings that are words rather than units (esgledger.units reads "units" as micro-nits,
# "count (models)" as count² and "ton of coal equivalent (tce)" as tce²), and rows whose published
# "count" is stored in a more specific dimension (people, items or occurrences).
PUBLISHED_NOT_A_UNIT = {
    "list", "list of sites", "‰ of all employees", "units", "count (models)",
    "ton of coal equivalent (tce)",
}  # fmt: skip
PUBLISHED_COUNT_STORED_AS = {
    "packaging.returnable.pieces": "piece",
    "packaging.returnable.cartons_saved": "piece",
    "supply_chain.hsf_training.trainees": "person",
    "distributor.elearning.users": "person",
    "distributor.livestream.participants": "person_times",
    "customer.complaints.received": "case",
    "customer.complaints.closed": "case",
    "customer.complaints.closed_within_sla": "case",
}
# Rates whose unit carries the scale, as GRI 403-9 prints them (per 200,000 hours worked).
RATE_UNITS = {
    "case / (200000 hour)": 200_000,
    "case / (1000000 hour)": 1_000_000,
    "case / (1000 person)": 1_000,
}
COUNT_UNITS = {"person", "person_times", "case", "piece", "count"}


def _raw_rows() -> list[dict[str, str]]:
    path = resources.files("esgledger.catalog").joinpath("data", "metrics.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def _spec_rows() -> list[dict[str, str]]:
    with SPEC.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _labels(cell: str, known: set[str]) -> list[str]:
    """The spec labels a ``spec_kpi`` cell lists. Labels may themselves contain "; ", so the cell
    is matched against the known labels, longest first, rather than split blindly."""
    found: list[str] = []
    rest = f"; {cell}; "
    for label in sorted(known, key=len, reverse=True):
        if f"; {label}; " in rest:
            found.append(label)
            rest = rest.replace(f"; {label}; ", "; ", 1)
    assert rest.strip("; ") == "", f"not a spec label: {rest.strip('; ')!r}"
    return found


def _unit_map() -> dict[str, str]:
    return {m.id: m.unit for m in metrics().values()}


def _by_kind(kind: str) -> list[Metric]:
    return [m for m in metrics().values() if m.kind == kind]


def test_spec_copy_is_the_full_catalogue() -> None:
    rows = _spec_rows()
    assert len(rows) == 168
    assert list(rows[0]) == ["area", "group", "kpi", "unit", "definition", "gri", "notes"]


def test_every_row_has_every_column_and_ids_are_unique() -> None:
    rows = _raw_rows()
    for row in rows:
        assert None not in row, f"{row.get('id')}: more cells than columns"
        assert all(value is not None for value in row.values()), f"{row['id']}: missing cells"
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert len(metrics()) == len(rows)


@pytest.mark.parametrize("metric_id", SEEDED)
def test_seeded_ids_are_kept(metric_id: str) -> None:
    assert metric(metric_id).id == metric_id


def test_unknown_metric_is_not_found() -> None:
    with pytest.raises(NotFound, match="unknown metric"):
        metric("energy.nope")


def test_ids_are_dotted_lower_snake_and_usable_in_formulas() -> None:
    for m in metrics().values():
        assert ID.match(m.id), m.id
        assert formula_inputs(m.id) == (m.id,), m.id


def test_required_text_columns_are_filled() -> None:
    for m in metrics().values():
        assert m.area and m.group and m.name and m.definition, m.id
        assert m.published_unit, m.id


def test_every_unit_parses_and_published_units_agree() -> None:
    for m in metrics().values():
        parse(m.unit)
        if m.published_unit in PUBLISHED_NOT_A_UNIT:
            continue
        if m.id in PUBLISHED_COUNT_STORED_AS:
            assert m.published_unit == "count" and m.unit == PUBLISHED_COUNT_STORED_AS[m.id]
            continue
        assert compatible(m.published_unit, m.unit), (m.id, m.published_unit, m.unit)


def test_unit_measures_what_the_spec_row_measures() -> None:
    by_id = metrics()
    assert multiplier(by_id["energy.fuel.natural_gas"].published_unit, "m3") == 10_000
    assert multiplier(by_id["training.investment"].published_unit, "RMB") == 1_000
    assert multiplier(by_id["training.investment"].unit, "RMB") == 1_000
    assert compatible(by_id["ohs.minor_injury_rate"].unit, "‰")
    assert compatible(by_id["energy.intensity"].unit, "TCE per million (RMB)")
    for m in by_id.values():
        if m.unit == "%":
            assert m.published_unit == "%", m.id
        if m.area in ("water", "waste", "packaging", "air", "wastewater") and m.unit != "%":
            assert (
                compatible(m.unit, "t")
                or compatible(m.unit, "t/(RMB million)")
                or (m.group == "reuse")
            ), m.id


def test_kind_is_valid_and_only_its_own_column_is_set() -> None:
    for m in metrics().values():
        assert m.kind in KINDS, m.id
        assert bool(m.formula) == (m.kind == "derived"), m.id
        assert bool(m.calc_key) == (m.kind == "calculated"), m.id


def test_derived_inputs_exist() -> None:
    by_id = metrics()
    for m in _by_kind("derived"):
        inputs = formula_inputs(m.formula)
        assert inputs, m.id
        assert m.id not in inputs, m.id
        missing = [i for i in inputs if i not in by_id]
        assert not missing, (m.id, missing)


def test_derived_units_are_consistent() -> None:
    """The formula's unit must be the metric's unit: exactly (factor 1), or a plain ratio shown
    as a percent (the catalog's convention: no ×100 in formulas, units do the scaling)."""
    units = _unit_map()
    for m in _by_kind("derived"):
        result = formula_unit(m.formula, units)
        assert result.dimensionality == parse(m.unit).dimensionality, m.id
        factor = unit_factor(m.formula, units, m.unit)
        constants = [
            n for n in ast.walk(ast.parse(m.formula, mode="eval")) if isinstance(n, ast.Constant)
        ]
        assert not constants, f"{m.id}: scaling belongs in units, not in the formula"
        if m.unit == "%":
            assert factor >= 100, m.id
        elif m.unit in RATE_UNITS:  # injuries per 200,000 hours: the unit carries the scale
            assert factor == pytest.approx(RATE_UNITS[m.unit]), (m.id, factor)
        else:
            assert factor == pytest.approx(1.0), (m.id, factor)


def test_the_percent_convention_is_documented_on_the_first_derived_share() -> None:
    first = next(m for m in _by_kind("derived") if m.unit == "%")
    assert "no ×100" in first.notes and "convert" in first.notes


def test_derived_formulas_have_no_cycle() -> None:
    by_id = metrics()
    graph = {m.id: formula_inputs(m.formula) for m in by_id.values() if m.kind == "derived"}
    state: dict[str, str] = {}

    def visit(node: str, path: tuple[str, ...]) -> None:
        if state.get(node) == "done" or node not in graph:
            return
        assert state.get(node) != "open", f"cycle: {' -> '.join((*path, node))}"
        state[node] = "open"
        for child in graph[node]:
            visit(child, (*path, node))
        state[node] = "done"

    for node in graph:
        visit(node, ())


HAND_COMPUTED = [
    ("water.consumption", {"water.withdrawal.total": 1200, "water.discharge.total": 950}, 250),
    (
        "water.withdrawal.total",
        {
            "water.withdrawal.municipal": 1000,
            "water.withdrawal.groundwater": 150,
            "water.withdrawal.surface": 50,
        },
        1200,
    ),
    ("energy.intensity", {"energy.total": 500, "economy.revenue": 2000}, 0.25),
    ("ghg.total", {"ghg.scope1": 10, "ghg.scope2_market": 32.5}, 42.5),
    (
        "innovation.rd_personnel_share",
        {"innovation.rd_personnel": 150, "workforce.headcount": 1000},
        15,
    ),
    # 1.2 RMB billion of dividend on 4,000 RMB million of profit is 30 %.
    (
        "economy.dividend_payout_ratio",
        {"economy.cash_dividend": 1.2, "economy.net_profit_attributable": 4000},
        30,
    ),
    ("training.hours_per_employee", {"training.hours.total": 9000, "workforce.headcount": 600}, 15),
    (
        "energy.electricity.photovoltaic",
        {"energy.electricity.green_certificates": 800, "energy.electricity.onsite_pv": 200.5},
        1000.5,
    ),
]


@pytest.mark.parametrize(("metric_id", "inputs", "expected"), HAND_COMPUTED)
def test_derived_values_on_hand_computed_cases(
    metric_id: str, inputs: dict[str, float], expected: float
) -> None:
    m = metric(metric_id)
    result = evaluate(m.formula, inputs) * unit_factor(m.formula, _unit_map(), m.unit)
    assert result == pytest.approx(expected)


def test_ghg_total_uses_the_scope2_the_report_prints() -> None:
    total = metric("ghg.total")
    assert formula_inputs(total.formula) == ("ghg.scope1", "ghg.scope2_market")
    assert metric("ghg.scope2_market").spec_kpi == "Scope 2 (energy indirect) emissions"
    assert metric("ghg.scope2_location").kind == "calculated"


def test_calculated_rows_name_an_activity_type_or_an_engine_output() -> None:
    types = activity_types()
    used_engine_keys: list[str] = []
    for m in _by_kind("calculated"):
        source, _, key = m.calc_key.partition(":")
        assert source in ("activity", "calc"), m.id
        if source == "activity":
            assert key in types, (m.id, key)
            assert types[key].accepts_unit(m.unit), (m.id, m.unit, types[key].units)
        else:
            # ``scope1_tco2e@refrigerant``: the line an activity type or category gives a total
            key, _, part = key.partition("@")
            categories = {t.category for t in types.values()}
            lines = categories | (SCOPE3_CATEGORIES if key == "scope3_tco2e" else set())
            assert not part or part in types or part in lines, (m.id, part)
            assert key in ENGINE_KEYS, (m.id, key)
            assert compatible(m.unit, ENGINE_KEYS[key]), m.id
            if not part:
                used_engine_keys.append(key)
    assert sorted(used_engine_keys) == sorted(ENGINE_KEYS)


def test_dimensions_exist_and_derived_breakdowns_come_from_their_inputs() -> None:
    known = dimensions()
    by_id = metrics()
    with_dims = {m.id for m in by_id.values() if m.dimensions}
    assert "workforce.headcount" in with_dims
    assert set(by_id["workforce.headcount"].dimensions) == {
        "gender",
        "age_band",
        "position",
        "region",
    }
    for m in by_id.values():
        for dim in m.dimensions:
            assert dim in known, (m.id, dim)
        # Headcount-like, or an OHS register count broken down by who worked or was hurt.
        by_worker = m.dimensions == ("worker_type",) and m.area == "ohs"
        # Or a complaint, vulnerability or survey register count by severity or segment.
        by_grade = m.dimensions in (("complaint_severity",), ("cvss_severity",),
                                    ("customer_segment",))  # fmt: skip
        assert m.unit in ("person", "%") or not m.dimensions or by_worker or by_grade, (
            f"{m.id}: not headcount-like"
        )
        if m.kind == "derived":
            for input_id in formula_inputs(m.formula):
                assert set(m.dimensions) <= set(by_id[input_id].dimensions), (m.id, input_id)


def test_precision_follows_the_rounding_rules() -> None:
    for m in metrics().values():
        assert 0 <= m.precision <= 3, m.id
        if m.unit in COUNT_UNITS:
            assert m.precision == 0, m.id
        if m.unit == "%":
            assert m.precision in (1, 2), m.id
        if "/(RMB million)" in m.unit:
            assert m.precision == (3 if m.id == "waste.hazardous.intensity" else 2), m.id


def test_boundary_families() -> None:
    expected = {
        "energy": "energy_ghg",
        "ghg": "energy_ghg",
        "water": "environment",
        "waste": "environment",
        "packaging": "environment",
        "air": "environment",
        "wastewater": "environment",
        "economy": "financial",
    }
    for m in metrics().values():
        assert m.boundary_family in FAMILIES, m.id
        if m.area in expected:
            assert m.boundary_family == expected[m.area], m.id


def test_framework_references_are_well_formed() -> None:
    for m in metrics().values():
        for code in m.gri:
            assert GRI_CODE.match(code), (m.id, code)
        for topic in m.szse17:
            assert topic in SZSE17, (m.id, topic)
    assert metric("energy.total").szse17 == ("energy utilization",)
    assert metric("ghg.scope1").szse17 == ("response to climate change",)
    assert metric("water.consumption").szse17 == ("water resource utilization",)
    assert metric("workforce.headcount").szse17 == ("employees",)


def test_every_spec_kpi_has_a_metric() -> None:
    spec = _spec_rows()
    labels_by_area: dict[str, set[str]] = {}
    for row in spec:
        labels_by_area.setdefault(row["area"], set()).add(row["kpi"])
    answered: dict[tuple[str, str], list[Metric]] = {}
    for m in metrics().values():
        if not m.spec_kpi:
            continue
        assert m.area in labels_by_area, f"{m.id}: area {m.area!r} is not a spec area"
        for label in _labels(m.spec_kpi, labels_by_area[m.area]):
            answered.setdefault((m.area, label), []).append(m)
    missing = [(r["area"], r["kpi"]) for r in spec if (r["area"], r["kpi"]) not in answered]
    assert not missing


def test_headcount_breakdowns_are_dimension_values_not_metrics() -> None:
    headcount = metric("workforce.headcount")
    labels = _labels(headcount.spec_kpi, {"Worldwide workforce", *HEADCOUNT_BREAKDOWNS})
    assert sorted(labels) == sorted(["Worldwide workforce", *HEADCOUNT_BREAKDOWNS])
    for m in metrics().values():
        if m.id != "workforce.headcount":
            assert not set(HEADCOUNT_BREAKDOWNS) & set(m.spec_kpi.split("; ")), m.id


def test_bundled_spec_rows_become_one_metric_per_figure() -> None:
    def answering(label: str) -> set[str]:
        return {m.id for m in metrics().values() if label in m.spec_kpi}

    assert answering(
        "Invention patents: granted in year / valid at year end / under application"
    ) == {
        "innovation.patents.invention.granted",
        "innovation.patents.invention.valid",
        "innovation.patents.invention.under_application",
    }
    assert answering("Board size / independent directors / women on board") == {
        "governance.board.size",
        "governance.board.independent_directors",
        "governance.board.women",
    }
    assert len(answering("Security training sessions; new cybersecurity courses")) == 2


def test_spec_rows_that_are_computable_are_derived() -> None:
    by_label: dict[str, list[Metric]] = {}
    for m in metrics().values():
        for label in SPEC_DERIVED | {r["kpi"] for r in _spec_rows()}:
            if f"; {label}; " in f"; {m.spec_kpi}; ":
                by_label.setdefault(label, []).append(m)
    for label in SPEC_DERIVED:
        assert any(m.kind == "derived" for m in by_label[label]), label
    for row in _spec_rows():
        if "per RMB million" in row["unit"]:
            assert all(m.kind == "derived" for m in by_label[row["kpi"]]), row["kpi"]
    assert metric("water.consumption").formula == "water.withdrawal.total - water.discharge.total"
