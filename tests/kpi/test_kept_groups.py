"""The KPI values' grouped sums kept by database triggers (#18, migration ``0039_kpigroups``).

``esg kpi`` and ``esg check`` read ``kpi_groups`` instead of grouping the span's millions of
values. Every write path must keep it: ORM inserts, updates of each column the grouping
reads, deletes, bulk imports, restatements and statements touching many rows at once. After
each random write the table must equal a fresh ``GROUP BY`` of ``kpi_values``; a table that
disagrees is named by the deep verify.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from esgledger.auth.users import add_user
from esgledger.errors import InvalidInput
from esgledger.kpi.kept_sums import kept_sums
from esgledger.ledger.backup import write_backup
from esgledger.ledger.db import Database
from esgledger.ledger.kpi_groups import disagreements, fresh_groups, kept_groups
from esgledger.ledger.models import KpiGroup, KpiValue
from esgledger.ledger.restore import restore_backup
from esgledger.ledger.workflow_models import DataRequest
from tests.checks.workspace import Workspace
from tests.kpi.kept_tables import MEMBERS, tables_agree
from tests.ledger.test_backup import members, reseal

METRICS = ("packaging.plastics", "packaging.wood", "packaging.cartons")
UNITS = ("t", "kg")


def _value(rng: random.Random) -> float | None:
    kind = rng.random()
    if kind < 0.1:
        return None
    if kind < 0.15:
        return 0.0
    if kind < 0.2:
        return rng.choice((3.0e-7, 2.5e12, -(2.0**41)))  # outside the exact split
    return rng.uniform(-5, 5) * 10 ** rng.randint(-2, 6)


def _same(db: Database, step: str) -> int:
    """Compare the kept table with a fresh grouping; how many groups it holds."""
    with db.read() as session:
        fresh, kept = fresh_groups(session), kept_groups(session)
        assert kept == fresh, step
        assert disagreements(session) == []
    return len(kept)


def _orm_insert(db: Database, rng: random.Random) -> None:
    with db.write() as session:
        keys = select(KpiValue.entity_id, KpiValue.year, KpiValue.metric_id, KpiValue.dims)
        current = {tuple(r) for r in session.execute(keys.where(KpiValue.is_current))}
        for _ in range(rng.randint(1, 4)):
            key = (
                rng.choice(("GRP", *MEMBERS)),
                rng.choice((2024, 2025)),
                rng.choice(METRICS),
                rng.choice(("", "gender=female")),
            )
            is_current = key not in current and rng.random() < 0.8
            if is_current:
                current.add(key)
            session.add(
                KpiValue(
                    entity_id=key[0],
                    year=key[1],
                    metric_id=key[2],
                    dims=key[3],
                    value=_value(rng),
                    decimals=rng.choice((None, 0, 2)),
                    unit=rng.choice(UNITS),
                    qualifier=rng.choice(("exact", "over")),
                    preliminary=rng.random() < 0.3,
                    is_current=is_current,
                    source="t",
                    note="",
                )
            )


def _orm_update(db: Database, rng: random.Random) -> None:
    with db.write() as session:
        rows = list(session.scalars(select(KpiValue).order_by(KpiValue.id)))
        if not rows:
            return
        row = rng.choice(rows)
        change = rng.choice(("value", "unit", "status", "is_current", "decimals", "several"))
        if change in ("value", "several"):
            row.value = _value(rng)
        if change in ("unit", "several"):
            row.unit = rng.choice(UNITS)
        if change == "status":
            row.status = rng.choice(("reported", "not_applicable"))
            row.note = rng.choice(("", "checked"))
        if change in ("is_current", "several"):
            row.is_current = not row.is_current
        if change in ("decimals", "several"):
            row.decimals = rng.choice((None, 1, 3))
            row.preliminary = not row.preliminary


def _orm_delete(db: Database, rng: random.Random) -> None:
    with db.write() as session:
        referenced = set(session.scalars(select(KpiValue.restates_id))) | set(
            session.scalars(select(DataRequest.value_id))
        )
        rows = [r for r in session.scalars(select(KpiValue)) if r.id not in referenced]
        for row in rng.sample(rows, min(len(rows), rng.randint(1, 3))):
            session.delete(row)


def _statement(db: Database, rng: random.Random) -> None:
    """One statement over many rows: PostgreSQL's triggers see them all at once."""
    metric = rng.choice(METRICS)
    with db.write() as session:
        kind = rng.random()
        if kind < 0.4:
            session.execute(
                update(KpiValue)
                .where(KpiValue.metric_id == metric)
                .values(value=KpiValue.value * 2, unit=rng.choice(UNITS))
            )
        elif kind < 0.7:
            session.execute(
                update(KpiValue).where(KpiValue.metric_id == metric).values(is_current=False)
            )
        else:
            referenced = select(KpiValue.restates_id).where(KpiValue.restates_id.is_not(None))
            session.execute(
                delete(KpiValue).where(
                    KpiValue.metric_id == metric,
                    KpiValue.id.not_in(referenced),
                    KpiValue.id.not_in(
                        select(DataRequest.value_id).where(DataRequest.value_id.is_not(None))
                    ),
                )
            )


