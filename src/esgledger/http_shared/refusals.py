"""Refused requests leave a trace: every 403 (API and pages) is an ``access.denied`` event.

The audit log answers "who tried what"; a probe through the API or a forged form shows up
there with the user, the method and path, and the one-line reason. Written in its own
transaction, since the refused request's own work rolled back.
"""

from __future__ import annotations

import logging

import anyio
from fastapi import Request

from esgledger.auth.permissions import PermissionDenied
from esgledger.ledger import audit
from esgledger.ledger.db import Database

log = logging.getLogger(__name__)


def acting_user(request: Request) -> str:
    """Who made the request, as far as it got: the token's or the session's user."""
    who = getattr(request.state, "principal", None)
    if who is None and getattr(request.state, "signed_in", None) is not None:
        who = request.state.signed_in.principal
    return who.username if who is not None else "anonymous"


async def record_denied(request: Request, exc: PermissionDenied) -> None:
    """Append the refusal to the audit log; a failure to do so is logged, not raised."""
    database: Database = request.app.state.db
    actor = acting_user(request)
    subject = f"{request.method} {request.url.path}"[:200]

    def write() -> None:
        with database.write() as session:
            audit.record(
                session,
                actor=actor,
                action="access.denied",
                subject=subject,
                payload={"reason": str(exc)},
            )

    try:
        await anyio.to_thread.run_sync(write)
    except Exception:  # the 403 still goes out; the log says why the event is missing
        log.exception("could not audit a refused request to %s", subject)
