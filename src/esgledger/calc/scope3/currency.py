"""Spend to the factor's currency and price year, with cited rates only.

EEIO factors are per US dollar of one price year (EPA v1.3: 2022 USD). A line in another
currency needs the year's exchange rate, and a line of another year needs a price index for
both years; each must be a factor record with its edition (so its citation), never a guess:
``kind=exchange_rate, activity=currency.<ISO>, parameter=usd_per_unit, variant=<year>`` and
``kind=price_index, activity=USD, parameter=index, variant=<year>``. Without one, the line
is unresolved and the reason names the missing rate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from esgledger.calc.library import FactorLibrary, FactorRecord
from esgledger.units import dimensionality

FACTOR_CURRENCY = "USD"


@dataclass(frozen=True, slots=True)
class Conversion:
    """``amount × multiplier`` = dollars of the factor's price year; ``factor_ids`` cite why."""

    multiplier: float
    factor_ids: tuple[str, ...]
    note: str


def currency_of(unit: str) -> str | None:
    """ISO code of a currency unit (``RMB`` → ``CNY``), or None for a non-currency unit."""
    match = re.fullmatch(r"\[currency_([a-z]{3})\]", dimensionality(unit).strip())
    return match[1].upper() if match else None


def _record(
    library: FactorLibrary, kind: str, activity: str, parameter: str, year: int
) -> FactorRecord | None:
    found = library.candidates(kind, activity, parameter, "")
    for (_series, variant, _region), records in sorted(found.items()):
        if variant == str(year) and records:
            return records[0]
    return None


def to_factor_dollars(
    library: FactorLibrary, unit: str, year: int, price_year: int
) -> Conversion | str:
    """How a spend amount in ``unit`` of ``year`` becomes ``price_year`` US dollars, or why
    it cannot."""
    code = currency_of(unit)
    if code is None:
        return f"unit {unit!r} is not a currency"
    cited: list[FactorRecord] = []
    multiplier = 1.0
    if code != FACTOR_CURRENCY:
        rate = _record(library, "exchange_rate", f"currency.{code}", "usd_per_unit", year)
        if rate is None:
            return (
                f"no cited {code}→USD exchange rate for {year} in the factor library; "
                "spend-based factors are per US dollar"
            )
        cited.append(rate)
        multiplier *= rate.value
    if year != price_year:
        now = _record(library, "price_index", FACTOR_CURRENCY, "index", year)
        base = _record(library, "price_index", FACTOR_CURRENCY, "index", price_year)
        if now is None or base is None:
            return (
                f"no cited US price index for {year} and {price_year} in the factor library; "
                f"spend of {year} cannot be deflated to the factor's {price_year} dollars"
            )
        cited.extend([now, base])
        multiplier *= base.value / now.value
    note = "; ".join(f"{r.kind} {r.activity} {r.variant} = {r.value} ({r.edition})" for r in cited)
    return Conversion(multiplier, tuple(r.factor_id for r in cited), note)
