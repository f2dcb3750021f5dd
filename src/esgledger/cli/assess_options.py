"""Options and parsers shared by the assessment commands (materiality, risk, climate,
targets)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from esgledger.cli.output import console, print_json
from esgledger.errors import InvalidInput

YearOption = Annotated[int, typer.Option("--year", help="Reporting year of the assessment.")]
NameOption = Annotated[
    str | None,
    typer.Option("--name", help="Assessment name, when the year has several."),
]


def parse_date(text: str | None, option: str) -> dt.date | None:
    """``YYYY-MM-DD`` or None; a wrong date is a one-line error naming the option."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{option} {text!r} is not a date (use YYYY-MM-DD)") from None


def fmt(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def emit(as_json: bool, data: Any, text: str) -> None:
    """``data`` as JSON, or one line of text for people."""
    if as_json:
        print_json(data)
    else:
        console.print(text)
