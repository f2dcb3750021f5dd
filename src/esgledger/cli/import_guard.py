"""The last line of defence of ``esg import``: an unexpected failure becomes one line.

A validator bug or a library panic on a hostile file must not print a traceback. A failure
the user can act on (a full or read-only disk, a busy database) gets its own one line and
exit code, as for every command (:mod:`esgledger.cli.failures`); anything else is a bug: the
traceback goes to a file, and the user gets one line naming the imported file, the kind of
failure and that file's path (exit code 70). The import's transaction is rolled back, so
nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from esgledger.cli.failures import internal_failure, known_failure
from esgledger.errors import EsgError, Exit, printable


class ImportFailed(EsgError):
    """An import stopped on an error no check foresaw; nothing was written."""

    exit_code = Exit.INTERNAL


@contextmanager
def unexpected_failures(source: str) -> Iterator[None]:
    """Turn any exception into a one-line :class:`EsgError` naming ``source``."""
    try:
        yield
    except EsgError:
        raise
    except Exception as exc:
        known = known_failure(exc)
        if known is not None:
            raise known from None
        line, _ = internal_failure(exc)
        raise ImportFailed(f"{printable(source)}: nothing was imported; {line}") from None
