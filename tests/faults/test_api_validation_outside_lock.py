"""#13.3 through the API: ``POST /imports/{entities,activities,kpis}`` take the same path
as ``esg import`` (validate before the write lock). A request to a real ``esg serve`` holds
at ``import.validated`` (that request's thread only) while another writer stores the same
rows (or issues a data request for a KPI row); let go, the request is refused with a
one-line 409 and nothing of its file is written (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from esgledger.auth.users import principal
from esgledger.ledger.activities import import_activities
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.kpis import import_kpis
from esgledger.workflow.requests import issue_requests
from tests.api.conftest import setup_users
from tests.factories import ACTIVITY_HEADER, ENTITY_HEADER, monthly_rows, write_csv
from tests.faults.conftest import Running, counts, start_esg
from tests.web.browser.conftest import _free_port

PREFIX = "/api/v1"
LEDGER = (
    "kpi_values", "entities", "activity_records", "data_requests", "import_batches",
    "audit_events",
)  # fmt: skip


@dataclass(frozen=True)
class Served:
    """A running `esg serve`, its token for mia, and the file its held request creates."""

    url: str
    token: str
    server: Running
    held: Path


@pytest.fixture
def served(db: Database, tmp_path: Path) -> Iterator[Served]:
    """`esg serve` in its own process; a request holds once its import is validated.

    Only that request's thread waits (``:hold``), as while it validates a large file; the
    rest of the server goes on. Stopping the whole process (``:pause``, SIGSTOP) also froze
    whatever else the server was doing at that instant, and now and then that kept the
    SQLite database locked for the test's own writer.

    The process is forked from the fault suite's warm server (tests/faults/conftest.py), as
    every ``esg`` of the suite, so it does not pay a fresh interpreter's imports (#20).
    """
    token = setup_users(db, tmp_path)["mia"]  # an ESG manager: imports straight into the ledger
    db.dispose()
    port = _free_port()
    held = tmp_path / "held"
    server = start_esg(
        "serve", "--port", str(port), "--workers", "1", db=db,
        fault=f"import.validated:hold={held}",
        env={"ESG_LOCK_WAIT_SECONDS": "2"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, token, server)
        yield Served(url, token, server, held)
    finally:
        held.unlink(missing_ok=True)
        server.stop()


def _kpi_file(folder: Path) -> Path:
    header = ["entity", "year", "metric", "value", "unit"]
    return write_csv(folder / "kpis.csv", header, [["SZ1", 2025, "ghg.scope1", 5, "tCO2e"]])


def _entity_file(folder: Path) -> Path:
    return write_csv(
        folder / "entities.csv", ENTITY_HEADER, [["NEW1", "New site", "GRP", "CN", "CN-GD", "site"]]
    )


def _activity_file(folder: Path) -> Path:
    rows = monthly_rows("SZ1", "fuel.diesel", "L", 2025, 1 / 3)
    return write_csv(folder / "activities.csv", ACTIVITY_HEADER, rows)


def _wait_until_up(url: str, token: str, server: Running) -> None:
    """Until the server answers a read-only API request, each answer waited for in full.

    A readiness poll that gives up on a slow answer (``/login`` with a 2 s timeout, on a
    busy machine) would leave its request running in the server; ``/api/v1/me`` only reads.
    """
    deadline = time.monotonic() + 300
    while True:
        if not server.is_running():
            raise RuntimeError(f"esg serve ended: {server.finish().stderr}")
        try:
            answer = httpx.get(
                f"{url}{PREFIX}/me", headers={"Authorization": f"Bearer {token}"}, timeout=None
            )
            answer.raise_for_status()
            return
        except httpx.ConnectError:
            assert time.monotonic() < deadline, "esg serve did not start within 300 s"
            time.sleep(0.1)


CASES = {
    "kpis": (_kpi_file, lambda db, path: import_kpis(db, path, actor="other")),
    "entities": (_entity_file, lambda db, path: import_entities(db, path, actor="other")),
    "activities": (_activity_file, lambda db, path: import_activities(db, path, actor="other")),
}


def _post_held(
    served: Served,
    kind: str,
    path: Path,
    meanwhile: Callable[[], None],
) -> httpx.Response:
    """POST ``path`` to ``/imports/{kind}``; while the request holds after validating it,
    run ``meanwhile`` (another writer); then let the request go on and return its answer."""
    url, token, server = served.url, served.token, served.server
    answers: list[httpx.Response] = []

    def post() -> None:
        answers.append(
            httpx.post(
                f"{url}{PREFIX}/imports/{kind}",
                headers={"Authorization": f"Bearer {token}"},
                files={"file": (path.name, path.read_bytes())},
                timeout=300,
            )
        )

    client = threading.Thread(target=post)
    client.start()
    deadline = time.monotonic() + 120
    while not served.held.exists():
        assert time.monotonic() < deadline and client.is_alive(), "the request never held"
        assert server.is_running(), "esg serve ended"
        time.sleep(0.05)
    try:
        meanwhile()
    finally:
        served.held.unlink()
        client.join(timeout=300)
    (answer,) = answers
    return answer


def _one_line_409(answer: httpx.Response) -> str:
    assert answer.status_code == 409, answer.text
    detail: str = answer.json()["detail"]
    assert "nothing was imported" in detail
    assert "\n" not in detail and "Traceback" not in answer.text
    return detail


@pytest.mark.parametrize("kind", list(CASES))
def test_api_import_refuses_a_clash_arising_while_its_file_is_validated(
    served: Served, db: Database, tmp_path: Path, kind: str
) -> None:
    make, other_import = CASES[kind]
    path = make(tmp_path)
    before: dict[str, int] = {}

    def meanwhile() -> None:
        other_import(db, path)  # the same rows, by another writer: the lock was free
        before.update(counts(db, *LEDGER))

    detail = _one_line_409(_post_held(served, kind, path, meanwhile))
    assert "another user" in detail
    assert counts(db, *LEDGER) == before


def test_api_kpi_import_refuses_a_figure_requested_while_it_was_validated(
    served: Served, db: Database, tmp_path: Path
) -> None:
    """A data request issued for a row of the file meanwhile: the figure now changes through
    its request only, so the manager's import is refused (#13, ``refuse_requested``)."""
    before: dict[str, int] = {}

    def meanwhile() -> None:
        with db.write() as session:
            issue_requests(
                session, principal(session, "mia"), year=2025, metrics=["ghg.scope1"],
                owner="olga", due=dt.date.today() + dt.timedelta(days=30), entities=["SZ1"],
            )  # fmt: skip
        before.update(counts(db, *LEDGER))

    detail = _one_line_409(_post_held(served, "kpis", _kpi_file(tmp_path), meanwhile))
    assert detail.startswith("kpis.csv, row 2, column 'metric': SZ1 ghg.scope1 2025 is the figure")
    assert "while the file was being checked" in detail
    assert counts(db, *LEDGER) == before
