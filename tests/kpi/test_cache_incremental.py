"""Issue #14 (speed): after a write the cached KPI series recomputes only what the write can
move — a data request's step touches one metric in one year and the derived metrics reading
it — and is equal, figure for figure, to a full recomputation after every kind of write;
writes whose effect is not bounded (imports, calculation runs, entity changes, voids, a
request on a calculated metric) recompute the whole table."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from esgledger.auth.permissions import Principal
from esgledger.auth.users import add_user, principal
from esgledger.kpi import cache, incremental
from esgledger.kpi.cache import cached_kpi_series
from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from esgledger.workflow import review
from esgledger.workflow.requests import get_request, issue_requests
from esgledger.workflow.values import enter_value
from tests.conftest import Cli
from tests.filled import filled_db
from tests.kpi.test_kpi import activities, entities, kpis

YEAR = 2024
BASE = [
    [entity, year, metric, value + (year - 2022), unit, gender, "", ""]
    for year in (2022, 2023, 2024)
    for entity, metric, value, unit, gender in (
        ("A", "packaging.plastics", 10, "t", ""),
        ("B", "packaging.plastics", 4, "t", ""),
        ("A", "packaging.cartons", 3, "t", ""),
        ("A", "packaging.wood", 1, "t", ""),
        ("A", "packaging.metal", 2, "t", ""),
        ("GRP", "economy.revenue", 500, "CNY", ""),
        ("A", "workforce.headcount", 100, "person", "female"),
        ("A", "workforce.headcount", 120, "person", "male"),
        ("A", "workforce.new_hires", 9, "person", ""),
    )
    if (metric, year) != ("economy.revenue", YEAR)  # collected through a request below
]


def fill_seeded(db: Database, folder: Path) -> None:
    """The entities, three years of KPI values (the report year's revenue left to a
    request), a year of electricity and its run, and a request owner and reviewer."""
    ws = entities(Cli(db), folder)
    kpis(ws, folder, BASE)
    activities(ws, folder, [["A", "2024-01-01", "2024-12-31", "electricity.purchased", 10, "MWh"]])
    ws("calc", "--year", str(YEAR))
    with db.write() as session:
        for name, role in (("mia", "esg_manager"), ("rita", "reviewer")):
            add_user(session, username=name, role=role, actor="t")


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cli]:
    """A copy of the workspace :func:`fill_seeded` filled once per run, on each database:
    each of the ~20 tests across five modules that start from it filled its own (#20)."""
    for db in filled_db(request, tmp_path, "kpi_seeded", fill_seeded):
        cache.clear()
        yield Cli(db)


def check(work: Cli, how: str) -> dict:
    """The cached series equals a fresh one, and was computed ``how`` (or reused: "")."""
    before = cache.computed.copy()
    with work.db.read() as session:
        cached = cached_kpi_series(session, YEAR, years=3)
        fresh = kpi_series(session, YEAR, years=3)
    assert json.dumps(cached, sort_keys=True, default=str) == json.dumps(
        fresh, sort_keys=True, default=str
    )
    assert cached == fresh
    done = cache.computed - before
    assert list(done) == ([how] if how else []), done
    return cached


def value(series: dict, metric: str, dims: dict | None = None) -> float | None:
    [row] = [k for k in series["kpis"] if k["metric"] == metric and k["dims"] == (dims or {})]
    return row["values"][str(YEAR)]


def issue(work: Cli, metric: str, entity: str, year: int = YEAR) -> int:
    with work.db.write() as session:
        mia = principal(session, "mia")
        (rid,) = issue_requests(session, mia, year=year, metrics=[metric], owner="mia",
                                due=dt.date(year + 1, 3, 31), entities=[entity],
                                reviewer="rita", issued_on=dt.date(year + 1, 1, 5))["ids"]  # fmt: skip
    return rid


def step(work: Cli, who: str, rid: int, action: str, **kw: object) -> None:
    with work.db.write() as session:
        user: Principal = principal(session, who)
        version = get_request(session, rid).version
        if action == "enter":
            enter_value(session, user, rid, version=version, **kw)  # type: ignore[arg-type]
        else:
            getattr(review, action)(session, user, rid, version=version, **kw)


def test_request_steps_update_one_metric_and_its_dependants(seeded: Cli) -> None:
    work = seeded
    first = check(work, "full")
    check(work, "")  # unchanged: the same table
    revenue, cartons = issue(work, "economy.revenue", "GRP"), issue(work, "packaging.cartons", "B")
    check(work, "full")  # issuing requests is not bounded here
    step(work, "mia", cartons, "enter", value=7, unit="t")
    assert value(check(work, "incremental"), "packaging.cartons") == 5.0  # pending: not counted
    step(work, "mia", cartons, "submit")
    check(work, "incremental")
    step(work, "rita", cartons, "approve")
    after = check(work, "incremental")
    assert value(after, "packaging.cartons") == 12.0
    assert value(after, "packaging.total") != value(first, "packaging.total")  # a dependant
    step(work, "mia", revenue, "enter", value=1000, unit="CNY")
    step(work, "mia", revenue, "submit")
    step(work, "rita", revenue, "approve")
    after = check(work, "incremental")  # three steps since the last table, one update
    revenue_now = value(after, "economy.revenue")
    assert revenue_now is not None and revenue_now > 0  # in the metric's unit
    assert value(after, "packaging.intensity") != value(first, "packaging.intensity")
    step(work, "rita", revenue, "return_request", comment="check the currency")
    assert value(check(work, "incremental"), "economy.revenue") is None  # not available again
    step(work, "mia", revenue, "submit")
    step(work, "rita", revenue, "approve")
    step(work, "mia", revenue, "lock")
    check(work, "incremental")
    step(work, "mia", revenue, "restate", value=990, unit="CNY", reason="audit adjustment")
    step(work, "rita", revenue, "approve")
    restated = check(work, "incremental")
    assert value(restated, "economy.revenue") == pytest.approx(revenue_now * 0.99)
    with work.db.write() as session:
        add_user(session, username="newcomer", role="auditor", actor="t")
    check(work, "incremental")  # a new user moves no figure: the table is reused as it is
    elsewhere = issue(work, "packaging.cartons", "B", year=2020)
    check(work, "full")
    step(work, "mia", elsewhere, "enter", value=1, unit="t")
    step(work, "mia", elsewhere, "submit")
    step(work, "rita", elsewhere, "approve")
    check(work, "incremental")  # a year outside the table's span


def test_breakdowns_and_rates_follow_a_request_on_one_of_their_inputs(seeded: Cli) -> None:
    work = seeded
    check(work, "full")
    hires = issue(work, "workforce.new_hires", "B")
    check(work, "full")
    step(work, "mia", hires, "enter", value=5, unit="person")
    step(work, "mia", hires, "submit")
    step(work, "rita", hires, "approve")
    after = check(work, "incremental")
    assert value(after, "workforce.new_hires") == 16.0
    assert value(after, "workforce.headcount", {"gender": "female"}) == 102.0


def test_writes_whose_effect_is_not_bounded_recompute_everything(
    seeded: Cli, tmp_path: Path
) -> None:
    work = seeded
    check(work, "full")
    kpis(work, tmp_path, [["B", YEAR, "packaging.cartons", 2, "t", "", "", ""]], name="k2.csv")
    assert value(check(work, "full"), "packaging.cartons") == 7.0  # a KPI import
    activities(
        work, tmp_path, [["B", "2024-02-01", "2024-02-28", "electricity.purchased", 5, "MWh"]],
        name="a2.csv",
    )  # fmt: skip
    check(work, "full")  # an activity import
    work("calc", "--year", str(YEAR))
    check(work, "full")  # a calculation run
    batch = json.loads(work("activities", "list", "--json").stdout)
    newest = max(r["batch"] for r in (batch if isinstance(batch, list) else batch["rows"]))
    work("activities", "void", "--batch", str(newest), "--reason", "wrong site")
    check(work, "full")  # a void
    entities = tmp_path / "e2.csv"
    entities.write_text("id,name,parent,country,subdivision,kind\nD,Plant D,GRP,CN,CN-GD,site\n")
    work("import", "entities", str(entities))
    check(work, "full")  # an entity change


def test_a_request_on_a_calculated_metric_updates_its_figure_beside_the_recomputed_one(
    seeded: Cli,
) -> None:
    """A request step leaves the activity data and the runs as they were: the recomputed
    electricity figure kept from the table is put beside the new reported one again (the
    precedence decides), in the checked year (a complete run: the recomputed figure is used)
    and in an earlier one (no activity data: the reported one is used)."""
    work = seeded
    check(work, "full")
    power, earlier = (
        issue(work, "energy.electricity.purchased", "A"),
        issue(work, "energy.electricity.purchased", "B", YEAR - 1),
    )
    check(work, "full")  # issuing requests is not bounded here
    step(work, "mia", power, "enter", value=12, unit="MWh")
    check(work, "incremental")
    step(work, "mia", power, "submit")
    step(work, "rita", power, "approve")
    after = check(work, "incremental")
    [row] = [k for k in after["kpis"] if k["metric"] == "energy.electricity.purchased"]
    assert row["values"][str(YEAR)] == 10.0  # the run's figure, the reported 12 beside it
    step(work, "mia", earlier, "enter", value=7, unit="MWh")
    step(work, "mia", earlier, "submit")
    step(work, "rita", earlier, "approve")
    after = check(work, "incremental")
    [row] = [k for k in after["kpis"] if k["metric"] == "energy.electricity.purchased"]
    assert row["values"][str(YEAR - 1)] == 7.0
    step(work, "rita", power, "return_request", comment="meter misread")
    check(work, "incremental")


def test_a_table_idle_for_many_writes_catches_up_in_batches(
    seeded: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table read again after more request steps than one batch of audit events (another
    server process's, idle while the first wrote) reads them batch by batch and updates the
    metrics they touched; past ``MAX_EVENTS`` it is recomputed whole (both limits made
    small for that part, to keep the test short)."""
    work = seeded
    check(work, "full")
    cartons = issue(work, "packaging.cartons", "B")
    power = issue(work, "energy.electricity.purchased", "A")
    check(work, "full")
    for turn in range(105):
        step(work, "mia", cartons, "enter", value=turn + 1, unit="t")
        step(work, "mia", power, "enter", value=turn + 1, unit="MWh")
    step(work, "mia", cartons, "submit")
    step(work, "rita", cartons, "approve")
    assert value(check(work, "incremental"), "packaging.cartons") == 110.0  # 212 events
    monkeypatch.setattr(incremental, "BATCH", 7)
    monkeypatch.setattr(incremental, "MAX_EVENTS", 30)
    for turn in range(14):
        step(work, "mia", power, "enter", value=turn + 2, unit="MWh")
    step(work, "mia", power, "submit")
    step(work, "rita", power, "approve")
    assert value(check(work, "incremental"), "energy.electricity.purchased") == 10.0  # 16
    with work.db.write() as session:
        for turn in range(31):
            review.comment(session, principal(session, "rita"), power, f"check {turn}")
    check(work, "full")  # 31 events: past MAX_EVENTS
