"""Issue #14 (speed): after a write the pages' cached findings rerun only the rules the write
can move — a data request's step in the checked year or the two before moves the rules that
read KPI values, one in another year moves none — and equal, finding for finding, a full
run of the checks after every kind of write; writes whose effect is not bounded (imports,
calculation runs, entity changes, voids, issuing requests) rerun every rule."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from esgledger.auth.users import add_user
from esgledger.checks import acknowledge, incremental, run_checks
from esgledger.checks.engine import READS, RULES
from esgledger.checks.incremental import reading_kpi_values, rules_to_rerun
from esgledger.kpi.incremental import with_dependants
from esgledger.ledger.models import AuditEvent
from esgledger.web import state_findings
from esgledger.web.state_findings import cached_findings
from tests.conftest import Cli
from tests.kpi.test_cache_incremental import YEAR, issue, seeded, step  # noqa: F401 - fixture
from tests.kpi.test_kpi import activities, kpis


def check(work: Cli, how: str) -> list[dict]:
    """The cached findings equal a fresh run of the checks, and were computed ``how``
    ("full", "incremental": some rules rerun, "reused": none; "": the state's own)."""
    before = state_findings.computed.copy()
    with work.db.read() as session:
        cached = [f.as_dict() for f in cached_findings(session, YEAR)]
        fresh = [f.as_dict() for f in run_checks(session, YEAR)]
    assert json.dumps(cached, sort_keys=True, default=str) == json.dumps(
        fresh, sort_keys=True, default=str
    )
    done = state_findings.computed - before
    assert list(done) == ([how] if how else []), done
    return cached


def rules(found: list[dict]) -> set[str]:
    return {f["rule"] for f in found}


def test_every_rule_declares_what_it_reads() -> None:
    assert {name for name, _ in RULES} == set(READS)
    assert "supplier corrective actions" not in reading_kpi_values()
    assert "arithmetic" in reading_kpi_values()


def test_request_steps_rerun_the_rules_reading_kpi_values(seeded: Cli) -> None:  # noqa: F811
    work = seeded
    state_findings.clear()
    first = check(work, "full")
    assert first, "the seeded data should raise findings, or the comparison says little"
    check(work, "")  # unchanged: the same findings
    cartons = issue(work, "packaging.cartons", "B")
    check(work, "full")  # issuing requests is not bounded here
    step(work, "mia", cartons, "enter", value=700, unit="t")
    check(work, "incremental")
    step(work, "mia", cartons, "submit")
    step(work, "rita", cartons, "approve")
    approved = check(work, "incremental")  # two steps since the last findings, one update
    assert approved != first  # 700 t of cartons move the sums and the year-on-year rules
    step(work, "rita", cartons, "return_request", comment="the unit is kg")
    check(work, "incremental")
    step(work, "mia", cartons, "submit")
    step(work, "rita", cartons, "approve")
    step(work, "mia", cartons, "lock")
    check(work, "incremental")
    step(work, "mia", cartons, "restate", value=7, unit="t", reason="audit adjustment")
    step(work, "rita", cartons, "approve")
    check(work, "incremental")
    with work.db.write() as session:
        add_user(session, username="newcomer", role="auditor", actor="t")
    check(work, "reused")  # a new user moves no finding
    later = issue(work, "packaging.cartons", "B", year=YEAR + 1)
    check(work, "full")
    step(work, "mia", later, "enter", value=1, unit="t")
    step(work, "mia", later, "submit")
    step(work, "rita", later, "approve")
    check(work, "reused")  # a later year: outside what the checks of YEAR read
    earlier = issue(work, "packaging.cartons", "B", year=YEAR - 2)
    check(work, "full")
    step(work, "mia", earlier, "enter", value=90, unit="t")
    step(work, "mia", earlier, "submit")
    step(work, "rita", earlier, "approve")
    check(work, "incremental")  # two years back: the unit and restatement rules read it


def test_an_acknowledgement_is_attached_without_rerunning_a_rule(seeded: Cli) -> None:  # noqa: F811
    work = seeded
    state_findings.clear()
    found = check(work, "full")
    with work.db.write() as session:
        [finding] = [f for f in run_checks(session, YEAR) if f.key == found[0]["key"]]
        acknowledge(session, finding, comment="known, explained in the note", actor="rita")
    after = check(work, "reused")
    [acked] = [f for f in after if f["key"] == found[0]["key"]]
    assert acked["acknowledged"]["comment"] == "known, explained in the note"
    kept = state_findings._findings._entries.values()  # both states' findings, as kept
    assert len(kept) == 2
    assert all(f.acknowledged is None for c in kept for fs in c.by_rule.values() for f in fs)


def test_writes_whose_effect_is_not_bounded_rerun_every_rule(
    seeded: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    work = seeded
    state_findings.clear()
    check(work, "full")
    kpis(work, tmp_path, [["B", YEAR, "packaging.cartons", 2, "t", "", "", ""]], name="k2.csv")
    check(work, "full")  # a KPI import
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


def newest_event(work: Cli) -> int:
    with work.db.read() as session:
        return int(session.scalar(select(func.max(AuditEvent.id))) or 0)


def test_a_rule_reading_some_metrics_reruns_only_when_they_change(seeded: Cli) -> None:  # noqa: F811
    work = seeded
    cartons, power = issue(work, "packaging.cartons", "B"), issue(work, "energy.indirect", "A")
    start = newest_event(work)
    step(work, "mia", cartons, "enter", value=7, unit="t")
    middle = newest_event(work)
    step(work, "mia", power, "enter", value=3, unit="tce")
    with work.db.read() as session:
        packaging = rules_to_rerun(session, YEAR, start, middle)
        energy = rules_to_rerun(session, YEAR, middle, newest_event(work))
        later = rules_to_rerun(session, YEAR - 3, start, newest_event(work))
    assert packaging is not None and "factors" not in packaging
    assert {"arithmetic", "year on year"} <= packaging
    assert "supplier corrective actions" not in packaging
    assert energy is not None and "factors" in energy  # the implied factors read it
    assert later == frozenset()  # the checks of three years before do not read YEAR


def test_a_write_in_the_checked_year_reruns_only_the_rules_reading_it(seeded: Cli) -> None:  # noqa: F811
    """Counted as run, not only as planned: an electricity value reruns the rules reading
    KPI values (the implied-factor rule among them), a packaging value the same less that
    rule, and neither the rules reading only registers, runs or suppliers."""
    work = seeded
    state_findings.clear()
    power, cartons = (
        issue(work, "energy.electricity.purchased", "A"),
        issue(work, "packaging.cartons", "B"),
    )
    check(work, "full")
    before = incremental.ran.copy()
    step(work, "mia", power, "enter", value=12, unit="MWh")
    check(work, "incremental")
    electricity = incremental.ran - before
    assert set(electricity) == reading_kpi_values(with_dependants({"energy.electricity.purchased"}))
    assert all(n == 1 for n in electricity.values()), electricity
    assert "factors" in electricity and "methodology" not in electricity
    assert len(electricity) < len(RULES)
    before = incremental.ran.copy()
    step(work, "mia", cartons, "enter", value=5, unit="t")
    check(work, "incremental")
    packaging = incremental.ran - before
    assert set(packaging) == set(electricity) - {"factors"}
