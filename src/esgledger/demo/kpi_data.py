"""Yearly reported KPI values for every ``reported`` metric of the catalog, consistent with
one another and with the activity data.

Values sit on the group root (and, for the workforce, on each legal entity too, summing to the
root). Breakdowns by gender, age band, position and region sum exactly to the total row;
parts never exceed their whole; percentages stay within 0–100; counts are integers. Derived
and calculated metrics get no rows: the system produces them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from esgledger.catalog import Metric, dimensions, metrics
from esgledger.demo.activity_data import activity_total
from esgledger.demo.defects import apply_kpi_defects
from esgledger.demo.kpi_profiles import (
    BY_KIND,
    DIMENSION_WEIGHTS,
    PER_LEGAL_ENTITY,
    REGISTER_ONLY,
    REVENUE,
    SOURCES,
    TUNED,
    UNKNOWN_WEIGHT,
    Profile,
    keyword_profile,
    qualifier_from_notes,
)
from esgledger.demo.org import (
    ROOT,
    SITES,
    SOLAR_MW,
    STAFF_WEIGHT,
    YEARS,
    boundary_members,
    boundary_spec,
    country_of,
)
from esgledger.demo.seed import rng
from esgledger.demo.supplier_data import suppliers_in_cooperation
from esgledger.errors import InvalidInput
from esgledger.units import dimensionality, multiplier

KPI_HEADER = (
    "entity",
    "year",
    "metric",
    "value",
    "unit",
    "status",
    "qualifier",
    "preliminary",
    "source",
    "note",
    "restatement_reason",
)
_INTEGER_KINDS = ("person", "participation", "occurrence", "item", "count")
_DIMENSION_KINDS = {
    "[person]": "person",
    "[participation]": "participation",
    "[occurrence]": "occurrence",
    "[item]": "item",
    "dimensionless": "count",
    "[currency_cny]": "currency",
    "[mass]": "mass",
    "[time]": "time",
}
RESTATEMENT_REASON = (
    "Restated after the retrospective adjustment for the business combination under common "
    "control completed in 2025 (audited annual report 2025, note 8)"
)


def unit_kind(unit: str) -> str | None:
    """What a unit measures, for choosing a generic profile; None if it does not parse."""
    text = unit.strip().lower()
    if text in ("%", "percent"):
        return "percent"
    if text in ("‰", "permille"):
        return "permille"
    try:
        dim = dimensionality(unit)
    except InvalidInput:
        return None
    return _DIMENSION_KINDS.get(dim, "other")


def additive(unit: str) -> bool:
    """Whether breakdown rows of a metric in ``unit`` add up to its total."""
    return unit_kind(unit) not in (None, "percent", "permille") and "/" not in unit


def _convert(value: float, src: str, dst: str) -> float:
    if src == dst or not src or not dst:
        return value
    try:
        return value * multiplier(src, dst)
    except InvalidInput:
        return value  # a multiple of a different quantity (hours per head, times per head)


def activity_context() -> dict[str, dict[int, float]]:
    """Figures the KPI values must agree with, taken from the generated activity data."""
    discharge = {}
    for year in YEARS:
        members = boundary_members(boundary_spec(year, "environment"))
        discharge[year] = activity_total(year, "water.discharge", members, {"t": 1.0, "m3": 1.0})
    pv = {y: sum(mw[i] for mw in SOLAR_MW.values()) for i, y in enumerate(YEARS)}
    # Sites covered by the GHG verification: every data-bearing member of the GHG boundary.
    sites = {
        y: float(len(boundary_members(boundary_spec(y, "energy_ghg")) & set(SITES))) for y in YEARS
    }
    return {
        "ctx:discharge_t": discharge,
        "ctx:pv_mw": pv,
        "ctx:ghg_sites": sites,
        "ctx:suppliers_active": suppliers_in_cooperation(),
    }


class KpiModel:
    """Resolves profiles against the catalog and computes each (key, year) value once."""

    def __init__(self, catalog: Mapping[str, Metric], context: Mapping[str, Mapping[int, float]]):
        self.catalog = catalog
        self.context = context
        self.reported = [
            m for m in catalog.values() if m.kind == "reported" and m.id not in REGISTER_ONLY
        ]
        self._values: dict[tuple[str, int], float] = {}

    def metric_for(self, key: str) -> Metric | None:
        return self.catalog.get(key)

    def unit(self, key: str) -> str:
        """The catalog unit of ``key``, or its profile's unit when the catalog lacks it."""
        metric = self.metric_for(key)
        if metric is not None:
            return metric.unit
        return (TUNED[key].unit or "") if key in TUNED else ""

    def kind(self, key: str) -> str | None:
        return unit_kind(self.unit(key)) if self.unit(key) else None

    def profile(self, key: str) -> Profile:
        if key in TUNED:
            return TUNED[key]
        metric = self.metric_for(key)
        kind = self.kind(key) or "other"
        text = f"{metric.id} {metric.name}".lower() if metric else key.lower()
        return keyword_profile(text, kind) or BY_KIND.get(kind, BY_KIND["other"])

    def value(self, key: str, year: int) -> float:
        """The unrounded value of ``key`` in ``year``, in :meth:`unit`."""
        if key.startswith("ctx:"):
            return self.context[key][year]
        if (key, year) not in self._values:
            self._values[(key, year)] = self._compute(key, year)
        return self._values[(key, year)]

    def _compute(self, key: str, year: int) -> float:
        p, unit = self.profile(key), self.unit(key)
        if p.of:
            whole_unit = (p.unit or unit) if p.of.startswith("ctx:") else self.unit(p.of)
            whole = _convert(self.value(p.of, year), whole_unit, unit)
            if p.minus:
                return whole - sum(
                    _convert(self.value(k, year), self.unit(k), unit) for k in p.minus
                )
            share = rng("kpi-share", key).uniform(*p.base)
            if p.base[0] != p.base[1] and year != YEARS[0]:  # a share drifts a little
                share *= 1 + rng("kpi-share", key, year).uniform(-0.03, 0.03)
            return whole * (min(share, 1.0) if p.part else share)
        return self._series(key, p, unit, year)

    def _series(self, key: str, p: Profile, unit: str, year: int) -> float:
        value = _convert(rng("kpi-base", key).uniform(*p.base), p.unit or unit, unit)
        percent = self.kind(key) == "percent"
        for y in YEARS[1 : YEARS.index(year) + 1]:
            step = rng("kpi-growth", key, y).uniform(*p.growth)
            value = value + step if percent else value * (1 + step)
        return min(max(value, 0.0), 100.0) if percent else max(value, 0.0)

    def decimals(self, key: str) -> int:
        if self.kind(key) in _INTEGER_KINDS:
            return 0
        metric = self.metric_for(key)
        return min(metric.precision, 4) if metric else 2

    def rounded(self, key: str, year: int) -> float:
        """The value as the file prints it; a part never rounds above its whole."""
        value = round(self.value(key, year), self.decimals(key))
        p = self.profile(key)
        if p.part and p.of and not p.of.startswith("ctx:"):
            whole = _convert(self.rounded(p.of, year), self.unit(p.of), self.unit(key))
            value = min(value, whole)
        return value


