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
from typing import Any

from sqlalchemy import (
    BigInteger,
    Float,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
)
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

SCALE = 62  # the fraction part's bits: the sum is in units of 2⁻⁶²
HALF: ColumnElement[int] = literal_column(
    "2147483648"
)  # 2³¹: each half of the fraction part below it
LARGEST = 2.0**40  # |value| below this: its integer part summed in int64 over 2²³ rows
SMALLEST = 2.0**-10  # |value| from this: its last bit at 2⁻⁶² or above


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


def _whole(value: ColumnElement[Any], postgres: bool) -> ColumnElement[Any]:
    """``value`` truncated toward zero as an integer (PostgreSQL's cast rounds: truncate
    first)."""
    if postgres:
        return cast(func.trunc(value), BigInteger)
    return cast(value, Integer)


def split_sums(
    value: ColumnElement[Any] | InstrumentedAttribute[Any], postgres: bool
) -> list[ColumnElement[Any]]:
    """The aggregates of a group's exact sum: integer parts, the fraction's high and low 31
    bits (each times 2⁻⁶²), and how many values the split does not hold exactly."""
    small = func.abs(value) < literal(LARGEST, Float)
    whole = _whole(case((small, value)), postgres)  # NULL (left out of SUM) when too large
    fraction: ColumnElement[Any]
    if postgres:  # its casts fail on infinity and past 2⁶³: such a value is split as 0
        fraction = case((small, value - func.trunc(value)), else_=literal(0.0, Float))
    else:  # SQLite's cast saturates when too large (such a value is counted unsplit)
        fraction = value - cast(value, Integer)
    bits = _whole(fraction * literal(2.0**SCALE, Float), postgres)
    exact = or_(value == 0, and_(func.abs(value) >= literal(SMALLEST, Float), small))
    return [
        func.sum(whole),
        func.sum(bits.op("/", return_type=BigInteger)(HALF)),  # integer division: truncates
        func.sum(bits.op("%", return_type=BigInteger)(HALF)),  # the remainder, same sign
        func.sum(case((exact, 0), else_=1)),
    ]


def summed(whole: Any, high: Any, low: Any) -> int:
    """The exact sum in units of 2⁻⁶² from the three integer sums (NULL sums are 0)."""
    return ((int(whole or 0) << SCALE) + (int(high or 0) << 31)) + int(low or 0)


def rounded(total: int) -> float:
    """The exact sum ``total`` × 2⁻⁶² rounded once to the nearest float (ties to even), the
    float ``math.fsum`` gives for the same values."""
    return total / (1 << SCALE)


def exact_rounded(parts: list[tuple[float, int]]) -> float:
    """Σ count × x rounded once: ``math.fsum`` of each x repeated count times."""
    return float(sum((Fraction(x) * n for x, n in parts), Fraction(0)))