def _bulk_import(ws: Workspace, rng: random.Random, restate: bool) -> None:
    year = rng.choice((2024, 2025))
    metric = rng.choice(METRICS)
    rows = []
    for entity in MEMBERS:
        v = _value(rng)
        v = None if v is None else abs(v)  # the import refuses a negative amount
        rows.append(
            {
                "entity": entity,
                "metric": metric,
                "value": "" if v is None else repr(v),
                "status": "reported" if v is not None else "not_applicable",
                "unit": "t",
                "year": year,
                **({"restatement_reason": "corrected"} if restate else {}),
            }
        )
    ws.kpis(*rows)


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def test_random_writes_keep_the_grouped_sums(ws: Workspace) -> None:
    rng = random.Random(1838)
    most = steps = 0
    kinds = ("insert", "insert", "update", "update", "delete", "statement", "import", "restate")
    for i in range(40):
        kind = rng.choice(kinds)
        if kind == "insert":
            _orm_insert(ws.db, rng)
        elif kind == "update":
            _orm_update(ws.db, rng)
        elif kind == "delete":
            _orm_delete(ws.db, rng)
        elif kind == "statement":
            _statement(ws.db, rng)
        else:
            try:
                _bulk_import(ws, rng, restate=kind == "restate")
            except Exception as exc:  # a refused file writes nothing: still compared below
                assert "restatement" in str(exc) or "value" in str(exc), exc
        most = max(most, _same(ws.db, f"step {i}: {kind}"))
        steps += 1
    assert most >= 5  # the writes made groups to compare
    assert steps == 40


def test_the_deep_verify_names_a_tampered_table(ws: Workspace) -> None:
    ws.kpis(
        *(
            {"entity": e, "metric": "packaging.wood", "value": "1.25", "unit": "t", "year": 2025}
            for e in MEMBERS
        )
    )
    _same(ws.db, "imported")
    with ws.db.write() as session:
        session.execute(update(KpiGroup).values(whole=KpiGroup.whole + 1))
    with ws.db.read() as session:
        problems = disagreements(session)
    assert len(problems) == 1 and "2025 packaging.wood in t" in problems[0]


