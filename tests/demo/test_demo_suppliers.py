"""The demo's supplier base (#16): a realistic, seeded register imported through the real
services, 200 CMRT files of varying quality, audits with open and closed findings, and the
supply-chain KPIs counted from it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from esgledger.cli.main import app
from esgledger.demo.cmrt_files import cmrt_file
from esgledger.demo.scope3_data import purchase_rows
from esgledger.demo.supplier_cmrt_data import FILES, cmrt_files
from esgledger.demo.supplier_data import suppliers
from esgledger.demo.supplier_stage import INTAKE_CLOSED
from esgledger.errors import ImportRejected
from esgledger.ingest.cmrt_rules import check
from esgledger.ingest.cmrt_workbook import read_workbook
from esgledger.ledger.db import Database
from esgledger.ledger.supplier_models import MineralDeclaration, Supplier, SupplierScreening
from esgledger.suppliers.audits import list_findings
from tests.conftest import DemoBuild

REGISTER_METRICS = (
    "supply_chain.new_suppliers_env_screened",
    "supply_chain.new_suppliers_social_screened",
    "supply_chain.onsite_inspections",
    "supply_chain.significant_negative_impact_suppliers",
    "supply_chain.conflict_minerals.cmrt_response_rate",
    "supply_chain.conflict_minerals.rmi_conformant_smelters_share",
    "supply_chain.saq.response_rate",
)


def test_the_supplier_base_is_seeded_and_holds_the_purchase_ledgers_suppliers() -> None:
    base = suppliers({})
    assert base == suppliers({})
    assert len(base) >= 1000
    assert len({s.country for s in base}) >= 8
    assert sum(bool(s.parent_group) for s in base) > 100
    ids = {s.id for s in base}
    assert {r["supplier"] for r in purchase_rows(2025)} <= ids


def test_the_broken_cmrt_files_are_refused_and_the_others_accepted(tmp_path: Path) -> None:
    files = cmrt_files(suppliers({}))
    assert len(files) == FILES
    broken = [f for f in files if f.broken]
    assert len(broken) == 20 and len({f.broken for f in broken}) == 7
    sample = broken + [f for f in files if not f.broken][:10]
    for sent in sample:
        path = cmrt_file(tmp_path / sent.file, sent.spec)
        try:
            refused = bool(check(read_workbook(path), INTAKE_CLOSED).errors)
        except ImportRejected:  # refused on opening (a sheet missing)
            refused = True
        assert refused == bool(sent.broken), (sent.file, sent.broken)


def test_the_demo_imports_the_supplier_base(demo_build: DemoBuild) -> None:
    stage = next(s for s in demo_build.summary["stages"] if s["name"] == "suppliers")["report"]
    assert stage["CMRT files"] == "180 accepted, 20 refused"
    refused = (demo_build.out / "suppliers" / "cmrt-refused.txt").read_text(encoding="utf-8")
    assert refused.count("nothing was imported") == 20
    assert ", row " in refused and "column" in refused  # row-level errors
    assert len(list((demo_build.out / "suppliers" / "cmrt").glob("*.xlsx"))) == FILES
    db = Database(str(demo_build.db_path))
    with db.read() as session:
        assert (session.scalar(select(func.count()).select_from(Supplier)) or 0) >= 1000
        assert session.scalar(select(func.count()).select_from(MineralDeclaration)) == 180
        assert (session.scalar(select(func.count()).select_from(SupplierScreening)) or 0) > 200
        findings = list_findings(session)
        overdue = list_findings(session, overdue_on=dt.date(2026, 6, 30))
    states = {f["state"] for f in findings}
    assert {"open", "verified_closed"} <= states
    assert {f["grade"] for f in findings} == {"Priority", "Major", "Minor"}
    assert overdue and all(f["grade"] != "Priority" for f in overdue)
    db.dispose()


def test_the_supply_chain_kpis_come_from_the_register(demo_build: DemoBuild) -> None:
    result = CliRunner().invoke(
        app, ["kpi", "--year", "2025", "--db", str(demo_build.db_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["kpis"]
    for metric in REGISTER_METRICS:
        found = [r for r in rows if r["metric"] == metric and not r["dims"]]
        assert found, metric
        figure = found[0]["figures"]["2025"]
        assert figure["source"] == "register", (metric, figure)
        assert figure["inputs"][0]["register"] in ("suppliers", "supplier_questionnaires")
        assert figure["inputs"][0]["rows"] > 0, (metric, figure)
