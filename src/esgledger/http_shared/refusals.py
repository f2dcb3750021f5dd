"""Refused requests leave a trace: every 403 (API and pages) is an ``access.denied`` event.

The audit log answers "who tried what"; a probe through the API or a forged form shows up
there with the user, the method and path, and the one-line reason. Written in its own
transaction, since the refused request's own work rolled back.
"""

from __future__ import annotations

import anyio
from fastapi import Request

from esgledger.auth.permissions import PermissionDenied
from esgledger.ledger.db import Database
from esgledger.workflow.denials import record_denial


def acting_user(request: Request) -> str:
    """Who made the request, as far as it got: the token's or the session's user."""
    who = getattr(request.state, "principal", None)
    if who is None and getattr(request.state, "signed_in", None) is not None:
        who = request.state.signed_in.principal
    return who.username if who is not None else "anonymous"


async def record_denied(request: Request, exc: PermissionDenied) -> None:
    """Append the refusal of this request to the audit log; never raises."""
    database: Database = request.app.state.db
    subject = f"{request.method} {request.url.path}"
    await anyio.to_thread.run_sync(
        lambda: record_denial(
            database, actor=acting_user(request), subject=subject, reason=str(exc)
        )
    )
