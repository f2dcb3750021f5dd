"""Typed errors the domain raises and the interfaces translate.

Every user-facing error says what is wrong and how to fix it in one line; the CLI prints
``str(error)`` and exits with ``exit_code``, one per kind of failure so a script can tell a
typo from a damaged file, a busy database or a bug (:class:`Exit`, listed in docs/cli.md).
Import rejections carry one problem per row.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from types import MappingProxyType
from typing import Any, TypeVar


class Exit(IntEnum):
    """The ``esg`` command's exit codes; :data:`EXIT_MEANINGS` says what each means."""

    OK = 0
    CHECK_FAILED = 1
    BAD_INPUT = 2
    INTEGRITY = 3
    CONTENTION = 4
    STORAGE = 5
    INTERNAL = 70  # as sysexits' EX_SOFTWARE


EXIT_MEANINGS = {
    Exit.OK: "done",
    Exit.CHECK_FAILED: "a check ran and found problems (data-quality findings, a broken "
    "audit chain), or a calculation run was left incomplete (stored and flagged; "
    "`esg calc --allow-incomplete` accepts it)",
    Exit.BAD_INPUT: "bad input: the message says what to fix; nothing was written",
    Exit.INTEGRITY: "damaged data: an archive or stored file does not match its digest, or a "
    "database file is corrupt; nothing was written",
    Exit.CONTENTION: "the database was busy: another command held its write lock longer than "
    "`ESG_LOCK_WAIT_SECONDS`, or changed the same records at the same moment; nothing was "
    "written, run it again",
    Exit.STORAGE: "the disk is full, read-only or failing (or the workspace is opened "
    "read-only); nothing was written",
    Exit.INTERNAL: "a bug in esgledger: the message names a file with the details to report",
}

# C0 and C1 control characters (and DEL) as visible escapes: a cell's text may reach a
# terminal, and an escape sequence or a newline in it must not act there.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN``, so it prints as one plain line."""
    return text.translate(_CONTROL)


class EsgError(Exception):
    """Base class: a problem the user can fix. Never shown with a traceback.

    ``str(error)`` is the English line the CLI prints. An error may also name its message
    (``message_id``, the catalog's msgid) with ``values`` and ``words`` (values that are
    catalog messages themselves), so a page words it in its reader's language (:func:`worded`).
    """

    exit_code = Exit.BAD_INPUT
    message_id: str = ""
    values: Mapping[str, Any] = MappingProxyType({})
    words: Mapping[str, str] = MappingProxyType({})


E = TypeVar("E", bound=EsgError)


def worded(
    error: E, message_id: str, values: Mapping[str, Any], words: Mapping[str, str] | None = None
) -> E:
    """``error`` naming its message: ``message_id % (values | words translated)``."""
    error.message_id = message_id
    error.values = dict(values)
    error.words = dict(words or {})
    return error


class NotFound(EsgError):
    """A named thing (entity, boundary, edition, run…) does not exist."""


class Conflict(EsgError):
    """The request clashes with what is already stored."""


class InvalidInput(EsgError):
    """A value given on the command line or in a form is not acceptable."""


class DatabaseError(EsgError):
    """The database cannot be opened or is not at the expected schema version."""


class IntegrityFailure(InvalidInput):
    """Data read back (an archive, a stored file) does not match the digest kept with it."""

    exit_code = Exit.INTEGRITY


class Contention(EsgError):
    """Another writer held the database longer than we wait; nothing was written."""

    exit_code = Exit.CONTENTION


class ConcurrentChange(Contention):
    """Another writer changed the same rows between our read and our write (PostgreSQL,
    where writers do not queue); nothing was written, and working from the stored state
    again resolves it. Exit code 4 like any contention; HTTP 409, as a stale edit."""


class StorageFailure(EsgError):
    """The disk refused a write (full, read-only, failing); nothing was written."""

    exit_code = Exit.STORAGE


STORAGE_ERRNOS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EIO: "an input/output error (failing disk?)",
}


def storage_failure(exc: OSError, what: str) -> StorageFailure | None:
    """A one-line :class:`StorageFailure` for an ``OSError`` a full or read-only disk causes."""
    reason = STORAGE_ERRNOS.get(exc.errno or 0)
    if reason is None:
        return None
    where = f" ({exc.filename})" if exc.filename else ""
    return StorageFailure(f"cannot {what}: {reason}{where}; nothing was written")


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a row (or the whole file) was refused.

    ``reason`` is the English the CLI prints; a reason may also name its message (as
    :func:`worded` does for an error), so a page words the row in its reader's language.
    """

    row: int | None  # 1-based data row number as a spreadsheet shows it; None for file-level
    column: str | None
    reason: str
    message_id: str = ""
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    words: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, row: int | None, column: str | None, error: EsgError) -> Problem:
        """A row refused for ``error``: its English line, and its message where it names one."""
        return cls(row, column, str(error), error.message_id, error.values, error.words)

    def format(self, source: str) -> str:
        where = printable(source)
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{printable(self.column)}'"
        return f"{where}: {printable(self.reason)}"


class ImportRejected(EsgError):
    """A file was refused whole; nothing was written. Lists the first problems, then a count."""

    shown = 50

    def __init__(self, source: str, problems: list[Problem], total: int | None = None):
        self.source = source
        self.problems = sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
        self.total = total if total is not None else len(problems)
        super().__init__(self.render())

    def render(self) -> str:
        lines = [p.format(self.source) for p in self.problems[: self.shown]]
        hidden = self.total - min(self.shown, len(self.problems))
        if hidden > 0:
            lines.append(f"{printable(self.source)}: … and {hidden} more problems")
        total = self.total
        lines.append(
            f"{printable(self.source)}: refused, {total} problem{'s' if total != 1 else ''}; "
            "nothing was imported"
        )
        return "\n".join(lines)


class CellsRefused(InvalidInput):
    """One form's cells refused by an import's checks (a data request's value): the
    problems' reasons fill the ``%(reasons)s`` of its message, each worded in a page's
    language (:func:`esgledger.catalog.messages.in_words`)."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = list(problems)
