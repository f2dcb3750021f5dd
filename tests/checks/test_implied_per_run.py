"""Issue #14 (speed): the implied-factor rule reads a stored run's results once per process.

A run's result rows never change once stored, so the sums the rule back-calculates from
them are kept by run: a rerun after a write in the checked year (a page's findings brought
up to date) asks the database for the run, not for its rows again — that read was about
230 of the 307 CPU ms of the findings' update after an electricity value on the
4,300-request demo. The findings are those of a fresh run all the same."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from esgledger.checks import run_checks
from esgledger.checks.energy import implied_kept
from esgledger.checks.engine import check_context, rule_findings
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.kpi.test_cache_incremental import YEAR, issue, seeded, step  # noqa: F401 - fixture
from tests.kpi.test_kpi import activities


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements sent on ``db``'s engine meanwhile."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        sent.append(sql)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def factor_findings(work: Cli) -> tuple[list[dict], list[str]]:
    """The factors rule's findings on a fresh context, and the statements it sent."""
    with work.db.read() as session, statements(work.db) as sent:
        found = rule_findings(check_context(session, YEAR), {"factors"})["factors"]
    return [f.as_dict() for f in found], sent


def reads_results(sent: list[str]) -> list[str]:
    return [s for s in sent if "calculation_results" in s]


def test_a_runs_implied_sums_are_read_once(seeded: Cli) -> None:  # noqa: F811
    work = seeded
    implied_kept.clear()
    first, sent = factor_findings(work)
    assert reads_results(sent), "the first check reads the run's result rows"
    again, sent = factor_findings(work)
    assert again == first
    assert not reads_results(sent), reads_results(sent)  # kept by run
    power = issue(work, "energy.electricity.purchased", "A")
    step(work, "mia", power, "enter", value=99, unit="MWh")  # a write in the checked year
    after, sent = factor_findings(work)
    assert not reads_results(sent)
    with work.db.read() as session:
        fresh = [f.as_dict() for f in run_checks(session, YEAR) if f.rule.startswith("factor.")]
    assert [{**f, "acknowledged": None} for f in fresh] == [
        {**f, "acknowledged": None} for f in after
    ]


def test_a_new_run_is_read_afresh(seeded: Cli, tmp_path: Path) -> None:  # noqa: F811
    work = seeded
    implied_kept.clear()
    factor_findings(work)
    activities(
        work,
        tmp_path,
        [["A", "2024-02-01", "2024-02-28", "electricity.purchased", 5, "MWh"]],
        name="more.csv",
    )
    work("calc", "--year", str(YEAR))  # a new run of the year: its own rows
    _, sent = factor_findings(work)
    assert reads_results(sent)
