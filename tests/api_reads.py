"""The API read as an auditor (a reader without write rights) in one call, for tests that ask
the API what a page or report shows."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from esgledger.api.app import PREFIX
from esgledger.auth.tokens import issue_token
from esgledger.auth.users import add_user
from esgledger.ledger.db import Database
from esgledger.server import create_app


def auditor_get(
    db: Database,
    path: str,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """``GET {PREFIX}{path}`` with a new auditor's token; asserts a 200 and gives the JSON."""
    with db.write() as session:
        add_user(session, username="aldo", role="auditor", actor="setup")
        token, _ = issue_token(session, "aldo", actor="setup")
    with TestClient(create_app(db.url), raise_server_exceptions=False) as client:
        got = client.get(
            f"{PREFIX}{path}",
            params=params,
            headers={"Authorization": f"Bearer {token}", **(headers or {})},
        )
    assert got.status_code == 200, got.text
    return got.json()


def undivided_kpi_rows(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``GET /kpis``'s rows without dimensions, by metric."""
    return {r["metric"]: r for r in body["kpis"] if not r["dims"]}
