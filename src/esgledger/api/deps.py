"""Dependencies every endpoint shares: a read session and the signed-in principal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from esgledger.api.errors import Unauthorized
from esgledger.auth.permissions import PermissionDenied, Principal
from esgledger.auth.tokens import authenticate_token
from esgledger.ledger.db import Database

bearer = HTTPBearer(
    scheme_name="token",
    bearerFormat="esg_…",
    description="An API token from `esg user token USERNAME`, sent as "
    "`Authorization: Bearer <token>`.",
    auto_error=False,
)


def read_session(request: Request) -> Iterator[Session]:
    """One read-only unit of work per request on the app's database."""
    database: Database = request.app.state.db
    with database.read() as session:
        yield session


SessionDep = Annotated[Session, Depends(read_session)]


def principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The user the bearer token stands for; 401 when missing, unknown or revoked."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("missing bearer token; send `Authorization: Bearer <token>`")
    try:
        return authenticate_token(session, credentials.credentials)
    except PermissionDenied as exc:
        raise Unauthorized(str(exc)) from None


UserDep = Annotated[Principal, Depends(principal)]


def as_json(data: Any) -> Response:
    """The body exactly as ``esg … --json`` prints it (same encoder, same ``default=str``)."""
    return Response(
        json.dumps(data, ensure_ascii=False, default=str), media_type="application/json"
    )
