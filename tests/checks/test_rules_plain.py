"""Rules over the stored rows, tested on rows built in memory (#20): the cases the import
refuses to create (a second writer replacing a value, a unit carried over from an earlier
edition) need no database write around the services here. The read layer and the rules end
to end keep their database tests (``test_kpi_rows_shared``, ``test_status``, the demo's
golden files)."""

from __future__ import annotations

from esgledger.checks.duplicates import history_duplicates
from esgledger.checks.measures import definition_changes, unit_changes
from esgledger.checks.status import missing, restated
from tests.checks.plain import ROOT, context, row


def test_history_rows_from_two_sources_without_a_restatement() -> None:
    wood = row("packaging.wood", 120.0, "t", source="Logistics", batch_id=7, is_current=False)
    metal = row("packaging.metal", 12.0, "t", source="Logistics", batch_id=7, is_current=False)
    # a restatement links the rows and gives a reason: no duplicate
    restatement = row(
        "packaging.metal", 13.0, "t", restates_id=metal.id, restatement_reason="Wrong slip"
    )
    assert history_duplicates(context(2025, wood, metal, restatement)) == []
    # a second writer replaces the value without linking or explaining it
    replaced = row("packaging.wood", 135.0, "t", source="Procurement")
    (f,) = history_duplicates(context(2025, wood, metal, restatement, replaced))
    assert (f.rule, f.severity, f.metrics, f.entity) == (
        "duplicate.values",
        "error",
        ["packaging.wood"],
        ROOT,
    )
    assert (f.expected, f.found) == (120.0, 135.0)
    assert "'Logistics' (batch 7)" in f.explanation and "'Procurement'" in f.explanation
    assert f.dims["rows"] == f"{wood.id},{replaced.id}"
    # within the rounding of the metric's precision the two agree
    close = row("packaging.wood", 120.0 + 1e-9, "t", source="Procurement")
    assert history_duplicates(context(2025, wood, close)) == []
    # only the checked year's rows count
    assert history_duplicates(context(2026, wood, replaced)) == []


def test_a_unit_of_another_dimension_in_one_year() -> None:
    rows = [
        row("distributor.training", 30_000, "person_times", 2024),
        row("distributor.training", 31_000, "person_times", 2025),
    ]
    assert unit_changes(context(2025, *rows)) == []
    carried = row("distributor.training", 1250, "count", 2023, source="2023 report")
    (f,) = unit_changes(context(2025, carried, *rows))
    assert (f.rule, f.severity, f.metrics, f.entity, f.year) == (
        "unit.changed",
        "error",
        ["distributor.training"],
        ROOT,
        2023,
    )
    assert (f.expected, f.found) == ("person_times", "count")
    assert "in person_times in 2024, 2025 and in the catalog" in f.explanation
    assert f.details["rows"] == [carried.id]
    (same,) = unit_changes(context(2024, carried, *rows[:1]))
    assert same.key == f.key
    # a history row (replaced since) and a label without a value are not units in use
    old = carried._replace(is_current=False)
    label = carried._replace(status="not_disclosed", value=None)
    assert unit_changes(context(2025, old, label, *rows)) == []


def test_a_definition_change_noted_on_a_value() -> None:
    before = row("training.trainees", 900, "person", 2024)
    noted = row("training.trainees", 950, "person", note="Definition changed: contractors count")
    (f,) = definition_changes(context(2025, before, noted))
    assert (f.rule, f.severity, f.metrics, f.year, f.dims) == (
        "definition.changed",
        "error",
        ["training.trainees"],
        2025,
        {"row": str(noted.id)},
    )
    plain_note = noted._replace(note="Contractors are counted as in 2024")
    assert definition_changes(context(2025, before, plain_note)) == []


def test_restated_prior_years_and_labels_without_values() -> None:
    first = row("economy.revenue", 1000.0, "RMB million", 2024, is_current=False)
    again = row(
        "economy.revenue",
        1012.5,
        "RMB million",
        2024,
        restates_id=first.id,
        restatement_reason="Business combination under common control",
    )
    label = row("air.vocs", None, "t", status="not_disclosed")
    ctx = context(2025, first, again, label)
    (f,) = restated(ctx)
    assert (f.rule, f.entity, f.year, f.expected, f.found) == (
        "restated.prior_year",
        ROOT,
        2024,
        1000.0,
        1012.5,
    )
    assert "Business combination" in f.explanation
    (m,) = missing(ctx)
    assert (m.rule, m.metrics, m.found, m.entity) == ("missing.value", ["air.vocs"], "/", ROOT)
    # in its own year a restatement is a correction, not a prior-year restatement
    assert restated(context(2024, first, again)) == []
