"""Issue 14, "Pages": the dashboard keeps its charts, checks and request counts per ledger
state. A view after a write must show what the write changed, exactly as a fresh computation
does; a view without a write must show the same page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from esgledger.assess.materiality import add_topic, create_assessment, get_assessment
from esgledger.auth.permissions import Principal
from esgledger.checks import run_checks
from esgledger.ledger.db import Database
from esgledger.web import views
from esgledger.web.pages import dashboard
from esgledger.workflow.requests import issue_requests
from tests.conftest import Cli
from tests.factories import write_csv
from tests.web.conftest import log_in, make_user
from tests.web.test_dashboard_pages import ACT_HEADER, KPI_HEADER, YEAR, workspace  # noqa: F401 - fixture


def _section(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"')[1].split("</section>")[0]


def _fresh_findings(db: Database) -> dict[str, Any]:
    with db.read() as session:
        return views.findings_overview(run_checks(session, YEAR))


def _shown_counts(page: str) -> tuple[int, int]:
    findings = _section(page, "findings")
    errors = re.search(r'data-count="error">(\d+) error', findings)
    warnings = re.search(r'data-count="warning">(\d+) warning', findings)
    return (int(errors.group(1)) if errors else 0, int(warnings.group(1)) if warnings else 0)


def test_dashboard_follows_every_write(
    db: Database,
    web: TestClient,
    cli: Cli,
    tmp_path: Path,
    workspace: dict[str, Any],  # noqa: F811
) -> None:
    make_user(db, "rita", "reviewer")
    log_in(web, "rita")
    first = web.get(f"/?year={YEAR}").text
    assert "<strong>0</strong> of 2 approved or locked" in _section(first, "requests")
    fresh = _fresh_findings(db)
    assert _shown_counts(first) == (fresh["error"], fresh["warning"])
    again = web.get(f"/?year={YEAR}").text
    assert _section(again, "findings") == _section(first, "findings")
    assert _section(again, "requests") == _section(first, "requests")

    with db.write() as session:  # one more request: the counts move at once
        issue_requests(session, Principal("setup", "admin"), year=YEAR,
                       metrics=["packaging.plastics"], owner="olga",
                       due=dt.date(2099, 1, 31), entities=["A"])  # fmt: skip
    moved = web.get(f"/?year={YEAR}").text
    assert "<strong>0</strong> of 3 approved or locked" in _section(moved, "requests")

    # A headcount that jumps a hundredfold from one year to the next is a finding of the
    # year's checks (plant B's: plant A's belongs to a data request, which an import leaves).
    rows = [["B", YEAR, "workforce.headcount", 100000, "person", "typo fixed"]]
    header = [*KPI_HEADER, "restatement_reason"]
    cli("import", "kpis", str(write_csv(tmp_path / "k2.csv", header, rows)))
    after = _fresh_findings(db)
    assert (after["error"], after["warning"]) != (fresh["error"], fresh["warning"])
    page = web.get(f"/?year={YEAR}").text
    assert _shown_counts(page) == (after["error"], after["warning"])


def test_the_materiality_panel_is_redrawn_only_after_a_materiality_write(
    db: Database,
    web: TestClient,
    workspace: dict[str, Any],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The matrix (a matplotlib chart, the dashboard's costliest panel) reads only the
    assessment: a write elsewhere (a request, a KPI value) reuses it, a write to the
    assessment redraws it."""
    with db.write() as session:
        assessment = create_assessment(session, year=YEAR, actor="setup")
    drawn: list[int] = []
    real = views.materiality_view

    def counted(session: Any, a: Any, lang: str = "en") -> dict[str, Any]:
        drawn.append(a.id)
        return real(session, a, lang)

    monkeypatch.setattr(views, "materiality_view", counted)
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    first = _section(web.get(f"/?year={YEAR}").text, "materiality")
    assert drawn == [assessment.id]
    with db.write() as session:  # a write that moves no materiality figure
        issue_requests(session, Principal("setup", "admin"), year=YEAR,
                       metrics=["packaging.plastics"], owner="olga",
                       due=dt.date(2099, 1, 31), entities=["A"])  # fmt: skip
    assert _section(web.get(f"/?year={YEAR}").text, "materiality") == first
    assert drawn == [assessment.id]
    with db.write() as session:
        add_topic(session, get_assessment(session, YEAR), code="zz.new", name="A new topic",
                  actor="setup")  # fmt: skip
    web.get(f"/?year={YEAR}")
    assert drawn == [assessment.id, assessment.id]


def test_the_emissions_chart_is_redrawn_only_when_its_figures_move(
    db: Database,
    web: TestClient,
    cli: Cli,
    tmp_path: Path,
    workspace: dict[str, Any],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The chart draws three figures over three years: a write that leaves them (a request)
    reuses it; a calculation run that moves them redraws it."""
    drawn: list[tuple[str, ...]] = []
    real = dashboard.emissions_by_scope

    def counted(rows: dict[str, Any], years: Any, lang: str = "en") -> str:
        drawn.append(tuple(years))
        return real(rows, years, lang)

    monkeypatch.setattr(dashboard, "emissions_by_scope", counted)
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    first = web.get(f"/?year={YEAR}").text
    assert len(drawn) == 1 and "<svg" in first
    with db.write() as session:
        issue_requests(session, Principal("setup", "admin"), year=YEAR,
                       metrics=["packaging.plastics"], owner="olga",
                       due=dt.date(2099, 1, 31), entities=["A"])  # fmt: skip
    web.get(f"/?year={YEAR}")
    assert len(drawn) == 1
    rows = [["A", f"{YEAR}-03-01", f"{YEAR}-03-31", "fuel.diesel", 50, "t", "mobile", ""]]
    cli("import", "activities", str(write_csv(tmp_path / "more.csv", ACT_HEADER, rows)))
    cli("calc", "--year", str(YEAR), expect=None)  # a new run: Scope 1 moves
    web.get(f"/?year={YEAR}")
    assert len(drawn) == 2


def test_a_kept_emissions_panel_does_not_load_the_runs_stored_totals(
    db: Database,
    web: TestClient,
    workspace: dict[str, Any],  # noqa: F811
) -> None:
    """A run's totals are megabytes of JSON on a large group; the panel kept per ledger state
    needs only the run's id to be found."""
    make_user(db, "rita", "reviewer")
    log_in(web, "rita")
    first = web.get(f"/?year={YEAR}").text
    seen: list[str] = []

    def record(conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    engine = web.app.state.db.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", record)
    try:
        again = web.get(f"/?year={YEAR}").text
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert _section(again, "emissions") == _section(first, "emissions")
    assert "tCO" in _section(again, "emissions")  # the panel is shown, from the kept view
    assert seen and not [s for s in seen if "calculation_runs.totals" in s]
