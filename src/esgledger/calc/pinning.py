"""Which editions a run may pin: one that leaves needs of its series uncovered may not.

Pinning an edition makes the run take every factor of its series from that edition alone.
An edition that covers less than its series does (GB/T 2589-2008 as shipped has only its two
natural-gas values; the IPCC 2006 chapters complement each other) would leave those figures
unresolved, so the pin is refused with the reason and what to do instead (issue #11).
"""

from __future__ import annotations

from collections import defaultdict

from esgledger.calc.library import FactorLibrary

GWP_SERIES = "ipcc.gwp"
Need = tuple[str, str, str, str]  # kind, activity, parameter, gas


def _needs_by_edition(library: FactorLibrary, series: str) -> dict[str, set[Need]]:
    out: dict[str, set[Need]] = defaultdict(set)
    for r in library.records:
        if r.series == series:
            out[r.edition].add((r.kind, r.activity, r.parameter, r.gas))
    return out


def pin_refusal(library: FactorLibrary, series: str, edition: str) -> str | None:
    """Why ``edition`` cannot be pinned for ``series``, or None if it can."""
    if series == GWP_SERIES:
        return "GWP values cannot be pinned: choose the set with --gwp AR4, AR5 or AR6"
    needs = _needs_by_edition(library, series)
    missing = set().union(*needs.values()) - needs[edition]
    if not missing:
        return None
    activities = sorted({activity for _, activity, _, _ in missing})
    shown = ", ".join(activities[:8]) + (
        f" and {len(activities) - 8} more" if len(activities) > 8 else ""
    )
    if all(kind == "energy_coefficient" for kind, _, _, _ in needs[edition]):
        example = next(r for r in library.records if r.edition == edition)
        variant = f":{example.variant}" if example.variant else ""
        instead = (
            f"choose one of its coefficients for one carrier with --energy-coefficient "
            f"ACTIVITY={edition}[:VARIANT], e.g. {example.activity}={edition}{variant}"
        )
    else:
        instead = f"the editions of {series} complement each other: leave the series unpinned"
    return (
        f"that edition cannot be pinned: it has no factors for {shown}, which other editions "
        f"of {series} cover, so those figures would go unresolved; {instead}"
    )
