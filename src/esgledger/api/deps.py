"""Dependencies every endpoint shares: a read session and the signed-in principal.

Writes take :data:`WriterDep` instead: one write transaction per request that also
authenticates the token, so a write holds one database connection, commits before the
response is built (an acknowledged write is stored), and rolls back whole on any error.
"""

from __future__ import annotations

import json
import tempfile
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

from esgledger.api.sign_in import SignIn, sign_in, sign_in_known
from esgledger.auth.permissions import MATRIX, Principal, can, require
from esgledger.errors import InvalidInput
from esgledger.ledger.db import Database
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


CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
UNTIL = "esg_sign_in_until"  # key in the request's state: when the token expires


def _known(request: Request, signed: SignIn) -> Principal:
    """Keep the sign-in on the request: its user for the audit of a 403, its expiry for
    answers replayed later (:mod:`esgledger.api.replay`)."""
    request.state.principal = signed.who
    setattr(request.state, UNTIL, signed.until)
    return signed.who


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
    """The signed-in user of a read endpoint (:func:`esgledger.api.sign_in.sign_in`).

    On SQLite a token known at the current sign-in stamp is recognised in the event loop
    (``PRAGMA data_version`` on a local file, no wait: readers of a WAL database never
    block); anything that may query more, or talk to a server, runs on a worker thread.
    """
    database: Database = request.app.state.db
    in_loop = database.dialect == "sqlite" and _connection_free(database)
    known = sign_in_known(session, credentials) if in_loop else None
    if known is None:
        known = await run_in_threadpool(sign_in, session, credentials)
    return _known(request, known)


UserDep = Annotated[Principal, Depends(principal)]


class Writer:
    """Opens the request's write transaction and signs the token in inside it."""

    def __init__(self, request: Request, credentials: HTTPAuthorizationCredentials | None):
        self.request = request
        self.database: Database = request.app.state.db
        self.credentials = credentials

    def principal(self) -> Principal:
        """Sign in in a short read (for work that opens its own transaction)."""
        with self.database.read() as session:
            return _known(self.request, sign_in(session, self.credentials))

    @contextmanager
    def __call__(self) -> Iterator[tuple[Session, Principal]]:
        with self.database.write() as session:
            yield session, _known(self.request, sign_in(session, self.credentials))


async def writer(request: Request, credentials: CredentialsDep) -> Writer:
    """Async, as it does no I/O: a sync dependency would cost every write a hop to a worker
    thread and back just to build this object."""
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
