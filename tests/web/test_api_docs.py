"""Issue #14 (Swagger UI from a CDN): the API docs are served from the installed package,
never from another site, and only to signed-in users."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from tests.web.conftest import log_in, make_user


def test_api_docs_need_a_sign_in(web: TestClient) -> None:
    anonymous = web.get("/api-docs")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert web.get("/api/v1/docs").status_code == 404  # FastAPI's CDN page is gone


def test_api_docs_load_only_our_own_files(db: Database, web: TestClient) -> None:
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get("/api-docs")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/") for a in assets), assets
    assert not any(a.startswith("//") for a in assets), assets
    for asset in assets:
        if asset.endswith((".js", ".css")):
            got = web.get(asset)
            assert got.status_code == 200 and len(got.content) > 100, asset
    assert "SwaggerUIBundle" in web.get("/static/swagger-ui/swagger-ui-bundle.js").text


def test_api_docs_speak_the_users_language(db: Database, web: TestClient) -> None:
    """#19: the page's own words come from the catalog, in Chinese for a Chinese browser."""
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get("/api-docs", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="zh-Hans">' in page.text
    assert "Authorize" in page.text  # the button's name, as Swagger UI prints it
    assert "API 令牌" in page.text and "An admin issues" not in page.text
