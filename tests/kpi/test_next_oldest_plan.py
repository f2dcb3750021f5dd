"""The triggers' next-oldest lookup is searched in ``ix_kpi_values_grouping`` (#18).

When a delete or update takes a group's oldest value away, the trigger looks the next one
up. Searched by the kept group's columns SQLite walked ``ix_kpi_values_year_metric``
instead (a bulk update of 462,090 values cost far more, commit 33294f3); by the row's own
key it takes the grouping index, every column before ``id`` an equality. This explains the
very text the migration's triggers are made of (its ``next_oldest``), the row's columns as
parameters as SQLite's row trigger holds them, so a change to the text or the indexes that
loses the index fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from esgledger.ledger.db import Database
from esgledger.ledger.migrate import _config

KEY = ("year", "metric_id", "dims", "unit", "qualifier", "preliminary", "decimals", "restated")
ROW = {
    "year": 2025,
    "metric_id": "energy.total",
    "dims": "",
    "unit": "MWh",
    "qualifier": "",
    "preliminary": False,
    "decimals": 2,
    "restated": False,
}


def _migration(db: Database) -> ModuleType:
    """The revision that makes the triggers, found by what it defines (no id named)."""
    script = ScriptDirectory.from_config(_config(db))
    found = [r.module for r in script.walk_revisions() if hasattr(r.module, "next_oldest")]
    assert len(found) == 1, found
    return found[0]


def _lookup(db: Database, decimals: bool) -> str:
    next_oldest: Callable[..., str] = _migration(db).next_oldest
    postgres = db.engine.dialect.name == "postgresql"
    return next_oldest(lambda c: f":{c}", postgres, decimals)


@pytest.mark.parametrize("decimals", [True, False], ids=["decimals", "no-decimals"])
def test_the_next_oldest_lookup_searches_the_grouping_index(db: Database, decimals: bool) -> None:
    lookup = _lookup(db, decimals)
    params = ROW if decimals else {k: v for k, v in ROW.items() if k != "decimals"}
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "postgresql":
            # PostgreSQL picks among indexes by cost, and an empty test table has no
            # statistics (it takes uq_kpi_values_current here): asserted is only that the
            # lookup is an index search by the group's year and metric, never a table scan
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = conn.execute(text(f"EXPLAIN SELECT {lookup}"), params).scalars().all()
            scans = [line for line in plan if " on kpi_values v " in line]
            assert len(scans) == 1 and "Index" in scans[0], plan
            cond = next(line for line in plan if "Index Cond:" in line)
            assert "(year = " in cond and "(metric_id)::text = " in cond, plan
            assert not any("Seq Scan" in line or "Sort" in line for line in plan), plan
        else:
            rows = conn.execute(text(f"EXPLAIN QUERY PLAN SELECT {lookup}"), params).all()
            plan = [str(r[-1]) for r in rows]
            search = [line for line in plan if "kpi_values" in line or line.startswith("SEARCH")]
            assert len(search) == 1, plan
            # every key column an equality, the restated expression too: the first entry
            equal = " AND ".join(f"{c}=?" for c in ("is_current", *KEY[:4], "decimals"))
            equal += " AND qualifier=? AND preliminary=? AND <expr>=?"
            assert search[0].endswith(f"INDEX ix_kpi_values_grouping ({equal})"), plan
