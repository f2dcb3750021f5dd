"""Gas volume bases: metered m³ and normal m³ (Nm³) stay different units on purpose.

The official documents do not harmonise the two (shared spec factors-cn.md §1): GB/T 2589
states its gas coefficients per m³, the NDRC guideline its NCV per 10^4 Nm³. Reading one as
the other is an assumption a calculation profile or the rows must state; this module does
the reading on pint quantities, whatever spelling the unit was printed in (``万m3``,
``10,000 cubic meters``…), never by editing the unit's text.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pint

from esgledger.errors import InvalidInput
from esgledger.units.registry import parse, ureg

METERED = "metered"
NORMAL = "normal"
_UNIT_OF_BASIS = {METERED: "m**3", NORMAL: "Nm3"}


@cache
def volume_basis(unit: str) -> str | None:
    """``metered`` for a volume (m³, L, 万立方米…), ``normal`` for Nm³, else None."""
    try:
        quantity = parse(unit)
    except InvalidInput:
        return None
    for basis, reference in _UNIT_OF_BASIS.items():
        if quantity.dimensionality == parse(reference).dimensionality:
            return basis
    return None


def read_as(unit: str, basis: str) -> pint.Quantity[Any]:
    """The quantity one ``unit`` stands for, its cubic metres read on ``basis``.

    ``read_as("10^4 m3", "normal")`` is 10 000 Nm³. Raises :class:`InvalidInput` if the unit
    is not a gas volume.
    """
    quantity = parse(unit)
    given = volume_basis(unit)
    if given is None:
        raise InvalidInput(f"unit {unit!r} is not a gas volume")
    if given == basis:
        return quantity
    cubic_metres = quantity.to(_UNIT_OF_BASIS[given]).magnitude
    return ureg.Quantity(cubic_metres, _UNIT_OF_BASIS[basis])


@cache
def product_multiplier(
    unit: str, factor_units: tuple[str, ...], target: str, basis: str = ""
) -> float:
    """How many ``target`` one ``unit`` × one of each factor unit is; with ``basis``, the
    unit's volume is read on that basis first (see :func:`read_as`).

    Raises :class:`InvalidInput` if the product does not measure what ``target`` measures.
    """
    quantity = read_as(unit, basis) if basis else parse(unit)
    for factor_unit in factor_units:
        quantity = quantity * parse(factor_unit)
    try:
        ratio = (quantity / parse(target)).to("dimensionless")
    except pint.errors.DimensionalityError as exc:
        raise InvalidInput(
            f"unit {unit!r} × {' × '.join(factor_units)} cannot be converted to {target!r}"
        ) from exc
    return float(ratio.magnitude)
