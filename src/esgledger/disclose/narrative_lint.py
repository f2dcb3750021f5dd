"""The narrative lint: what an editor would strike in the bound text before it is printed.

It fails (one line naming file and line) on a figure printed with more decimals than the KPI
appendix prints, and on a unit word doubled ("55,780 person people", "tCO2e tCO2e") — two
words after a number naming the same unit. ``esg report`` runs it on every section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from esgledger.errors import InvalidInput
from esgledger.units import registry

WORD = r"([^\W\d][\w/^-]*)"
NUMBER_AND_WORDS = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?%?\s+" + WORD + r"\s+" + WORD)


@dataclass(frozen=True)
class Printed:
    """A figure a tag printed: what the lint compares with the appendix."""

    metric: str
    line: int
    decimals: int
    appendix_decimals: int
    text: str


def same_unit(first: str, second: str) -> bool:
    """Both words name a unit, and it is the same one (``person``/``people``)."""
    try:
        return registry.multiplier(first, second) == 1.0
    except InvalidInput:  # a word that is not a unit, or another dimension
        return False


def lint_narrative(text: str, printed: list[Printed], *, source: str) -> None:
    """Refuse the bound text of one section if an editor would have to correct it."""
    for figure in printed:
        if figure.decimals > figure.appendix_decimals:
            raise InvalidInput(
                f"{source}, line {figure.line}: {figure.text} ({figure.metric}) has "
                f"{figure.decimals} decimals but the appendix prints {figure.appendix_decimals}; "
                f"drop decimals= or lower it"
            )
    for match in NUMBER_AND_WORDS.finditer(text):
        first, second = match.groups()
        if same_unit(first, second):
            line = text.count("\n", 0, match.start()) + 1
            raise InvalidInput(
                f"{source}, line {line}: unit word doubled: '{first} {second}'; "
                "keep one (a count tag prints the number only)"
            )
