"""Issue #14 (speed): the dashboard's emissions panel (a stored run as tables: about 64–190
CPU ms on the 4,300-request demo) is kept by run and entity tree, not by ledger state: a
run's figures never change, and the panel reads only the run and the entities' names, so a
data request's step or a KPI value does not redraw it — an entity import does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from esgledger.auth.users import principal
from esgledger.ledger.db import Database
from esgledger.web.pages import dashboard
from esgledger.workflow.requests import get_request
from esgledger.workflow.values import enter_value
from tests.conftest import Cli
from tests.factories import write_csv
from tests.web.conftest import log_in, make_user
from tests.web.test_dashboard_pages import (  # noqa: F401 - the fixture
    ENTITIES,
    ENTITY_HEADER,
    YEAR,
    workspace,
)


def emissions_panels() -> int:
    """How many emissions panels the dashboard computed and keeps."""
    return sum(1 for key in list(dashboard._panels._entries) if key[2] == "emissions")  # type: ignore[index]


def test_the_emissions_panel_is_kept_across_writes_that_leave_the_run_and_the_entities(
    db: Database,
    web: TestClient,
    workspace: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    dashboard._panels.clear()
    make_user(db, "ada", "admin")
    log_in(web, "ada")
    first = web.get(f"/?year={YEAR}")
    assert first.status_code == 200 and emissions_panels() == 1
    with db.write() as session:
        req = get_request(session, 1)
        enter_value(session, principal(session, "olga"), req.id, version=req.version,
                    value=440, unit="person", reason="recount")  # fmt: skip
    after = web.get(f"/?year={YEAR}")
    assert after.status_code == 200
    assert emissions_panels() == 1  # the same panel: the run and the entities are unchanged
    renamed = [[*e[:1], "Plant Beta renamed", *e[2:]] if e[0] == "B" else e for e in ENTITIES]
    Cli(db)("import", "entities", str(write_csv(tmp_path / "e2.csv", ENTITY_HEADER, renamed)))
    page = web.get(f"/?year={YEAR}")
    assert page.status_code == 200
    assert emissions_panels() == 2  # the entities' names changed: drawn again
