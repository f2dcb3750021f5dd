"""The last line of defence of every command that reads a user's file: an unexpected
failure becomes one line.

``esg import entities|activities|kpis``, ``esg factors import``, ``esg boundary create
--members``, ``esg request upload``, ``esg materiality respondents import|respond|responses
import`` and ``esg restore`` run inside :func:`unexpected_failures`.

A validator bug or a library panic on a hostile file must not print a traceback: the
traceback goes to a log file, and the user gets one line naming the file, the error and the
log's path, with exit code 70 as for any bug. The import's transaction is rolled back, so
nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from esgledger.errors import EsgError, Exit, printable
from esgledger.ledger.known_failures import known_failure

LOG_FOLDER = "esgledger-logs"


class ImportFailed(EsgError):
    """An import stopped on an error no check foresaw, a bug; nothing was written (exit 70,
    as every bug of the ``esg`` command)."""

    exit_code = Exit.INTERNAL


def write_log(exc: BaseException, source: str) -> Path:
    """The traceback in a new file under the temporary folder; returns its path."""
    folder = Path(tempfile.gettempdir()) / LOG_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    path = folder / f"import-{stamp}-{os.getpid()}.log"
    text = "".join(traceback.format_exception(exc))
    path.write_text(f"esg import of {source}\n{text}", encoding="utf-8")
    return path


@contextmanager
def unexpected_failures(source: str) -> Iterator[None]:
    """Turn any exception other than a user-facing :class:`EsgError` into :class:`ImportFailed`;
    a busy database or a full disk keeps its own error (and exit code)."""
    try:
        yield
    except EsgError:
        raise
    except Exception as exc:
        known = known_failure(exc)
        if known is not None:
            raise known from None
        try:
            report = f"please report it with {write_log(exc, source)}"
        except OSError as log_error:
            report = f"please report it (no log could be written: {log_error.strerror})"
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        kind = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
        raise ImportFailed(
            f"{printable(source)}: internal error ({printable(kind)}); nothing was imported; "
            f"this is a bug in esgledger: {report}"
        ) from None
