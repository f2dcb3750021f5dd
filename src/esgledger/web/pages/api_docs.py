"""The interactive API docs (Swagger UI), for signed-in users only, with no CDN.

Swagger UI's files come from the ``swagger-ui-bundle-v2`` package installed with esgledger
(mounted at :data:`ASSETS`), and the page's only script of our own is a static file, so the
page keeps the strict content security policy of every other page: no script from any
other site ever runs on ours. Anonymous visitors are sent to the login form.
"""

from __future__ import annotations

import importlib.util

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from esgledger.errors import NotFound
from esgledger.web.deps import UserDep
from esgledger.web.templating import render

ASSETS = "/static/swagger-ui"
PAGE = "/api-docs"

router = APIRouter()


class SwaggerMissing(NotFound):
    """The swagger-ui-bundle-v2 package is not installed (an install older than the page)."""


def _installed() -> bool:
    return importlib.util.find_spec("swagger_ui_bundle") is not None


@router.get(PAGE)
def api_docs(request: Request, _user: UserDep) -> Response:
    """Swagger UI over ``/api/v1/openapi.json``; "Authorize" takes an API token."""
    if not _installed():
        raise SwaggerMissing(
            "the API docs need the swagger-ui-bundle-v2 package: run scripts/setup.sh again "
            "(the schema itself is at /api/v1/openapi.json)"
        )
    return render(request, "api_docs.html", {"assets": ASSETS})


def mount_assets(app: FastAPI) -> None:
    """Serve the packaged Swagger UI files (call before mounting ``/static``); without the
    package the pages still work and ``/api-docs`` says what to install."""
    if not _installed():
        return
    from swagger_ui_bundle import swagger_ui_path

    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
