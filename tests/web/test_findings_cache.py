"""Issue #14 (pages): the findings page and the dashboard keep the year's findings per ledger
state; a view after a write that changes the findings shows the new ones at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from esgledger.checks import run_checks
from esgledger.ledger.db import Database
from esgledger.web import views
from tests.conftest import Cli
from tests.factories import write_csv
from tests.web.conftest import log_in, make_user
from tests.web.test_dashboard_pages import KPI_HEADER, YEAR, workspace  # noqa: F401 - fixture

COUNT = re.compile(r'data-count="(error|warning)">(\d+) ')


def _fresh(db: Database) -> tuple[int, int]:
    with db.read() as session:
        found = views.findings_overview(run_checks(session, YEAR))
    return found["error"], found["warning"]


def _shown(web: TestClient) -> tuple[int, int]:
    counts = dict(COUNT.findall(web.get(f"/findings?year={YEAR}").text))
    return int(counts["error"]), int(counts["warning"])


def test_cached_findings_follow_a_write_that_changes_them(
    db: Database,
    web: TestClient,
    cli: Cli,
    tmp_path: Path,
    workspace: dict[str, Any],  # noqa: F811
) -> None:
    make_user(db, "rita", "reviewer")
    log_in(web, "rita")
    before = _fresh(db)
    web.get(f"/?year={YEAR}")  # the dashboard fills the shared cache first
    assert _shown(web) == before
    assert _shown(web) == before  # a view without a write: the same findings
    # plant B's headcount: plant A's belongs to a data request, which an import leaves alone
    rows = [["B", YEAR, "workforce.headcount", 100000, "person", "typo fixed"]]
    header = [*KPI_HEADER, "restatement_reason"]
    cli("import", "kpis", str(write_csv(tmp_path / "k2.csv", header, rows)))
    after = _fresh(db)
    assert after != before, "the import changes the year's findings"
    assert _shown(web) == after
