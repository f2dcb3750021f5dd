"""Derived figures: catalog formulas over other figures of the same year, never typed twice."""

from __future__ import annotations

from graphlib import TopologicalSorter

from esgledger.catalog import Metric, metrics
from esgledger.catalog.formulas import evaluate, formula_inputs, unit_factor
from esgledger.errors import InvalidInput
from esgledger.kpi.figures import KpiFigure


def derived_order() -> list[Metric]:
    """Derived metrics, each after the derived metrics its formula reads."""
    catalog = metrics()
    graph = {
        m.id: {i for i in formula_inputs(m.formula) if catalog[i].kind == "derived"}
        for m in catalog.values()
        if m.kind == "derived"
    }
    return [catalog[m] for m in TopologicalSorter(graph).static_order()]


def derived_figure(
    metric: Metric, year: int, figures: dict[tuple[str, str], KpiFigure]
) -> KpiFigure:
    """The formula's value, or missing naming the inputs that are missing."""
    catalog = metrics()
    inputs = formula_inputs(metric.formula)
    found = {i: figures.get((i, "")) for i in inputs}
    base = {"metric": metric.id, "year": year, "unit": metric.unit}
    used = [
        {
            "metric": i,
            "value": f.value if f else None,
            "unit": catalog[i].unit,
            "source": f.source if f else "missing",
        }
        for i, f in found.items()
    ]
    absent = [i for i, f in found.items() if f is None or f.value is None]
    if absent:
        return KpiFigure(
            **base,
            value=None,
            source="missing",
            status="missing",
            inputs=used,
            note="missing input: " + ", ".join(absent),
        )
    values = {i: f.value for i, f in found.items() if f and f.value is not None}
    try:
        value = evaluate(metric.formula, values) * unit_factor(
            metric.formula, {i: catalog[i].unit for i in inputs}, metric.unit
        )
    except InvalidInput as exc:
        return KpiFigure(
            **base, value=None, source="missing", status="missing", inputs=used, note=str(exc)
        )
    parts = [f for f in found.values() if f is not None]
    qualifier = "approximately" if any(p.qualifier != "exact" for p in parts) else "exact"
    restated = [p.metric for p in parts if p.restated]
    return KpiFigure(
        **base,
        value=value,
        source="derived",
        qualifier=qualifier,
        preliminary=any(p.preliminary for p in parts),
        boundary=next((p.boundary for p in parts if p.boundary), None),
        restated=bool(restated),
        restatement={"inputs_restated": restated} if restated else None,
        inputs=used,
        note=f"= {metric.formula}",
    )
