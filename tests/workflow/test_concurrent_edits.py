"""#13.5: a KPI value restated by an import while its data request restates it too. On
PostgreSQL writers do not queue, so both read the same current value; the one that writes
second finds the row changed under it: it gets one line (409 in the API), never a traceback
or a 500, and the ledger keeps one current value with its history whole. On SQLite the
writers queue, so the second works from the first one's value. The command line's import
may not restate a requested figure at all, so from there the race cannot arise.

To make the PostgreSQL race certain, the test holds the audit chain's lock (the last step of
every write): the import takes the value's row and waits there; the request's edit is started
only then, and waits for that row; the lock is let go once both wait.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from esgledger.api.app import PREFIX
from esgledger.auth.tokens import issue_token
from esgledger.errors import ConcurrentChange, Exit
from esgledger.ledger import audit, audit_deep
from esgledger.ledger.db import Database
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.models import KpiValue
from esgledger.server import create_app
from tests.factories import write_csv
from tests.ledger.test_concurrent_imports import (
    KPI_HEADER,
    audit_chain_held,
    wait_until_waiting,
)
from tests.workflow.conftest import YEAR, Org, issue

METRIC = "packaging.plastics"


@pytest.fixture
def requested(org: Org, tmp_path: Path) -> int:
    """HQ's plastics imported as 40 t, then asked for through a data request."""
    first = write_csv(tmp_path / "first.csv", KPI_HEADER, [["HQ", YEAR, METRIC, 40, "t", ""]])
    import_kpis(org.db, first, actor="mia")
    (rid,) = issue(org, [METRIC], ["HQ"])
    return rid


def restating_file(tmp_path: Path) -> Path:
    rows = [["HQ", YEAR, METRIC, 45, "t", "the auditor's count"]]
    return write_csv(tmp_path / "restated.csv", KPI_HEADER, rows)


def current_values(db: Database) -> list[float]:
    with db.read() as session:
        return list(session.scalars(select(KpiValue.value).where(KpiValue.is_current)))


def ledger_whole(db: Database) -> None:
    """One current value; every restatement points at the value it replaced; chain verifies."""
    with db.read() as session:
        values = session.scalars(select(KpiValue).order_by(KpiValue.id)).all()
        assert [v.is_current for v in values].count(True) == 1
        assert all(v.restates_id == prev.id for prev, v in itertools.pairwise(values))
        assert audit.verify(session).ok
        assert audit_deep.verify_data(session).problems == []


def import_first_then(
    db: Database, tmp_path: Path, second: Callable[[], Any], file: Path | None = None
) -> list[Any]:
    """The restating import takes the value's row, then ``second`` runs into it."""
    pool = ThreadPoolExecutor(2)
    try:
        with audit_chain_held(db) as conn:
            data = file or restating_file(tmp_path)
            imported = pool.submit(import_kpis, db, data, actor="mia")
            wait_until_waiting(conn, 1, imported.done)
            edited = pool.submit(second)
            wait_until_waiting(conn, 2, edited.done)
        outcomes = []
        for call in (imported, edited):
            try:
                outcomes.append(call.result())
            except ConcurrentChange as exc:
                outcomes.append(exc)
        return outcomes
    finally:
        pool.shutdown()


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_the_request_edit_that_lost_the_race_gets_one_line(
    org: Org, requested: int, tmp_path: Path
) -> None:
    from esgledger.workflow.values import enter_value

    def enter() -> Any:
        with org.db.write() as session:
            return enter_value(
                session, org.manager, requested, version=1, value=42.0, unit="t",
                reason="recounted at the site",
            ).id  # fmt: skip

    imported, entered = import_first_then(org.db, tmp_path, enter)
    assert imported["restated"] == 1
    assert isinstance(entered, ConcurrentChange)
    assert "\n" not in str(entered)
    assert "another user changed the same records in kpi_values at the same moment" in str(entered)
    assert current_values(org.db) == [45]
    ledger_whole(org.db)


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_a_first_value_entered_while_an_import_adds_it_gets_one_line(
    org: Org, tmp_path: Path
) -> None:
    """Nothing stored yet: both add the value; the unique current-value index refuses one."""
    from esgledger.workflow.values import enter_value

    (rid,) = issue(org, [METRIC], ["HQ"])
    new = write_csv(tmp_path / "new.csv", KPI_HEADER, [["HQ", YEAR, METRIC, 45, "t", ""]])

    def enter() -> Any:
        with org.db.write() as session:
            return enter_value(session, org.olga, rid, version=1, value=42.0, unit="t").id

    imported, entered = import_first_then(org.db, tmp_path, enter, new)
    assert imported["added"] == 1
    assert isinstance(entered, ConcurrentChange) and "\n" not in str(entered)
    assert "changed the same records in kpi_values at the same moment" in str(entered)
    assert current_values(org.db) == [45]
    ledger_whole(org.db)


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_the_api_answers_409_to_the_edit_that_lost(
    org: Org, requested: int, tmp_path: Path
) -> None:
    with org.db.write() as session:
        token, _ = issue_token(session, "mia", name="race", actor="setup")
    with TestClient(create_app(org.db.url), raise_server_exceptions=False) as client:

        def post() -> Any:
            return client.post(
                f"{PREFIX}/requests/{requested}/value",
                headers={"Authorization": f"Bearer {token}"},
                json={"version": 1, "value": 42, "unit": "t", "reason": "recounted"},
            )

        imported, answer = import_first_then(org.db, tmp_path, post)
    assert imported["restated"] == 1
    assert answer.status_code == 409, answer.text
    assert "another user changed the same records" in answer.json()["detail"]
    assert current_values(org.db) == [45]
    ledger_whole(org.db)


def esg_command(db: Database, *args: str) -> list[str]:
    return [sys.executable, "-m", "esgledger.cli", *args, "--db", db.url]


def test_the_cli_import_leaves_a_requested_figure_to_its_request_even_mid_edit(
    org: Org, requested: int, tmp_path: Path
) -> None:
    """Two `esg` processes at once: the command line's import may not restate a figure a
    data request owns, so it is refused with one line and a summary (exit 2) even while the request's own
    edit is writing (on PostgreSQL the edit is held at its last step meanwhile); the edit
    then works, and the ledger keeps one current value."""
    enter = esg_command(
        org.db, "request", "enter", str(requested), "--value", "42", "--unit", "t",
        "--reason", "recounted at the site", "--as", "mia", "--if-version", "1",
    )  # fmt: skip
    importing = esg_command(org.db, "import", "kpis", str(restating_file(tmp_path)))
    run = lambda args: subprocess.Popen(  # noqa: E731
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    if org.db.dialect == "postgresql":
        with audit_chain_held(org.db) as conn:
            editing = run(enter)
            wait_until_waiting(conn, 1, lambda: editing.poll() is not None)
            refused = run(importing)
            _, err = refused.communicate(timeout=300)
    else:
        editing, refused = run(enter), run(importing)
        _, err = refused.communicate(timeout=300)
    _, err_edit = editing.communicate(timeout=300)
    assert refused.returncode == Exit.BAD_INPUT, err
    problem, summary = err.strip().splitlines()
    assert problem.startswith("error: ") and f"figure of data request {requested}" in problem
    assert summary.endswith("refused, 1 problem; nothing was imported")
    assert editing.returncode == Exit.OK, err_edit
    assert current_values(org.db) == [42]
    ledger_whole(org.db)
