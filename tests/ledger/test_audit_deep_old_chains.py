"""Issue #14: `esg audit verify --deep` on chains written by older versions.

Before values entered through data requests were digested one by one (``value:ID``), a
request's write recorded the ``batch:none`` scope holding every such value at once; older
still, a write recorded no digest at all. A workspace carrying such a chain must verify
with a note per value that cannot be checked row by row, not fail; and a value with no
event at all must still fail. The old events are appended here by the real appender
(:func:`esgledger.ledger.audit.record`) with the payload the older versions wrote: the
``batch:none`` entry is today's ``batch:none`` digest plus the ``kpi_values`` rows it then
held (hashed as today's ``value:ID`` scope hashes that one row).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from esgledger.ledger import audit, digests
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.models import KpiValue
from tests.conftest import Cli
from tests.factories import entities_file


def _value_written_by(db: Database, tmp_path: Path, version: str) -> int:
    """A KPI value entered through a data request as ``version`` wrote it ("whole values",
    "no digest", or "no event"); returns the value's id."""
    import_entities(db, entities_file(tmp_path), actor="setup")
    with db.write() as session:
        row = KpiValue(entity_id="SZ1", year=2024, metric_id="packaging.plastics",
                       value=3.5, unit="t", source="request:1")  # fmt: skip
        session.add(row)
        session.flush()
        payload: dict[str, Any] = {"value": 3.5}
        if version == "whole values":
            entry = digests.digest(session, digests.batch_scope(None))
            one = digests.digest(session, digests.value_scope(row.id))["tables"]["kpi_values"]
            entry["tables"]["kpi_values"] = one
            payload["data"] = [entry]
        if version != "no event":
            audit.record(
                session, actor="olga", action="request.enter", subject="request:1", payload=payload
            )
        return row.id


def _deep(cli: Cli, expect: int) -> dict[str, Any]:
    result = cli("audit", "verify", "--deep", "--json", expect=expect)
    return json.loads(result.stdout)["data"]  # type: ignore[no-any-return]


def test_a_value_digested_with_all_values_at_once_is_noted_not_failed(
    db: Database, cli: Cli, tmp_path: Path
) -> None:
    value_id = _value_written_by(db, tmp_path, "whole values")
    data = _deep(cli, 0)
    assert data["ok"] is True and data["problems"] == []
    [note] = [n for n in data["notes"] if n.startswith(f"value:{value_id}:")]
    assert "entered before values were digested one by one" in note


def test_a_value_written_before_data_digests_is_noted_not_failed(
    db: Database, cli: Cli, tmp_path: Path
) -> None:
    value_id = _value_written_by(db, tmp_path, "no digest")
    data = _deep(cli, 0)
    assert data["ok"] is True
    assert f"value:{value_id}: written before data digests; its rows are unchecked" in data["notes"]


def test_a_value_no_event_wrote_still_fails(db: Database, cli: Cli, tmp_path: Path) -> None:
    value_id = _value_written_by(db, tmp_path, "no event")
    data = _deep(cli, 1)
    assert data["ok"] is False
    assert f"value:{value_id}: has rows that no audit event digested" in data["problems"]
