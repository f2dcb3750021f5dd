"""Benchmark: suppliers' CMRT files validated, stored and rolled up (issue #16).

Generates N template-shaped CMRT workbooks (default 1,000; no RMI file is used) from the
tests' generator: 30 smelter rows each over the four metals, smelter ids drawn from a pool of
400 so the roll-up merges across suppliers, and one file in ten broken in one rule (a bad
smelter id, a future effective date, a missing answer) as real intake has. Then, in the same
run:

- **baseline**: openpyxl alone reading every cell of the same files' three sheets
  (read-only, values only) — the least any reader of these files does;
- **esgledger**: each file read through the XLSX guard, checked against its version's rules,
  the valid ones stored (one import batch and audit event each, on SQLite), then the smelter
  roll-up over all suppliers.

CPU seconds (``time.process_time``) are the measure on a shared machine; wall seconds are
printed too. The target is under 60 CPU seconds for 1,000 files. Last line:
``RESULT rows=<files> seconds=… rows_per_s=… ratio_vs_openpyxl=… cpu_seconds=…
baseline_cpu_seconds=… cpu_ratio_vs_openpyxl=… accepted=… refused=… smelters=…``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' template generator

from tests.suppliers.cmrt_files import CMRT_METALS, Cmrt, cmrt_file, company, smelter  # noqa: E402

from esgledger.errors import ImportRejected  # noqa: E402
from esgledger.ledger.smelter_rollup import rollup  # noqa: E402
from esgledger.ledger.workspace import init_workspace  # noqa: E402
from esgledger.suppliers.minerals_import import import_declaration  # noqa: E402
from esgledger.suppliers.register_import import import_register  # noqa: E402

SHEETS = ("Declaration", "Smelter List", "Product List")
POOL = 400
ROWS = 30
TODAY = dt.date(2026, 6, 30)


def generate(folder: Path, n: int, seed: int = 16) -> list[tuple[str, Path]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        rows = []
        for _ in range(ROWS):
            metal = rng.choice(CMRT_METALS)
            ident = rng.randrange(1, POOL + 1)
            rows.append(smelter(metal, f"CID{ident:06d}", f"{metal} smelter {ident}"))
        spec = Cmrt(
            fields=company(**{"Company Name (*):": f"Supplier {i}"}),
            in_use=CMRT_METALS,
            smelters=rows,
        )
        if i % 10 == 9:  # one file in ten breaks one rule
            broken = i // 10 % 3
            if broken == 0:
                spec.smelters[5][5] = "CID12"
            elif broken == 1:
                spec.fields["Effective Date (*):"] = "01-Jan-2027"
            else:
                spec.answers[(4, "Gold")] = ""
        supplier = f"S{i:05d}"
        out.append((supplier, cmrt_file(folder / f"{supplier}.xlsx", spec)))
    return out


def baseline(files: list[tuple[str, Path]]) -> int:
    from openpyxl import load_workbook

    cells = 0
    for _, path in files:
        book = load_workbook(path, read_only=True, data_only=True)
        for name in SHEETS:
            for row in book[name].iter_rows(values_only=True):
                cells += sum(v is not None for v in row)
        book.close()
    return cells


def esgledger(folder: Path, files: list[tuple[str, Path]]) -> tuple[int, int, int, float, float]:
    """(accepted, refused, smelters rolled up, CPU seconds, wall seconds)."""
    db, _ = init_workspace(str(folder / "bench.db"), actor="bench")
    register = folder / "suppliers.csv"
    with register.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "country", "commodities"])
        writer.writerows([s, f"Supplier {s}", "CN", "tin solder"] for s, _ in files)
    import_register(db, register, kind="suppliers", actor="bench")
    began = time.process_time(), time.perf_counter()
    accepted = refused = 0
    for supplier, path in files:
        try:
            import_declaration(db, path, supplier=supplier, actor="bench", today=TODAY)
            accepted += 1
        except ImportRejected:
            refused += 1
    with db.read() as session:
        smelters = len(rollup(session, template="CMRT").smelters)
    cpu, wall = time.process_time() - began[0], time.perf_counter() - began[1]
    return accepted, refused, smelters, cpu, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("files", nargs="?", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="esg-bench-cmrt-") as tmp:
        folder = Path(tmp)
        print(f"generating {args.files} CMRT files …", flush=True)
        files = generate(folder, args.files)
        cpu, wall = time.process_time(), time.perf_counter()
        cells = baseline(files)
        base_cpu, base_wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"openpyxl alone: {cells} cells, {base_cpu:.2f} CPU s, {base_wall:.2f} s", flush=True)
        accepted, refused, smelters, cpu_s, wall_s = esgledger(folder, files)
        print(f"esgledger: {accepted} accepted, {refused} refused, {smelters} smelters rolled "
              f"up, {cpu_s:.2f} CPU s, {wall_s:.2f} s")  # fmt: skip
        print(
            f"RESULT rows={args.files} seconds={wall_s:.3f} rows_per_s={args.files / wall_s:.1f} "
            f"ratio_vs_openpyxl={wall_s / base_wall:.2f} cpu_seconds={cpu_s:.2f} "
            f"baseline_cpu_seconds={base_cpu:.2f} cpu_ratio_vs_openpyxl={cpu_s / base_cpu:.2f} "
            f"accepted={accepted} refused={refused} smelters={smelters}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