def test_the_root_and_pending_values_are_taken_off_the_kept_sums(ws: Workspace) -> None:
    """The root's own value and a pending request's value are kept in the table but not
    counted: taken off, the groups' counts, oldest ids and sums are the rows' roll-up."""
    year = 2025
    # the root's value first: it is its group's oldest, and so is the pending one's below
    ws.kpis(
        {
            "entity": "GRP",
            "metric": "packaging.wood",
            "value": "7.5",
            "unit": "t",
            "year": year,
            "qualifier": "over",
        }
    )
    ws.kpis(
        {"entity": "SZ1", "metric": "packaging.plastics", "value": "0.1", "unit": "t", "year": year}
    )
    ws.kpis(
        *(
            {
                "entity": e,
                "metric": m,
                "value": repr(0.1 * (i + 1)),
                "unit": "t",
                "year": year,
                "qualifier": "over" if m == "packaging.wood" else "exact",
            }
            for i, e in enumerate(("HQ", "WH1", "VN1"))
            for m in METRICS
        )
    )
    with ws.db.write() as session:
        owner = add_user(session, username="owner", role="admin", actor="t")
        session.flush()
        pending = session.scalar(
            select(KpiValue.id).where(
                KpiValue.entity_id == "SZ1", KpiValue.metric_id == "packaging.plastics"
            )
        )
        for state, entity in (("submitted", "SZ1"), ("approved", "HQ")):
            value_id = session.scalar(
                select(KpiValue.id).where(
                    KpiValue.entity_id == entity, KpiValue.metric_id == "packaging.plastics"
                )
            )
            session.add(
                DataRequest(
                    year=year,
                    metric_id="packaging.plastics",
                    entity_id=entity,
                    dims="",
                    owner_id=owner.id,
                    due_date=dt.date(2026, 3, 31),
                    state=state,
                    value_id=value_id,
                    created_by="t",
                    updated_by="t",
                )
            )
    _same(ws.db, "requests")
    with ws.db.read() as session:
        kept = {(k[1], k[5]): g for k, g in kept_sums(session, year, year, "GRP")}
        stored = kept_groups(session)
    plastics = kept[("packaging.plastics", "exact")]
    assert plastics.count == 3 and plastics.oldest != pending  # SZ1's is pending
    wood = kept[("packaging.wood", "over")]
    assert wood.count == 3 and any(v[0] == 4 for v in stored.values())  # GRP's taken off
    tables_agree(ws.db, year)


def test_backup_and_restore_keep_the_grouped_sums(
    ws: Workspace, tmp_path: Path, empty_pg_url: str
) -> None:
    """Restored on either database the table is the archive's, equal to a fresh grouping and
    kept on later writes; an archive whose table was forged (checksums fixed) is refused."""
    rng = random.Random(7)
    _bulk_import(ws, rng, restate=False)
    for _ in range(4):
        _orm_insert(ws.db, rng)
    archive = tmp_path / "b.zip"
    write_backup(ws.db, archive)
    with ws.db.read() as session:
        source = kept_groups(session)
    pg = Database(empty_pg_url)
    sqlite = Database(str(tmp_path / "restored.db"))
    try:
        for target in (sqlite, pg):
            restore_backup(target, archive)
            with target.read() as session:
                assert kept_groups(session) == source
            _orm_insert(target, rng)
            _same(target, "after the restore")
        name = "data/kpi_groups.jsonl"
        lines = members(archive)[name].decode().splitlines()
        row = json.loads(lines[0])
        row[-1] += 1  # one more value outside the exact split than the values give
        forged = "\n".join([json.dumps(row), *lines[1:]]) + "\n"
        again = Database(str(tmp_path / "forged.db"))
        try:
            with pytest.raises(InvalidInput, match="is damaged: kpi_groups: "):
                restore_backup(again, reseal(archive, tmp_path / "f.zip", name, forged.encode()))
        finally:
            again.dispose()
    finally:
        pg.dispose()
        sqlite.dispose()


def test_the_migration_down_and_up_fills_the_table_from_the_stored_values(
    ws: Workspace,
) -> None:
    """Down, the table and its triggers go (writes still work); up, the table is filled
    from the values stored meanwhile and kept again."""
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    from esgledger.ledger.migrate import _config, current_revision, head_revision, upgrade

    rng = random.Random(38)
    _bulk_import(ws, rng, restate=False)
    cfg = _config(ws.db)
    before = ScriptDirectory.from_config(cfg).get_revision("0039_kpigroups").down_revision
    assert isinstance(before, str)
    with ws.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, before)
    assert current_revision(ws.db) == before
    assert "kpi_groups" not in inspect(ws.db.engine).get_table_names()
    _orm_insert(ws.db, rng)
    _orm_update(ws.db, rng)
    assert upgrade(ws.db) == (before, head_revision())
    assert _same(ws.db, "upgraded") > 0
    _orm_insert(ws.db, rng)
    _same(ws.db, "written after the upgrade")
