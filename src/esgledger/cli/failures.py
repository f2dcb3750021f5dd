"""What the ``esg`` command prints and exits with when a command fails.

A user mistake, a damaged file, a busy database and a full or read-only disk each become one
line and their own exit code (:class:`esgledger.errors.Exit`); anything else is a bug: one
line naming the file that holds the traceback, and exit code 70.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import traceback

from sqlalchemy.exc import DBAPIError

from esgledger.errors import EsgError, Exit, storage_failure
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


def internal_failure(exc: BaseException) -> tuple[str, int]:
    """One line for a bug; the traceback goes to a file the user can attach to a report."""
    fd, path = tempfile.mkstemp(prefix="esg-internal-error-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("".join(traceback.format_exception(exc)))
    first = str(exc).strip().splitlines()
    detail = f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__
    return (
        f"internal error ({detail}); this is a bug in esgledger: please report it with {path}",
        Exit.INTERNAL,
    )
