"""What a driver or operating-system failure means for the user, for every interface.

A busy database, a full or read-only disk and a damaged file arrive as driver or ``OSError``
exceptions; the CLI (an exit code each) and the API and pages (a status each) translate the
same typed errors, so they are told apart here, once.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

from esgledger.errors import EsgError, storage_failure
from esgledger.ledger.db import database_failure


def known_failure(exc: BaseException) -> EsgError | None:
    """The typed error an exception means for the user, or None when it is a bug."""
    if isinstance(exc, EsgError):
        return exc
    if isinstance(exc, DBAPIError | sqlite3.Error):
        return database_failure(exc, "the workspace database")
    if isinstance(exc, OSError):
        return storage_failure(exc, "finish")
    return None
