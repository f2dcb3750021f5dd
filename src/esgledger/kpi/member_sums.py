"""Members' KPI values summed in the database to the bit of ``math.fsum``: one row a group.

Handing every member's value to Python cost more than the 5 s goal of ``esg kpi`` at 10,000
entities by itself (4.6 M values for three years, about 5 CPU s whichever way they came).
A sum in the database is exact when done in integers: each value is split into its integer
part and its fraction times 2⁶², both integers (scaling by a power of two and truncating are
exact in IEEE arithmetic), the fraction cut in two halves of 31 bits so that no ``SUM`` can
overflow, and Python adds the three integer sums and rounds the exact total once (``int /
int`` is correctly rounded, as ``math.fsum`` is). The split is exact for 0 and for every
value of magnitude 2⁻¹⁰ to 2⁴⁰ (its last bit is then at 2⁻⁶² or above); a group holding
another value says how many (``unsplit``) and is read value by value as before.

These sums are of the stored values themselves: they are a member roll-up's figure when each
member counts at share 1 and the value's unit is the metric's (multiplier exactly 1), the
common case; any other group is rolled up value by value (:mod:`.member_groups`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from esgledger.ledger.kpi_split import (
    LARGEST,
    SCALE,
    SMALLEST,
    split_parts,
    split_sums,
    summed,
)

__all__ = [
    "LARGEST",
    "SCALE",
    "SMALLEST",
    "SummedGroup",
    "exact_rounded",
    "rounded",
    "split_parts",
    "split_sums",
    "summed",
]


@dataclass(frozen=True)
class SummedGroup:
    """Counted values of one (year, metric, breakdown) sharing unit, decimals, qualifier,
    preliminary flag and restatement flag: how many, the oldest id, and their exact sum in
    units of 2⁻⁶² (``total``), valid when ``unsplit`` is 0."""

    unit: str
    decimals: int | None
    qualifier: str
    preliminary: bool
    restated: bool
    count: int
    oldest: int
    total: int
    unsplit: int  # values outside the exact split's range: the group is read value by value


def rounded(total: int) -> float:
    """The exact sum ``total`` × 2⁻⁶² rounded once to the nearest float (ties to even), the
    float ``math.fsum`` gives for the same values."""
    return total / (1 << SCALE)


def exact_rounded(parts: list[tuple[float, int]]) -> float:
    """Σ count × x rounded once: ``math.fsum`` of each x repeated count times."""
    return float(sum((Fraction(x) * n for x, n in parts), Fraction(0)))
