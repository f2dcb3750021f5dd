"""What the ``esg`` command prints and exits with when a command fails.

A user mistake, a damaged file, a busy database and a full or read-only disk each become one
line and their own exit code (:class:`esgledger.errors.Exit`); anything else is a bug: one
line naming the file that holds the traceback, and exit code 70.
"""

from __future__ import annotations

import os
import tempfile
import traceback

from esgledger.errors import EsgError, Exit

__all__ = ["internal_failure", "known_failure"]


def known_failure(exc: BaseException) -> EsgError | None:
    """The user-facing error ``exc`` stands for (busy database, full disk…), or None for a
    bug. The database layer is imported only when a command fails, not at start-up."""
    from esgledger.ledger import known_failures

    return known_failures.known_failure(exc)


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
