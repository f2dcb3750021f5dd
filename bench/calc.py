"""Benchmark: ``esg calc`` end to end, the engine alone, and a bare Polars join as the floor.

    .venv/bin/python bench/calc.py [--rows N] [--end-to-end] [--postgres URL] [--keep]
                                   [--engine local|spark] [--chunk-rows ROWS]
                                   [--store] [--workspace DIR]
    .venv/bin/python bench/calc.py --rows N --chunked ROWS [--verify]
    .venv/bin/python bench/calc.py --rows N --end-to-end --files K --workspace DIR
                                   [--chunk-rows ROWS] [--verify-chunks] [--in-memory-too]

Generates N activity rows (default 10,000,000) over ~1,000 entities (real ISO 3166-2
subdivisions in several countries), every row in 2024. Without ``--end-to-end`` it times, on
the rows in memory:

- engine: ``esgledger.calc.engine.compute`` with the shipped factor editions — resolution,
  unit conversion, per-gas results, Scope 2 market allocation, the deterministic roll-up;
- floor: a bare Polars join–multiply–group-by of the same rows with a factor table (one
  factor per activity, unit and country, already chosen): no resolution, no per-gas rows.

With ``--end-to-end`` it imports the rows into a fresh SQLite workspace (and, with
``--postgres URL``, an empty PostgreSQL database), then, in a fresh process per database,
times what ``esg calc --year 2024`` runs (``run_calculation``: read, compute, store), then
its parts on the same workspace (the read, the engine) and the floor: Polars' own read of the
same stored rows (``pl.read_database``) plus the bare join. Peak memory is that process's
(with ``--engine spark`` the Spark JVM and its Python workers are not counted in it).

With ``--chunk-rows ROWS`` each database is also timed (in a fresh process) on the path
``esg calc`` takes with ``ESG_CALC_CHUNK_ROWS=ROWS``: chunks of whole entities read from the
ledger, the input digest over a streamed pass; the two stored runs are compared (figures
and input digest) and the chunked run's peak memory is printed. Without it ``esg calc`` is
timed in memory (``ESG_CALC_CHUNK_ROWS=0``).

With ``--store`` the rows are imported with ``esg import activities --store`` (the Parquet
activity store beside the SQLite file; for PostgreSQL in ``DIR/pg.store``) and the floor's
read is Polars reading the same Parquet files. ``--workspace DIR`` keeps the generated files
and workspaces in DIR and reuses them when they are there (generating 10⁷ rows and importing
them takes longer than the run).

With ``--files K`` (out of core end to end, for a year no run may hold in memory) the year
is made and imported to the store as K files of N / K rows, each file made alone, imported
in a fresh process (its CPU and peak printed) and deleted; a build stopped between files
resumes in the same DIR. Then ``esg calc`` runs in chunks only (``--chunk-rows``, default
10⁶), in a fresh process; ``--verify-chunks`` checks the stored run, in another, against
in-memory runs over its chunks added up (``calc.chunk_sums``: entity, per-gas and total
figures to the bit, unresolved rows, editions) and its input digest taken again over the
store's rows in id order; ``--in-memory-too`` also runs ``esg calc`` in memory and compares.

Last line: ``RESULT rows=… seconds=… rows_per_s=… ratio_vs_polars_floor=…
cpu_ratio_vs_polars_floor=… peak_rss_mb=…`` (the CPU ratio: this process's CPU seconds, the
measure that holds on a loaded machine)
(``seconds``: the end-to-end run with ``--end-to-end``, else the engine).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
import pycountry

from esgledger.calc.engine import compute
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions

ACTIVITIES = [
    ("electricity.purchased", "kWh", 0.50),
    ("electricity.purchased", "MWh", 0.10),
    ("fuel.diesel", "t", 0.12),
    ("fuel.gasoline", "t", 0.08),
    ("fuel.natural_gas", "10^4 m3", 0.10),
    ("certificate.renewable_electricity", "kWh", 0.05),
    ("electricity.onsite_solar", "kWh", 0.05),
]
# the technology a fuel's CH4 and N2O factors depend on (the `use` column of an import)
USE = {"fuel.gasoline": "mobile_ldv_1995_or_later", "fuel.natural_gas": "stationary_commercial"}
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


def activities(n: int, ents: pl.DataFrame, first: int = 0, part: int = 0) -> pl.DataFrame:
    """Meter readings in 2024: row i is entity i mod E, starts on day (i div E) mod 366 and
    lasts 1 + i div 366E days, so every row has its own natural key however large N is.
    ``first``, ``part``: the n rows from index ``first`` on, drawn with the part's own seed
    (a file of a year imported in several, made without the others)."""
    rng = np.random.default_rng(42 if part == 0 else [42, part])
    probs = np.array([a[2] for a in ACTIVITIES])
    kinds = rng.choice(len(ACTIVITIES), size=n, p=probs / probs.sum())
    index = np.arange(first, first + n, dtype=np.int64)
    days = 366  # 2024 is a leap year
    uses = np.array([USE.get(a[0], "") for a in ACTIVITIES])[kinds]
    return pl.DataFrame(
        {
            "id": index + 1,
            "entity_id": ents["entity_id"].to_numpy()[index % ents.height],
            "day": (index // ents.height) % days,
            "span": index // (ents.height * days),
            "activity": np.array([a[0] for a in ACTIVITIES])[kinds],
            "quantity": rng.uniform(0, 1000, size=n),
            "unit": np.array([a[1] for a in ACTIVITIES])[kinds],
            "use": uses,
        }
    ).select(
        "id",
        "entity_id",
        (pl.date(2024, 1, 1) + pl.duration(days=pl.col("day"))).alias("start"),
        (pl.date(2024, 1, 1) + pl.duration(days=pl.col("day") + pl.col("span"))).alias("end"),
        "activity",
        "quantity",
        "unit",
        # the canonical JSON an import stores for a `use` column
        pl.when(pl.col("use") == "")
        .then(pl.lit(""))
        .otherwise(pl.format('{{"use":"{}"}}', pl.col("use")))
        .alias("attributes"),
    )


FLOOR_FACTORS = pl.DataFrame(
    [(a, u, c, 0.5) for a, u, _ in ACTIVITIES for c in COUNTRIES],
    schema=["activity", "unit", "country", "k"],
    orient="row",
)


def floor_join(rows: pl.DataFrame, ents: pl.DataFrame) -> float:
    """Bare join–multiply–group-by: one factor per (activity, unit, country) already chosen."""
    out = (
        rows.lazy()
        .join(ents.lazy().select("entity_id", "country", "share"), on="entity_id")
        .join(FLOOR_FACTORS.lazy(), on=["activity", "unit", "country"])
        .with_columns((pl.col("quantity") * pl.col("k")).alias("value"))
        .group_by("entity_id", "activity")
        .agg((pl.col("value") * pl.col("share")).sum())
        .collect()
    )
    return float(out["value"].sum())


def timed(func):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    value = func()
    return time.perf_counter() - began, value


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def chunk_rows_of(n: int, ents: pl.DataFrame, ids: list[str]) -> pl.DataFrame:
    """The rows of ``activities(n, ents)`` that belong to ``ids``, in id order, made without
    the others: each row's activity and quantity come from a hash of its index, not from a
    sequential generator, so a chunk is the same whether made alone or with every row."""
    position = {e: i for i, e in enumerate(ents["entity_id"].to_list())}
    size = ents.height
    index = np.sort(np.concatenate([np.arange(position[e], n, size, dtype=np.int64) for e in ids]))
    mixed = (index.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(11)
    uniform = mixed.astype(np.float64) / float(1 << 53)
    probs = np.array([a[2] for a in ACTIVITIES])
    kinds = np.minimum(
        np.searchsorted(np.cumsum(probs / probs.sum()), uniform), len(ACTIVITIES) - 1
    )
    quantity = (((mixed * np.uint64(31)) % np.uint64(1_000_003)).astype(np.float64)) / 1000.0
    days = 366
    uses = np.array([USE.get(a[0], "") for a in ACTIVITIES])[kinds]
    return pl.DataFrame(
        {
            "id": index + 1,
            "entity_id": ents["entity_id"].to_numpy()[index % size],
            "day": (index // size) % days,
            "activity": np.array([a[0] for a in ACTIVITIES])[kinds],
            "quantity": quantity,
            "unit": np.array([a[1] for a in ACTIVITIES])[kinds],
            "use": uses,
        }
    ).select(
        "id",
        "entity_id",
        (pl.date(2024, 1, 1) + pl.duration(days=pl.col("day"))).alias("start"),
        "activity",
        "quantity",
        "unit",
        pl.when(pl.col("use") == "")
        .then(pl.lit(""))
        .otherwise(pl.format('{{"use":"{}"}}', pl.col("use")))
        .alias("attributes"),
    )


def out_of_core(n: int, chunk_rows: int, verify: bool) -> None:
    """The chunked engine over N generated rows, never more than a chunk of them in memory;
    with ``verify``, also the in-memory engine over all N rows (same figures, bit for bit)."""
    from esgledger.calc.chunked import compute_chunked

    ents = entities()
    lib = FactorLibrary.load()
    options = RunOptions(year=2024)
    per_entity = {e: len(range(i, n, ents.height)) for i, e in enumerate(ents["entity_id"])}
    cpu = time.process_time()
    seconds, out = timed(
        lambda: compute_chunked(
            lambda ids: chunk_rows_of(n, ents, ids), per_entity, chunk_rows, ents, lib, options
        )
    )
    cpu_s = time.process_time() - cpu
    rss = peak_rss_mb()  # before any in-memory run: the chunked run's own peak
    print(
        f"chunked: {seconds:.2f} s ({cpu_s:.2f} s CPU), peak {rss:.0f} MB, chunks of {chunk_rows:,}"
    )
    same = "not_checked"
    if verify:
        whole = compute(chunk_rows_of(n, ents, ents["entity_id"].to_list()), ents, lib, options)
        same = str(whole.totals == out.totals and whole.by_entity == out.by_entity).lower()
        print(f"in memory: totals identical to the chunked run: {same}")
    print(
        f"RESULT rows={n} seconds={seconds:.3f} rows_per_s={n / seconds:.0f} "
        f"cpu_seconds={cpu_s:.3f} peak_rss_mb={rss:.0f} chunk_rows={chunk_rows} "
        f"identical_to_in_memory={same} scope1_tco2e={out.totals['scope1_tco2e']!r}"
    )


def in_memory(n: int) -> None:
    ents = entities()
    lib = FactorLibrary.load()
    rows = activities(n, ents).drop("end")
    print(f"{n:,} rows in memory, {ents.height} entities, {len(lib.records):,} factors")
    engine_s, out = timed(lambda: compute(rows, ents, lib, RunOptions(year=2024)))
    print(f"engine: {engine_s:.2f} s, {out.results.height:,} result rows")
    floor_s, _ = timed(lambda: floor_join(rows, ents))
    print(f"floor (bare Polars join): {floor_s:.2f} s")
    print(
        f"RESULT rows={n} seconds={engine_s:.3f} rows_per_s={n / engine_s:.0f} "
        f"ratio_vs_polars_floor={engine_s / floor_s:.2f} peak_rss_mb={peak_rss_mb():.0f}"
    )


def write_entities(folder: Path) -> Path:
    """The entities as the CSV file a user would import."""
    entity_file = folder / "entities.csv"
    pl.DataFrame(
        [("GRP", "Benchmark group", "", "CN", "CN-GD", "group")]
        + [(e, f"Site {e}", "GRP", c, s, "site") for e, c, s, _ in entities().iter_rows()],
        schema=["id", "name", "parent", "country", "subdivision", "kind"],
        orient="row",
    ).write_csv(entity_file)
    return entity_file


def write_inputs(n: int, folder: Path) -> tuple[Path, Path]:
    """The entities and activity rows as the CSV files a user would import."""
    entity_file, activity_file = write_entities(folder), folder / "activities.csv"
    write_part(activities(n, entities()), activity_file)
    return entity_file, activity_file


def part_file(folder: Path, part: int) -> Path:
    return folder / f"activities-{part:03d}.csv"


def write_part(rows: pl.DataFrame, activity_file: Path) -> None:
    """``rows`` as the activity CSV file a user would import."""
    rows.select(
        pl.col("entity_id").alias("entity"),
        "start",
        "end",
        "activity",
        "quantity",
        "unit",
        pl.col("attributes").str.json_path_match("$.use").fill_null("").alias("use"),
    ).write_csv(activity_file, float_precision=None)


def import_part(target: str, activity_file: Path, store: bool) -> None:
    """In a fresh process: one file imported (``esg import activities [--store]``), its CPU
    and peak memory printed (the import validates the whole file before writing)."""
    from esgledger.ledger.activities import import_activities
    from esgledger.ledger.db import Database

    db = Database(target)
    cpu = time.process_time()
    seconds, summary = timed(
        lambda: import_activities(db, activity_file, actor="bench", store=store)
    )
    db.dispose()
    print(
        f"MEASURED import_rows={summary['rows']} seconds={seconds:.3f} "
        f"cpu_seconds={time.process_time() - cpu:.3f} peak_rss_mb={peak_rss_mb():.0f}"
    )


def populate_parts(target: str, folder: Path, n: int, files: int, store: bool) -> list[str]:
    """The year as ``files`` files of n / files rows, each made alone and imported in a fresh
    process (as a user imports a year in several files), then deleted; a part already
    imported (its ``.done`` file, holding the import's MEASURED line) is not made again, so an
    interrupted build resumes. Returns the imports' MEASURED lines."""
    from esgledger.ledger.db import Database
    from esgledger.ledger.entities import import_entities
    from esgledger.ledger.workspace import init_workspace

    if not Path(target).exists():
        db, _ = init_workspace(target, actor="bench")
        import_entities(db, write_entities(folder), actor="bench")
        db.dispose()
    ents, size, lines = entities(), n // files, []
    for part in range(files):
        done = part_file(folder, part).with_suffix(".done")
        if not done.exists():
            write_part(
                activities(size, ents, first=part * size, part=part + 1), part_file(folder, part)
            )
            run = subprocess.run(
                [sys.executable, __file__, "--import-file", str(part_file(folder, part))]
                + ["--measure", target]
                + (["--store"] if store else []),
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                sys.exit(f"importing part {part} failed:\n{run.stderr}")
            line = next(x for x in run.stdout.splitlines() if x.startswith("MEASURED "))
            done.write_text(line + "\n")
            part_file(folder, part).unlink()
            print(f"  part {part + 1}/{files}: {line}", flush=True)
        lines.append(done.read_text().strip())
    Database(target).dispose()
    return lines


def populate(target: str, entity_file: Path, activity_file: Path, store: bool = False) -> None:
    from esgledger.ledger.activities import import_activities
    from esgledger.ledger.entities import import_entities
    from esgledger.ledger.workspace import init_workspace

    db, _ = init_workspace(target, actor="bench")
    try:
        import_entities(db, entity_file, actor="bench")
        import_activities(db, activity_file, actor="bench", store=store)
    finally:
        db.dispose()


def floor_read(session) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    """Polars' own read of the stored rows: the store's Parquet files, else the table."""
    from esgledger.ledger.activity_store import has_files, required_root

    columns = ["id", "entity_id", "start", "activity", "quantity", "unit", "attributes"]
    if has_files(session):
        return pl.read_parquet(required_root(session) / "**" / "*.parquet", columns=columns)
    raw = session.connection().connection.driver_connection
    sql = f"SELECT {', '.join(columns)} FROM activity_records WHERE voided_at IS NULL ORDER BY id"
    return pl.read_database(sql, raw)


def measure(target: str, engine: str = "local") -> None:
    """In a fresh process: ``run_calculation``, its read and engine, and the floor (only
    the first on the chunked path, whose point is not to hold the year)."""
    from esgledger.calc.runs import load_inputs, run_calculation
    from esgledger.ledger.db import Database
    from esgledger.settings import get_settings

    db = Database(target)
    options = RunOptions(year=2024)
    cpu = time.process_time()
    e2e_s, summary = timed(lambda: run_calculation(db, options, actor="bench", engine=engine))
    e2e_cpu = time.process_time() - cpu
    e2e_rss = peak_rss_mb()
    chunk_rows = get_settings().calc_chunk_rows
    if chunk_rows and summary["activity_rows"] > chunk_rows:
        print(
            f"  esg calc, chunks of {chunk_rows:,} rows: {e2e_s:.2f} s ({e2e_cpu:.2f} s CPU), "
            f"peak {e2e_rss:.0f} MB"
        )
        print(
            f"MEASURED rows={summary['activity_rows']} seconds={e2e_s:.3f} "
            f"cpu_seconds={e2e_cpu:.3f} peak_rss_mb={e2e_rss:.0f} run_id={summary['run_id']}"
        )
        db.dispose()
        return
    with db.read() as session:
        read_s, inputs = timed(lambda: load_inputs(session, options))
        library = FactorLibrary.load(session)
        floor_cpu = time.process_time()
        floor_read_s, raw_rows = timed(lambda: floor_read(session))
        floor_cpu = time.process_time() - floor_cpu
    engine_s, _ = timed(lambda: compute(inputs.activities, inputs.entities, library, options))
    ents = inputs.entities.join(
        pl.DataFrame({"entity_id": inputs.entities["entity_id"]}), on="entity_id"
    )
    join_cpu = time.process_time()
    floor_join_s, _ = timed(lambda: floor_join(raw_rows, ents))
    floor_cpu += time.process_time() - join_cpu
    db.dispose()
    n = summary["activity_rows"]
    floor_s = floor_read_s + floor_join_s
    print(
        f"  esg calc (run_calculation): {e2e_s:.2f} s ({e2e_cpu:.2f} s CPU), "
        f"peak {e2e_rss:.0f} MB; "
        f"read {read_s:.2f} s, engine {engine_s:.2f} s, rest (digest, store) "
        f"≈ {max(e2e_s - read_s - engine_s, 0):.2f} s"
    )
    print(f"  floor: Polars read {floor_read_s:.2f} s + bare join {floor_join_s:.2f} s")
    print(
        f"MEASURED rows={n} seconds={e2e_s:.3f} cpu_seconds={e2e_cpu:.3f} "
        f"unresolved={summary['unresolved_rows']} read_seconds={read_s:.3f} "
        f"engine_seconds={engine_s:.3f} floor_seconds={floor_s:.3f} "
        f"floor_join_seconds={floor_join_s:.3f} floor_cpu_seconds={floor_cpu:.3f} "
        f"peak_rss_mb={e2e_rss:.0f} "
        f"run_id={summary['run_id']}"
    )


def verify_chunks(target: str, run_id: int) -> None:
    """In a fresh process: the stored chunked run against in-memory runs over its chunks
    (``calc.chunk_sums``), each chunk read from the store alone, one held at a time; and
    its input digest taken again over the store's rows in id order (an import batch at a
    time), not over the run's spilled files."""
    import json

    from esgledger.calc.chunk_sums import differences, summed_chunk_runs
    from esgledger.calc.chunked import entity_chunks
    from esgledger.calc.column_digest import column_parts
    from esgledger.calc.columnar_read import ACTIVITY_SCHEMA, rows_per_entity
    from esgledger.calc.runs import digest_over, digest_version, get_run, load_inputs
    from esgledger.ledger import activity_store
    from esgledger.ledger.db import Database
    from esgledger.ledger.run_totals import stored_totals
    from esgledger.settings import get_settings

    db = Database(target)
    options = RunOptions(year=2024)
    chunk_rows = get_settings().calc_chunk_rows
    cpu = time.process_time()
    with db.read() as session:
        run = get_run(session, run_id)
        inputs = load_inputs(session, options, with_rows=False)
        library = FactorLibrary.load(session)
        members = inputs.entities["entity_id"].to_list()
        counts = {e: n for e, n in rows_per_entity(session, 2024).items() if e in members}
        chunks = entity_chunks(counts, chunk_rows)
        columns = list(ACTIVITY_SCHEMA)
        parts = (
            activity_store.read_store(session, 2024, entities=ids, columns=columns)
            for ids in chunks
        )
        seconds, summed = timed(lambda: summed_chunk_runs(inputs, parts, library, options))
        found = differences(summed, stored_totals(run.totals))
        if run.unresolved != summed.unresolved_rows:
            found.append(f"unresolved rows: chunks {summed.unresolved_rows}, run {run.unresolved}")
        if json.loads(run.editions) != summed.editions:
            found.append("editions differ")
        batches = activity_store.store_batches(session, 2024, chunk_rows)
        digest = digest_over(
            inputs,
            options,
            json.loads(run.editions),
            column_parts(
                b.select(columns).filter(pl.col("entity_id").is_in(members)) for b in batches
            ),
            digest_version(run),
        )
        if digest != run.input_digest:
            found.append(f"input digest: store {digest[:12]}, run {run.input_digest[:12]}")
    db.dispose()
    for line in found[:20]:
        print(f"  differs: {line}")
    print(
        f"MEASURED verify_rows={summed.rows} verify_chunks={summed.chunks} "
        f"verify_seconds={seconds:.3f} verify_cpu_seconds={time.process_time() - cpu:.3f} "
        f"verify_peak_rss_mb={peak_rss_mb():.0f} verify_differences={len(found)} "
        f"verify_unresolved={summed.unresolved_rows} verify_entities={len(summed.by_entity)}"
    )


def out_of_core_end_to_end(
    n: int, files: int, folder: Path, chunk_rows: int, verify: bool, in_memory_too: bool
) -> None:
    """``--files K``: the year imported to the store as K files, then ``esg calc`` in chunks
    (its peak and CPU in a fresh process); with ``verify`` the stored run against in-memory
    runs over its chunks, with ``in_memory_too`` also against ``esg calc`` in memory (same
    figures, Scope 3 block and input digest)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = str(folder / "esg.db")
    imports = populate_parts(target, folder, n, files, store=True)
    stats = [dict(kv.split("=") for kv in line.split()[1:]) for line in imports]
    import_cpu = sum(float(s["cpu_seconds"]) for s in stats)
    import_peak = max(float(s["peak_rss_mb"]) for s in stats)
    chunk_rows = chunk_rows or 1_000_000  # ``esg calc``'s default
    run = measured(target, "local", chunk_rows)
    extra = ""
    if verify:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--verify-run",
                str(int(run["run_id"])),
                "--measure",
                target,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "ESG_CALC_CHUNK_ROWS": str(chunk_rows)},
        )
        if done.returncode != 0:
            sys.exit(f"verifying failed:\n{done.stderr}")
        print(done.stdout.rstrip())
        line = next(x for x in done.stdout.splitlines() if x.startswith("MEASURED "))
        check = dict(kv.split("=") for kv in line.split()[1:])
        same = check["verify_differences"] == "0" and int(check["verify_rows"]) == n
        extra += (
            f" identical_to_chunk_runs={str(same).lower()} "
            f"verify_cpu_seconds={check['verify_cpu_seconds']} "
            f"verify_peak_rss_mb={check['verify_peak_rss_mb']}"
        )
    if in_memory_too:
        whole = measured(target, "local", 0)
        same_run = same_runs(target, whole["run_id"], run["run_id"])
        extra += f" identical_to_in_memory={str(same_run).lower()}"
    print(
        f"RESULT rows={n} files={files} seconds={run['seconds']:.3f} "
        f"cpu_seconds={run['cpu_seconds']:.3f} peak_rss_mb={run['peak_rss_mb']:.0f} "
        f"chunk_rows={chunk_rows} store=true import_cpu_seconds={import_cpu:.1f} "
        f"import_peak_rss_mb={import_peak:.0f}{extra} load_average={os.getloadavg()[0]:.1f}"
    )


def measured(target: str, engine: str, chunk_rows: int = 0) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", target, "--engine", engine],
        capture_output=True,
        text=True,
        env={**os.environ, "ESG_CALC_CHUNK_ROWS": str(chunk_rows)},
    )
    if done.returncode != 0:
        sys.exit(f"measuring {target} failed:\n{done.stderr}")
    print(done.stdout.rstrip())
    line = next(x for x in done.stdout.splitlines() if x.startswith("MEASURED "))
    return {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}


def same_runs(target: str, first: float, second: float) -> bool:
    """Whether two stored runs have the same figures (to the bit) and input digest."""
    from esgledger.calc.runs import get_run
    from esgledger.ledger.db import Database
    from esgledger.ledger.run_totals import stored_totals

    db = Database(target)
    with db.read() as session:
        a, b = get_run(session, int(first)), get_run(session, int(second))
        parts = ("totals", "by_entity", "by_gas", "by_activity", "scope3")
        ta, tb = stored_totals(a.totals), stored_totals(b.totals)
        same = a.input_digest == b.input_digest and all(ta[p] == tb[p] for p in parts)
    db.dispose()
    return same


def end_to_end(
    n: int,
    postgres: str | None,
    keep: bool,
    engine: str = "local",
    chunk_rows: int = 0,
    store: bool = False,
    workspace: Path | None = None,
) -> None:
    folder = workspace or Path(tempfile.mkdtemp(prefix="esg-bench-calc-"))
    folder.mkdir(parents=True, exist_ok=True)
    keep = keep or workspace is not None
    entity_file, activity_file = folder / "entities.csv", folder / "activities.csv"
    if not activity_file.exists():
        entity_file, activity_file = write_inputs(n, folder)
    targets = {"sqlite": str(folder / "esg.db")}
    if postgres:
        targets["postgresql"] = postgres
    results = {}
    for name, target in targets.items():
        os.environ.pop("ESG_ACTIVITY_STORE", None)  # SQLite: the store beside its file
        if store and name == "postgresql":
            os.environ["ESG_ACTIVITY_STORE"] = str(folder / "pg.store")
        began = time.perf_counter()
        if name == "sqlite" and Path(target).exists():
            print(f"{name}: reusing {target}")
        else:
            populate(target, entity_file, activity_file, store)
            print(f"{name}: {n:,} rows imported in {time.perf_counter() - began:.1f} s (untimed)")
        results[name] = measured(target, engine)
        if chunk_rows:
            chunked = measured(target, engine, chunk_rows)
            chunked["identical"] = same_runs(target, results[name]["run_id"], chunked["run_id"])
            results[f"{name}_chunked"] = chunked
    if keep:
        print(f"kept {folder}")
    else:  # a 10⁷-row run leaves gigabytes behind
        shutil.rmtree(folder, ignore_errors=True)
    sqlite = results["sqlite"]
    extra = ""
    for name in ("sqlite", "postgresql"):
        if f"{name}_chunked" in results:
            c = results[f"{name}_chunked"]
            extra += (
                f" {name}_chunked_seconds={c['seconds']:.3f} "
                f"{name}_chunked_cpu_seconds={c['cpu_seconds']:.3f} "
                f"{name}_chunked_peak_rss_mb={c['peak_rss_mb']:.0f} "
                f"{name}_chunked_identical={str(bool(c['identical'])).lower()}"
            )
    if "postgresql" in results:
        pg = results["postgresql"]
        extra += (
            f" pg_seconds={pg['seconds']:.3f} pg_ratio_vs_polars_floor="
            f"{pg['seconds'] / pg['floor_seconds']:.2f} pg_peak_rss_mb={pg['peak_rss_mb']:.0f}"
        )
    print(
        f"RESULT rows={n} seconds={sqlite['seconds']:.3f} "
        f"rows_per_s={n / sqlite['seconds']:.0f} "
        f"ratio_vs_polars_floor={sqlite['seconds'] / sqlite['floor_seconds']:.2f} "
        f"cpu_ratio_vs_polars_floor={sqlite['cpu_seconds'] / sqlite['floor_cpu_seconds']:.2f} "
        f"peak_rss_mb={sqlite['peak_rss_mb']:.0f} cpu_seconds={sqlite['cpu_seconds']:.3f} "
        f"read_seconds={sqlite['read_seconds']:.3f} "
        f"engine_seconds={sqlite['engine_seconds']:.3f} engine={engine}{extra} "
        f"chunk_rows={chunk_rows} store={str(store).lower()} "
        f"load_average={os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="activity rows")
    parser.add_argument("--end-to-end", action="store_true", help="time esg calc on a ledger")
    parser.add_argument("--postgres", metavar="URL", help="also an empty PostgreSQL database")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--engine", choices=("local", "spark"), default="local", help="esg calc --engine"
    )
    parser.add_argument(
        "--chunked", type=int, metavar="ROWS", help="the out-of-core engine, ROWS per chunk"
    )
    parser.add_argument("--verify", action="store_true", help="--chunked: also in memory")
    parser.add_argument(
        "--chunk-rows",
        type=int,
        default=0,
        metavar="ROWS",
        help="--end-to-end: also esg calc on the chunked path (ESG_CALC_CHUNK_ROWS=ROWS)",
    )
    parser.add_argument(
        "--store", action="store_true", help="--end-to-end: rows in the Parquet activity store"
    )
    parser.add_argument(
        "--workspace", type=Path, metavar="DIR", help="--end-to-end: keep and reuse files here"
    )
    parser.add_argument(
        "--files",
        type=int,
        default=1,
        metavar="K",
        help="--end-to-end: the year imported as K files of N / K rows, esg calc in chunks only",
    )
    parser.add_argument(
        "--verify-chunks",
        action="store_true",
        help="--files: also in-memory runs over the run's chunks, summed, against the run",
    )
    parser.add_argument("--measure", metavar="TARGET", help=argparse.SUPPRESS)
    parser.add_argument(
        "--in-memory-too",
        action="store_true",
        help="--files: also esg calc in memory, the two stored runs compared",
    )
    parser.add_argument("--import-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--verify-run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_file:
        import_part(args.measure, args.import_file, args.store)
    elif args.verify_run:
        verify_chunks(args.measure, args.verify_run)
    elif args.end_to_end and args.files > 1:
        if not args.workspace:
            parser.error("--files needs --workspace DIR")
        out_of_core_end_to_end(
            args.rows,
            args.files,
            args.workspace,
            args.chunk_rows,
            args.verify_chunks,
            args.in_memory_too,
        )
    elif args.chunked:
        out_of_core(args.rows, args.chunked, args.verify)
    elif args.measure:
        measure(args.measure, args.engine)
    elif args.end_to_end:
        end_to_end(
            args.rows,
            args.postgres,
            args.keep,
            args.engine,
            args.chunk_rows,
            args.store,
            args.workspace,
        )
    else:
        in_memory(args.rows)


if __name__ == "__main__":
    main()
