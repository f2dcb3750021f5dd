"""Top-level commands loaded on first use, so ``esg --help`` starts in a fraction of a second.

Each command module imports its services (and through them pint, Polars, pyplot, openpyxl,
SQLAlchemy…); importing all of them costs seconds before any command runs. The root group
knows each command's name, module and one-line summary, lists the summaries for ``esg
--help``, and imports a module only when one of its commands is run or asked for its help.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, NamedTuple

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

# Typer vendors click privately (``typer._click``): its commands, contexts and formatters are
# typed ``Any`` here rather than through a private module.
Command = Any


class Entry(NamedTuple):
    module: str  # under esgledger.cli; its ``register(app)`` adds the command
    summary: str  # the line ``esg --help`` shows (the command's first help paragraph)


@cache
def commands_of(module: str) -> dict[str, Command]:
    """The click commands that ``esgledger.cli.<module>`` registers, built once."""
    registrar = typer.Typer()
    importlib.import_module(f"esgledger.cli.{module}").register(registrar)
    return dict(typer.main.get_group(registrar).commands)


class LazyCommands(Mapping[str, Command]):
    """The root's commands by name; a command's module is imported on first access."""

    def __init__(self, entries: Mapping[str, Entry]):
        self.entries = entries

    def __getitem__(self, name: str) -> Command:
        return commands_of(self.entries[name].module)[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


class LazyGroup(TyperGroup):
    """A root group over :class:`LazyCommands`; its help lists the summaries without loading
    a single command."""

    entries: Mapping[str, Entry] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(self.entries)  # type: ignore[assignment]

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.entries)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        summaries: dict[str, Command] = {
            name: TyperCommand(name, help=e.summary) for name, e in self.entries.items()
        }
        listing = TyperGroup(
            name=self.name,
            commands=summaries,
            help=self.help,
            params=self.params,
            rich_markup_mode=self.rich_markup_mode,
        )
        listing.format_help(ctx, formatter)
