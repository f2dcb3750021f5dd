"""#16: a supplier whose cooperation ended (``ended_on``) is sent no questionnaire and gets
no audit planned after that day; before it, both go on as usual. Nothing is written on a
refusal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from esgledger.catalog.messages import in_words
from esgledger.errors import Conflict
from esgledger.ledger.supplier_models import SupplierAudit, SupplierSaqLink
from esgledger.suppliers.register import refuse_ended
from esgledger.suppliers.tiering import current_tiers
from tests.conftest import Cli
from tests.factories import write_csv
from tests.suppliers.factories import registered
from tests.suppliers.saq_files import saq_workspace

ENDED = ["id", "name", "country", "ended_on"]


def _end(cli: Cli, tmp_path: Path, supplier: str, name: str, country: str, day: str) -> None:
    path = write_csv(tmp_path / f"end-{supplier}.csv", ENDED, [[supplier, name, country, day]])
    cli("suppliers", "import", "suppliers", str(path))


def test_no_audit_is_planned_after_the_cooperation_ended(cli: Cli, tmp_path: Path) -> None:
    ws = registered(cli, tmp_path)
    _end(ws, tmp_path, "S002", "Hanoi Cable Works", "VN", "2025-06-30")
    err = ws("suppliers", "audit", "plan", "S002", "--on", "2025-07-01",
             "--auditor", "Audit Co", expect=2).stderr  # fmt: skip
    assert "supplier S002's cooperation ended on 2025-06-30" in err and "2025-07-01" in err
    assert "Traceback" not in err
    with ws.db.read() as session:
        assert session.query(SupplierAudit).count() == 0
    planned = ws("suppliers", "audit", "plan", "S002", "--on", "2025-06-30",
                 "--auditor", "Audit Co", "--json").stdout  # fmt: skip
    assert json.loads(planned)["supplier"] == "S002"  # its last day is still in cooperation


def test_no_questionnaire_is_sent_after_the_cooperation_ended(cli: Cli, tmp_path: Path) -> None:
    saq_workspace(cli, tmp_path)
    with cli.db.read() as session:
        before = session.query(SupplierSaqLink).count()
    _end(
        cli,
        tmp_path,
        "S002",
        "Hanoi Cable Works",
        "VN",
        (dt.date.today() - dt.timedelta(days=1)).isoformat(),
    )
    err = cli("suppliers", "saq", "send", "SAQ 2025", "S001", "S002", "--days", "30",
              expect=2).stderr  # fmt: skip
    assert "supplier S002's cooperation ended on" in err and "no questionnaire" in err
    with cli.db.read() as session:
        assert session.query(SupplierSaqLink).count() == before  # S001's link not written
    cli("suppliers", "saq", "send", "SAQ 2025", "S001", "--days", "30")


def _tiers(cli: Cli, *args: str) -> dict[str, dict[str, Any]]:
    rows = json.loads(cli("suppliers", "tier", *args, "--json").stdout)
    return {r["supplier"]: r for r in rows}


def test_an_ended_supplier_gets_no_new_tier_and_keeps_its_history(cli: Cli, tmp_path: Path) -> None:
    ws = registered(cli, tmp_path)
    first = _tiers(ws, "--on", "2025-01-02")["S002"]
    assert first["tier"] is not None and first["obligations"]
    _end(ws, tmp_path, "S002", "Hanoi Cable Works", "VN", "2025-06-30")
    before = _tiers(ws, "--on", "2025-06-29", "--dry-run")["S002"]
    assert before["tier"] == first["tier"] and before["ended_on"] is None
    for args in (["--dry-run"], []):  # the ended day itself: no obligation from it on
        got = _tiers(ws, "--on", "2025-06-30", *args)
        s002 = got["S002"]
        assert s002["tier"] is None and s002["obligations"] == {} and s002["score"] is None
        assert s002["previous"] == first["tier"] and s002["ended_on"] == "2025-06-30"
        assert s002["note"] == "cooperation ended 2025-06-30"
        assert got["S001"]["tier"] is not None and got["S001"]["note"] is None
    history = json.loads(ws("suppliers", "history", "S002", "--json").stdout)
    assert [(h["decided_on"], h["tier"]) for h in history] == [("2025-01-02", first["tier"])]
    table = ws("suppliers", "tier", "S002", "--on", "2025-07-01").stdout
    assert "cooperation ended 2025-06-30" in table
    with ws.db.read() as session:
        assert "S002" not in current_tiers(session, on=dt.date(2025, 6, 30))
        assert current_tiers(session, on=dt.date(2025, 6, 29))["S002"] == first["tier"]
        assert current_tiers(session)["S002"] == first["tier"]  # the history's last row


def test_the_refusals_about_an_ended_supplier_are_worded_in_chinese(
    cli: Cli, tmp_path: Path
) -> None:
    ws = registered(cli, tmp_path)
    _end(ws, tmp_path, "S002", "Hanoi Cable Works", "VN", "2025-06-30")
    with ws.db.read() as session:
        with pytest.raises(Conflict) as audit_refused:
            refuse_ended(session, ["S002"], dt.date(2025, 7, 1), "audit")
        with pytest.raises(Conflict) as saq_refused:
            refuse_ended(session, ["S002"], dt.date(2025, 7, 1), "questionnaire")
    assert str(audit_refused.value) == (
        "supplier S002's cooperation ended on 2025-06-30; no audit is planned for 2025-07-01"
    )
    assert in_words(audit_refused.value, "zh") == (
        "供应商 S002 的合作已于 2025-06-30 终止；不能安排 2025-07-01 的审核"
    )
    assert in_words(saq_refused.value, "zh") == (
        "供应商 S002 的合作已于 2025-06-30 终止；终止后不再发送问卷"
    )
