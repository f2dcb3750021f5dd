"""Issue #14, a write's cost: a value entered through a data request is digested on its own
(scope ``value:ID``, one row), not with every value ever entered without a file
(``batch:none``, re-read whole on every write before), and the deep check still finds a
manually entered value changed, deleted or added behind the ledger's back."""

from __future__ import annotations

import json

from sqlalchemy import select, text

from esgledger.ledger import audit_deep
from esgledger.ledger.models import AuditEvent
from esgledger.workflow import review
from esgledger.workflow.requests import get_request
from esgledger.workflow.values import enter_value
from tests.workflow.conftest import Org, issue


def _problems(org: Org) -> list[str]:
    with org.db.read() as session:
        return audit_deep.verify_data(session).problems


def _last_data(org: Org) -> list[dict]:  # type: ignore[type-arg]
    with org.db.read() as session:
        payload = session.scalars(
            select(AuditEvent.payload)
            .where(AuditEvent.action.in_(["request.enter", "request.restate"]))
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).one()
    return json.loads(payload)["data"]  # type: ignore[no-any-return]


def _enter(org: Org, rid: int, value: float) -> None:
    with org.db.write() as s:
        version = get_request(s, rid).version
        enter_value(s, org.olga, rid, version=version, value=value, unit="t")


def test_a_request_write_digests_only_its_value_and_tampering_is_found(org: Org) -> None:
    rids = issue(org, ["packaging.plastics", "packaging.wood"], ["SZ1"])
    for rid, value in zip(rids, (3, 4), strict=True):
        _enter(org, rid, value)
    _enter(org, rids[0], 5)  # a draft corrected in place
    [entry] = _last_data(org)
    with org.db.read() as s:
        value_id = get_request(s, rids[0]).value_id
    assert entry["scope"] == f"value:{value_id}"
    assert entry["tables"]["kpi_values"][0] == 1  # one row read and hashed, not all of them
    assert _problems(org) == []
    for rid in rids:
        with org.db.write() as s:
            review.submit(s, org.olga, rid, version=get_request(s, rid).version)
        with org.db.write() as s:
            review.approve(s, org.rita, rid, version=get_request(s, rid).version)
        with org.db.write() as s:
            review.lock(s, org.manager, rid, version=get_request(s, rid).version)
    with org.db.write() as s:  # a restatement: a new row, the old one kept as history
        review.restate(s, org.manager, rids[1], version=get_request(s, rids[1]).version,
                       value=6, unit="t", reason="recount")  # fmt: skip
    assert [e["scope"] for e in _last_data(org)] != ["batch:none"]
    assert _problems(org) == []

    with org.db.engine.begin() as conn:
        conn.execute(text("UPDATE kpi_values SET value = 50 WHERE value = 5"))
    assert any(p.startswith(f"value:{value_id}: kpi_values differs") for p in _problems(org))
    with org.db.engine.begin() as conn:
        conn.execute(text("UPDATE kpi_values SET value = 5 WHERE value = 50"))
    assert _problems(org) == []
    with org.db.engine.begin() as conn:  # a value nobody entered through the ledger
        conn.execute(
            text(
                "INSERT INTO kpi_values (entity_id, year, metric_id, dims, value, unit, status,"
                " qualifier, preliminary, source, note, is_current, restatement_reason, version,"
                " created_at)"
                " SELECT entity_id, year, 'packaging.metal', dims, 9, unit, status, qualifier,"
                " preliminary, source, note, is_current, restatement_reason, version,"
                f" created_at FROM kpi_values WHERE id = {value_id}"
            )
        )
    assert any("has rows that no audit event digested" in p for p in _problems(org))
    with org.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM kpi_values WHERE metric_id = 'packaging.metal'"))
        conn.execute(text("UPDATE data_requests SET value_id = NULL, submitted_value_id = NULL"))
        conn.execute(text(f"DELETE FROM kpi_values WHERE id = {value_id}"))
    assert any(p.startswith(f"value:{value_id}: kpi_values differs") for p in _problems(org))
