"""The columnar kernel: blocks, threads and the hash fallback change no bit of a run."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from esgledger.calc import kernel
from esgledger.calc.engine import EngineOutput, compute
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions

ENTITIES = pl.DataFrame(
    {
        "entity_id": ["SZ", "CD", "VN1", "BJ"],
        "country": ["CN", "CN", "VN", "CN"],
        "subdivision": ["CN-GD", "CN-SC", None, "CN-BJ"],
        "share": [1.0, 0.6, 1.0, 1.0],
    }
)
ACTIVITIES = [
    ("electricity.purchased", "kWh"),
    ("electricity.purchased", "MWh"),
    ("fuel.diesel", "t"),
    ("fuel.natural_gas", "10^4 m3"),
    ("fuel.natural_gas", "m3"),
    ("heat.purchased", "GJ"),
    ("certificate.renewable_electricity", "MWh"),
    ("electricity.onsite_solar", "kWh"),
]
ATTRIBUTES = ["", '{"use": "stationary"}', '{"volume_basis": "normal"}', None]


@pytest.fixture(scope="module")
def library() -> FactorLibrary:
    return FactorLibrary.load()


def activities(n: int = 3000) -> pl.DataFrame:
    """Rows of every kind, some of an entity outside the boundary, mixed attributes."""
    rng = np.random.default_rng(5)
    kinds = rng.integers(0, len(ACTIVITIES), n)
    entity_ids = [*ENTITIES["entity_id"].to_list(), "ELSEWHERE"]
    return pl.DataFrame(
        {
            "id": np.arange(1, n + 1, dtype=np.int64),
            "entity_id": [entity_ids[i] for i in rng.integers(0, len(entity_ids), n)],
            "start": [dt.date(2024, 1, 1)] * n,
            "activity": [ACTIVITIES[i][0] for i in kinds],
            "quantity": rng.uniform(0, 1000, n),
            "unit": [ACTIVITIES[i][1] for i in kinds],
            "attributes": [ATTRIBUTES[i] for i in rng.integers(0, len(ATTRIBUTES), n)],
        }
    )


def same(a: EngineOutput, b: EngineOutput) -> None:
    for frame in ("results", "unresolved", "coefficients"):
        x, y = getattr(a, frame), getattr(b, frame)
        assert x.schema == y.schema
        assert x.equals(y, null_equal=True), frame
        for name, dtype in x.schema.items():
            if dtype == pl.Float64:  # NaN and -0.0 too: compare the bits
                assert np.array_equal(
                    x[name].to_numpy().view(np.int64), y[name].to_numpy().view(np.int64)
                )
    for field in ("totals", "by_entity", "by_gas", "by_activity", "factors_used"):
        assert repr(getattr(a, field)) == repr(getattr(b, field)), field
    assert a.excess_instruments == b.excess_instruments


@pytest.mark.parametrize("profile", ["default", "cn-report"])
def test_blocks_and_hash_fallback_give_the_same_bits(
    library: FactorLibrary, monkeypatch: pytest.MonkeyPatch, profile: str
) -> None:
    rows = activities()
    options = RunOptions(year=2024, profile=profile)
    reference = compute(rows, ENTITIES, library, options)
    assert reference.results.height > rows.height  # several results per row
    assert reference.unresolved.height  # m3 natural gas has no factor per volume
    for block, limit in ((7, kernel.LOOKUP_LIMIT), (1000, 0)):
        monkeypatch.setattr(kernel, "BLOCK_ROWS", block)
        monkeypatch.setattr(kernel, "LOOKUP_LIMIT", limit)
        same(reference, compute(rows, ENTITIES, library, options))


def test_each_result_is_amount_times_its_coefficient(library: FactorLibrary) -> None:
    rows = activities()
    out = compute(rows, ENTITIES, library, RunOptions(year=2024))
    assert "ELSEWHERE" not in out.unresolved["entity_id"].to_list()
    kept = rows.filter(pl.col("entity_id") != "ELSEWHERE")
    checked = (
        out.results.join(
            kept.select("id", pl.col("quantity").alias("amount")),
            left_on="activity_id",
            right_on="id",
        )
        .join(out.coefficients.select(pl.col("coef_id").cast(pl.Int32), "k"), on="coef_id")
        .with_columns(expected=pl.col("amount") * pl.col("k"))
        .with_columns(
            expected=pl.when(pl.col("covered").is_nan())
            .then(pl.col("expected"))
            .otherwise(pl.col("expected") * (1.0 - pl.col("covered")))
        )
    )
    assert checked.height == out.results.height
    assert (checked["expected"] == checked["value"]).all()
    # rows in order, each row's results in coefficient order
    order = out.results.select("activity_id", "coef_id")
    assert order.equals(order.sort("activity_id", "coef_id", maintain_order=True))
    assert out.results["covered"].is_not_nan().sum() > 0  # certificates cover some electricity


@pytest.mark.parametrize("profile", ["default", "cn-report"])
def test_a_run_without_result_rows_has_the_same_figures_to_the_bit(
    library: FactorLibrary, profile: str
) -> None:
    """#18: a run over more rows than ``ESG_CALC_LINEAGE_ROWS`` stores no result row, so the
    engine makes none (``per_row=False``); every figure, issue and coefficient is the same."""
    rows = activities()
    options = RunOptions(year=2024, profile=profile)
    reference = compute(rows, ENTITIES, library, options)
    lean = compute(rows, ENTITIES, library, options, per_row=False)
    assert (reference.per_row, lean.per_row, lean.results.height) == (True, False, 0)
    same(replace(reference, results=lean.results), lean)


@pytest.mark.parametrize("profile", ["default", "cn-report"])
def test_a_run_without_result_rows_gives_those_of_the_activities_asked_for(
    library: FactorLibrary, profile: str
) -> None:
    """#18: a run that stores no result rows still keeps the factor checks' sums, read from
    the result rows of three activities: the one engine pass gives those rows (the rows of
    a pass with every result row, to the bit), and every figure as without them."""
    rows = activities()
    options = RunOptions(year=2024, profile=profile)
    wanted = ("electricity.purchased", "fuel.natural_gas")
    reference = compute(rows, ENTITIES, library, options)
    lean = compute(rows, ENTITIES, library, options, per_row=False)
    partial = compute(rows, ENTITIES, library, options, per_row=False, result_activities=wanted)
    assert partial.per_row is False
    of_wanted = rows.filter(pl.col("activity").is_in(wanted))["id"]
    expected = reference.results.filter(pl.col("activity_id").is_in(of_wanted.implode()))
    assert 0 < expected.height < reference.results.height
    assert partial.results.equals(expected)
    same(replace(lean, results=partial.results), partial)
    # what the checks' sums were computed from before: a pass over those rows alone gives
    # the same unadjusted results (only market-based ones depend on other rows' instruments)
    alone = compute(rows.filter(pl.col("activity").is_in(wanted)), ENTITIES, library, options)
    keyed = ["activity_id", "quantity", "value", "co2e"]
    unadjusted = pl.col("quantity") != "scope2_market"
    assert (
        partial.results.filter(unadjusted)
        .select(keyed)
        .equals(alone.results.filter(unadjusted).select(keyed))
    )


def test_a_run_without_rows_of_the_activities_asked_for_gives_no_result_row(
    library: FactorLibrary,
) -> None:
    rows = activities().filter(pl.col("activity") == "fuel.diesel")
    out = compute(
        rows,
        ENTITIES,
        library,
        RunOptions(year=2024),
        per_row=False,
        result_activities=("fuel.natural_gas",),
    )
    assert out.results.height == 0
    assert {"activity_id", "quantity", "value", "co2e"} <= set(out.results.columns)
