"""#16.6 KPIs from the supplier register: values counted by hand, with the rows behind them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from esgledger.kpi.register_figures import base_figures, supplier_figures
from esgledger.kpi.register_source import PROVIDERS
from esgledger.ledger.supplier_models import SupplierScreening
from tests.conftest import Cli
from tests.factories import entities_file
from tests.suppliers.factories import register_files


def _by_metric(cli: Cli, year: int) -> dict[str, object]:
    with cli.db.read() as session:
        return {f.metric: f for f in supplier_figures(session, year)}


def test_screening_audit_and_impact_figures_with_their_rows(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    assert _by_metric(cli, 2024) == {}  # an empty register yields nothing
    for kind, path in register_files(tmp_path).items():
        cli("suppliers", "import", kind, str(path))
    # New in 2024: S001 only (S002 came in 2023, S003 has no onboarding date).
    policy = tmp_path / "env-only.toml"
    policy.write_text(
        '[gate]\ncriteria = [{ kind = "certification", name = "ISO 14001", '
        'family = "environmental" }]\n',
        encoding="utf-8",
    )
    cli("suppliers", "screen", "S001", "S002", "--on", "2024-03-01", "--policy", str(policy))
    cli("suppliers", "screen", "S001", "--on", "2025-02-01")  # after 2024: not counted
    figures = _by_metric(cli, 2024)
    with cli.db.read() as session:
        env_row = session.scalar(
            select(SupplierScreening.id).where(
                SupplierScreening.supplier_id == "S001", SupplierScreening.environmental
            )
        )
    env = figures["supply_chain.new_suppliers_env_screened"]
    assert (env.value, env.unit, env.entity_id, env.row_ids) == (100.0, "%", "GRP", (env_row,))
    social = figures["supply_chain.new_suppliers_social_screened"]
    assert (social.value, social.row_ids, social.note) == (0.0, (), "0 of 1 new suppliers")
    audits = figures["supply_chain.onsite_inspections"]
    assert audits.value is None and audits.note.startswith("not available")

    audit = json.loads(cli("suppliers", "audit", "plan", "S001", "--on", "2024-05-01",
                           "--auditor", "A", "--json").stdout)["id"]  # fmt: skip
    remote = json.loads(cli("suppliers", "audit", "plan", "S002", "--on", "2024-06-01",
                            "--auditor", "B", "--mode", "remote", "--json").stdout)["id"]  # fmt: skip
    major = json.loads(cli("suppliers", "finding", "add", str(audit), "--grade", "Major",
                           "--text", "x", "--json").stdout)["id"]  # fmt: skip
    cli("suppliers", "finding", "add", str(audit), "--grade", "Minor", "--text", "y")
    for ident in (audit, remote):
        cli("suppliers", "audit", "report", str(ident), "--done", "2024-06-02",
            "--report", "2024-06-09")  # fmt: skip
    figures = _by_metric(cli, 2024)
    count = figures["supply_chain.onsite_inspections"]
    assert (count.value, count.row_ids) == (1.0, (audit,))
    share = figures["supply_chain.new_suppliers_onsite_audited"]
    assert (share.value, share.row_ids) == (100.0, (audit,))
    negative = figures["supply_chain.significant_negative_impact_suppliers"]
    assert (negative.value, negative.row_ids) == (1.0, (major,))
    empty_year = _by_metric(cli, 2022)
    assert empty_year["supply_chain.new_suppliers_env_screened"].value is None
    assert (
        "no supplier was onboarded in 2022"
        in empty_year["supply_chain.new_suppliers_env_screened"].note
    )
    assert empty_year["supply_chain.onsite_inspections"].value == 0.0


def test_the_provider_is_registered() -> None:
    assert supplier_figures in PROVIDERS


def test_suppliers_in_cooperation_and_new_suppliers_are_counted_from_the_register(
    cli: Cli, tmp_path: Path
) -> None:
    """S002 onboarded in 2023, S001 in 2024, S003 with no onboarding date: counted in every
    year as in cooperation (the register lists it, not since when), never as new, and said."""
    cli("import", "entities", str(entities_file(tmp_path)))
    for kind, path in register_files(tmp_path).items():
        cli("suppliers", "import", kind, str(path))
    with cli.db.read() as session:
        by_year = {y: {f.metric: f for f in base_figures(session, y)} for y in (2022, 2023, 2024)}
    active = {y: by_year[y]["supply_chain.suppliers.active"] for y in by_year}
    new = {y: by_year[y]["supply_chain.suppliers.new"] for y in by_year}
    assert {y: (f.value, f.row_ids) for y, f in active.items()} == {
        2022: (1.0, ("S003",)),
        2023: (2.0, ("S002", "S003")),
        2024: (3.0, ("S001", "S002", "S003")),
    }
    assert {y: (f.value, f.row_ids) for y, f in new.items()} == {
        2022: (0.0, ()),
        2023: (1.0, ("S002",)),
        2024: (1.0, ("S001",)),
    }
    assert all(
        f.unit == "count" and f.entity_id == "GRP" for f in [*active.values(), *new.values()]
    )
    assert "1 supplier with no onboarding date" in active[2023].note
    assert "1 supplier with no onboarding date" in new[2023].note
    assert base_figures in PROVIDERS


def test_the_supplier_base_figures_are_in_the_kpi_table(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    for kind, path in register_files(tmp_path).items():
        cli("suppliers", "import", kind, str(path))
    rows = json.loads(cli("kpi", "--year", "2024", "--years", "1", "--json").stdout)["kpis"]
    (active,) = [r for r in rows if r["metric"] == "supply_chain.suppliers.active"]
    figure = active["figures"]["2024"]
    assert (figure["value"], figure["source"]) == (3.0, "register")
    assert figure["inputs"][0]["register"] == "suppliers" and figure["inputs"][0]["rows"] == 3
