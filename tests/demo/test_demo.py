"""The demo group: built from nothing through `esg demo`, realistic, consistent, reproducible.

The demo is built once per run through the CLI into a temporary folder (``demo_build`` in
tests/conftest.py); the tests then read the workspace back through the ledger, so they check
what a user would see. One test builds its ledger stages into the `db` fixture, on SQLite and
on PostgreSQL; no test builds the whole demo a second time (#20).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import pycountry
import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from esgledger.catalog import dimensions, metrics
from esgledger.cli.main import app
from esgledger.demo import SITES, build
from esgledger.demo.kpi_data import additive, unit_kind
from esgledger.demo.kpi_profiles import REGISTER_ONLY, TUNED
from esgledger.demo.stages import DemoContext
from esgledger.kpi import register_figures  # noqa: F401  (fills PROVIDERS)
from esgledger.kpi.register_source import PROVIDERS
from esgledger.ledger.boundaries import get_boundary, member_shares
from esgledger.ledger.db import Database
from esgledger.ledger.models import ActivityRecord, Entity, ImportBatch, KpiValue
from esgledger.units import multiplier
from tests.conftest import USER_FILE, USER_TEXT, DemoBuild

YEARS = (2023, 2024, 2025)
ROOT = "PSD"
# Defects the demo plants on purpose (esgledger.demo.defects); the consistency tests below
# skip exactly these, and tests/checks/test_demo_defects.py proves `esg check` finds them.
PLANTED_BREAKDOWN = (ROOT, 2025, "workforce.headcount", "age_band")
PLANTED_PART = ("wastewater.nh3_n", "wastewater.tn", 2024)
INTEGER_KINDS = ("person", "participation", "occurrence", "item", "count")


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def demo_dir(demo_build: DemoBuild) -> Path:
    return demo_build.out


@pytest.fixture(scope="module")
def summary(demo_build: DemoBuild) -> dict[str, Any]:
    return demo_build.summary


@pytest.fixture(scope="module")
def demo_db(demo_dir: Path) -> Any:
    db = Database(str(demo_dir / "esg.db"))
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def kpis(demo_db: Database) -> list[KpiValue]:
    with demo_db.read() as session:
        rows = list(session.scalars(select(KpiValue).where(KpiValue.is_current)))
        session.expunge_all()
    return rows


def test_demo_builds_a_group_from_nothing(summary: dict[str, Any], demo_dir: Path) -> None:
    assert 35 <= summary["entities"] <= 50
    assert summary["entities_by_kind"]["group"] == 1
    assert {"legal_entity", "site", "park"} <= set(summary["entities_by_kind"])
    assert summary["activity_records"] > 5000
    assert sorted(summary["activity_records_by_year"]) == [str(y) for y in YEARS]
    assert summary["audit_ok"] is True
    assert summary["restatements"] == 1
    assert f"esg kpi --year 2025 --db {demo_dir / 'esg.db'}" in summary["try"]
    assert f"esg check --year 2025 --db {demo_dir / 'esg.db'}" in summary["try"]
    inputs = demo_dir / "inputs"
    assert sorted(p.name for p in inputs.iterdir()) == sorted(summary["files"])
    assert load_workbook(inputs / "activities-2025.xlsx", read_only=True).sheetnames == [
        "activities"
    ]
    assert (inputs / "activities-2023.csv").exists() and (inputs / "kpis-restatement.csv").exists()


def test_entities_have_valid_countries_and_one_root(demo_db: Database) -> None:
    with demo_db.read() as session:
        entities = list(session.scalars(select(Entity)))
    assert [e.id for e in entities if e.parent_id is None] == [ROOT]
    for entity in entities:
        assert pycountry.countries.get(alpha_2=entity.country), entity.id
        if entity.subdivision:
            assert pycountry.subdivisions.get(code=entity.subdivision), entity.id
            assert entity.subdivision.startswith(entity.country + "-")
    countries = {e.country for e in entities}
    assert {"CN", "VN", "IN", "BR", "TR", "DE", "US"} <= countries
    provinces = {e.subdivision for e in entities if e.country == "CN"}
    assert {"CN-GD", "CN-HB", "CN-JS", "CN-SC", "CN-AH"} <= provinces


def _months(db: Database, activity: str) -> dict[tuple[str, int], set[int]]:
    with db.read() as session:
        rows = session.execute(
            select(ActivityRecord.entity_id, ActivityRecord.start, ActivityRecord.end).where(
                ActivityRecord.activity == activity
            )
        ).all()
    out: dict[tuple[str, int], set[int]] = defaultdict(set)
    for entity, start, end in rows:
        assert start.day == 1 and (end + dt.timedelta(days=1)).day == 1, "whole months"
        assert start.month == end.month, "monthly records"
        out[(entity, start.year)].add(start.month)
    return out


def test_every_boundary_site_has_monthly_data_for_three_years(demo_db: Database) -> None:
    electricity = _months(demo_db, "electricity.purchased")
    water = _months(demo_db, "water.municipal")
    with demo_db.read() as session:
        members = {
            code: set(member_shares(session, get_boundary(session, code)))
            for code in [f"{y}-{f}" for y in YEARS for f in ("ghg", "env")]
        }
    sites = (members["2023-ghg"] | members["2024-ghg"] | members["2025-ghg"]) & set(SITES)
    assert len(sites) >= 20
    for site in sites:
        start = SITES[site].start or dt.date(YEARS[0], 1, 1)
        for year in YEARS:
            expected = {m for m in range(1, 13) if dt.date(year, m, 1) >= start}
            assert electricity.get((site, year), set()) == expected, (site, year)
            assert water.get((site, year), set()) == expected, (site, year)
    steady = [s for s in members["2023-ghg"] if SITES[s].start is None]
    assert steady and all(sum(len(electricity[(s, y)]) for y in YEARS) == 36 for s in steady)


def test_2025_energy_boundary_changed_basis_with_a_note(demo_db: Database) -> None:
    with demo_db.read() as session:
        b24, b25 = get_boundary(session, "2024-ghg"), get_boundary(session, "2025-ghg")
        m24, m25 = set(member_shares(session, b24)), set(member_shares(session, b25))
        countries = dict(session.execute(select(Entity.id, Entity.country)).all())
        env = {y: set(member_shares(session, get_boundary(session, f"{y}-env"))) for y in YEARS}
        ghg = {y: set(member_shares(session, get_boundary(session, f"{y}-ghg"))) for y in YEARS}
        note = b25.change_note
    assert m25 != m24 and m24 < m25
    assert len(m25) >= 2.5 * len(m24), "the entity count roughly tripled"
    assert note.strip() and "legal entities" in note
    assert {countries[e] for e in m24} == {"CN"}
    assert {"VN", "IN", "BR", "TR"} <= {countries[e] for e in m25}
    assert all(env[y] != ghg[y] for y in YEARS), "environment boundary differs from energy"


def test_every_reported_metric_has_a_2025_value_at_the_root(
    kpis: list[KpiValue], demo_db: Database
) -> None:
    """Typed at the root, or (the metrics only a register gives) counted by the register.

    Every register provider there is (:data:`~esgledger.kpi.register_source.PROVIDERS`, filled
    by :mod:`esgledger.kpi.register_figures`) is asked, so a new register is covered without
    editing this test: each must count something in the demo's 2025, and only catalog
    metrics."""
    at_root = {
        v.metric_id: v for v in kpis if v.entity_id == ROOT and v.year == 2025 and not v.dims
    }
    reported = [m for m in metrics().values() if m.kind == "reported"]
    assert reported
    missing = [m.id for m in reported if m.id not in at_root and m.id not in REGISTER_ONLY]
    assert not missing, f"reported metrics without a 2025 value: {missing}"
    assert not REGISTER_ONLY & set(at_root), "a register-only metric was also typed"
    assert len(PROVIDERS) == len(set(PROVIDERS)) >= 13, "every register's provider, once"
    with demo_db.read() as session:
        by_provider = {provider.__name__: provider(session, 2025) for provider in PROVIDERS}
    silent = [name for name, found in by_provider.items() if all(f.value is None for f in found)]
    assert not silent, f"register providers that count nothing in the demo's 2025: {silent}"
    figures = [f for found in by_provider.values() for f in found]
    assert {f.metric for f in figures} <= set(metrics()), "a register yields an unknown metric"
    counted = {f.metric for f in figures if f.value is not None}
    assert counted >= REGISTER_ONLY, "the demo's register gives every register-only metric"
    for m in (m for m in reported if m.id not in REGISTER_ONLY):
        assert at_root[m.id].status == "reported" and at_root[m.id].value is not None, m.id
        assert at_root[m.id].unit == m.unit
    produced = {m.id for m in metrics().values() if m.kind != "reported"}
    assert not produced & {v.metric_id for v in kpis}, "derived/calculated values were entered"


def test_breakdowns_sum_exactly_to_totals(kpis: list[KpiValue]) -> None:
    groups: dict[tuple[str, int, str], dict[str, float]] = defaultdict(dict)
    for v in kpis:
        if v.value is not None:
            groups[(v.entity_id, v.year, v.metric_id)][v.dims] = v.value
    checked = 0
    for (entity, year, metric_id), values in groups.items():
        metric = metrics()[metric_id]
        for dim in metric.dimensions:
            parts = {k.split("=", 1)[1]: x for k, x in values.items() if k.startswith(dim + "=")}
            if not parts:
                continue
            assert set(parts) == set(dimensions()[dim].members), (metric_id, dim)
            if (entity, year, metric_id, dim) == PLANTED_BREAKDOWN:
                continue  # a planted defect (esgledger.demo.defects): `esg check` finds it
            if additive(metric.unit):
                assert sum(parts.values()) == pytest.approx(values[""], abs=1e-6), (
                    entity,
                    year,
                    metric_id,
                    dim,
                )
                checked += 1
    assert checked >= 3 * 4, "headcount has four breakdowns in each of three years"


def test_headcount_per_legal_entity_adds_up_to_the_group(kpis: list[KpiValue]) -> None:
    heads = [v for v in kpis if v.metric_id == "workforce.headcount" and not v.dims]
    if not heads:
        pytest.skip("no headcount metric in the catalog")
    for year in YEARS:
        root = next(v.value for v in heads if v.year == year and v.entity_id == ROOT)
        entities = [v.value for v in heads if v.year == year and v.entity_id != ROOT]
        assert len(entities) >= 15 and sum(entities) == root
        assert root > 1000


def _value(kpis: list[KpiValue], metric_id: str, year: int) -> KpiValue | None:
    return next(
        (
            v
            for v in kpis
            if v.metric_id == metric_id and v.year == year and v.entity_id == ROOT and not v.dims
        ),
        None,
    )


def test_parts_never_exceed_their_wholes(kpis: list[KpiValue]) -> None:
    pairs = {(k, p.of) for k, p in TUNED.items() if p.part and p.of and not p.of.startswith("ctx:")}
    pairs |= {("wastewater.nh3_n", "wastewater.tn"), ("wastewater.bod", "wastewater.cod")}
    checked = 0
    for part_id, whole_id in sorted(pairs):
        for year in YEARS:
            if (part_id, whole_id, year) == PLANTED_PART:
                continue  # a planted defect (esgledger.demo.defects): `esg check` finds it
            part, whole = _value(kpis, part_id, year), _value(kpis, whole_id, year)
            if part is None or whole is None or part.value is None or whole.value is None:
                continue
            assert part.value <= whole.value * multiplier(whole.unit, part.unit) + 1e-9, (
                part_id,
                whole_id,
                year,
            )
            checked += 1
    assert checked or not any(m.kind == "reported" for m in metrics().values())


def test_wastewater_volumes_split_the_discharge_of_the_activity_data(
    demo_db: Database, kpis: list[KpiValue]
) -> None:
    industrial, domestic = (
        _value(kpis, f"wastewater.{k}", 2025) for k in ("industrial", "domestic")
    )
    if industrial is None or domestic is None:
        pytest.skip("no wastewater volume metrics in the catalog")
    with demo_db.read() as session:
        members = set(member_shares(session, get_boundary(session, "2025-env")))
        rows = session.execute(
            select(ActivityRecord.entity_id, ActivityRecord.quantity).where(
                ActivityRecord.activity == "water.discharge",
                ActivityRecord.start >= dt.date(2025, 1, 1),
            )
        ).all()
    discharge = sum(q for e, q in rows if e in members)
    assert industrial.value + domestic.value == pytest.approx(discharge, abs=0.05)


def test_values_are_plausible_percentages_counts_and_growth(kpis: list[KpiValue]) -> None:
    for v in kpis:
        if v.value is None:
            continue
        kind = unit_kind(v.unit)
        if kind == "percent":
            assert 0 <= v.value <= 100, v.metric_id
        if kind in INTEGER_KINDS:
            assert v.value == int(v.value), v.metric_id
        assert v.value >= 0, v.metric_id
    revenue = [_value(kpis, "economy.revenue", y) for y in YEARS]
    if all(revenue):
        for before, after in itertools.pairwise(revenue):
            assert 1.0 < after.value / before.value < 1.2


def test_statuses_and_the_revenue_restatement(demo_db: Database, kpis: list[KpiValue]) -> None:
    if "air.vocs" in metrics() and metrics()["air.vocs"].kind == "reported":
        assert [_value(kpis, "air.vocs", y).status for y in YEARS] == [
            "not_disclosed",
            "not_disclosed",
            "reported",
        ]
    if metrics().get("economy.revenue") is None:
        pytest.skip("no revenue metric in the catalog")
    with demo_db.read() as session:
        history = list(
            session.scalars(
                select(KpiValue)
                .where(KpiValue.metric_id == "economy.revenue", KpiValue.year == 2024)
                .order_by(KpiValue.id)
            )
        )
    old, new = history
    assert not old.is_current and new.is_current and new.restates_id == old.id
    assert new.restatement_reason and new.value != old.value


def test_audit_chain_verifies_and_xlsx_was_imported(demo_dir: Path, demo_db: Database) -> None:
    result = _run("audit", "verify", "--db", str(demo_dir / "esg.db"))
    assert result.exit_code == 0, result.output
    assert "verifies" in result.stdout
    with demo_db.read() as session:
        sources = set(session.scalars(select(ImportBatch.source)))
    assert {
        "entities.csv",
        "activities-2025.xlsx",
        "kpis-2025.csv",
        "kpis-restatement.csv",
    } <= sources


def test_a_busy_folder_is_refused_without_force_and_force_keeps_its_other_files(
    demo_build: DemoBuild, tmp_path: Path
) -> None:
    """No second whole build: the session demo was itself built with ``--force`` into a folder
    holding a user's file (tests/conftest.py), and tests/kpi/test_demo_golden.py holds every
    build's input files and stored rows to the same digests (so any two builds are equal)."""
    out = tmp_path / "busy"
    out.mkdir()
    (out / USER_FILE).write_text(USER_TEXT)
    refused = _run("demo", "--out", str(out))
    assert refused.exit_code == 2
    assert refused.stderr.count("\n") == 1 and "not empty" in refused.stderr
    assert "--force" in refused.stderr
    assert sorted(p.name for p in out.iterdir()) == [USER_FILE], "nothing was written"
    assert (demo_build.out / USER_FILE).read_text() == USER_TEXT, "--force kept the user's file"
    assert demo_build.summary["audit_ok"] is True
    assert (demo_build.out / "esg.db").is_file() and (demo_build.out / "inputs").is_dir()


