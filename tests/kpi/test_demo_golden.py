"""The demo's KPI tables and findings stay exactly what they were before the KPI tables and
the checks read columns instead of ORM objects (#18): a speed-up must not move a figure.
And every build of the demo writes the same input files and stores the same activity and KPI
rows (the demo promises it): held to digests here, so the suite needs no second whole build
to compare with (#20), and a build that differs between processes fails too.

The golden files were written by ``esg kpi --json`` and ``esg check --json`` of the code
before that change, the digests by :func:`demo_digests`; regenerate them all only for a
change that is meant to alter the demo's files or figures:

    .venv/bin/python tests/kpi/test_demo_golden.py DEMO_DB
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from esgledger.cli.main import app
from esgledger.ledger.db import Database
from esgledger.ledger.models import ActivityRecord, KpiValue
from tests.conftest import DemoBuild

GOLDEN = Path(__file__).parent / "data"
COMMANDS = {
    "kpi-2025": ["kpi", "--year", "2025"],
    "kpi-2024-one-year": ["kpi", "--year", "2024", "--years", "1"],
    "check-2025": ["check", "--year", "2025", "--include-acknowledged"],
    "check-2024": ["check", "--year", "2024", "--include-acknowledged"],
}
DIGESTS = GOLDEN / "demo-digests.json"


def stable(found: Any) -> Any:
    """The output without the moments the demo was built (an acknowledgement's ``at``)."""
    if isinstance(found, dict):
        return {k: "(when built)" if k == "at" else stable(v) for k, v in found.items()}
    if isinstance(found, list):
        return [stable(v) for v in found]
    return found


def esg_json(db: str, args: list[str]) -> Any:
    result = CliRunner().invoke(app, [*args, "--db", db, "--json"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output  # check exits 1 on open errors
    return stable(json.loads(result.stdout))


def _stored(db: Database) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every stored activity and KPI value, without ids or timestamps."""
    with db.read() as session:
        acts = session.execute(
            select(
                ActivityRecord.entity_id,
                ActivityRecord.start,
                ActivityRecord.end,
                ActivityRecord.activity,
                ActivityRecord.quantity,
                ActivityRecord.unit,
                ActivityRecord.attributes,
            ).order_by(ActivityRecord.id)
        ).all()
        values = session.execute(
            select(
                KpiValue.entity_id,
                KpiValue.year,
                KpiValue.metric_id,
                KpiValue.dims,
                KpiValue.value,
                KpiValue.unit,
                KpiValue.status,
                KpiValue.qualifier,
                KpiValue.is_current,
            ).order_by(KpiValue.id)
        ).all()
    return [tuple(r) for r in acts], [tuple(r) for r in values]


def _sha256(rows: list[tuple[Any, ...]]) -> str:
    """Exact: floats by their shortest round-tripping text, dates as ISO, JSON keys sorted."""
    text = json.dumps(rows, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def demo_digests(db_path: Path) -> dict[str, Any]:
    """SHA-256 of each input file beside the workspace, and the count and SHA-256 of its
    stored activity rows and KPI values: a difference names the file or the table."""
    inputs = db_path.parent / "inputs"
    db = Database(str(db_path))
    try:
        activities, values = _stored(db)
    finally:
        db.dispose()
    return {
        "inputs": {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(inputs.iterdir())
        },
        "activity_records": {"rows": len(activities), "sha256": _sha256(activities)},
        "kpi_values": {"rows": len(values), "sha256": _sha256(values)},
    }


def test_every_build_writes_the_same_files_and_stores_the_same_rows(
    demo_build: DemoBuild,
) -> None:
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))
    found = demo_digests(demo_build.db_path)
    assert found["inputs"] == expected["inputs"]
    assert found["activity_records"] == expected["activity_records"]
    assert found["kpi_values"] == expected["kpi_values"]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_demo_gives_the_golden_output(demo_build: DemoBuild, name: str) -> None:
    expected = json.loads((GOLDEN / f"demo-{name}.json").read_text(encoding="utf-8"))
    assert esg_json(str(demo_build.db_path), COMMANDS[name]) == expected


if __name__ == "__main__":
    for golden, command in COMMANDS.items():
        out = GOLDEN / f"demo-{golden}.json"
        out.write_text(
            json.dumps(esg_json(sys.argv[1], command), indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        print(f"wrote {out}")
    digests = demo_digests(Path(sys.argv[1]))
    DIGESTS.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {DIGESTS}")
