"""The rules' own rows are found through an index holding only them (#18, 0036_kpisums).

``esg check`` picks the few stored rows a rule reads by itself: history, values with a
note, restatements, labels and the group root's own values. No index held ``note`` or
``status``, so the database read every stored row of the span to keep them (1.04 CPU s at
10,000 entities, for 90 rows). A partial index holds the rows with any of those marks;
the read names its condition word for word, and the root's current rows come by entity from
the current values' index. Both databases must search those indexes, and every rule row of
the span must still come back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from esgledger.checks.rule_rows import from_rows, read_rule_rows
from esgledger.kpi.scope import Scopes
from esgledger.ledger.db import Database
from esgledger.ledger.kpi_rows import span_rows
from esgledger.ledger.models import KpiValue
from tests.checks.test_rule_rows import YEAR, _fill
from tests.checks.workspace import Workspace
from tests.kpi.test_grouping_order import _plan


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    ws = Workspace(db, tmp_path)
    _fill(ws)
    return ws


def _id_reads(db: Database, root: str | None) -> list[tuple[str, object]]:
    """The statements selecting ids of kpi_values while the rule rows are read."""
    sent: list[tuple[str, object]] = []

    def seen(conn: object, cursor: object, sql: str, params: object, *args: object) -> None:
        if sql.lstrip().upper().startswith("SELECT KPI_VALUES.ID \nFROM KPI_VALUES"):
            sent.append((sql, params))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.read() as session:
            read_rule_rows(session, YEAR - 2, YEAR, root)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    return sent


def test_rule_rows_are_searched_in_indexes_that_hold_them(ws: Workspace) -> None:
    with ws.db.read() as session:
        root = Scopes(session, YEAR).root
    sent = _id_reads(ws.db, root)
    assert len(sent) == 2, sent
    with ws.db.read() as session:
        plans = [_plan(session, sql, params) for sql, params in sent]
    assert "ix_kpi_values_rare" in plans[0], plans[0]
    assert "uq_kpi_values_current" in plans[1], plans[1]
    for plan in plans:
        assert "ix_kpi_values_year_metric" not in plan, plan
        assert "disabled" not in plan.lower(), plan  # PostgreSQL 18 marks a plan it had to keep


def test_every_rule_row_comes_back_with_the_index(ws: Workspace) -> None:
    """Each mark alone puts a row among those picked: a superseded value, a note, a
    restatement, another status, the root's own current value (checked against every row)."""
    with ws.db.write() as session:
        label = session.query(KpiValue).filter_by(metric_id="ohs.fatalities").one()
        assert label.status != "reported" and label.note == "" and label.is_current
    with ws.db.read() as session:
        root = Scopes(session, YEAR).root
        picked = read_rule_rows(session, YEAR - 2, YEAR, root)
        every = span_rows(session, YEAR - 2, YEAR)
    assert picked.unit_years == from_rows(every, YEAR).unit_years
    ids = {r.id for r in picked.rows}
    marked = {
        r.id
        for r in every
        if not r.is_current
        or r.note
        or r.restates_id is not None
        or r.status != "reported"
        or r.entity_id == root
    }
    assert marked and marked <= ids


@pytest.mark.parametrize("name", ["sqlite_db", "pg_db"])
def test_0036_kpisums_down_and_up(request: pytest.FixtureRequest, name: str) -> None:
    """Down to 0035_listsort the partial index goes; up again it is back, on (year, id),
    with its condition (test_migrations: as the models)."""
    from alembic import command
    from sqlalchemy import inspect, text

    from esgledger.ledger.migrate import _config, current_revision, head_revision, upgrade

    db: Database = request.getfixturevalue(name)
    ddl = (
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"
        if db.engine.dialect.name == "sqlite"
        else "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
    )

    def found() -> tuple[list[str], str] | None:
        with db.engine.connect() as conn:
            held = [i for i in inspect(conn).get_indexes("kpi_values")
                    if i["name"] == "ix_kpi_values_rare"]  # fmt: skip
            if not held:
                return None
            sql = str(conn.execute(text(ddl), {"name": "ix_kpi_values_rare"}).scalar())
            return list(held[0]["column_names"]), sql

    with db.engine.begin() as conn:
        cfg = _config(db)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0035_listsort")
    assert current_revision(db) == "0035_listsort"
    assert found() is None
    assert upgrade(db) == ("0035_listsort", head_revision())
    columns_and_sql = found()
    assert columns_and_sql is not None
    columns, sql = columns_and_sql
    assert columns == ["year", "id"]
    assert "note" in sql and "status" in sql and "restates_id" in sql, sql


