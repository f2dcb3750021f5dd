"""How far apart two numbers may be before a check says they disagree.

SYSTEM.md §6: compute from unrounded values and compare within rounding tolerance. Reports
print every figure to its metric's precision, so each printed number may be off by half a
unit of its last decimal:

- a **sum** (whole = Σ parts) may differ by half a unit of the last printed decimal of each
  part, summed: three parts printed to 2 decimals allow 0.015;
- an **identity or ratio** (whole = f(inputs)) propagates those half units through the
  formula: Σ |∂f/∂xᵢ| × ½·10^-precisionᵢ (for a sum that is the rule above);
- a **part ≤ whole** may exceed the whole by half a unit of each of the two.

A difference equal to the tolerance is within it; a tiny relative slack (1e-9) keeps binary
floating point from flagging exact ties.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

SLACK = 1e-9


def half_unit(precision: int) -> float:
    """Half a unit of the last printed decimal: 0.005 for 2 decimals, 0.5 for integers."""
    return 0.5 * 10.0 ** (-precision)


def sum_tolerance(precisions: list[int], scales: list[float] | None = None) -> float:
    """Σ half units of the parts (each times its conversion into the whole's unit)."""
    scales = scales or [1.0] * len(precisions)
    return sum(half_unit(p) * abs(s) for p, s in zip(precisions, scales, strict=True))


def propagated_tolerance(
    function: Callable[[Mapping[str, float]], float],
    values: Mapping[str, float],
    precisions: Mapping[str, int],
) -> float:
    """Σ |∂f/∂xᵢ| × half unit of xᵢ, the partial derivatives taken numerically."""
    total = 0.0
    for name, value in values.items():
        if name not in precisions:
            continue  # a constant such as a standard coefficient has no rounding
        step = max(abs(value) * 1e-6, 1e-6)
        up = function({**values, name: value + step})
        down = function({**values, name: value - step})
        total += abs((up - down) / (2 * step)) * half_unit(precisions[name])
    return total


def beyond(found: float, expected: float, tolerance: float) -> bool:
    """Whether ``found`` and ``expected`` differ by more than ``tolerance``."""
    return abs(found - expected) > tolerance + SLACK * max(1.0, abs(expected), abs(found))


def exceeds(part: float, whole: float, tolerance: float) -> bool:
    """Whether ``part`` is larger than ``whole`` by more than ``tolerance``."""
    return part - whole > tolerance + SLACK * max(1.0, abs(whole), abs(part))
