"""How far a figure may be from its unrounded value because printed figures were rounded.

A printed 12,983.6 may stand for anything within half a unit of its last decimal (±0.05).
A figure computed from printed figures carries their rounding along: through a sum, the
half units add up (each times its unit conversion); through any formula, each input's
rounding counts times the formula's sensitivity to it, Σ |∂f/∂xᵢ| × rᵢ. Figures computed
from activity data are not rounded (0).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


def half_unit(decimals: int) -> float:
    """Half a unit of the last printed decimal: 0.005 for 2 decimals, 0.5 for integers."""
    return 0.5 * 10.0 ** (-decimals)


def propagated(
    function: Callable[[Mapping[str, float]], float],
    values: Mapping[str, float],
    roundings: Mapping[str, float],
) -> float:
    """Σ |∂f/∂xᵢ| × rᵢ, the partial derivatives taken numerically; inputs without a rounding
    (a standard coefficient, an unrounded figure) add nothing."""
    total = 0.0
    for name, value in values.items():
        rounding = roundings.get(name, 0.0)
        if not rounding:
            continue
        step = max(abs(value) * 1e-6, 1e-6)
        up = function({**values, name: value + step})
        down = function({**values, name: value - step})
        total += abs((up - down) / (2 * step)) * rounding
    return total
