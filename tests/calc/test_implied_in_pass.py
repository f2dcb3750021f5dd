"""The factor checks' sums of a run that keeps no result rows, from the engine's own arrays
(#18): at 10⁷ activity rows expanding the three activities' result rows (about 3·10⁷) and
matching them to their records cost about 8 of the run's 31 CPU s. ``compute(…, implied=
True)`` sums the same products (amount × coefficient, the market share applied as the
expansion applies it, × GWP) without making a result row, and must give the very floats
:func:`implied_at_calculation` gives from the expanded rows."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl
import pytest

from esgledger.calc.allocation import covered_share, market_adjustments, to_kwh
from esgledger.calc.choices import chosen_coefficients
from esgledger.calc.coding import code_rows, group_rows, region_chains
from esgledger.calc.coefficients import CoefficientBuilder
from esgledger.calc.engine import compute
from esgledger.calc.implied import IMPLIED_SPECS, implied_at_calculation
from esgledger.calc.implied_pass import implied_in_pass
from esgledger.calc.library import FactorLibrary
from esgledger.calc.links import link
from esgledger.calc.options import RunOptions
from esgledger.calc.resolve import Resolver
from tests.calc.test_kernel import ENTITIES, activities

# units the sums convert or leave out, beside those of the kernel's rows
MORE_KINDS = [
    ("electricity.purchased", "GJ"),
    ("fuel.natural_gas", "t"),
    ("electricity.onsite_solar", "MWh"),
]


@pytest.fixture(scope="module")
def library() -> FactorLibrary:
    return FactorLibrary.load()


def rows(seed: int, n: int = 3000) -> pl.DataFrame:
    base = activities(n)
    rng = np.random.default_rng(seed)
    picked = rng.integers(0, len(MORE_KINDS) + 4, n)
    activity = [
        MORE_KINDS[p][0] if p < len(MORE_KINDS) else a
        for p, a in zip(picked, base["activity"], strict=True)
    ]
    unit = [
        MORE_KINDS[p][1] if p < len(MORE_KINDS) else u
        for p, u in zip(picked, base["unit"], strict=True)
    ]
    return base.with_columns(
        pl.Series("activity", activity),
        pl.Series("unit", unit),
        pl.Series("quantity", rng.uniform(0, 1e5, n) / 7.0),
    ).sample(fraction=1.0, shuffle=True, seed=seed)  # ids in no order


def bits(sums: dict[str, list[float] | None]) -> dict[str, list[str] | None]:
    return {k: None if v is None else [x.hex() for x in v] for k, v in sums.items()}


@pytest.mark.parametrize("profile", ["default", "cn-report"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sums_of_the_pass_are_those_of_the_expanded_rows(
    library: FactorLibrary, profile: str, seed: int
) -> None:
    frame = rows(seed)
    options = RunOptions(year=2024, profile=profile)
    reference = compute(frame, ENTITIES, library, options)
    expected = implied_at_calculation(frame, reference.results)
    assert all(expected[name] is not None for name in IMPLIED_SPECS)
    lean = compute(frame, ENTITIES, library, options, per_row=False, implied=True)
    assert lean.results.height == 0  # no result row made for them
    assert lean.implied is not None and bits(lean.implied) == bits(expected)
    assert repr(lean.totals) == repr(reference.totals)
    assert compute(frame, ENTITIES, library, options, per_row=False).implied is None


def test_no_row_of_a_sum_gives_none(library: FactorLibrary) -> None:
    frame = rows(4).filter(pl.col("activity") != "electricity.purchased")
    options = RunOptions(year=2024)
    lean = compute(frame, ENTITIES, library, options, per_row=False, implied=True)
    expected = implied_at_calculation(frame, compute(frame, ENTITIES, library, options).results)
    assert expected["grid_scope2"] is None and expected["natural_gas_tce"] is not None
    assert lean.implied is not None and bits(lean.implied) == bits(expected)
    diesel = frame.filter(pl.col("activity") == "fuel.diesel")
    none = compute(diesel, ENTITIES, library, options, per_row=False, implied=True)
    assert none.implied == dict.fromkeys(IMPLIED_SPECS)


def pass_sums(
    frame: pl.DataFrame, library: FactorLibrary, options: RunOptions, block: int
) -> dict[str, list[float] | None]:
    """``implied_in_pass`` on the arrays ``compute`` makes of ``frame``, ``block`` rows at a
    time."""
    builder = CoefficientBuilder(
        Resolver(library, pins=dict(options.pins), as_of=options.as_of),
        options.profile_obj,
        gwp_set=options.gwp,
        electricity_basis=options.electricity_basis,
        chosen=chosen_coefficients(library, options.energy_coefficients),
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        coded = code_rows(frame, pl.Enum(ENTITIES["entity_id"].to_list()), pool)
    region_of_entity, chains = region_chains(ENTITIES)
    groups = group_rows(coded, region_of_entity, chains, options.year)
    links = link(groups.keys, builder)
    covered, _ = covered_share(coded, groups, to_kwh(coded.unit_cats), ENTITIES.height)
    adjustments = market_adjustments(groups, links)
    return implied_in_pass(coded, groups, links, adjustments, covered, block=block)


@pytest.mark.parametrize("block", [1, 7, 256, 1 << 20])
def test_the_sums_are_the_same_whatever_the_block_of_rows(
    library: FactorLibrary, block: int
) -> None:
    # mixed units of each activity, NaN quantities, ids in no order
    frame = rows(5).with_columns(
        pl.when(pl.int_range(pl.len()) % 97 == 0)
        .then(float("nan"))
        .otherwise(pl.col("quantity"))
        .alias("quantity")
    )
    options = RunOptions(year=2024)
    expected = implied_at_calculation(frame, compute(frame, ENTITIES, library, options).results)
    assert any(v is not None and np.isnan(v[0]) for v in expected.values())
    assert bits(pass_sums(frame, library, options, block)) == bits(expected)
    clean = frame.filter(pl.col("quantity").is_not_nan())
    clean_expected = implied_at_calculation(
        clean, compute(clean, ENTITIES, library, options).results
    )
    assert all(v is not None and not np.isnan(v[0]) for v in clean_expected.values())
    assert bits(pass_sums(clean, library, options, block)) == bits(clean_expected)


@pytest.mark.parametrize("n", [0, 1])
def test_an_empty_year_and_a_single_row(library: FactorLibrary, n: int) -> None:
    frame = rows(6).filter(pl.col("activity") == "electricity.purchased").head(n)
    options = RunOptions(year=2024)
    expected = implied_at_calculation(frame, compute(frame, ENTITIES, library, options).results)
    assert (expected["grid_scope2"] is None) == (n == 0)
    for block in (1, 1 << 17):
        assert bits(pass_sums(frame, library, options, block)) == bits(expected)
    lean = compute(frame, ENTITIES, library, options, per_row=False, implied=True)
    assert lean.implied is not None and bits(lean.implied) == bits(expected)
