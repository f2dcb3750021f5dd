"""Named messages used as values of other messages (#19): a reason built of parts — a list
of ids each with the row holding it, several reasons of one cell — is worded part by part in
the reader's language, never by matching the English.

``str()`` of a phrase is its English, so an f-string building the CLI's line reads the same as
before; :func:`esgledger.catalog.messages.message_in` words it from the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Phrase:
    """A catalog message (its English text is its id) with its values, which may be phrases
    or lists of them."""

    message_id: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message_id % {k: str(v) for k, v in self.values.items()}


@dataclass(frozen=True)
class Listed:
    """Items said one after another, joined by ``joiner`` (a catalog message: ``", "`` or
    ``"; "``, worded per language)."""

    items: Sequence[Any]
    joiner: str = ", "

    def __str__(self) -> str:
        return self.joiner.join(str(item) for item in self.items)


class AnyOf(tuple[str, ...]):
    """A message value naming alternatives ("t or L or GJ"), joined by the reader's "or"."""

    __slots__ = ()