def split(total: float, weights: Mapping[str, float], decimals: int) -> dict[str, float]:
    """Split ``total`` by ``weights`` so the parts, at ``decimals``, add up to it exactly."""
    scale = 10**decimals
    units = round(total * scale)
    wsum = sum(weights.values())
    raw = {k: units * w / wsum for k, w in weights.items()}
    parts = {k: int(v) for k, v in raw.items()}
    by_remainder = sorted(raw, key=lambda k: (parts[k] - raw[k], k))
    for k in by_remainder[: units - sum(parts.values())]:
        parts[k] += 1
    return {k: v / scale for k, v in parts.items()}


def _dimension_weights(dim: str, key: str, year: int) -> dict[str, float]:
    members = dimensions()[dim].members
    table = DIMENSION_WEIGHTS.get(dim, {})
    default = {m: (UNKNOWN_WEIGHT if m == "unknown" else 1.0) for m in members}
    r = rng("kpi-dims", key, dim, year)
    return {m: table.get(m, default[m]) * (1 + r.uniform(-0.03, 0.03)) for m in members}


def _legal_entity_split(total: float) -> dict[str, float]:
    return split(total, STAFF_WEIGHT, 0)


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _row(entity: str, year: int, metric: Metric, value: str, **extra: str) -> dict[str, str]:
    row = dict.fromkeys(KPI_HEADER, "")
    row.update(entity=entity, year=str(year), metric=metric.id, value=value, unit=metric.unit)
    row.update(extra)
    return row


