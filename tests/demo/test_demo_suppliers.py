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
from esgledger.demo.seed import rng
from esgledger.demo.supplier_cmrt_data import FILES, ROUNDS, cmrt_files, intake_closed, metals_of
from esgledger.demo.supplier_data import suppliers
from esgledger.demo.supplier_draws import day, days, sample, weighted
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
    "supply_chain.suppliers.active",
    "supply_chain.suppliers.new",
)
RATES = (
    "supply_chain.saq.response_rate",
    "supply_chain.conflict_minerals.cmrt_response_rate",
    "supply_chain.conflict_minerals.rmi_conformant_smelters_share",
)
# The revisions a year's files may use: those released by the end of that year.
RELEASED_BY = {2023: {"6.01", "6.1", "6.22", "6.31"}, 2024: {"6.01", "6.1", "6.22", "6.31", "6.4"}}


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


def test_the_earlier_cmrt_rounds_are_seeded_and_dated_in_their_year(tmp_path: Path) -> None:
    """2023 and 2024 have their own rounds: fewer suppliers (those onboarded by then), the
    template revisions of the time, broken files refused at that year's intake."""
    base = suppliers({})
    onboarded = {s.id: s.onboarded_on for s in base}
    in_scope = {y: sum(bool(metals_of(s)) and s.onboarded_on.year <= y for s in base)
                for y in ROUNDS}  # fmt: skip
    for year in (2023, 2024):
        files = cmrt_files(base, year)
        assert files == cmrt_files(base, year)
        senders = {f.supplier for f in files}
        assert len(senders) == ROUNDS[year][0] < in_scope[year]
        assert all(onboarded[s].year <= year for s in senders)
        assert {f.file for f in files}.isdisjoint(f.file for f in cmrt_files(base))
        clean = [f for f in files if not f.broken]
        assert {f.spec.title.rsplit(" ", 1)[1] for f in clean} <= RELEASED_BY[year]
        broken = [f for f in files if f.broken]
        assert 8 <= len(broken) <= 20
        for sent in broken[:7] + clean[:5]:
            path = cmrt_file(tmp_path / sent.file, sent.spec)
            try:
                book = check(read_workbook(path), intake_closed(year))
                refused = bool(book.errors)
                assert refused or (book.effective_on and book.effective_on.year == year)
            except ImportRejected:  # refused on opening (a sheet missing)
                refused = True
            assert refused == bool(sent.broken), (sent.file, sent.broken)


def test_the_rates_come_from_the_register_in_every_year(demo_build: DemoBuild) -> None:
    """The questionnaire and CMRT rounds of 2023 and 2024 give the three rates a figure in
    those years too, not "not available"."""
    result = CliRunner().invoke(
        app, ["kpi", "--year", "2025", "--years", "3", "--db", str(demo_build.db_path), "--json"]
    )
    rows = json.loads(result.stdout)["kpis"]
    for metric in RATES:
        (row,) = [r for r in rows if r["metric"] == metric and not r["dims"]]
        for year in ("2023", "2024", "2025"):
            figure = row["figures"][year]
            assert figure["source"] == "register", (metric, year, figure)
            assert figure["value"] is not None and 0 < figure["value"] < 100, (metric, year)


def test_the_demo_imports_the_supplier_base(demo_build: DemoBuild) -> None:
    stage = next(s for s in demo_build.summary["stages"] if s["name"] == "suppliers")["report"]
    assert stage["CMRT files"] == "180 accepted, 20 refused"
    earlier = [cmrt_files(suppliers({}), y) for y in (2023, 2024)]
    assert stage["earlier CMRT files"] == ", ".join(
        f"{y} {sum(not f.broken for f in files)} accepted, {sum(bool(f.broken) for f in files)} "
        "refused"
        for y, files in zip((2023, 2024), earlier, strict=True)
    )
    refused = (demo_build.out / "suppliers" / "cmrt-refused.txt").read_text(encoding="utf-8")
    refusals = 20 + sum(bool(f.broken) for files in earlier for f in files)
    assert refused.count("nothing was imported") == refusals
    assert ", row " in refused and "column" in refused  # row-level errors
    assert len(list((demo_build.out / "suppliers" / "cmrt").glob("*.xlsx"))) == FILES
    db = Database(str(demo_build.db_path))
    with db.read() as session:
        assert (session.scalar(select(func.count()).select_from(Supplier)) or 0) >= 1000
        accepted = 180 + sum(not f.broken for files in earlier for f in files)
        assert session.scalar(select(func.count()).select_from(MineralDeclaration)) == accepted
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


def test_the_typed_supplier_figures_stay_within_the_register(demo_build: DemoBuild) -> None:
    """The suppliers in cooperation are the register's (1,100 in 2025, not a typed ~4,500):
    onboarded by the year's end and not let go before it began (the periodic evaluation ended
    eight suppliers' cooperation in 2023 and 2024); the typed figures about suppliers stay
    below that count, and the integrity-agreement share and new material suppliers' CMRT
    coverage are the register's too."""
    result = CliRunner().invoke(
        app, ["kpi", "--year", "2025", "--years", "3", "--db", str(demo_build.db_path), "--json"]
    )
    rows = {r["metric"]: r for r in json.loads(result.stdout)["kpis"] if not r["dims"]}
    base = suppliers({})
    ended = [s.ended_on for s in base if s.ended_on is not None]
    assert len(ended) == 8 and {d.year for d in ended} <= {2023, 2024}
    for year in ("2023", "2024", "2025"):
        active = rows["supply_chain.suppliers.active"]["figures"][year]
        assert active["source"] == "register"
        y = int(year)
        assert active["value"] == sum(
            s.onboarded_on.year <= y and (s.ended_on is None or s.ended_on.year >= y) for s in base
        )
        for metric in ("supply_chain.integrity_agreements_share",
                       "supply_chain.conflict_minerals.new_supplier_dd_coverage"):  # fmt: skip
            figure = rows[metric]["figures"][year]
            assert figure["source"] == "register" and 0 < figure["value"] <= 100, (metric, year)
        assert rows["supply_chain.suppliers.new"]["figures"][year]["source"] == "register"
        trained = rows["supply_chain.hsf_training.suppliers"]["figures"][year]
        assert 0 < trained["value"] < active["value"], year


def test_each_draw_helper_takes_from_the_stream_what_the_inline_draw_took() -> None:
    """The supplier data draw through ``supplier_draws`` (#16 review): the same values, and
    the stream left where the inline draws left it, so the demo did not move."""
    a, b = rng("draws"), rng("draws")
    assert day(a, 2024, months=(1, 6)) == dt.date(2024, b.randint(1, 6), b.randint(1, 28))
    assert day(a, 2024, 3) == dt.date(2024, 3, b.randint(1, 28))
    assert days(a, 5, 25) == dt.timedelta(days=b.randint(5, 25))
    assert weighted(a, "xyz", (1, 2, 3)) == b.choices("xyz", (1, 2, 3))[0]
    assert sample(a, list(range(50)), 7) == b.sample(list(range(50)), 7)
    assert sample(a, [1, 2], 5) == b.sample([1, 2], 2)
    assert a.random() == b.random()
