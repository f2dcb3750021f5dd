"""Derived figures: catalog formulas over other figures of the same year, never typed twice.

A term that is added (``a + b + c``, ``(a + b) * k``) is left out, and named, when the
boundary has no records of it (groundwater at a group without wells); any other input that
is not available — a subtracted discharge, a divisor — makes the figure not available, never
a made-up number. The result carries the rounding of its
inputs (:mod:`esgledger.kpi.rounding`) and is partial or incomplete when an input is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from graphlib import TopologicalSorter
from typing import Any

from esgledger.catalog import Metric, metrics
from esgledger.catalog.formulas import evaluate, formula_inputs, unit_factor
from esgledger.errors import InvalidInput
from esgledger.kpi import incomplete_why as why_of
from esgledger.kpi.figures import KpiFigure, no_records
from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.rounding import propagated

_ID = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")


def derived_order() -> list[Metric]:
    """Derived metrics, each after the derived metrics its formula reads."""
    catalog = metrics()
    graph = {
        m.id: {i for i in formula_inputs(m.formula) if catalog[i].kind == "derived"}
        for m in catalog.values()
        if m.kind == "derived"
    }
    return [catalog[m] for m in TopologicalSorter(graph).static_order()]


def added_terms(formula: str) -> set[str]:
    """Inputs that only ever appear as added terms of a sum, and so may be left out."""
    text = formula.replace(" ", "")
    seen: dict[str, bool] = {}
    for match in _ID.finditer(text):
        before = text[match.start() - 1] if match.start() else "("
        after = text[match.end()] if match.end() < len(text) else ")"
        added = before in "+(" and after in "+)" and "+" in (before, after)
        seen[match.group()] = seen.get(match.group(), True) and added
    return {name for name, added in seen.items() if added}


def _used_inputs(found: Mapping[str, KpiFigure | None]) -> list[dict[str, object]]:
    catalog = metrics()
    return [
        {
            "metric": i,
            "value": f.value if f else None,
            "unit": catalog[i].unit,
            "source": f.source if f else "missing",
        }
        for i, f in found.items()
    ]


def derived_figure(
    metric: Metric, year: int, figures: dict[tuple[str, str], KpiFigure]
) -> KpiFigure:
    """The formula's value, or not available naming the inputs that are missing."""
    catalog = metrics()
    inputs = formula_inputs(metric.formula)
    found = {i: figures.get((i, "")) for i in inputs}
    base = {"metric": metric.id, "year": year, "unit": metric.unit}
    used = _used_inputs(found)
    added = added_terms(metric.formula)
    left_out = [i for i in inputs if i in added and no_records(found[i])]
    absent = [i for i, f in found.items() if (f is None or f.value is None) and i not in left_out]
    if absent or len(left_out) == len(inputs):
        missing = [coded("missing_input", metrics=absent or left_out)]
        return KpiFigure(
            **base,
            value=None,
            source="missing",
            status="missing",
            inputs=used,
            note=note_of(missing),
            note_why=missing,
        )
    values = {i: (f.value if f and f.value is not None else 0.0) for i, f in found.items()}
    units = {i: catalog[i].unit for i in inputs}
    try:
        scale = unit_factor(metric.formula, units, metric.unit)
        value = evaluate(metric.formula, values) * scale
    except InvalidInput as exc:
        return KpiFigure(
            **base, value=None, source="missing", status="missing", inputs=used, note=str(exc)
        )
    parts = [f for f in found.values() if f is not None and f.value is not None]
    roundings = {i: f.rounding for i, f in found.items() if f is not None}
    restated = [p.metric for p in parts if p.restated]
    why = [coded("formula", formula=metric.formula)]
    if left_out:
        why.append(coded("left_out_no_records", metrics=left_out))
    return KpiFigure(
        **base,
        value=value,
        source="derived",
        qualifier="approximately" if any(p.qualifier != "exact" for p in parts) else "exact",
        preliminary=any(p.preliminary for p in parts),
        boundary=next((p.boundary for p in parts if p.boundary), None),
        restated=bool(restated),
        restatement={"inputs_restated": restated} if restated else None,
        inputs=used,
        note=note_of(why),
        note_why=why,
        rounding=propagated(lambda v: evaluate(metric.formula, v) * scale, values, roundings),
        partial=any(p.partial for p in parts),
        incomplete=any(p.incomplete for p in parts),
        incomplete_why=_inputs_why(found),
    )


def _inputs_why(found: dict[str, KpiFigure | None]) -> dict[str, Any] | None:
    """The formula's inputs that are incomplete (each says its own why), or None."""
    short = [i for i, f in found.items() if f is not None and f.value is not None and f.incomplete]
    return why_of.from_inputs(short) if short else None
