"""A unit or definition that changed within a row of the three-year table (SYSTEM.md §7 class 6).

``unit.changed``: stored values of a metric whose unit measures something else than the
catalog unit — distributor training counted in distributors one year and in person-times the
others. Such values cannot be converted, so the years are not comparable. (The KPI import
refuses them; they arrive with data carried over from an earlier edition or catalog.)

``definition.changed``: a stored value whose note says the metric's definition changed.
"""

from __future__ import annotations

import re
from collections import defaultdict

from esgledger.catalog import metrics
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext
from esgledger.checks.explained import said, unit_named, worded_parts
from esgledger.checks.findings import ERROR, Finding
from esgledger.checks.rule_rows import odd_units
from esgledger.errors import InvalidInput
from esgledger.ledger.kpi_rows import KpiRow
from esgledger.units import dimensionality

DEFINITION_NOTE = re.compile(
    r"\b(re-?defined|new definition|definition (changed|was changed|differs)|"
    r"changed (the )?definition|different definition)\b",
    re.I,
)


def _dimension(unit: str) -> str | None:
    try:
        return dimensionality(unit)
    except InvalidInput:
        return None


def unit_changes(ctx: CheckContext) -> list[Finding]:
    """Per metric and year of the span, stored units of another dimension than the catalog's."""
    odd: dict[tuple[str, int], list[KpiRow]] = defaultdict(list)
    fitting: dict[str, set[int]] = defaultdict(set)
    catalog = metrics()
    other = odd_units({(m, u) for m, _, u in ctx.unit_years})
    for metric_id, year, unit in ctx.unit_years:
        if metric_id in catalog and (metric_id, unit) not in other:
            fitting[metric_id].add(year)
    for v in ctx.stored:  # every value in another measure is among them
        if v.is_current and v.status == "reported" and (v.metric_id, v.unit) in other:
            odd[(v.metric_id, v.year)].append(v)
    out = []
    for (metric_id, year), rows in sorted(odd.items()):
        metric = metrics()[metric_id]
        units = sorted({r.unit for r in rows})
        entities = sorted({r.entity_id for r in rows})
        others = sorted(fitting[metric_id])
        in_unit, named = {"unit": metric.unit}, unit_named(metric.unit, metric_id)
        elsewhere = (
            said(
                N_("in %(unit)s in %(years)s and in the catalog"),
                {**in_unit, "years": ", ".join(map(str, others))},
                names=named,
            )
            if others
            else said(N_("in %(unit)s in the catalog"), in_unit, names=named)
        )
        out.append(
            Finding(
                rule="unit.changed",
                severity=ERROR,
                metrics=[metric_id],
                entity=entities[0] if len(entities) == 1 else None,
                year=year,
                expected=metric.unit,
                found=", ".join(units),
                **worded_parts(
                    said(
                        N_(
                            "%(metric)s is stored in %(units)s for %(year)s but %(elsewhere)s: "
                            "the years measure different things and cannot be compared or "
                            "converted."
                        ),
                        {"units": ", ".join(units), "year": year, "elsewhere": elsewhere},
                        names={"metric": ("metric", metric_id)},
                    ),
                    said(
                        N_(
                            "Re-enter %(year)s in %(unit)s from the source data, or show the "
                            "%(year)s value in its own row with a footnote on the change of "
                            "measure."
                        ),
                        {**in_unit, "year": year},
                        names=named,
                    ),
                ),
                details={"rows": [r.id for r in rows], "entities": entities},
            )
        )
    return out


def definition_changes(ctx: CheckContext) -> list[Finding]:
    out = []
    catalog = metrics()
    for v in ctx.stored:
        if not v.is_current or not v.note or not DEFINITION_NOTE.search(v.note):
            continue
        metric = catalog.get(v.metric_id)
        if metric is None:
            continue
        out.append(
            Finding(
                rule="definition.changed",
                severity=ERROR,
                metrics=[metric.id],
                entity=v.entity_id,
                year=v.year,
                expected=metric.definition or metric.name,
                found=v.note,
                dims={"row": str(v.id)},
                **worded_parts(
                    said(
                        N_(
                            "The %(year)s value of %(metric)s says its definition changed "
                            "(“%(note)s”), so it is not comparable with the other years."
                        ),
                        {"year": v.year, "note": v.note},
                        names={"metric": ("metric", metric.id)},
                    ),
                    said(
                        N_(
                            "Restate the other years on the new definition, or show the years in "
                            "separate rows with a footnote on the change."
                        )
                    ),
                ),
            )
        )
    return out


def measures(ctx: CheckContext) -> list[Finding]:
    return unit_changes(ctx) + definition_changes(ctx)
