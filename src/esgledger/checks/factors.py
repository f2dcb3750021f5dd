"""Factor rules (SYSTEM.md §7 class 5, factors-cn.md §2): back-calculate the factors each
year's figures imply and compare them with the standard and with the year before, and flag
factor editions or method options that changed between the runs of consecutive years.

- ``factor.nonstandard`` — indirect energy ÷ electricity differs from GB/T 2589's 0.1229
  kgce/kWh (equivalent value), or natural-gas energy ÷ gas volume lies outside the
  standard's 1.1000–1.3300 kgce/m³ range.
- ``factor.changed`` — an implied factor (electricity to tce, natural gas to tce, the grid
  factor Scope 2 ÷ electricity) moved between the years without a note.
- ``factor.edition_changed`` / ``factor.method_changed`` — the runs used different editions
  of a factor series, or different method options: a methodology change to disclose.

All are warnings: a change can be right, but the report must say so (acknowledge the finding
with the note that discloses it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from esgledger.catalog.factors import factor_editions, factors
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext, comparable
from esgledger.checks.energy import implied, run_for
from esgledger.checks.explained import said, worded_parts
from esgledger.checks.findings import WARNING, Finding, plain
from esgledger.ledger.models import CalculationRun

ELECTRICITY_COEF = "gbt2589-2020:electricity.purchased:coef:equivalent_value"
GAS_COEF = "gbt2589-2020:fuel.natural_gas:coef"
ELECTRICITY_INPUTS = ("energy.electricity.purchased", "energy.electricity.onsite_pv")
# The only KPI values the implied-factor rules read (without a run); the rest comes from runs.
IMPLIED_READS = frozenset({"energy.indirect", *ELECTRICITY_INPUTS})
COEFFICIENT_TOLERANCE = 0.001  # relative: a coefficient printed to 4 significant digits
GRID_TOLERANCE = 0.05  # relative year-on-year move of the implied grid factor
METHOD_OPTIONS = ("electricity_basis", "gwp", "profile", "as_of", "edition_rule", "cutoff_months")
SERIES_METRICS = {
    "cn.gbt2589": ["energy.direct", "energy.indirect"],
    "cn.mee_grid": ["ghg.scope2_location", "ghg.scope2_market"],
    "owid.ember_grid": ["ghg.scope2_location", "ghg.scope2_market"],
}


@dataclass(frozen=True)
class Implied:
    """One back-calculated factor: what it measures, its metrics and its unit."""

    name: str
    label: str
    metrics: list[str]
    unit: str
    tolerance: float


ELECTRICITY = Implied(
    "electricity_tce",
    N_("electricity-to-tce ratio"),
    ["energy.indirect", "energy.electricity.purchased"],
    "kgce/kWh",
    COEFFICIENT_TOLERANCE,
)
GAS = Implied(
    "natural_gas_tce",
    N_("natural-gas coefficient"),
    ["energy.direct", "energy.fuel.natural_gas"],
    "kgce/m3",
    COEFFICIENT_TOLERANCE,
)
GRID = Implied(
    "grid_scope2",
    N_("implied grid factor (location-based Scope 2 ÷ purchased electricity)"),
    ["ghg.scope2_location", "energy.electricity.purchased"],
    "tCO2/MWh",
    GRID_TOLERANCE,
)


def _coefficient(factor_id: str) -> tuple[float, float | None, float | None]:
    f = next(f for f in factors() if f.factor_id == factor_id)
    return f.value, f.value_min, f.value_max


def implied_factors(ctx: CheckContext, year: int) -> dict[str, float]:
    """The factors a year's figures imply, by :class:`Implied` name (absent if no data)."""
    out: dict[str, float] = {}
    run = run_for(ctx, year)
    if run is not None:
        elec = ("electricity.purchased", "electricity.onsite_solar")
        pairs = {
            ELECTRICITY.name: implied(ctx, run, elec, "energy_indirect", "kWh"),
            GAS.name: implied(ctx, run, ("fuel.natural_gas",), "energy_direct", "m3"),
            GRID.name: implied(
                ctx, run, ("electricity.purchased",), "scope2_location", "MWh", co2e=True
            ),
        }
        scale = {ELECTRICITY.name: 1000.0, GAS.name: 1000.0, GRID.name: 1.0}  # tce → kgce
        for name, pair in pairs.items():
            if pair is not None and pair[1] > 0:
                out[name] = pair[0] * scale[name] / pair[1]
        return out
    # No run: the reported figures (indirect energy entered as a KPI value) imply the ratio,
    # tce per MWh being kgce per kWh.
    indirect = ctx.figure("energy.indirect", "", year)
    electricity = sum(
        f.value
        for m in ELECTRICITY_INPUTS
        if (f := ctx.figure(m, "", year)) is not None and f.value is not None
    )
    if comparable(indirect) and electricity > 0:
        out[ELECTRICITY.name] = indirect.value / electricity  # type: ignore[union-attr, operator]
    return out


