"""Benchmark: the demo's earlier CMRT rounds taken in, reading apart from storing (issue #16).

The demo's supplier register and the files of its rounds before the report year (270 files
on that time's template revisions, some refused row by row), written once into a folder and
kept there (``--files``), then imported into a fresh SQLite workspace as ``esg demo`` does:

- **read**: each file through the XLSX guard, openpyxl and its version's rules
  (``validate_file``);
- **store**: each accepted file's write (``validate_then_write`` with the intake's own checks
  and write: import batch, declaration, smelter rows, audit event with the batch's digest).

CPU seconds (``time.process_time``) are the measure. ``--dump FILE`` writes the stored rows
(import batches, declarations, smelters, audit events without their times and hashes, the
import batch's own digest left out as it covers its time) as JSON, to compare two versions
row by row; the deep audit check runs over the workspace at the end. Last line:
``RESULT files=… accepted=… read_cpu_seconds=… store_cpu_seconds=… deep_ok=…``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from esgledger.demo.cmrt_files import cmrt_file
from esgledger.demo.files import write_rows
from esgledger.demo.org import REPORT_YEAR
from esgledger.demo.supplier_cmrt_data import ROUNDS, cmrt_files, intake_closed
from esgledger.demo.supplier_data import SUPPLIER_HEADER, supplier_rows, suppliers
from esgledger.errors import ImportRejected
from esgledger.ledger.audit_deep import verify_data
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.workspace import init_workspace
from esgledger.suppliers import minerals_import as intake
from esgledger.suppliers.register_import import import_register

TABLES = ("import_batches", "mineral_declarations", "mineral_smelters", "audit_events")


def files(folder: Path, base: list[Any]) -> list[tuple[str, Path, Any]]:
    """(supplier, file, intake day) of every earlier round, written once into ``folder``."""
    out = []
    for year in sorted(y for y in ROUNDS if y < REPORT_YEAR):
        (folder / str(year)).mkdir(parents=True, exist_ok=True)
        for sent in cmrt_files(base, year):
            target = folder / str(year) / sent.file
            path = target if target.exists() else cmrt_file(target, sent.spec)
            out.append((sent.supplier, path, intake_closed(year)))
    return out


def dump(db: Database) -> dict[str, list[dict[str, Any]]]:
    """The stored rows, without what depends on the clock."""
    with db.read() as session:
        rows = {
            t: [dict(r) for r in session.execute(text(f"SELECT * FROM {t} ORDER BY id")).mappings()]
            for t in TABLES
        }
    for event in rows["audit_events"]:
        for key in ("ts", "hash", "prev_hash"):
            event.pop(key)
        payload = json.loads(event["payload"])
        for entry in payload.get("data", []) if isinstance(payload, dict) else []:
            if "import_batches" in entry.get("tables", {}):
                entry["tables"]["import_batches"][1] = "covers created_at"
        event["payload"] = payload
    for batch in rows["import_batches"]:
        batch.pop("created_at", None)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--files", type=Path, help="Keep the CMRT files here (reused).")
    parser.add_argument("--dump", type=Path, help="Write the stored rows here as JSON.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="esg-bench-rounds-") as tmp:
        db, _ = init_workspace(str(Path(tmp) / "rounds.db"), actor="demo")
        base = suppliers({})
        register = write_rows(Path(tmp) / "suppliers.csv", SUPPLIER_HEADER, supplier_rows(base))
        import_register(db, register, kind="suppliers", actor="demo")
        sent = files(args.files or Path(tmp) / "cmrt", base)
        began, accepted = time.process_time(), []
        for supplier, path, day in sent:
            with contextlib.suppress(ImportRejected):  # a refused file: nothing to store
                accepted.append((supplier, intake.validate_file(path, day)))
        read = time.process_time() - began
        began = time.process_time()
        for supplier, (table, checked) in accepted:
            validate_then_write(
                db,
                lambda s, who=supplier, t=table: intake._stored(s, who, t.sha256),
                lambda s, stored, who=supplier, t=table, c=checked: intake._store(
                    s, stored, t, c, who, "demo"
                ),
            )
        store = time.process_time() - began
        with db.read() as session:
            deep = verify_data(session)
        if args.dump:
            args.dump.write_text(json.dumps(dump(db), default=str, sort_keys=True, indent=0))
        db.dispose()
    print(
        f"RESULT files={len(sent)} accepted={len(accepted)} read_cpu_seconds={read:.2f} "
        f"store_cpu_seconds={store:.2f} deep_ok={not deep.problems}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
