"""Dependencies every endpoint shares: a read session and the signed-in principal.

Writes take :data:`WriterDep` instead: one write transaction per request that also
authenticates the token, so a write holds one database connection, commits before the
response is built (an acknowledged write is stored), and rolls back whole on any error.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool
from starlette.exceptions import HTTPException

from esgledger.auth.permissions import MATRIX, PermissionDenied, Principal, can, require
from esgledger.auth.tokens import authenticate_token, token_hash
from esgledger.errors import InvalidInput
from esgledger.http_shared.errors import Unauthorized
from esgledger.ledger.db import Database
from esgledger.ledger.state import ledger_state
from esgledger.ledger.state_cache import StateCache
from esgledger.settings import get_settings
from esgledger.workflow.file_names import file_name

bearer = HTTPBearer(
    scheme_name="token",
    bearerFormat="esg_…",
    description="An API token from `esg user token USERNAME`, sent as "
    "`Authorization: Bearer <token>`.",
    auto_error=False,
)


async def read_session(request: Request) -> AsyncIterator[Session]:
    """One read-only unit of work per request on the app's database.

    Made in the event loop, not on a worker thread: a session connects only when first
    used (by the endpoint, on its thread), and each hop to a worker thread and back costs
    more CPU than a small read. Closing a SQLite session is a local rollback of a read, done
    in place; a PostgreSQL one that connected talks to the server, so it closes on a thread.
    """
    database: Database = request.app.state.db
    session = Session(database.engine)
    try:
        yield session
    finally:
        with anyio.CancelScope(shield=True):
            if database.dialect == "sqlite" or not session.in_transaction():
                session.close()
            else:
                await run_in_threadpool(session.close)


SessionDep = Annotated[Session, Depends(read_session)]


TOKEN_CACHE_SECONDS = 10
_signed_in: StateCache[Principal] = StateCache(max_entries=1024)

CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authenticate(session: Session, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    """The user the bearer token stands for; 401 when missing, unknown or revoked."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("missing bearer token; send `Authorization: Bearer <token>`")
    try:
        return authenticate_token(session, credentials.credentials)
    except PermissionDenied as exc:
        raise Unauthorized(str(exc)) from None


def authenticate_cached(
    session: Session, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    """:func:`authenticate` for reads, remembered per ledger state for a few seconds.

    Disabling a user, revoking a token, a new password or a changed grant each write an
    audit event, which moves the ledger's state: the next request checks the token afresh,
    so a disabled user's token is refused at once. The time bound lets a token's expiry
    take effect within seconds though nothing was written.
    """
    if credentials is None or credentials.scheme.lower() != "bearer":
        return authenticate(session, credentials)
    window = int(time.monotonic() // TOKEN_CACHE_SECONDS)
    key = (ledger_state(session), window, token_hash(credentials.credentials))
    return _signed_in.get(key, lambda: authenticate(session, credentials))


def signed_in_known(
    session: Session, credentials: HTTPAuthorizationCredentials | None
) -> Principal | None:
    """The user of a token already checked at this ledger state, else None (check it)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        return None
    window = int(time.monotonic() // TOKEN_CACHE_SECONDS)
    return _signed_in.peek((ledger_state(session), window, token_hash(credentials.credentials)))


def _connection_free(database: Database) -> bool:
    """Whether the pool has a connection to give at once: the event loop must never wait
    for one (the requests that would give one back need the loop to finish)."""
    pool = database.engine.pool
    if not isinstance(pool, QueuePool):
        return False
    return pool.checkedout() < pool.size() + getattr(pool, "_max_overflow", 0)


async def principal(
    request: Request, session: SessionDep, credentials: CredentialsDep
) -> Principal:
    """The signed-in user of a read endpoint (kept on the request for the audit of a 403).

    On SQLite a token known at the current ledger state is recognised in the event loop
    (``PRAGMA data_version`` on a local file, no wait: readers of a WAL database never
    block); anything that may query more, or talk to a server, runs on a worker thread.
    """
    database: Database = request.app.state.db
    in_loop = database.dialect == "sqlite" and _connection_free(database)
    known = signed_in_known(session, credentials) if in_loop else None
    if known is None:
        known = await run_in_threadpool(authenticate_cached, session, credentials)
    request.state.principal = known
    return known


UserDep = Annotated[Principal, Depends(principal)]


class Writer:
    """Opens the request's write transaction and authenticates inside it."""

    def __init__(self, request: Request, credentials: HTTPAuthorizationCredentials | None):
        self.request = request
        self.database: Database = request.app.state.db
        self.credentials = credentials

    def _known(self, who: Principal) -> Principal:
        self.request.state.principal = who  # for the audit of a 403
        return who

    def principal(self) -> Principal:
        """Authenticate in a short read (for work that opens its own transaction)."""
        with self.database.read() as session:
            return self._known(authenticate(session, self.credentials))

    @contextmanager
    def __call__(self) -> Iterator[tuple[Session, Principal]]:
        with self.database.write() as session:
            yield session, self._known(authenticate(session, self.credentials))


def writer(request: Request, credentials: CredentialsDep) -> Writer:
    return Writer(request, credentials)


WriterDep = Annotated[Writer, Depends(writer)]


def require_some(user: Principal, action: str) -> None:
    """Allow ``action`` anywhere, or on at least one granted entity (lists filtered later).

    A data owner with grants may list requests (only theirs are shown); without any grant
    the answer is 403 with the usual "no grant" message.
    """
    grants = MATRIX.get(user.role)
    if can(user, action) or (
        user.active and grants is not None and action in grants.scoped and user.scope
    ):
        return
    require(user, action)


@contextmanager
def uploaded(file: UploadFile, *, suffixes: tuple[str, ...]) -> Iterator[Path]:
    """The upload as a file under its own (sanitised) name in a private temporary folder,
    so readers name it in messages exactly as the CLI would; removed afterwards."""
    name = file_name(file.filename)
    if not name.lower().endswith(suffixes):
        raise InvalidInput(f"{name}: unsupported file type; use {', '.join(suffixes)}")
    limit = get_settings().max_upload_mb * 1024 * 1024
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(
            413, f"{name} is larger than the server's limit of {limit // (1024 * 1024)} MB "
            "(ESG_MAX_UPLOAD_MB)",
        )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="esg-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def json_bytes(data: Any) -> bytes:
    """``data`` exactly as ``esg … --json`` prints it (same encoder, same ``default=str``)."""
    return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


def as_json(data: Any) -> Response:
    """A JSON answer with the body ``esg … --json`` prints."""
    return Response(json_bytes(data), media_type="application/json")
