"""Printing results as tables or ``--json``, and errors as one line.

Tables never cut a number short: a column whose cells are numbers (with a unit or a marker
at most) is never wrapped or truncated; text columns fold instead. When even that does not
fit the terminal (80 columns, or a redirected output, which Rich treats as 80 columns), each
row is printed as a block of ``column: value`` lines.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from esgledger.errors import printable

console = Console(soft_wrap=True)
err_console = Console(stderr=True)

# A number, possibly signed, grouped or in %, followed by at most short markers ("1,234.5 ᴿ"),
# or a single short word ("calculated"): cells no table should ever cut.
_NUMBER = re.compile(r"^[^\s]*\d[^\s]*( \S{1,3})*$")
_WORD = re.compile(r"^\S{1,12}$")
_BLANK = ("", "—", "/", "n.a.", "-")
TEXT_MIN_WIDTH = 8  # narrowest a folding text column gets before rows become blocks


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _numbers(cells: list[str]) -> bool:
    filled = [c for c in cells if c not in _BLANK]
    return bool(filled) and all(_NUMBER.match(c) for c in filled)


def _whole(cells: list[str]) -> bool:
    """Whether a column holds numbers or single short words, to be shown uncut."""
    filled = [c for c in cells if c not in _BLANK]
    return bool(filled) and all(_NUMBER.match(c) or _WORD.match(c) for c in filled)


def _needed_width(columns: Sequence[str], cells: list[list[str]], keep: list[bool]) -> int:
    """Narrowest the table can be with every number whole (padding and one spare column)."""
    total = 2 * len(columns) + 1
    for i, header in enumerate(columns):
        widest = max([Text(c).cell_len for c in cells[i]] + [1])
        total += widest if keep[i] else min(widest, max(TEXT_MIN_WIDTH, len(header)))
    return total


def print_table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    out: Console | None = None,
) -> None:
    """The rows as a table on ``out`` (standard output by default), as blocks when the
    table cannot fit with every number whole."""
    out = out or console
    text_rows = [["" if v is None else str(v) for v in row] for row in rows]
    by_column = [[row[i] for row in text_rows] for i in range(len(columns))]
    keep = [_whole(cells) for cells in by_column]
    if _needed_width(columns, by_column, keep) > out.width:
        _print_blocks(title, columns, text_rows, out)
        return
    table = Table(
        title=title,
        header_style="bold",
        box=box.SIMPLE_HEAD,  # no vertical rules: their width goes to the numbers
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    for i, (col, whole) in enumerate(zip(columns, keep, strict=True)):
        if whole:
            widest = max(Text(c).cell_len for c in [*by_column[i], col])
            justify = "right" if _numbers(by_column[i]) else "left"
            table.add_column(col, justify=justify, no_wrap=True, min_width=widest)
        else:
            table.add_column(col, overflow="fold")
    for row in text_rows:
        table.add_row(*row)
    out.print(table)


def _print_blocks(
    title: str | None, columns: Sequence[str], rows: list[list[str]], out: Console
) -> None:
    """One block per row: the first cell as a heading, then ``column: value`` pairs packed
    into indented lines as wide as the console (a pair is never split)."""
    if title:
        out.print(f"[bold]{title}[/bold]", highlight=False)
    for row in rows:
        out.print(Text(row[0], style="bold"))
        line = ""
        for header, cell in zip(columns[1:], row[1:], strict=True):
            pair = f"{header}: {cell}" if cell else ""
            if not pair:
                continue
            if line and Text(f"{line}   {pair}").cell_len > out.width:
                out.print(Text(line), highlight=False)
                line = ""
            line = f"{line}   {pair}" if line else f"  {pair}"
        if line:
            out.print(Text(line), highlight=False)


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