def _finding(ctx: CheckContext, rule: str, what: Implied, **fields: object) -> Finding:
    return Finding(
        rule=rule,
        severity=WARNING,
        metrics=what.metrics,
        entity=None,
        year=ctx.year,
        unit=what.unit,
        dims={"factor": what.name},
        **fields,  # type: ignore[arg-type]
    )


def _electricity_nonstandard(ctx: CheckContext, ratio: float) -> list[Finding]:
    value, _, _ = _coefficient(ELECTRICITY_COEF)
    if abs(ratio - value) <= value * COEFFICIENT_TOLERANCE:
        return []
    finding = _finding(
        ctx,
        "factor.nonstandard",
        ELECTRICITY,
        expected=value,
        found=plain(ratio),
        tolerance=value * COEFFICIENT_TOLERANCE,
        **worded_parts(
            said(
                N_(
                    "Indirect energy ÷ electricity implies %(ratio)s kgce/kWh, not the "
                    "%(value)s kgce/kWh of GB/T 2589-2020 (equivalent value)."
                ),
                {"ratio": f"{ratio:.4f}", "value": value},
            ),
            said(
                N_(
                    "Use the equivalent value 0.1229 kgce/kWh for indirect energy, or disclose "
                    "the coefficient (e.g. the equal value) in the methodology note."
                )
            ),
        ),
    )
    return [finding]


def _gas_nonstandard(ctx: CheckContext, gas: float) -> list[Finding]:
    value, low, high = _coefficient(GAS_COEF)
    low, high = low or value, high or value
    if low * (1 - COEFFICIENT_TOLERANCE) <= gas <= high * (1 + COEFFICIENT_TOLERANCE):
        return []
    finding = _finding(
        ctx,
        "factor.nonstandard",
        GAS,
        expected=f"{low:.4f}–{high:.4f}",
        found=plain(gas),
        **worded_parts(
            said(
                N_(
                    "Natural-gas energy ÷ gas volume implies %(gas)s kgce/m³, outside the "
                    "%(low)s–%(high)s kgce/m³ range of GB/T 2589-2020."
                ),
                {"gas": f"{gas:.4f}", "low": f"{low:.4f}", "high": f"{high:.4f}"},
            ),
            said(
                N_(
                    "Use a point value inside the standard's range (recording why), or the "
                    "measured heating value, and state it in the methodology note."
                )
            ),
        ),
    )
    return [finding]


def nonstandard(ctx: CheckContext, found: dict[str, float]) -> list[Finding]:
    """Implied coefficients against the shipped GB/T 2589-2020 values."""
    out = []
    if ELECTRICITY.name in found:
        out += _electricity_nonstandard(ctx, found[ELECTRICITY.name])
    if GAS.name in found:
        out += _gas_nonstandard(ctx, found[GAS.name])
    return out