def _reported_elsewhere(ws: Workspace) -> None:
    with ws.db.write() as session:  # a key holding a label and a reported value: counted
        session.add(
            KpiValue(
                entity_id="SZ1", year=YEAR, metric_id="ohs.fatalities", dims="", value=0.0,
                unit="case", status="reported", qualifier="", preliminary=False, source="",
                note="", is_current=True, restatement_reason="",
            )
        )  # fmt: skip


def test_unit_years_come_from_the_kept_groups(ws: Workspace) -> None:
    """While every trigger keeping ``kpi_groups`` is in place, the units and years of
    reported values are its keys (a reported value always has a number; a label has none):
    no step through the grouping index (368 searches, 0.5 CPU s at 10,000 entities)."""
    _reported_elsewhere(ws)
    with ws.db.read() as session:
        root = Scopes(session, YEAR).root
    sent: list[str] = []

    def seen(conn: object, cursor: object, sql: str, params: object, *args: object) -> None:
        sent.append(sql)

    event.listen(ws.db.engine, "before_cursor_execute", seen)
    try:
        with ws.db.read() as session:
            picked = read_rule_rows(session, YEAR - 2, YEAR, root)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", seen)
    with ws.db.read() as session:
        every = from_rows(span_rows(session, YEAR - 2, YEAR), YEAR)
    assert picked.unit_years == every.unit_years
    assert ("ohs.fatalities", YEAR, "case") in picked.unit_years
    assert [s for s in sent if "LIMIT" in s and "> (" in s] == []
    assert len([s for s in sent if "FROM kpi_groups" in s]) == 1


def test_unit_years_step_key_to_key_in_the_grouping_index(ws: Workspace) -> None:
    """With a trigger keeping ``kpi_groups`` dropped, the units and years of current values
    come from one index search per key (552 keys of 4.6 M values at 10,000 entities), not
    from counting every current value of the span; the answer is what every row says (a
    label-only key left out, as before)."""
    postgres = ws.db.engine.dialect.name == "postgresql"
    with ws.db.engine.begin() as conn:
        conn.exec_driver_sql(
            "DROP TRIGGER kpi_groups_insert" + (" ON kpi_values" if postgres else "")
        )
    sent: list[tuple[str, object]] = []

    def seen(conn: object, cursor: object, sql: str, params: object, *args: object) -> None:
        sent.append((sql, params))

    _reported_elsewhere(ws)
    with ws.db.read() as session:
        root = Scopes(session, YEAR).root
    event.listen(ws.db.engine, "before_cursor_execute", seen)
    try:
        with ws.db.read() as session:
            picked = read_rule_rows(session, YEAR - 2, YEAR, root)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", seen)
    with ws.db.read() as session:
        every = from_rows(span_rows(session, YEAR - 2, YEAR), YEAR)
    assert picked.unit_years == every.unit_years
    assert ("ohs.fatalities", YEAR, "case") in picked.unit_years
    grouped = [s for s, _ in sent if "GROUP BY kpi_values.is_current" in s]
    assert grouped == []
    steps = [(s, p) for s, p in sent if "kpi_values.unit" in s and "LIMIT" in s and "> (" in s]
    assert len(steps) >= len({(m, y, d, u) for m, y, u in every.unit_years for d in ("",)})
    with ws.db.read() as session:
        plan = _plan(session, *steps[0])
    if ws.db.engine.dialect.name == "sqlite":
        assert "ix_kpi_values_grouping (is_current=? AND (year,metric_id,dims,unit)>" in plan
    else:
        assert "Index Only Scan using ix_kpi_values_grouping" in plan, plan
        assert "ROW(" in plan, plan
        assert "disabled" not in plan.lower(), plan
