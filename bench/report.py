"""Benchmark: the full report for 1,000 entities × the whole metric catalog × 3 years.

    .venv/bin/python bench/report.py [--entities N] [--workspace DIR] [--commands]

Builds a workspace (entities, boundaries, monthly activity data, a KPI value per entity for
every additive reported metric and group values for the rest, a calculation run per year),
then times ``esg report`` end to end (KPI roll-up, charts, HTML, PDF, XLSX) against a
baseline measured in the same run: reading every stored value and writing it to one CSV,
the floor for any report over the same data. Goal: under 30 s.

``--workspace DIR`` keeps the built workspace in DIR (and reuses it when DIR already holds
one), so several runs can time the same data; ``--build-only`` stops after building it.
``--commands`` also times the commands a user waits for — ``esg kpi --json``, ``esg check
--json`` and ``esg report --preview`` — each in its own process, with its peak resident
memory; ``--only kpi,check`` times just those commands and skips the in-process report
(at 10,000 entities the report alone takes many minutes on a loaded machine), beside a
floor measured in the same run: the span's bare SQL sums by metric and by activity
(``sql_floor_cpu_seconds``, ``kpi_cpu_ratio_vs_sql_floor``, ``check_cpu_ratio_vs_sql_floor``).

Last line: ``RESULT entities=… seconds=… baseline_seconds=… ratio_vs_dump=… pages=…``
(with ``--commands`` followed by ``kpi_seconds=… kpi_cpu_seconds=… kpi_peak_mb=…`` and
the same three keys for ``check`` and ``cli_report``).
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import text

from esgledger.calc.options import RunOptions
from esgledger.calc.runs import run_calculation
from esgledger.catalog import metrics
from esgledger.disclose.publish import publish_report
from esgledger.kpi.reported import additive
from esgledger.ledger.activities import import_activities
from esgledger.ledger.boundaries import create_boundary
from esgledger.ledger.entities import import_entities
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.workspace import init_workspace

YEARS = (2023, 2024, 2025)
PROVINCES = ("CN-GD", "CN-JS", "CN-ZJ", "CN-SH", "CN-HB", "CN-SC", "CN-AH", "CN-BJ")
MONTHLY = (
    ("electricity.purchased", "MWh", 300.0, ""),
    ("fuel.diesel", "t", 2.0, ""),
    ("fuel.natural_gas", "10^4 m3", 1.5, "normal"),
    ("water.municipal", "m3", 4000.0, ""),
    ("water.discharge", "m3", 3000.0, ""),
    ("waste.general_industrial", "t", 5.0, ""),
    ("waste.recyclable_paper", "t", 2.0, ""),
    ("waste.hazardous", "t", 0.3, ""),
)


def write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def build(folder: Path, n: int) -> str:
    db, _ = init_workspace(str(folder / "esg.db"), actor="bench")
    rng = random.Random(42)
    legal = [f"L{i:02d}" for i in range(20)]
    sites = [f"S{i:04d}" for i in range(n)]
    entity_rows = [["GRP", "Benchmark Group", "", "CN", "CN-GD", "group"]]
    entity_rows += [
        [e, f"Legal entity {e}", "GRP", "CN", PROVINCES[i % 8], "legal_entity"]
        for i, e in enumerate(legal)
    ]
    entity_rows += [
        [s, f"Site {s}", legal[i % 20], "CN", PROVINCES[i % 8], "site"] for i, s in enumerate(sites)
    ]
    import_entities(
        db,
        write(
            folder / "e.csv",
            ["id", "name", "parent", "country", "subdivision", "kind"],
            entity_rows,
        ),
        actor="bench",
    )
    with db.write() as session:
        for year in YEARS:
            for family in ("energy_ghg", "environment"):
                create_boundary(
                    session,
                    code=f"{year}-{family}",
                    year=year,
                    family=family,
                    include=["GRP"],
                    actor="bench",
                )
    for year in YEARS:
        rows = []
        for s in sites:
            scale = rng.uniform(0.5, 2.0)
            for activity, unit, base, basis in MONTHLY:
                for month in range(1, 13):
                    rows.append(
                        [
                            s,
                            f"{year}-{month:02d}-01",
                            f"{year}-{month:02d}-28",
                            activity,
                            round(base * scale * rng.uniform(0.9, 1.1), 3),
                            unit,
                            basis,
                        ]
                    )
        import_activities(
            db,
            write(
                folder / f"a{year}.csv",
                ["entity", "start", "end", "activity", "quantity", "unit", "volume_basis"],
                rows,
            ),
            actor="bench",
        )
        kpis = []
        for metric in metrics().values():
            if metric.kind != "reported":
                continue
            if additive(metric.id):
                kpis += [
                    [s, year, metric.id, round(rng.uniform(1, 100), 2), metric.unit] for s in sites
                ]
            else:
                kpis.append(["GRP", year, metric.id, round(rng.uniform(1, 99), 2), metric.unit])
        import_kpis(
            db,
            write(folder / f"k{year}.csv", ["entity", "year", "metric", "value", "unit"], kpis),
            actor="bench",
        )
        run_calculation(db, RunOptions(year=year), actor="bench")
    return str(folder / "esg.db")


def baseline(target: str, out: Path) -> float:
    from esgledger.ledger.db import Database

    db = Database(target)
    t = time.perf_counter()
    with db.engine.connect() as conn, (out / "dump.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        for table in ("kpi_values", "activity_records", "calculation_results"):
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                writer.writerow(row)
    return time.perf_counter() - t


def sql_floor(target: str) -> float:
    """CPU seconds of the bare aggregation the KPI tables of the span need, in SQL: each
    year's current KPI values summed by metric and breakdown, and its activity rows by
    activity, entity and unit (no unit conversion, shares, rounding or exactly rounded sums).
    The floor ``esg kpi`` and ``esg check`` are compared with, measured in the same run."""
    from esgledger.ledger.db import Database

    db = Database(target)
    t = time.process_time()
    with db.engine.connect() as conn:
        for year in YEARS:
            conn.execute(
                text(
                    "SELECT metric_id, dims, unit, SUM(value) FROM kpi_values "
                    "WHERE year = :y AND is_current GROUP BY metric_id, dims, unit"
                ),
                {"y": year},
            ).all()
            conn.execute(
                text(
                    "SELECT activity, entity_id, unit, SUM(quantity) FROM activity_records "
                    "WHERE start >= :a AND start <= :b GROUP BY activity, entity_id, unit"
                ),
                {"a": f"{year}-01-01", "b": f"{year}-12-31"},
            ).all()
    return time.process_time() - t


# A child's peak memory after fork + exec starts from its parent's peak on Linux (exec keeps
# the larger of the two), and this process holds the whole workspace build. A tiny Python in
# between runs the command and reports its child's own peak.
PEAK_OF_CHILD = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(u.ru_utime + u.ru_stime, u.ru_maxrss, file=sys.stderr); sys.exit(code)"
)


def timed_command(args: list[str], out: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak resident MiB and exit code of one ``esg`` command in
    its own process (on a busy machine the CPU seconds vary less than the wall time)."""
    esg = Path(sys.executable).with_name("esg")
    peak_file = out.with_suffix(".peak")
    t = time.perf_counter()
    with out.open("wb") as sink, peak_file.open("wb") as peak_sink:
        code = subprocess.call(
            [sys.executable, "-c", PEAK_OF_CHILD, str(esg), *args],
            stdout=sink,
            stderr=peak_sink,
        )
    seconds = time.perf_counter() - t
    cpu, peak_kib = peak_file.read_text().split()[-2:]
    return seconds, float(cpu), int(peak_kib) / 1024, code


