"""The read-only HTTP API on a real workspace (SQLite and PostgreSQL): auth, errors, bodies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from esgledger.api.app import PREFIX
from esgledger.auth.tokens import issue_token, revoke_token
from esgledger.auth.users import add_user, grant
from esgledger.cli.main import app
from esgledger.kpi.readout import series_readout
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.server import create_app
from tests.conftest import Cli
from tests.factories import entities_file

PROBLEM_KEYS = {"type", "title", "status", "detail"}


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(db.url), raise_server_exceptions=False) as test_client:
        yield test_client


def _token(db: Database, username: str, role: str) -> str:
    with db.write() as session:
        add_user(session, username=username, role=role, actor="t")
        plain, _ = issue_token(session, username, actor="t")
    return plain


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS and body["status"] == status, body
    assert "Traceback" not in response.text
    return body


def test_tokens_are_required_and_checked(db: Database, client: TestClient) -> None:
    body = _problem(client.get(f"{PREFIX}/entities"), 401)
    assert "bearer token" in body["detail"]
    assert client.get(f"{PREFIX}/entities").headers["www-authenticate"] == "Bearer"
    _problem(client.get(f"{PREFIX}/entities", headers=_auth("esg_unknown")), 401)
    _problem(client.get(f"{PREFIX}/entities", headers={"Authorization": "Basic eDp5"}), 401)
    token = _token(db, "bot", "auditor")
    assert client.get(f"{PREFIX}/entities", headers=_auth(token)).status_code == 200
    with db.write() as session:
        revoke_token(session, 1, actor="t")
    body = _problem(client.get(f"{PREFIX}/entities", headers=_auth(token)), 401)
    assert body["detail"] == "invalid, revoked or expired token"


def test_auditor_reads_and_user_mistakes_are_problems(
    db: Database, client: TestClient, cli: Cli, tmp_path: Path
) -> None:
    import_entities(db, entities_file(tmp_path), actor="t")
    headers = _auth(_token(db, "ann", "auditor"))

    got = client.get(f"{PREFIX}/entities", headers=headers)
    assert got.status_code == 200 and got.headers["content-type"] == "application/json"
    assert got.json() == json.loads(cli("entities", "list", "--json").stdout)
    assert {e["id"] for e in got.json()} >= {"HQ", "SZ1"}

    metrics = client.get(f"{PREFIX}/metrics", headers=headers).json()
    printed = CliRunner().invoke(app, ["metrics", "list", "--json"], catch_exceptions=False)
    assert metrics == json.loads(printed.stdout)
    kpis = client.get(f"{PREFIX}/kpis", params={"year": 2024, "years": 2}, headers=headers)
    assert kpis.status_code == 200
    printed = json.loads(cli("kpi", "--year", "2024", "--years", "2", "--json").stdout)
    assert kpis.json() == series_readout(printed)  # `esg kpi --json` with each figure spelled out
    for path in ("/boundaries", "/activities", "/runs", "/findings?year=2024"):
        assert client.get(PREFIX + path, headers=headers).status_code == 200, path

    body = _problem(client.get(f"{PREFIX}/boundaries/NOPE", headers=headers), 404)
    assert "unknown boundary 'NOPE'" in body["detail"]
    _problem(client.get(f"{PREFIX}/runs/999", headers=headers), 404)
    body = _problem(client.get(f"{PREFIX}/kpis", params={"year": "abc"}, headers=headers), 422)
    assert "year" in body["detail"] and body["errors"][0]["location"] == ["query", "year"]
    _problem(client.get(f"{PREFIX}/kpis", headers=headers), 422)  # year is required
    _problem(client.get(f"{PREFIX}/no-such-thing", headers=headers), 404)
    _problem(client.post(f"{PREFIX}/entities", headers=headers), 405)


def test_data_owner_reads_only_its_entities(
    db: Database, client: TestClient, tmp_path: Path
) -> None:
    import_entities(db, entities_file(tmp_path), actor="t")
    headers = _auth(_token(db, "olga", "data_owner"))
    with db.write() as session:
        grant(session, "olga", "HQ", actor="t")
    assert client.get(f"{PREFIX}/entities", headers=headers).status_code == 200
    assert client.get(f"{PREFIX}/metrics", headers=headers).status_code == 200
    ok = client.get(f"{PREFIX}/activities", params={"entity": "SZ1"}, headers=headers)
    assert ok.status_code == 200 and ok.json() == []
    for path in ("/activities", "/kpis?year=2024", "/runs", "/findings?year=2024"):
        body = _problem(client.get(PREFIX + path, headers=headers), 403)
        assert body["detail"].startswith("olga (data_owner)"), body


def test_openapi_lists_every_endpoint_and_the_token_scheme(client: TestClient) -> None:
    doc = client.get(f"{PREFIX}/openapi.json")
    assert doc.status_code == 200
    schema = doc.json()
    assert set(schema["paths"]) >= {
        f"{PREFIX}{p}"
        for p in (
            "/entities",
            "/boundaries",
            "/boundaries/{code}",
            "/metrics",
            "/activities",
            "/kpis",
            "/runs",
            "/runs/{run_id}",
            "/findings",
            "/requests",
            "/requests/{request_id}",
            "/requests/{request_id}/value",
            "/evidence/{evidence_id}",
            "/imports/kpis",
            "/audit",
            "/users",
        )
    }
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    assert schema["components"]["schemas"]["Problem"]["required"] == [
        "type", "title", "status", "detail",
    ]  # fmt: skip
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation["security"] == [{"token": []}], (method, path)
            ok = operation["responses"][next(c for c in operation["responses"] if c < "300")]
            assert ok.get("content"), f"{method} {path} documents no body"
            for status in ("401", "403", "422"):
                content = operation["responses"][status]["content"]
                assert content == {"application/problem+json": {"schema": problem_ref}}, path
