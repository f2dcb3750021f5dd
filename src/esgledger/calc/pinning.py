"""Pinned editions that would leave figures unresolved are refused, with the reason.

Pinning an edition makes the run take every factor of its series from that edition alone.
An edition that covers less than its series does (GB/T 2589-2008 as shipped has only its two
natural-gas values, per gas origin; the IPCC 2006 chapters complement each other) would
leave rows the series otherwise covers without a factor. Such a pin is refused, nothing is
stored, and the message says what to do instead (issue #11). A partial edition pinned for
rows it does cover (a site's measured gas coefficient) is fine.
"""

from __future__ import annotations

from collections.abc import Iterable

from esgledger.calc.library import FactorLibrary
from esgledger.errors import InvalidInput

GWP_SERIES = "ipcc.gwp"
# the factor kinds that serve a result quantity
_KINDS = {
    "energy_direct": {"energy_coefficient"},
    "energy_indirect": {"energy_coefficient"},
}
_EMISSION_KINDS = {"emission_factor", "fuel_parameter"}


def check_pin_series(series: str, edition: str) -> None:
    """Refuse a pin no run could use, before computing."""
    if series == GWP_SERIES:
        raise InvalidInput(
            f"--pin {series}={edition}: GWP values cannot be pinned; "
            "choose the set with --gwp AR4, AR5 or AR6"
        )


def pin_refusal(
    library: FactorLibrary,
    pins: Iterable[tuple[str, str]],
    unresolved: Iterable[tuple[str, str]],
) -> str | None:
    """Why a pin cannot stand, given the run's unresolved (activity, quantity) pairs: an
    unresolved pair that another edition of the pinned series would serve."""
    unresolved = sorted(set(unresolved))
    for series, edition in pins:
        others = {
            (r.activity, r.kind)
            for r in library.records
            if r.series == series and r.edition != edition
        }
        lost = sorted(
            {
                activity
                for activity, quantity in unresolved
                for kind in _KINDS.get(quantity, _EMISSION_KINDS)
                if (activity, kind) in others
            }
        )
        if lost:
            return f"--pin {series}={edition}: " + _reason(library, series, edition, lost)
    return None


def _reason(library: FactorLibrary, series: str, edition: str, lost: list[str]) -> str:
    shown = ", ".join(lost[:8]) + (f" and {len(lost) - 8} more" if len(lost) > 8 else "")
    own = [r for r in library.records if r.edition == edition]
    if own and all(r.kind == "energy_coefficient" for r in own):
        example = own[0]
        variant = f":{example.variant}" if example.variant else ""
        instead = (
            "choose one of its coefficients for one carrier with --energy-coefficient "
            f"ACTIVITY={edition}[:VARIANT], e.g. {example.activity}={edition}{variant}"
        )
    else:
        instead = f"the editions of {series} complement each other: leave the series unpinned"
    return (
        f"that edition cannot be pinned for these rows: it has no usable factor for {shown}, "
        f"which other editions of {series} cover, so those figures would go unresolved "
        f"(nothing was stored); {instead}"
    )
