"""Benchmark: the whole calculation engine against a bare Polars kernel and a naive pint loop.

    .venv/bin/python bench/calc.py [N=10000000]

Generates N activity rows over ~1,000 entities (real ISO 3166-2 subdivisions in several
countries) and a library of ~5,000 factors (the shipped editions plus a synthetic workspace
edition of subdivision grid factors, made here for the benchmark only). Times, in one run:

- engine: ``esgledger.calc.engine.compute`` — resolution, unit conversion, per-gas results,
  Scope 2 market allocation and the deterministic roll-up;
- kernel: a bare Polars join–multiply–group-by of the same rows with factors already chosen;
- naive: a per-row loop with pint quantities, on a sample, scaled to N rows.

Last line: ``RESULT rows=… seconds=… rows_per_s=… ratio_vs_kernel=… ratio_vs_naive=…``.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

import numpy as np
import polars as pl
import pycountry

from esgledger.calc.engine import compute
from esgledger.calc.library import FactorLibrary, FactorRecord
from esgledger.calc.options import RunOptions
from esgledger.units import ureg

ACTIVITIES = [
    ("electricity.purchased", "kWh", 0.45),
    ("electricity.purchased", "MWh", 0.10),
    ("fuel.diesel", "t", 0.12),
    ("fuel.gasoline", "t", 0.08),
    ("fuel.natural_gas", "10^4 m3", 0.10),
    ("heat.purchased", "GJ", 0.05),
    ("certificate.renewable_electricity", "kWh", 0.05),
    ("electricity.onsite_solar", "kWh", 0.05),
]
COUNTRIES = ("CN", "VN", "IN", "BR", "DE", "US", "TR", "ID")


def entities(n: int = 1000) -> pl.DataFrame:
    rng = random.Random(42)
    subs = {
        c: sorted(s.code for s in pycountry.subdivisions.get(country_code=c)) for c in COUNTRIES
    }
    rows = []
    for i in range(n):
        country = "CN" if i < n * 0.6 else COUNTRIES[1 + i % (len(COUNTRIES) - 1)]
        rows.append((f"E{i:04d}", country, rng.choice(subs[country]), 1.0 if i % 10 else 0.6))
    return pl.DataFrame(rows, schema=["entity_id", "country", "subdivision", "share"], orient="row")


def library(ents: pl.DataFrame, target: int = 5000) -> FactorLibrary:
    """Shipped factors plus synthetic subdivision grid factors up to ``target`` factors."""
    base = FactorLibrary.load()
    rng = random.Random(7)
    extra: list[FactorRecord] = []
    subs = sorted({s.code for c in COUNTRIES for s in pycountry.subdivisions.get(country_code=c)})
    for year in (2022, 2023, 2024):
        for code in subs:
            if len(base.records) + len(extra) >= target:
                break
            extra.append(
                FactorRecord(
                    factor_id=f"bench-{year}:{code}",
                    edition=f"bench-grid-{year}",
                    series="user.bench",
                    data_year=year,
                    published=dt.date(year + 1, 6, 1),
                    kind="emission_factor",
                    activity="electricity.purchased",
                    parameter="ef",
                    gas="CO2",
                    region=code,
                    variant="average",
                    value=round(rng.uniform(0.1, 0.9), 4),
                    unit="tCO2/MWh",
                    status="unverified",
                    user=True,
                )
            )
    return FactorLibrary(base.records + extra)


def activities(n: int, ents: pl.DataFrame) -> pl.DataFrame:
    rng = np.random.default_rng(42)
    probs = np.array([a[2] for a in ACTIVITIES])
    kinds = rng.choice(len(ACTIVITIES), size=n, p=probs / probs.sum())
    names = np.array([a[0] for a in ACTIVITIES])[kinds]
    units = np.array([a[1] for a in ACTIVITIES])[kinds]
    ids = ents["entity_id"].to_numpy()[rng.integers(0, ents.height, size=n)]
    months = rng.integers(1, 13, size=n)
    return pl.DataFrame(
        {
            "id": np.arange(1, n + 1, dtype=np.int64),
            "entity_id": ids,
            "month": months,
            "activity": names,
            "quantity": rng.uniform(0, 1000, size=n),
            "unit": units,
            "attributes": pl.repeat("", n, eager=True),
        }
    ).select(
        "id",
        "entity_id",
        pl.date(2024, pl.col("month"), 1).alias("start"),
        pl.exclude("id", "entity_id", "month"),
    )


def kernel(rows: pl.DataFrame, ents: pl.DataFrame) -> tuple[float, float]:
    """Bare join–multiply–group-by: one factor per (activity, unit, country) already chosen."""
    factors = pl.DataFrame(
        [(a, u, c, 0.5) for a, u, _ in ACTIVITIES for c in COUNTRIES],
        schema=["activity", "unit", "country", "k"],
        orient="row",
    )
    t = time.perf_counter()
    out = (
        rows.lazy()
        .join(ents.lazy().select("entity_id", "country", "share"), on="entity_id")
        .join(factors.lazy(), on=["activity", "unit", "country"])  # factors already chosen
        .with_columns((pl.col("quantity") * pl.col("k")).alias("value"))
        .group_by("entity_id", "activity")
        .agg((pl.col("value") * pl.col("share")).sum())
        .collect()
    )
    return time.perf_counter() - t, float(out["value"].sum())


def naive(rows: pl.DataFrame, sample: int = 20_000) -> float:
    """Rows per second of a per-row pint loop."""
    factor = ureg.Quantity(0.5, "kg/kWh")
    part = rows.head(sample)
    t = time.perf_counter()
    total = 0.0
    for quantity, unit in part.select("quantity", "unit").iter_rows():
        q = ureg.Quantity(quantity, "kWh" if "Wh" in unit else "kg")
        if "Wh" in unit:
            total += (q * factor).to("t").magnitude
    return sample / (time.perf_counter() - t)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    ents = entities()
    lib = library(ents)
    rows = activities(n, ents)
    print(f"{n:,} rows, {ents.height} entities, {len(lib.records):,} factors")
    options = RunOptions(year=2024)
    t = time.perf_counter()
    out = compute(rows, ents, lib, options)
    engine_s = time.perf_counter() - t
    print(
        f"engine: {engine_s:.2f} s, {out.results.height:,} result rows, "
        f"Scope 2 location {out.totals['scope2_location_tco2e']:,.0f} tCO2e"
    )
    kernel_s, _ = kernel(rows, ents)
    print(f"kernel: {kernel_s:.2f} s")
    naive_rps = naive(rows)
    print(f"naive pint loop: {naive_rps:,.0f} rows/s on a sample")
    print(
        f"RESULT rows={n} seconds={engine_s:.3f} rows_per_s={n / engine_s:.0f} "
        f"ratio_vs_kernel={engine_s / kernel_s:.2f} ratio_vs_naive={(n / naive_rps) / engine_s:.1f}"
    )


if __name__ == "__main__":
    main()
