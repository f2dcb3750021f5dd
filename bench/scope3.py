"""Benchmark: Scope 3 spend lines computed end to end, against a bare Polars join.

    .venv/bin/python bench/scope3.py [--rows N] [--source store|ledger] [--keep]

Generates N purchase lines (default 1,000,000; the goal is 10,000,000 in under 10 s) of
2022 (the shipped EPA factors' dollar year, so no deflation is needed): 20 Chinese sites,
400 suppliers, each with the NAICS-6 code of what it sells (real codes of the shipped
``epa-scf-v1.3`` edition), amounts in USD, monthly. They are imported (untimed, as Parquet)
into a fresh SQLite workspace: by default into the Parquet activity store (``esg import
activities --store``, one file per month, as a year's purchase ledger would come in), with
``--source ledger`` as ledger rows (10⁶ of those took minutes to import). Then, in a fresh
process, it times ``run_calculation`` for 2022 (what ``esg calc --year 2022`` runs: read the
rows, resolve and compute Scope 1/2 and Scope 3, store the run with its per-category lines;
above ``ESG_CALC_CHUNK_ROWS`` a chunk of entities at a time), with its CPU seconds and peak
RSS, and in the same process the floor: Polars' own read of the same lines (the store's
Parquet files with ``pl.read_parquet``, or the ledger table with ``pl.read_database``) plus a
bare join of the lines with the factor table (one kg CO2e/USD per NAICS code, already
chosen) and a sum per category.

Last line: ``RESULT source=… rows=… seconds=… rows_per_s=… ratio_vs_polars_join=… peak_rss_mb=…
cpu_seconds=… floor_seconds=… floor_cpu_seconds=… cpu_ratio_vs_polars_join=… scope3_tco2e=…
floor_tco2e=…``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

YEAR = 2022
SITES = 20
SUPPLIERS = 400


def naics_codes() -> list[str]:
    """NAICS-6 codes the shipped EPA edition has a SEF+MEF factor for (the plain variant)."""
    from esgledger.catalog.factors import factors

    return sorted(
        {
            f.variant
            for f in factors()
            if f.activity == "spend.purchased_goods" and f.variant and f.variant.isdigit()
        }
    )


def write_inputs(n: int, folder: Path, monthly: bool) -> tuple[Path, list[Path]]:
    """The sites and the purchase lines as the files a user would import (one per month
    with ``monthly``)."""
    entity_file = folder / "entities.csv"
    sites = [f"S{i:02d}" for i in range(SITES)]
    pl.DataFrame(
        [("GRP", "Benchmark group", "", "CN", "CN-GD", "group")]
        + [(s, f"Site {s}", "GRP", "CN", "CN-GD", "site") for s in sites],
        schema=["id", "name", "parent", "country", "subdivision", "kind"],
        orient="row",
    ).write_csv(entity_file)
    rng = np.random.default_rng(42)
    codes = naics_codes()
    supplier_naics = [codes[i] for i in rng.integers(0, len(codes), SUPPLIERS)]
    supplier = rng.integers(0, SUPPLIERS, n)
    month = rng.integers(1, 13, n)
    lines = pl.DataFrame(
        {
            "entity": np.array(sites)[rng.integers(0, SITES, n)],
            "month": month,
            "supplier": supplier,
            "naics": np.array(supplier_naics)[supplier],
            "quantity": np.round(rng.lognormal(7, 1.5, n), 2),
            "line": np.arange(n),
        }
    ).with_columns(
        pl.date(YEAR, pl.col("month"), 1).cast(pl.Utf8).alias("start"),
        pl.date(YEAR, pl.col("month"), 1).dt.month_end().cast(pl.Utf8).alias("end"),
        pl.lit("spend.purchased_goods").alias("activity"),
        pl.col("quantity").cast(pl.Utf8),
        pl.lit("USD").alias("unit"),
        pl.format("Supplier {}", pl.col("supplier")).alias("supplier"),
        # a purchase-order line number: every line is its own row in the ledger
        pl.format("PO-{}", pl.col("line")).alias("po_line"),
    )
    columns = ["entity", "start", "end", "activity", "quantity", "unit"]
    columns += ["naics", "supplier", "po_line"]
    if not monthly:
        lines.select(columns).write_parquet(folder / "purchases.parquet")
        return entity_file, [folder / "purchases.parquet"]
    files = []
    for m in range(1, 13):
        files.append(folder / f"purchases-{m:02d}.parquet")
        lines.filter(pl.col("month") == m).select(columns).write_parquet(files[-1])
    return entity_file, files


def populate(target: str, entity_file: Path, lines_files: list[Path], store: bool) -> None:
    from esgledger.ledger.activities import import_activities
    from esgledger.ledger.entities import import_entities
    from esgledger.ledger.workspace import init_workspace

    db, _ = init_workspace(target, actor="bench")
    try:
        import_entities(db, entity_file, actor="bench")
        for path in lines_files:
            import_activities(db, path, actor="bench", store=store)
    finally:
        db.dispose()


def timed(func):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    value = func()
    return time.perf_counter() - began, value


def floor(raw: object, store: Path | None) -> tuple[float, float, float]:
    """Polars' own read of the stored lines (the store's files, or the ledger table) plus a
    bare join with the factor table."""
    from esgledger.catalog.factors import factors

    table = pl.DataFrame(
        [
            (f.variant, f.value)
            for f in factors()
            if f.activity == "spend.purchased_goods" and f.variant and f.variant.isdigit()
        ],
        schema={"naics": pl.Utf8, "kg_per_usd": pl.Float64},
        orient="row",
    )
    sql = (
        "SELECT entity_id, activity, quantity, unit, attributes FROM activity_records "
        "WHERE voided_at IS NULL"
    )
    began, cpu = time.perf_counter(), time.process_time()
    if store is not None:
        files = sorted(str(p) for p in store.rglob("*.parquet"))
        wanted = ["entity_id", "activity", "quantity", "unit", "attributes"]
        rows = pl.read_parquet(files, columns=wanted, hive_partitioning=False)
    else:
        rows = pl.read_database(sql, raw)
    out = (
        rows.lazy()
        .with_columns(pl.col("attributes").str.json_path_match("$.naics").alias("naics"))
        .join(table.lazy(), on="naics")
        .group_by("activity")
        .agg((pl.col("quantity") * pl.col("kg_per_usd")).sum() / 1000)
        .collect()
    )
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
    return seconds, cpu_seconds, float(out["quantity"].sum())


def measure(target: str, store: Path | None) -> None:
    """In a fresh process: ``run_calculation`` (CPU seconds, peak RSS), then the floor."""
    from esgledger.calc.options import RunOptions
    from esgledger.calc.runs import run_calculation
    from esgledger.ledger.db import Database

    db = Database(target)
    cpu = time.process_time()
    seconds, summary = timed(lambda: run_calculation(db, RunOptions(year=YEAR), actor="bench"))
    cpu_seconds = time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with db.read() as session:
        raw = session.connection().connection.driver_connection
        floor_seconds, floor_cpu, floor_t = floor(raw, store)
    db.dispose()
    print(
        "MEASURED "
        + json.dumps(
            {
                "rows": summary["activity_rows"],
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "peak_rss_mb": rss,
                "floor_seconds": floor_seconds,
                "floor_cpu_seconds": floor_cpu,
                "scope3_tco2e": summary["totals"]["scope3_tco2e"],
                "floor_tco2e": floor_t,
                "unresolved": summary["unresolved_rows"],
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="purchase lines")
    parser.add_argument(
        "--source",
        choices=("store", "ledger"),
        default="store",
        help="where the lines are kept: the Parquet activity store (default) or ledger rows",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--measure", metavar="TARGET", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        store = os.environ.get("ESG_ACTIVITY_STORE")
        measure(args.measure, Path(store) if args.source == "store" and store else None)
        return
    folder = Path(tempfile.mkdtemp(prefix="esg-bench-scope3-"))
    os.environ["ESG_ACTIVITY_STORE"] = str(folder / "store")  # the measuring process's too
    store = args.source == "store"
    entity_file, lines_files = write_inputs(args.rows, folder, monthly=store)
    target = str(folder / "esg.db")
    began, cpu = time.perf_counter(), time.process_time()
    populate(target, entity_file, lines_files, store)
    print(
        f"{args.rows:,} purchase lines imported to the {args.source} in "
        f"{time.perf_counter() - began:.1f} s ({time.process_time() - cpu:.1f} s CPU; untimed)"
    )
    done = subprocess.run(
        [sys.executable, __file__, "--measure", target, "--source", args.source],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"measuring failed (files kept in {folder}):\n{done.stderr}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("MEASURED "))
    m = json.loads(line.removeprefix("MEASURED "))
    if args.keep:
        print(f"kept {folder}")
    else:
        shutil.rmtree(folder)  # 10⁷ lines leave gigabytes behind
    print(
        f"  run_calculation {m['seconds']:.2f} s ({m['cpu_seconds']:.2f} s CPU), floor "
        f"{m['floor_seconds']:.2f} s ({m['floor_cpu_seconds']:.2f} s CPU); "
        f"Scope 3 {m['scope3_tco2e']:.1f} t, bare join "
        f"{m['floor_tco2e']:.1f} t, unresolved rows {m['unresolved']}"
    )
    print(
        f"RESULT source={args.source} rows={m['rows']} seconds={m['seconds']:.3f} "
        f"rows_per_s={m['rows'] / m['seconds']:.0f} "
        f"ratio_vs_polars_join={m['seconds'] / m['floor_seconds']:.2f} "
        f"peak_rss_mb={m['peak_rss_mb']:.0f} cpu_seconds={m['cpu_seconds']:.3f} "
        f"floor_seconds={m['floor_seconds']:.3f} floor_cpu_seconds={m['floor_cpu_seconds']:.3f} "
        f"cpu_ratio_vs_polars_join={m['cpu_seconds'] / m['floor_cpu_seconds']:.2f} "
        f"scope3_tco2e={m['scope3_tco2e']:.3f} "
        f"floor_tco2e={m['floor_tco2e']:.3f}"
    )


if __name__ == "__main__":
    main()