def test_build_into_an_existing_workspace_runs_later_stages(
    db: Database, tmp_path: Path, summary: dict[str, Any], demo_db: Database
) -> None:
    seen: list[DemoContext] = []

    def probe(ctx: DemoContext) -> dict[str, object]:
        seen.append(ctx)
        with ctx.db.read() as session:
            return {"entities": len(list(session.scalars(select(Entity.id))))}

    built = build(db, inputs_dir=tmp_path / "inputs", stages=[("probe", probe)])
    assert built.entities == summary["entities"]
    assert built.activity_records == summary["activity_records"]
    from esgledger.ledger.workflow_models import DataRequest

    with demo_db.read() as session:  # values the team entered through data requests
        entered = len(list(session.scalars(select(DataRequest.value_id).where(
            DataRequest.value_id.is_not(None)))))  # fmt: skip
    assert entered > 0 and built.kpi_values == summary["kpi_values"] - entered
    assert built.audit_ok and built.restatements == 1
    assert [s["name"] for s in built.stages][-1] == "probe"
    assert built.stages[-1]["report"] == {"entities": summary["entities"]}
    assert seen[0].report_year == 2025 and seen[0].root == ROOT and seen[0].out_dir is None


def test_the_team_signs_in_with_the_printed_passwords(
    summary: dict[str, Any], demo_dir: Path, demo_db: Database
) -> None:
    from esgledger.auth.users import authenticate
    from esgledger.ledger.workflow_models import DataRequest

    users = {u["username"]: u for u in summary["users"]}
    assert {u["role"] for u in users.values()} == {
        "admin", "esg_manager", "data_owner", "reviewer", "auditor"
    }  # fmt: skip
    credentials = demo_dir / "credentials.txt"
    assert credentials.stat().st_mode & 0o077 == 0  # only the owner may read it
    assert users["manager"]["password"] in credentials.read_text()
    with demo_db.write() as session:
        for name, user in users.items():
            assert authenticate(session, name, user["password"]).role == user["role"]
        states = [r.state for r in session.scalars(select(DataRequest))]
    # a stakeholder's one-time questionnaire link for next year's open assessment
    assert summary["survey"].startswith("/survey/") and summary["survey"] in credentials.read_text()
    # next year's collection shows every state a team meets
    assert {"draft", "submitted", "returned", "approved", "locked"} <= set(states)
    assert states.count("draft") >= 2  # some not even started
