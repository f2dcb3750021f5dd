"""Choosing one factor, in the order DESIGN.md gives.

1. an edition pinned for the run (per series);
2. the profile's publisher chain (the workspace's own series first);
3. the most specific region: subdivision → regional grid → country → global;
4. the latest edition whose data year is at most the activity year, or, in as-of mode, the
   latest edition published on or before the as-of date.

The returned rule says which of these chose the factor, so a verifier can follow it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from esgledger.calc.library import FactorLibrary, FactorRecord

ANY = "*"  # matches a factor of any region: for region-independent physical conversions


@dataclass(frozen=True, slots=True)
class Region:
    level: str  # subdivision | grid | country | global | any
    code: str


@dataclass(frozen=True, slots=True)
class Resolution:
    factor: FactorRecord
    rule: str
    flags: tuple[str, ...] = ()


class Resolver:
    """Resolves factors against one library with one run's pins and as-of date."""

    def __init__(
        self,
        library: FactorLibrary,
        *,
        pins: dict[str, str] | None = None,
        as_of: dt.date | None = None,
    ):
        self.library = library
        self.pins = pins or {}
        self.as_of = as_of
        # Keys of a run share most needs (every site in a province asks for the same fuel
        # factors): answers are kept per need and per the regions that have candidates.
        self._memo: dict[tuple[Any, ...], Resolution | None] = {}
        self._codes: dict[tuple[str, str, str, str], frozenset[str]] = {}

    def chain(self, profile_chain: Sequence[str]) -> tuple[str, ...]:
        """The workspace's own series first, then the profile's, then pinned ones not yet named."""
        ordered = [*self.library.user_series, *profile_chain, *self.pins]
        return tuple(dict.fromkeys(ordered))

    def resolve(
        self,
        *,
        kind: str,
        activity: str,
        parameter: str,
        gas: str,
        year: int,
        regions: Sequence[Region],
        series: Sequence[str],
        variants: Sequence[str] = ("",),
    ) -> Resolution | None:
        """The factor for one need, or None when no series in the chain covers it."""
        need = (kind, activity, parameter, gas)
        found = self.library.candidates(*need)
        if not found:
            return None
        codes = self._codes.get(need)
        if codes is None:
            codes = self._codes[need] = frozenset(code for _, _, code in found)
        # regions without candidates cannot match: leaving them out changes no answer
        regions = tuple(r for r in regions if r.code == ANY or r.code in codes)
        key = (*need, year, regions, tuple(series), tuple(variants))
        if key not in self._memo:
            self._memo[key] = self._first(found, year, regions, series, variants)
        return self._memo[key]

    def _first(
        self,
        found: dict[tuple[str, str, str], list[FactorRecord]],
        year: int,
        regions: Sequence[Region],
        series: Sequence[str],
        variants: Sequence[str],
    ) -> Resolution | None:
        for name in series:
            pinned = self.pins.get(name)
            for variant in variants:
                for region in regions:
                    if region.code == ANY:
                        here = [
                            r
                            for (s, v, _), rs in found.items()
                            if s == name and v == variant
                            for r in rs
                        ]
                    else:
                        here = found.get((name, variant, region.code), [])
                    if pinned is not None:
                        here = [c for c in here if c.edition == pinned]
                    if here:
                        return self._pick(here, name, region, variant, year, pinned)
        return None

    def _pick(
        self,
        options: list[FactorRecord],
        series: str,
        region: Region,
        variant: str,
        year: int,
        pinned: str | None,
    ) -> Resolution:
        where = f"series {series}; {region.level} {region.code}" + (
            f"; variant {variant}" if variant else ""
        )
        if pinned is not None:
            return Resolution(options[0], f"{where}; edition {pinned} pinned for the run")
        if self.as_of is not None:
            published = [
                c for c in options if c.published is not None and c.published <= self.as_of
            ]
            if published:
                best = max(published, key=lambda c: (c.published, c.data_year or 0, c.edition))
                return Resolution(
                    best,
                    f"{where}; latest edition published by {self.as_of.isoformat()} "
                    f"({best.edition})",
                )
            first = min(options, key=lambda c: (c.published or dt.date.max, c.edition))
            return Resolution(
                first,
                f"{where}; no edition published by {self.as_of.isoformat()}, "
                f"earliest used ({first.edition})",
                ("no_edition_published_by_as_of",),
            )
        dated = [c for c in options if c.data_year is None or c.data_year <= year]
        if dated:
            best = max(
                dated, key=lambda c: (c.data_year or 0, c.published or dt.date.min, c.edition)
            )
            label = f"data year {best.data_year}" if best.data_year is not None else "undated"
            return Resolution(
                best, f"{where}; latest edition with data year ≤ {year} ({best.edition}, {label})"
            )
        nearest = min(options, key=lambda c: (c.data_year or 0, c.edition))
        return Resolution(
            nearest,
            f"{where}; no edition with data year ≤ {year}, nearest newer used ({nearest.edition})",
            ("newer_vintage_than_activity",),
        )
