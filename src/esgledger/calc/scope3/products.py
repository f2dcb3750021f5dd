"""Categories 11 and 12 from product models and units sold (``product.sold`` rows).

Use of sold products (11), direct use-phase emissions of electricity-consuming products:
units × Σ(power × hours per year of each mode) × lifetime × the grid factor of the country
of sale for the year of sale. The factor of the year of sale is held constant over the
lifetime (future grids are not known; the GHG Protocol's Scope 3 Technical Guidance allows
current factors for the direct use phase) and the run says so. A sensitivity range comes
from the model's low and high lifetime. A sale in a country the profile's grid chain (or a
user edition) has no factor for stays unresolved, with the reason.

End-of-life (12): units × mass of each material × the waste factor of its treatment
(DESNZ waste disposal, a UK proxy elsewhere, flagged).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import polars as pl

from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.resolve import ANY, Region, Resolution, Resolver
from esgledger.calc.scope3.categories import category_key
from esgledger.calc.scope3.methods import Component
from esgledger.errors import InvalidInput
from esgledger.ingest.products import MATERIAL_WASTE_TYPES
from esgledger.units import multiplier

SOLD = "product.sold"
USE_PHASE = 11
END_OF_LIFE = 12
GRID_ACTIVITY = "electricity.purchased"
GRID_VARIANTS = ("average", "lifecycle_generation", "")
HELD_CONSTANT = (
    "grid factor of the year of sale held constant over the lifetime (GHG Protocol Scope 3 "
    "Technical Guidance, category 11, direct use-phase emissions)"
)
Bad = tuple[list[int], str, str, str, str]  # row ids, entity, activity, category, reason


def product_lines(
    rows: pl.DataFrame,
    place: Mapping[str, tuple[tuple[Region, ...], float]],
    products: Mapping[str, Any],
    resolver: Resolver,
    library: FactorLibrary,
    options: RunOptions,
) -> tuple[list[dict[str, Any]], list[Bad]]:
    """Category 11 and 12 lines of the run's ``product.sold`` rows, and the rows neither can
    compute, per category, with the reason."""
    from esgledger.calc.scope3.engine import _component  # the engine imports this module

    groups = (
        rows.filter(pl.col("activity") == SOLD)
        .sort("id")
        .group_by(["entity_id", "unit", "attributes"], maintain_order=True)
        .agg(pl.col("quantity").sum(), pl.len().alias("rows"), pl.col("id"))
    )
    lines: list[dict[str, Any]] = []
    bad: list[Bad] = []
    for entity, unit, attributes, units, count, ids in groups.iter_rows():
        attrs = {k: str(v) for k, v in json.loads(attributes or "{}").items()}
        code, country = attrs.get("product", ""), attrs.get("country", "").upper()
        regions, share = place[entity]
        base = {
            "entity_id": entity,
            "activity": SOLD,
            "used": True,
            "quantity": units,
            "unit": unit,
            "rows": count,
            "row_ids": ids[:20],
            "share": share,
            "product": code,
            "country": country,
        }
        model = products.get(code)
        if model is None:
            why = (
                f"no product model {code!r}; import it with `esg import products`"
                if code
                else "product.sold rows need a 'product' column"
            )
            bad.extend((ids, entity, SOLD, category_key(c), why) for c in (11, 12))
            continue
        try:
            per_unit = multiplier(unit, "piece")
        except InvalidInput:
            why = f"unit {unit!r} does not count units sold"
            bad.extend((ids, entity, SOLD, category_key(c), why) for c in (11, 12))
            continue
        sold = units * per_unit
        use = _use_phase(model, code, country, sold, resolver, options)
        if isinstance(use, str):
            bad.append((ids, entity, SOLD, category_key(USE_PHASE), use))
        else:
            lines.append(
                {
                    **base,
                    **use,
                    "tco2e": use["tco2e"] * share,
                    "tco2e_low": use["tco2e_low"] * share,
                    "tco2e_high": use["tco2e_high"] * share,
                }
            )
        if not model["materials"]:
            bad.append(
                (
                    ids,
                    entity,
                    SOLD,
                    category_key(END_OF_LIFE),
                    f"product model {code!r} has no materials for end of life",
                )
            )
            continue
        search = (Region("country", country), *regions, Region("any", ANY))
        for (material, treatment), mass in sorted(model["materials"].items()):
            waste = MATERIAL_WASTE_TYPES[material]
            part = _component(
                Component("end of life", waste, (treatment,)),
                "kg",
                search,
                (Region("country", country),),
                resolver,
                library,
                options,
            )
            if isinstance(part, str):
                bad.append(
                    (
                        ids,
                        entity,
                        SOLD,
                        category_key(END_OF_LIFE),
                        f"{code} {material} ({treatment}): {part}",
                    )
                )
                continue
            rule = (
                f"{code} sold in {country}: {sold:g} units × {mass:g} kg {material} → "
                f"{treatment}: {part.rule}"
            )
            lines.append(
                {
                    **base,
                    "category": category_key(END_OF_LIFE),
                    "method": "waste_type",
                    "material": material,
                    "treatment": treatment,
                    "tco2e": sold * mass * part.tco2e_per_unit * share,
                    "factor_ids": list(part.factor_ids),
                    "rule": rule,
                    "flags": list(part.flags),
                }
            )
    return lines, bad


def _use_phase(
    model: Mapping[str, Any],
    code: str,
    country: str,
    sold: float,
    resolver: Resolver,
    options: RunOptions,
) -> dict[str, Any] | str:
    """The category 11 figures of one sale group at 100 % share, or why there are none."""
    if not country:
        return "product.sold rows need a 'country' column (ISO 3166-1 code of the sale)"
    found = _grid_factor(country, resolver, options)
    if found is None:
        return (
            f"no cited grid factor for {country} in {options.year} in the profile's grid chain; "
            "import a cited factor edition for it (`esg factors import`)"
        )
    factor = found.factor
    per_kwh = _t_per_kwh(factor.unit)
    if per_kwh is None:
        return f"grid factor unit {factor.unit!r} is not per kWh"
    modes = model["modes"]
    kwh_year = math.fsum(power * hours for power, hours in modes.values()) / 1000.0
    t_per_year = sold * kwh_year * factor.value * per_kwh
    life, low, high = (
        model["lifetime_years"],
        model["lifetime_low_years"],
        model["lifetime_high_years"],
    )
    parts = ", ".join(f"{m} {p:g} W × {h:g} h" for m, (p, h) in sorted(modes.items()))
    rule = (
        f"{code} sold in {country}: {sold:g} units × {kwh_year:g} kWh/year ({parts}) × "
        f"{life:g} years × {factor.value:g} {factor.unit} {factor.gas} ({factor.factor_id}; "
        f"{found.rule}); {HELD_CONSTANT}; range: lifetime {low:g}–{high:g} years"
    )
    return {
        "category": category_key(USE_PHASE),
        "method": "direct_use_phase",
        "tco2e": t_per_year * life,
        "tco2e_low": t_per_year * low,
        "tco2e_high": t_per_year * high,
        "kwh_per_unit_year": kwh_year,
        "lifetime_years": [low, life, high],
        "factor_ids": [factor.factor_id],
        "rule": rule,
        "flags": list(found.flags),
    }


def _grid_factor(country: str, resolver: Resolver, options: RunOptions) -> Resolution | None:
    """The country's grid factor: series in the profile's grid order (user editions first),
    CO2e before CO2-only (Chinese grid factors are CO2 only)."""
    for series in resolver.chain(options.profile_obj.grid):
        for gas in ("CO2e", "CO2"):
            found = resolver.resolve(
                kind="emission_factor",
                activity=GRID_ACTIVITY,
                parameter="ef",
                gas=gas,
                year=options.year,
                regions=(Region("country", country),),
                series=(series,),
                variants=GRID_VARIANTS,
            )
            if found is not None:
                return found
    return None


def _t_per_kwh(unit: str) -> float | None:
    for target in ("tCO2e", "t"):
        try:
            return multiplier(f"kWh * ({unit})", target)
        except InvalidInput:
            continue
    return None
