"""The exact split of a KPI value into integers, so a database sums values to the bit.

Each value is split into its integer part and its fraction times 2⁶², both integers
(scaling by a power of two and truncating are exact in IEEE arithmetic), the fraction cut in
two halves of 31 bits so that no ``SUM`` can overflow; Python adds the three integer sums and
rounds the exact total once (:mod:`esgledger.kpi.member_sums`). The split is exact for 0 and
for every value of magnitude 2⁻¹⁰ to 2⁴⁰; another value is counted (``unsplit``). Here in the
ledger because the grouped sums it kept (``kpi_groups``) are checked by the deep verify.
"""

from __future__ import annotations

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


def _whole(value: ColumnElement[Any], postgres: bool) -> ColumnElement[Any]:
    """``value`` truncated toward zero as an integer (PostgreSQL's cast rounds: truncate
    first)."""
    if postgres:
        return cast(func.trunc(value), BigInteger)
    return cast(value, Integer)


def split_parts(
    value: ColumnElement[Any] | InstrumentedAttribute[Any], postgres: bool
) -> list[ColumnElement[Any]]:
    """One value's exact split: its integer part (NULL when too large), the fraction's high
    and low 31 bits (each times 2⁻⁶²), and 1 when the split does not hold it exactly."""
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
        whole,
        bits.op("/", return_type=BigInteger)(HALF),  # integer division: truncates
        bits.op("%", return_type=BigInteger)(HALF),  # the remainder, same sign
        case((exact, 0), else_=1),
    ]


def split_sums(
    value: ColumnElement[Any] | InstrumentedAttribute[Any], postgres: bool
) -> list[ColumnElement[Any]]:
    """The aggregates of a group's exact sum: integer parts, the fraction's high and low 31
    bits (each times 2⁻⁶²), and how many values the split does not hold exactly."""
    return [func.sum(part) for part in split_parts(value, postgres)]


def summed(whole: Any, high: Any, low: Any) -> int:
    """The exact sum in units of 2⁻⁶² from the three integer sums (NULL sums are 0)."""
    return ((int(whole or 0) << SCALE) + (int(high or 0) << 31)) + int(low or 0)
