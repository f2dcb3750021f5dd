"""Benchmark: the full report for 1,000 entities × the whole metric catalog × 3 years.

    .venv/bin/python bench/report.py [ENTITIES=1000]

Builds a workspace (entities, boundaries, monthly activity data, a KPI value per entity for
every additive reported metric and group values for the rest, a calculation run per year),
then times ``esg report`` end to end (KPI roll-up, charts, HTML, PDF, XLSX) against a
baseline measured in the same run: reading every stored value and writing it to one CSV,
the floor for any report over the same data. Goal: under 30 s.

Last line: ``RESULT entities=… seconds=… baseline_seconds=… ratio_vs_dump=… pages=…``.
"""

from __future__ import annotations

import csv
import random
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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        target = build(folder, n)
        print(f"workspace with {n} entities built in {time.perf_counter() - t:.1f} s")
        from esgledger.ledger.db import Database

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
        print(
            f"RESULT entities={n} seconds={seconds:.3f} baseline_seconds={base:.3f} "
            f"ratio_vs_dump={seconds / base:.2f} pages={pages}"
        )


if __name__ == "__main__":
    main()
