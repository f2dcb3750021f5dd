"""#13.9: a recalculation after backup and restore gives the same figures, bit for bit.

A restore inserts rows in key order, so entities come back in another order than they were
imported in (and PostgreSQL's collation sorts ids unlike SQLite); the figures must not
depend on either.
"""

from __future__ import annotations

import json
from pathlib import Path

from esgledger.ledger.backup import write_backup
from esgledger.ledger.db import Database
from esgledger.ledger.restore import restore_backup
from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, ENTITY_HEADER, write_csv

# imported in the reverse of their sorted order; case and punctuation sort differently in
# a human collation than in code points
IDS = [f"{p}{n:02d}" for n in range(12, 0, -1) for p in ("b.", "A", "a-")]


def build(cli: Cli, tmp_path: Path) -> None:
    entities = [["GRP", "Group", "", "CN", "CN-GD", "group"]]
    entities += [[i, f"site {i}", "GRP", "CN", "CN-GD", "site"] for i in IDS]
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, entities)))
    rows = []
    for n, entity in enumerate(IDS):
        magnitude = 10.0 ** (n % 9 - 3)
        for month in range(1, 13):
            start, end = f"2024-{month:02d}-01", f"2024-{month:02d}-28"
            rows.append([entity, start, end, "fuel.diesel", magnitude / 3 + month / 7, "t"])
            rows.append(
                [entity, start, end, "electricity.purchased", magnitude * 1e3 / 7 + 0.1, "kWh"]
            )
    cli("import", "activities", str(write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, rows)))


def figures(cli: Cli) -> dict[str, str]:
    run = json.loads(cli("calc", "--year", "2024", "--json").stdout)
    # json.dumps writes each float's repr: equal text is equal bits
    return {k: json.dumps(run[k], sort_keys=True) for k in ("totals", "by_gas", "by_activity")}


def test_recalculation_after_restore_is_bit_identical(cli: Cli, tmp_path: Path) -> None:
    build(cli, tmp_path)
    before = figures(cli)
    archive = tmp_path / "backup.zip"
    write_backup(cli.db, archive)
    restored = Database(str(tmp_path / "restored.db"))
    try:
        restore_backup(restored, archive)
        assert figures(Cli(restored)) == before
    finally:
        restored.dispose()
