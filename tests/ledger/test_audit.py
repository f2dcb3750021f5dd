"""The audit chain detects any edit of history."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from esgledger.ledger import audit
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, entities_file, monthly_rows, write_csv


@pytest.fixture
def busy(db: Database, cli: Cli, tmp_path: Path) -> Database:
    cli("import", "entities", str(entities_file(tmp_path)))
    cli(
        "import",
        "activities",
        str(
            write_csv(
                tmp_path / "a.csv",
                ACTIVITY_HEADER,
                monthly_rows("SZ1", "fuel.diesel", "t", 2024, 1),
            )
        ),
    )
    cli("boundary", "create", "2024-all", "--year", "2024", "--include", "GRP")
    return db


def test_untouched_chain_verifies(busy: Database, cli: Cli) -> None:
    result = cli("audit", "verify")
    assert "Audit chain verifies: 4 events, head 4:" in result.stdout


@pytest.mark.parametrize(
    ("statement", "broken", "reason"),
    [
        (
            "UPDATE audit_events SET payload = replace(payload, '\"rows\"' || ':12', '\"rows\"' || ':13') WHERE id = 3",
            3,
            "content does not match",
        ),
        ("UPDATE audit_events SET actor = 'mallory' WHERE id = 2", 2, "content does not match"),
        ("DELETE FROM audit_events WHERE id = 2", 3, "event 2 is missing"),
        (
            "UPDATE audit_events SET prev_hash = hash WHERE id = 4",
            4,
            "previous-hash does not match",
        ),
    ],
)
def test_tampered_event_is_named(
    busy: Database, cli: Cli, statement: str, broken: int, reason: str
) -> None:
    with busy.engine.begin() as conn:
        assert conn.exec_driver_sql(statement).rowcount == 1
    result = cli("audit", "verify", expect=1)
    assert f"audit chain broken at event {broken}: " in result.output
    assert reason in result.output
    with busy.read() as session:
        assert audit.verify(session).broken_id == broken


def test_recomputed_hash_still_breaks_the_next_link(busy: Database) -> None:
    """Rewriting an event and its own hash is caught by the following event's link."""
    with busy.read() as session:
        event = session.get(audit.AuditEvent, 2)
        assert event is not None
        event.actor = "mallory"
        new_hash = audit.event_hash(event)
    with busy.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_events SET actor='mallory', hash=:h WHERE id=2"), {"h": new_hash}
        )
    with busy.read() as session:
        result = audit.verify(session)
    assert (result.ok, result.broken_id) == (False, 3)
