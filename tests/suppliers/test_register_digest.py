"""#16: the supplier register's digest is kept per supplier, so an audit event re-reads only
the suppliers it changed, and the deep audit check still finds a row changed behind the log's
back (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from esgledger.ledger import audit, digests
from esgledger.suppliers import audits, register_import
from tests.conftest import Cli
from tests.factories import write_csv
from tests.suppliers.factories import (
    CONTACT_HEADER,
    SITE_HEADER,
    SUPPLIER_HEADER,
    SUPPLIERS,
    registered,
)


@pytest.fixture
def ws(cli: Cli, tmp_path: Path) -> Cli:
    return registered(cli, tmp_path)


def _plan(ws: Cli, supplier: str) -> int:
    out = ws("suppliers", "audit", "plan", supplier, "--on", "2025-03-01", "--auditor", "Audit Co",
             "--json")  # fmt: skip
    return int(json.loads(out.stdout)["id"])


def _register_entry(ws: Cli) -> dict[str, Any]:
    """The supplier-register digest of the newest event."""
    with ws.db.read() as session:
        payload = json.loads(audit.events(session, limit=1)[0].payload)
    (entry,) = [d for d in payload["data"] if d["scope"] == digests.SUPPLIER_REGISTER]
    return dict(entry)


def _deep(ws: Cli) -> dict[str, Any]:
    out = ws("audit", "verify", "--deep", "--json", expect=None)
    body = json.loads(out.stdout)
    return {"ok": out.exit_code == 0, "problems": body.get("data", body).get("problems", [])}


def test_an_audit_event_rereads_only_the_supplier_it_changed(ws: Cli) -> None:
    audit_id = _plan(ws, "S002")
    assert _register_entry(ws)["suppliers"] == ["S002"]
    ws("suppliers", "finding", "add", str(audit_id), "--grade", "Minor", "--text", "Fire exit",
       "--family", "social")  # fmt: skip
    assert _register_entry(ws)["suppliers"] == ["S002"]
    assert _deep(ws)["ok"] is True


def test_a_row_changed_behind_the_log_is_found_after_later_events(ws: Cli) -> None:
    _plan(ws, "S001")
    with ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE suppliers SET name = 'Forged Name' WHERE id = 'S002'"))
    # Later events change other suppliers: they must not take the forged row into the log.
    audit_id = _plan(ws, "S003")
    ws("suppliers", "finding", "add", str(audit_id), "--grade", "Major", "--text", "Waste",
       "--family", "environmental")  # fmt: skip
    deep = _deep(ws)
    assert deep["ok"] is False
    assert any(p.startswith("suppliers:register: suppliers differs") for p in deep["problems"])


def test_a_changed_finding_is_found_too(ws: Cli) -> None:
    audit_id = _plan(ws, "S001")
    ws("suppliers", "finding", "add", str(audit_id), "--grade", "Minor", "--text", "Labels",
       "--family", "other")  # fmt: skip
    with ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE supplier_findings SET grade = 'Priority'"))
    _plan(ws, "S002")
    problems = _deep(ws)["problems"]
    assert any(p.startswith("suppliers:register: supplier_findings differs") for p in problems)


def test_a_rolled_back_write_leaves_no_stale_digest(ws: Cli) -> None:
    _plan(ws, "S001")
    with pytest.raises(RuntimeError), ws.db.write() as session:
        audits.plan_audit(session, supplier="S002", planned_on=_day(), mode="remote",
                          auditor="Gone Co", site=None, actor="test")  # fmt: skip
        raise RuntimeError("the caller gives up: nothing is committed")
    _plan(ws, "S003")
    assert _deep(ws) == {"ok": True, "problems": []}


def test_a_write_this_process_did_not_keep_is_not_reused_stale(
    ws: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process wrote the register after this one's last event: the next event here
    reads every group again instead of reusing what it kept."""
    from esgledger.ledger import supplier_digest

    _plan(ws, "S001")
    seen_here = supplier_digest._kept.copy()
    with ws.db.write() as session:  # the other process
        audits.plan_audit(session, supplier="S002", planned_on=_day(), mode="remote",
                          auditor="Other Co", site=None, actor="test")  # fmt: skip
    monkeypatch.setattr(supplier_digest, "_kept", seen_here)
    _plan(ws, "S003")
    assert _register_entry(ws)["suppliers"] == ["*"]
    assert _deep(ws) == {"ok": True, "problems": []}


def _day() -> Any:
    import datetime as dt

    return dt.date(2025, 4, 1)


def _import(ws: Cli, tmp_path: Path, kind: str, header: list[str], rows: list[list[str]]) -> None:
    ws("suppliers", "import", kind, str(write_csv(tmp_path / f"more-{kind}.csv", header, rows)))


def test_a_register_import_rereads_only_the_suppliers_it_changed(ws: Cli, tmp_path: Path) -> None:
    _import(ws, tmp_path, "sites", SITE_HEADER, [["S003", "Ludwigshafen", "DE", ""]])
    assert _register_entry(ws)["suppliers"] == ["S003"]
    rows = [[*SUPPLIERS[1][:5], "9000", "CNY", *SUPPLIERS[1][7:]],
            ["S004", "Penang Metals", "MY", "", "tin", "", "", "", ""]]  # fmt: skip
    _import(ws, tmp_path, "suppliers", SUPPLIER_HEADER, rows)
    assert _register_entry(ws)["suppliers"] == ["S002", "S004"]
    assert _deep(ws) == {"ok": True, "problems": []}


def test_a_row_changed_behind_the_log_is_found_after_a_later_import(
    ws: Cli, tmp_path: Path
) -> None:
    _plan(ws, "S001")
    with ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE suppliers SET name = 'Forged Name' WHERE id = 'S002'"))
        conn.execute(
            text("UPDATE supplier_sites SET address = 'Forged' WHERE supplier_id = 'S002'")
        )
    # The import changes S003 only: it must not take S002's forged rows into the log.
    _import(ws, tmp_path, "contacts", CONTACT_HEADER, [["S003", "qa@rhein.example", "Ute", ""]])
    problems = _deep(ws)["problems"]
    assert any(p.startswith("suppliers:register: suppliers differs") for p in problems)
    assert any(p.startswith("suppliers:register: supplier_sites differs") for p in problems)


def test_a_huge_register_import_rereads_the_whole_register(
    ws: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the bound an import does not list its suppliers: it reads every group again."""
    monkeypatch.setattr(register_import, "MAX_NAMED_SUPPLIERS", 1)
    rows = [["S002", "Hanoi plant 2", "VN", ""], ["S003", "Mainz depot", "DE", ""]]
    _import(ws, tmp_path, "sites", SITE_HEADER, rows)
    assert _register_entry(ws)["suppliers"] == ["*"]
    assert _deep(ws) == {"ok": True, "problems": []}