class KpiRows:
    """Builds the rows of ``kpis-<year>.csv`` from a :class:`KpiModel`."""

    def __init__(self, model: KpiModel):
        self.model = model
        per_entity = (model.metric_for(k) for k in PER_LEGAL_ENTITY)
        self.per_entity = {m.id for m in per_entity if m is not None}

    def year(self, year: int) -> list[dict[str, str]]:
        rows: list[dict[str, str]] = []
        for metric in self.model.reported:
            if unit_kind(metric.unit) is not None:
                rows.extend(self.metric_rows(metric, year))
        return rows

    def metric_rows(self, metric: Metric, year: int) -> list[dict[str, str]]:
        model, key = self.model, metric.id
        index = YEARS.index(year)
        statuses = model.profile(key).statuses
        if index < len(statuses) and statuses[index]:
            value = {"not_disclosed": "/", "not_applicable": "n.a.", "missing": "-"}[
                statuses[index]
            ]
            return [_row(ROOT, year, metric, value, note="first disclosed in a later year")]
        decimals = model.decimals(key)
        total = model.rounded(key, year)
        extra = {
            "qualifier": qualifier_from_notes(metric.notes),
            "preliminary": "yes"
            if year == YEARS[-1] and "preliminary" in metric.notes.lower()
            else "",
            "source": f"{SOURCES[metric.area]} {year}" if metric.area in SOURCES else "",
        }
        rows = [_row(ROOT, year, metric, _fmt(total, decimals), **extra)]
        by_entity = _legal_entity_split(total) if metric.id in self.per_entity else {}
        rows.extend(_row(e, year, metric, _fmt(v, decimals), **extra) for e, v in by_entity.items())
        for dim in metric.dimensions:
            if dim not in dimensions():
                continue
            for member, value in self._breakdown(metric, key, dim, year, total, by_entity).items():
                row = _row(ROOT, year, metric, _fmt(value, decimals), **extra)
                row[dim] = member
                rows.append(row)
        return rows

    def _breakdown(
        self,
        metric: Metric,
        key: str,
        dim: str,
        year: int,
        total: float,
        by_entity: Mapping[str, float],
    ) -> dict[str, float]:
        decimals = self.model.decimals(key)
        if not additive(metric.unit):
            # A rate by gender is not a share of the total: each member gets its own value.
            r = rng("kpi-dim-rate", key, dim, year)
            return {
                m: round(min(100.0, total * r.uniform(0.96, 1.03)), decimals)
                for m in dimensions()[dim].members
            }
        if dim == "region" and by_entity:
            mainland = sum(v for e, v in by_entity.items() if country_of(e) == "CN")
            return {
                "chinese_mainland": mainland,
                "outside_chinese_mainland": total - mainland,
                "unknown": 0.0,
            }
        return split(total, _dimension_weights(dim, key, year), decimals)


def kpi_model(catalog: Mapping[str, Metric] | None = None) -> KpiModel:
    return KpiModel(metrics() if catalog is None else catalog, _context())


@cache
def _context() -> dict[str, dict[int, float]]:
    return activity_context()


def kpi_rows(year: int, catalog: Mapping[str, Metric] | None = None) -> list[dict[str, str]]:
    """Rows of ``kpis-<year>.csv``: every reported metric of the catalog at the group root,
    with the demo's planted defects applied (:mod:`esgledger.demo.defects`)."""
    return apply_kpi_defects(year, KpiRows(kpi_model(catalog)).year(year))


def restatement_rows(catalog: Mapping[str, Metric] | None = None) -> list[dict[str, str]]:
    """``kpis-restatement.csv``: the prior year's revenue restated, with the reason."""
    model = kpi_model(catalog)
    metric = model.metric_for(REVENUE)
    if metric is None or metric.kind != "reported":
        return []
    year, key = YEARS[-2], REVENUE
    restated = round(model.rounded(key, year) * 1.0125, model.decimals(key))
    return [
        _row(
            ROOT,
            year,
            metric,
            _fmt(restated, model.decimals(key)),
            source=f"Audited annual report {YEARS[-1]}",
            restatement_reason=RESTATEMENT_REASON,
        )
    ]


def dimension_columns(catalog: Mapping[str, Metric] | None = None) -> list[str]:
    """Breakdown columns the KPI files need: catalog dimensions some reported metric uses."""
    used = {
        d
        for m in (metrics() if catalog is None else catalog).values()
        if m.kind == "reported"
        for d in m.dimensions
    }
    return [d for d in dimensions() if d in used]
