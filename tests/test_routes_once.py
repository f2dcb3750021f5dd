"""#20: an app's route table is built once per process and shared by every app after it.

FastAPI analyses an included route's parameters (its dependencies, a pydantic adapter per
parameter) on the first request that walks past it: ~0.1 CPU s for the API and the pages,
paid by every app a process builds (~600 in the suite). The routes are now included once per
process and each app lists the same objects; each app still answers from its own workspace.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.api.app import API_ROUTERS, PREFIX
from esgledger.auth.tokens import issue_token
from esgledger.auth.users import add_user
from esgledger.ledger.db import Database
from esgledger.server import create_app
from esgledger.web.pages import PAGE_ROUTERS


def _copy(template: Path, folder: Path) -> str:
    folder.mkdir()
    shutil.copy(template, folder / "esg.db")
    return str(folder / "esg.db")


def test_every_app_lists_the_routes_included_once(sqlite_template: Path, tmp_path: Path) -> None:
    first = create_app(_copy(sqlite_template, tmp_path / "a"))
    second = create_app(_copy(sqlite_template, tmp_path / "b"))
    shared = [route for route in second.routes if any(route is r for r in first.routes)]
    assert len(shared) == len(API_ROUTERS) + len(PAGE_ROUTERS)
    assert [getattr(r, "path", None) for r in first.routes] == [
        getattr(r, "path", None) for r in second.routes
    ]
    assert first.openapi() == second.openapi()


def test_apps_sharing_routes_answer_from_their_own_workspace(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """A token of one workspace signs in there and nowhere else, whichever app asked first."""
    known = _copy(sqlite_template, tmp_path / "known")
    other = _copy(sqlite_template, tmp_path / "other")
    db = Database(known)
    try:
        with db.write() as session:
            add_user(session, username="ada", role="admin", actor="setup")
            token, _ = issue_token(session, "ada", actor="setup")
    finally:
        db.dispose()
    headers = {"Authorization": f"Bearer {token}"}
    with (
        TestClient(create_app(other), raise_server_exceptions=False) as there,
        TestClient(create_app(known), raise_server_exceptions=False) as here,
    ):
        assert there.get(PREFIX + "/me", headers=headers).status_code == 401
        answer = here.get(PREFIX + "/me", headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.json()["username"] == "ada"
        assert there.get(PREFIX + "/me", headers=headers).status_code == 401
        assert here.get("/login").status_code == there.get("/login").status_code == 200
