"""Printing results as tables or ``--json``, and errors as one line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from esgledger.errors import printable

console = Console(soft_wrap=True)
err_console = Console(stderr=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


def fail(message: str) -> None:
    """One line per problem on stderr, each starting with ``error:``; control characters in
    the message (a hostile file's cell) are shown escaped, never sent to the terminal."""
    for line in message.splitlines() or [message]:
        err_console.print(
            Text.assemble(("error:", "bold red"), " ", printable(line)), soft_wrap=True
        )


def lock_wait_notice(waited: float, wait: float) -> None:
    """Progress while a write waits for another writer: after 1 s, then every 10 s."""
    seconds = int(waited)
    if seconds == 1 or (seconds and seconds % 10 == 0):
        err_console.print(
            f"waiting for another command to finish writing: {seconds} s of {wait:g} s…",
            soft_wrap=True,
        )
