"""Benchmark: an LMS export of tens of thousands of rows imported into the training register,
and the year's KPI table counted from it (issue #17).

Generates an entity tree like the tests', two campaigns (an integrity commitment for every
worker type, an anti-corruption course with a pass mark) and an LMS export of N people
(default 50,000) × 2 campaigns as CSV, 85 % completed with scores and hours. Then, in the same
run:

- **baseline**: Polars reading the same CSV as strings (what any import must do at least);
- **esgledger**: the export validated and written (one import batch and audit event, bulk
  inserts on SQLite), then exported again (replacing every record), then the register
  figures counted by the KPI table.

CPU seconds (``time.process_time``) are the measure on a shared machine; peak RSS bounds the
memory. Last line: ``RESULT rows=… cpu_seconds=… baseline_cpu_seconds=… cpu_ratio_vs_polars=…
replace_cpu_seconds=… kpi_cpu_seconds=… peak_rss_mb=… seconds=…``.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' entity tree

from tests.factories import ENTITIES, ENTITY_HEADER, write_csv  # noqa: E402
from tests.registers.training_files import CAMPAIGN_HEADER, RECORD_HEADER  # noqa: E402

from esgledger.kpi.series import kpi_series  # noqa: E402
from esgledger.ledger.entities import import_entities  # noqa: E402
from esgledger.ledger.workspace import init_workspace  # noqa: E402
from esgledger.registers.training import import_campaigns, import_records  # noqa: E402

CAMPAIGNS = [
    ["IC", "Integrity commitment", "commitment", "anti_corruption", 2025,
     "employee; outsourced; intern", "", ""],
    ["AC", "Anti-bribery course", "training", "anti_corruption", 2025,
     "employee; outsourced; intern", "", 60],
]  # fmt: skip
SITES = ["SZ1", "WH1", "VN1", "HQ"]
TYPES = ["employee"] * 8 + ["outsourced", "intern"]


def export(path: Path, people: int, seed: int = 17) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(RECORD_HEADER)
        for p in range(people):
            site, worker = rng.choice(SITES), rng.choice(TYPES)
            for code in ("IC", "AC"):
                done = rng.random() < 0.85
                score = rng.randint(40, 100) if done and code == "AC" else ""
                hours = round(rng.uniform(0.5, 3), 1) if done and code == "AC" else ""
                day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if done else ""
                out.writerow([code, f"P{p:07d}", site, "staff", worker, day, score, hours])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", nargs="?", type=int, default=50_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="esg-bench-training-"))
    db, _ = init_workspace(str(folder / "esg.db"), actor="bench")
    import_entities(db, write_csv(folder / "e.csv", ENTITY_HEADER, ENTITIES), actor="bench")
    import_campaigns(db, write_csv(folder / "c.csv", CAMPAIGN_HEADER, CAMPAIGNS), actor="bench")
    lms = folder / "lms.csv"
    export(lms, args.people)
    wall = time.perf_counter()
    cpu = time.process_time()
    frame = pl.read_csv(lms, infer_schema=False)
    baseline = time.process_time() - cpu
    cpu = time.process_time()
    done = import_records(db, lms, actor="bench")
    imported = time.process_time() - cpu
    cpu = time.process_time()
    again = import_records(db, lms, actor="bench")
    replaced = time.process_time() - cpu
    cpu = time.process_time()
    with db.read() as session:
        series = kpi_series(session, 2025, years=1)
    kpi = time.process_time() - cpu
    figure = next(
        k["figures"]["2025"]
        for k in series["kpis"]
        if k["metric"] == "compliance.anti_corruption_training_coverage" and not k["dims"]
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"imported {done.added} rows, replaced {again.replaced}; anti-corruption coverage "
        f"{figure['value']:.1f} %"
    )
    print(
        f"RESULT rows={frame.height} cpu_seconds={imported:.3f} "
        f"baseline_cpu_seconds={baseline:.3f} cpu_ratio_vs_polars={imported / baseline:.1f} "
        f"replace_cpu_seconds={replaced:.3f} kpi_cpu_seconds={kpi:.3f} peak_rss_mb={peak:.0f} "
        f"seconds={time.perf_counter() - wall:.3f}"
    )


if __name__ == "__main__":
    main()
