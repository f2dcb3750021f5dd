"""How far apart two numbers may be before a check says they disagree.

SYSTEM.md §6: compute from unrounded values and compare within rounding tolerance. Every
printed figure may be off by half a unit of its last printed decimal (a reported value's
own printed decimals, stored at import; the metric's precision when unknown), and figures
computed from printed ones carry that rounding along (:mod:`esgledger.kpi.rounding`). A
comparison of ``found`` against ``expected`` allows the rounding of both sides:

- a **sum** (whole = Σ parts): the whole's half unit plus each part's, times its conversion
  into the whole's unit;
- an **identity or ratio** (whole = f(inputs)): the whole's half unit plus each input's
  rounding times the formula's sensitivity to it, Σ |∂f/∂xᵢ| × rᵢ;
- a **part ≤ whole**: the part may exceed the whole by the rounding of the two.

Figures computed from activity data are unrounded and add nothing. A difference equal to the
tolerance is within it; a tiny relative slack (1e-9) keeps binary floating point from
flagging exact ties. Findings say how large the difference is relative to the tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from esgledger.catalog.messages import N_
from esgledger.checks.explained import Message, english, said, unit_named
from esgledger.kpi.rounding import half_unit, propagated

__all__ = [
    "beyond",
    "exceeds",
    "half_unit",
    "propagated_tolerance",
    "relative_message",
    "relative_text",
    "sum_tolerance",
]

SLACK = 1e-9


def sum_tolerance(precisions: list[int], scales: list[float] | None = None) -> float:
    """Σ half units of the parts (each times its conversion into the whole's unit)."""
    scales = scales or [1.0] * len(precisions)
    return sum(half_unit(p) * abs(s) for p, s in zip(precisions, scales, strict=True))


def propagated_tolerance(
    function: Callable[[Mapping[str, float]], float],
    values: Mapping[str, float],
    precisions: Mapping[str, int],
) -> float:
    """Σ |∂f/∂xᵢ| × half unit of xᵢ (inputs without a precision are exact constants)."""
    return propagated(function, values, {k: half_unit(p) for k, p in precisions.items()})


def beyond(found: float, expected: float, tolerance: float) -> bool:
    """Whether ``found`` and ``expected`` differ by more than ``tolerance``."""
    return abs(found - expected) > tolerance + SLACK * max(1.0, abs(expected), abs(found))


def exceeds(part: float, whole: float, tolerance: float) -> bool:
    """Whether ``part`` is larger than ``whole`` by more than ``tolerance``."""
    return part - whole > tolerance + SLACK * max(1.0, abs(whole), abs(part))


def _short(value: float, tolerance: float) -> str:
    decimals = 2 if tolerance <= 0 else min(9, max(0, 1 - math.floor(math.log10(tolerance))))
    return f"{value:,.{decimals}f}"


def relative_message(
    difference: float, tolerance: float, unit: str | None, metric_id: str | None = None
) -> Message:
    """One sentence: the difference against what rounding of the printed figures allows
    (``metric_id``: whose unit ``unit`` is, so a reader's language words it)."""
    values = {
        "size": _short(abs(difference), tolerance),
        "unit": unit or "",
        "times": f"{abs(difference) / tolerance:,.1f}" if tolerance > 0 else "",
        "allowed": _short(tolerance, tolerance),
    }
    if tolerance <= 0:
        message = _with_unit_or_not(unit, N_(
            "The difference is %(size)s %(unit)s; the figures compared are unrounded, so no "
            "rounding explains it."
        ), N_(
            "The difference is %(size)s; the figures compared are unrounded, so no rounding "
            "explains it."
        ))  # fmt: skip
    else:
        message = _with_unit_or_not(unit, N_(
            "The difference is %(size)s %(unit)s, %(times)s × the ±%(allowed)s %(unit)s that "
            "rounding of the printed figures allows."
        ), N_(
            "The difference is %(size)s, %(times)s × the ±%(allowed)s that rounding of the "
            "printed figures allows."
        ))  # fmt: skip
    return said(message, values, names=unit_named(unit, metric_id))


def _with_unit_or_not(unit: str | None, with_unit: str, without: str) -> str:
    """The wording that names the unit when there is one (the names of a message without a
    unit are empty, so one call of :func:`said` serves both)."""
    return with_unit if unit else without


def relative_text(difference: float, tolerance: float, unit: str | None) -> str:
    """:func:`relative_message` in English."""
    return english(relative_message(difference, tolerance, unit))