def time_commands(target: str, folder: Path, only: set[str] | None = None) -> dict[str, float]:
    """``esg kpi``, ``esg check`` and ``esg report`` as a user runs them on the workspace
    (those named in ``only``, when given)."""
    year = str(YEARS[-1])
    commands = {
        "kpi": ["kpi", "--year", year, "--json", "--db", target],
        "check": ["check", "--year", year, "--json", "--db", target],
        "cli_report": [
            "report",
            "--year",
            year,
            "--preview",
            "--out",
            str(folder / "cli-report"),
            "--db",
            target,
        ],
    }
    out: dict[str, float] = {}
    for name, args in commands.items():
        if only is not None and name not in only:
            continue
        seconds, cpu, peak, code = timed_command(args, folder / f"{name}.out")
        # esg check exits 1 when it finds something: that is its answer, not a failure
        if code not in (0, 1):
            sys.exit(f"esg {args[0]} failed (exit {code}); see {folder / f'{name}.out'}")
        print(f"esg {args[0]}: {seconds:.2f} s, {cpu:.2f} CPU s, peak {peak:.0f} MiB (exit {code})")
        out[f"{name}_seconds"], out[f"{name}_cpu_seconds"] = seconds, cpu
        out[f"{name}_peak_mb"] = peak
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("legacy_entities", nargs="?", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--entities", type=int, default=1000, help="sites in the group")
    parser.add_argument("--workspace", type=Path, help="keep (or reuse) the workspace here")
    parser.add_argument("--commands", action="store_true", help="also time esg kpi/check/report")
    parser.add_argument("--build-only", action="store_true", help="build --workspace, time nothing")
    parser.add_argument(
        "--only", help="time only these commands (kpi,check,cli_report), not the report"
    )
    opts = parser.parse_args()
    n = opts.legacy_entities or opts.entities
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        home = opts.workspace or folder
        home.mkdir(parents=True, exist_ok=True)
        target = str(home / "esg.db")
        if Path(target).exists():
            print(f"reusing the workspace {target}")
        else:
            t = time.perf_counter()
            target = build(home, n)
            print(f"workspace with {n} entities built in {time.perf_counter() - t:.1f} s")
        if opts.build_only:
            return
        from esgledger.ledger.db import Database

        if opts.only:
            only = set(opts.only.split(","))
            extra = time_commands(target, folder, only)
            floor = sql_floor(target)
            print(f"SQL floor (the span's sums by metric and by activity): {floor:.2f} CPU s")
            extra["sql_floor_cpu_seconds"] = floor
            for name in sorted(only):
                if f"{name}_cpu_seconds" in extra:
                    extra[f"{name}_cpu_ratio_vs_sql_floor"] = extra[f"{name}_cpu_seconds"] / floor
            keys = " ".join(
                f"{k}={v:.3f}" if k.endswith(("seconds", "floor")) else f"{k}={v:.0f}"
                for k, v in extra.items()
            )
            print(f"RESULT entities={n} {keys}")
            return
        extra = time_commands(target, folder) if opts.commands else {}
        t = time.perf_counter()
        written = publish_report(
            Database(target), YEARS[-1], out=folder / "report", formats=["html", "pdf", "xlsx"]
        )
        seconds = time.perf_counter() - t
        pages = len(PdfReader(written["files"]["pdf"]).pages)
        print(
            f"report: {seconds:.2f} s, {written['appendix_rows']} appendix rows, {pages} PDF pages"
        )
        base = baseline(target, folder)
        print(f"baseline (dump every stored value to CSV): {base:.2f} s")
        more = "".join(
            f" {k}={v:.3f}" if k.endswith("seconds") else f" {k}={v:.0f}" for k, v in extra.items()
        )
        print(
            f"RESULT entities={n} seconds={seconds:.3f} baseline_seconds={base:.3f} "
            f"ratio_vs_dump={seconds / base:.2f} pages={pages}{more}"
        )


if __name__ == "__main__":
    main()
