"""A refused step leaves a trace: one ``access.denied`` event per refusal, wherever it happens.

The API and the pages turn a :class:`~esgledger.auth.permissions.PermissionDenied` into a 403
and record it here; a route that handles a refusal itself (one item of a bulk approve)
records it here too, so it reads exactly like the 403 of the single step it stands for.
Written in its own transaction, since the refused work rolled back.
"""

from __future__ import annotations

import logging

from esgledger.ledger import audit
from esgledger.ledger.db import Database

log = logging.getLogger(__name__)


def record_denial(database: Database, *, actor: str, subject: str, reason: str) -> None:
    """Append one ``access.denied`` event; a failure to do so is logged, not raised."""
    try:
        with database.write() as session:
            audit.record(
                session,
                actor=actor,
                action="access.denied",
                subject=subject[:200],
                payload={"reason": reason},
            )
    except Exception:  # the refusal still goes out; the log says why the event is missing
        log.exception("could not audit a refused request to %s", subject)
