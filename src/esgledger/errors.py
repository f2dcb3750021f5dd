"""Typed errors the domain raises and the interfaces translate.

Every user-facing error says what is wrong and how to fix it in one line; the CLI prints
``str(error)`` and exits with ``exit_code``. Import rejections carry one problem per row.
"""

from __future__ import annotations

from dataclasses import dataclass

# C0 and C1 control characters (and DEL) as visible escapes: a cell's text may reach a
# terminal, and an escape sequence or a newline in it must not act there.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN``, so it prints as one plain line."""
    return text.translate(_CONTROL)


class EsgError(Exception):
    """Base class: a problem the user can fix. Never shown with a traceback."""

    exit_code = 2


class NotFound(EsgError):
    """A named thing (entity, boundary, edition, run…) does not exist."""


class Conflict(EsgError):
    """The request clashes with what is already stored."""


class InvalidInput(EsgError):
    """A value given on the command line or in a form is not acceptable."""


class DatabaseError(EsgError):
    """The database cannot be opened or is not at the expected schema version."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a row (or the whole file) was refused."""

    row: int | None  # 1-based data row number as a spreadsheet shows it; None for file-level
    column: str | None
    reason: str

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
