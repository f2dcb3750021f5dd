"""The random draws the demo's supplier data make, one helper per kind (#16).

The supplier base, its audits, questionnaires and CMRT files draw the same few kinds of thing
over and over: a day in a year, a number of days, one option by weight, a sample of ids. Each
kind is drawn here, in one way, so the streams of :mod:`esgledger.demo.seed` are consumed in
the same order wherever a kind is drawn, and a data module says what it draws, not how.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def day(
    draw: random.Random, year: int, month: int | None = None, *, months: tuple[int, int] = (1, 12)
) -> dt.date:
    """A day (the 1st to the 28th, valid in every month) of ``month``, or of a month drawn
    from ``months`` (first and last, inclusive), in ``year``."""
    if month is None:
        month = draw.randint(*months)
    return dt.date(year, month, draw.randint(1, 28))


def days(draw: random.Random, fewest: int, most: int) -> dt.timedelta:
    """A span of ``fewest`` to ``most`` days, inclusive."""
    return dt.timedelta(days=draw.randint(fewest, most))


def weighted(draw: random.Random, options: Sequence[T], weights: Sequence[float]) -> T:
    """One of ``options``, each as likely as its weight."""
    return draw.choices(options, weights)[0]


def sample(draw: random.Random, pool: Sequence[T], count: int) -> list[T]:
    """``count`` of ``pool`` (all of it when it is smaller), in the order drawn. Pass a
    sequence in a fixed order (a set's order would make the draw differ between runs)."""
    return draw.sample(pool, min(count, len(pool)))