def changed(ctx: CheckContext, now: dict[str, float], before: dict[str, float]) -> list[Finding]:
    out = []
    for what in (ELECTRICITY, GAS, GRID):
        if what.name not in now or what.name not in before or before[what.name] == 0:
            continue
        move = (now[what.name] - before[what.name]) / before[what.name]
        if abs(move) <= what.tolerance:
            continue
        out.append(
            _finding(
                ctx,
                "factor.changed",
                what,
                expected=plain(before[what.name]),
                found=plain(now[what.name]),
                tolerance=what.tolerance,
                details={"change_pct": plain(move * 100, 3)},
                **worded_parts(
                    said(
                        N_(
                            "The %(factor)s moved from %(before)s %(unit)s in %(last_year)s to "
                            "%(now)s %(unit)s in %(year)s (%(change)s %%)."
                        ),
                        {
                            "before": f"{before[what.name]:.4f}",
                            "now": f"{now[what.name]:.4f}",
                            "unit": what.unit,
                            "last_year": ctx.year - 1,
                            "year": ctx.year,
                            "change": f"{move * 100:+.1f}",
                        },
                        words={"factor": what.label},
                    ),
                    said(
                        N_(
                            "If the factor or its edition changed, disclose it in the "
                            "methodology note (and acknowledge this finding with that note); "
                            "otherwise recalculate the year with the factor the other years "
                            "used."
                        )
                    ),
                ),
            )
        )
    return out


def implied_factor_rules(ctx: CheckContext) -> list[Finding]:
    now = implied_factors(ctx, ctx.year)
    return nonstandard(ctx, now) + changed(ctx, now, implied_factors(ctx, ctx.year - 1))


def _series(ctx: CheckContext, edition: str) -> str:
    shipped = factor_editions().get(edition)
    if shipped is not None:
        return shipped.series
    stored = ctx.reads.edition_series(edition)
    return stored or edition


def _editions(ctx: CheckContext, run: CalculationRun) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for edition in sorted(json.loads(run.editions)):
        out.setdefault(_series(ctx, edition), []).append(edition)
    return out


def method_rules(ctx: CheckContext) -> list[Finding]:
    """Editions and method options of this year's run against last year's."""
    now, before = run_for(ctx, ctx.year), run_for(ctx, ctx.year - 1)
    if now is None or before is None:
        return []
    out = []
    new, old = _editions(ctx, now), _editions(ctx, before)
    for series in sorted(set(new) | set(old)):
        if new.get(series) == old.get(series):
            continue
        now_used, before_used = new.get(series, ["none"]), old.get(series, ["none"])
        out.append(
            Finding(
                rule="factor.edition_changed",
                severity=WARNING,
                metrics=SERIES_METRICS.get(series, ["ghg.scope1"]),
                entity=None,
                year=ctx.year,
                expected=", ".join(before_used),
                found=", ".join(now_used),
                dims={"series": series},
                details={"runs": [before.id, now.id]},
                **worded_parts(
                    said(
                        N_(
                            "The %(year)s calculation (run %(run)s) used %(now_used)s of the "
                            "%(series)s series, the %(last_year)s one (run %(last_run)s) used "
                            "%(before_used)s: a methodology change."
                        ),
                        {
                            "year": ctx.year,
                            "run": now.id,
                            "now_used": ", ".join(now_used),
                            "series": series,
                            "last_year": ctx.year - 1,
                            "last_run": before.id,
                            "before_used": ", ".join(before_used),
                        },
                    ),
                    said(
                        N_(
                            "Name both editions and the selection rule in the methodology note, "
                            "then acknowledge this finding with that note."
                        )
                    ),
                ),
            )
        )
    out.extend(_options(ctx, now, before))
    return out


def _options(ctx: CheckContext, now: CalculationRun, before: CalculationRun) -> list[Finding]:
    new, old = json.loads(now.options), json.loads(before.options)
    out = []
    for option in METHOD_OPTIONS:
        if new.get(option) == old.get(option):
            continue
        out.append(
            Finding(
                rule="factor.method_changed",
                severity=WARNING,
                metrics=["energy.total", "ghg.total"],
                entity=None,
                year=ctx.year,
                expected=str(old.get(option)),
                found=str(new.get(option)),
                dims={"option": option},
                **worded_parts(
                    said(
                        N_(
                            "The calculation option %(option)s was %(old)s in %(last_year)s "
                            "(run %(last_run)s) and is %(new)s in %(year)s (run %(run)s)."
                        ),
                        {
                            "option": option,
                            "old": old.get(option),
                            "last_year": ctx.year - 1,
                            "last_run": before.id,
                            "new": new.get(option),
                            "year": ctx.year,
                            "run": now.id,
                        },
                    ),
                    said(
                        N_(
                            "Recalculate both years with the same option, or disclose the change "
                            "in the methodology note and acknowledge this finding with it."
                        )
                    ),
                ),
            )
        )
    return out
