"""Choosing one factor, in the order DESIGN.md gives (docs/factor-resolution.md).

Series are consulted in a chain: pinned series first, then the workspace's own series, then
the profile's publisher chain; the first series that covers the need answers. Within a
series, for each variant in order, one rule ranks the editions:

1. ``pinned_edition`` — the edition pinned for the run, and no other edition of its series;
2. ``workspace_series_year`` — a workspace's own series (no shipped edition belongs to it)
   answers only with editions whose data year is the activity year, or that declare none:
   for other years the official series answer as if it were not there;
3. ``latest_published_as_of`` — the latest edition published by the cut-off (``as_of``). A
   series that records no publication dates (standards, IPCC) is ranked by data year instead;
   in one that does, an edition without a date cannot be placed and is left out, flagged;
4. ``matching_data_year`` (``as_of`` None) — the latest edition whose data year is at most the
   activity year.

Then, within the best edition, the most specific region: subdivision → grid → country →
global. Only when that edition has no factor for any of the site's regions does an older one
answer, flagged, so one run never mixes editions of a series unnoticed. The returned rule
names the edition, the region and the rule, so a verifier can follow it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from esgledger.calc.library import FactorLibrary, FactorRecord

ANY = "*"  # matches a factor of any region: for region-independent physical conversions

OLDER_EDITION = "older_edition_for_region"
NOT_PUBLISHED = "no_edition_published_by_as_of"
NEWER_VINTAGE = "newer_vintage_than_activity"
UNDATED_LEFT_OUT = "newer_edition_without_publication_date"

# (series, variant) → edition → region → factors, for one need
ByEdition = dict[str, dict[str, list[FactorRecord]]]


@dataclass(frozen=True, slots=True)
class Region:
    level: str  # subdivision | grid | country | global | any
    code: str


@dataclass(frozen=True, slots=True)
class Resolution:
    factor: FactorRecord
    rule: str
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Ranking:
    """The editions of one series and variant a need may use, and why in this order."""

    usable: tuple[str, ...]  # by the rule, best first
    fallback: tuple[str, ...]  # only when no usable edition covers the site; flagged
    fallback_flag: str
    left_out: tuple[str, ...] = ()  # newer editions the rule cannot place (no date)


class Resolver:
    """Resolves factors against one library with one run's pins and cut-off date."""

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
        self._editions: dict[tuple[str, str, str, str], dict[tuple[str, str], ByEdition]] = {}

    def chain(self, profile_chain: Sequence[str]) -> tuple[str, ...]:
        """Pinned series first (pins always win), the workspace's own, then the profile's."""
        ordered = [*self.pins, *self.library.user_series, *profile_chain]
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
            by_edition = self._by_edition(need, found)
            self._memo[key] = self._first(by_edition, year, regions, series, variants)
        return self._memo[key]

    def _by_edition(
        self, need: tuple[str, str, str, str], found: dict[tuple[str, str, str], list[FactorRecord]]
    ) -> dict[tuple[str, str], ByEdition]:
        """The need's factors by (series, variant), then edition, then region, in file order."""
        cached = self._editions.get(need)
        if cached is None:
            cached = {}
            for (series, variant, region), records in found.items():
                for rec in records:
                    by_region = cached.setdefault((series, variant), {}).setdefault(
                        rec.edition, defaultdict(list)
                    )
                    by_region[region].append(rec)
            self._editions[need] = cached
        return cached

    def _first(
        self,
        by_edition: dict[tuple[str, str], ByEdition],
        year: int,
        regions: Sequence[Region],
        series: Sequence[str],
        variants: Sequence[str],
    ) -> Resolution | None:
        for name in series:
            for variant in variants:
                editions = by_edition.get((name, variant))
                if not editions:
                    continue
                ranking = self._rank(name, editions, year)
                found = _search(editions, ranking.usable, regions)
                flags: tuple[str, ...] = ()
                if found is not None and found[0].edition != ranking.usable[0]:
                    flags = (OLDER_EDITION,)
                if found is None:
                    found = _search(editions, ranking.fallback, regions)
                    flags = (ranking.fallback_flag,)
                if found is not None:
                    factor, region = found
                    return self._resolution(factor, name, variant, region, year, ranking, flags)
        return None

    # --- ranking editions ---------------------------------------------------------------

    def _rank(self, series: str, editions: ByEdition, year: int) -> Ranking:
        facts = {e: next(iter(next(iter(rs.values())))) for e, rs in editions.items()}
        pinned = self.pins.get(series)
        if pinned is not None:
            return Ranking((pinned,) if pinned in facts else (), (), "")
        if series not in self.library.shipped_series:
            declared = [e for e, f in facts.items() if f.data_year in (None, year)]
            return Ranking(tuple(sorted(declared, key=self._newest(facts), reverse=True)), (), "")
        if self.as_of is not None and series in self.library.dated_series:
            return self._by_cutoff(facts, self.as_of)
        return self._by_data_year(facts, year)

    def _newest(self, facts: dict[str, FactorRecord]) -> Any:
        depth = self.library.succession
        return lambda e: (
            facts[e].published or dt.date.min,
            facts[e].data_year or 0,
            depth.get(e, 0),
            e,
        )

    def _by_cutoff(self, facts: dict[str, FactorRecord], cutoff: dt.date) -> Ranking:
        newest = self._newest(facts)
        usable = sorted(
            (e for e, f in facts.items() if f.published and f.published <= cutoff),
            key=newest,
            reverse=True,
        )
        later = sorted(
            (e for e, f in facts.items() if f.published and f.published > cutoff), key=newest
        )
        best_year = (facts[usable[0]].data_year or 0) if usable else 0
        undated = sorted(
            (e for e, f in facts.items() if not f.published and (f.data_year or 0) > best_year),
            key=newest,
        )
        return Ranking(tuple(usable), tuple(later), NOT_PUBLISHED, tuple(undated))

    def _by_data_year(self, facts: dict[str, FactorRecord], year: int) -> Ranking:
        depth = self.library.succession

        def newest(e: str) -> tuple[Any, ...]:
            f = facts[e]
            return (f.data_year or 0, f.published or dt.date.min, depth.get(e, 0), e)

        usable = [e for e, f in facts.items() if f.data_year is None or f.data_year <= year]
        newer = [e for e in facts if e not in usable]
        return Ranking(
            tuple(sorted(usable, key=newest, reverse=True)),
            tuple(sorted(newer, key=newest)),
            NEWER_VINTAGE,
        )

    # --- the rule text ------------------------------------------------------------------

    def _resolution(
        self,
        factor: FactorRecord,
        series: str,
        variant: str,
        region: Region,
        year: int,
        ranking: Ranking,
        flags: tuple[str, ...],
    ) -> Resolution:
        where = f"series {series}; {region.level} {region.code}" + (
            f"; variant {variant}" if variant else ""
        )
        how = self._how(factor, series, year, flags)
        notes = ""
        if OLDER_EDITION in flags:
            notes += f"; {ranking.usable[0]} has no factor for this site, older edition used"
        if ranking.left_out:
            left = ", ".join(ranking.left_out)
            notes += f"; {left} left out: no publication date (pin it to use it)"
            flags += (UNDATED_LEFT_OUT,)
        return Resolution(factor, f"{where}; {how}{notes}", flags)

    def _how(self, factor: FactorRecord, series: str, year: int, flags: tuple[str, ...]) -> str:
        edition = factor.edition
        vintage = f"data year {factor.data_year}" if factor.data_year is not None else "undated"
        if series in self.pins:
            return f"edition {edition} pinned for the run [pinned_edition]"
        if series not in self.library.shipped_series:
            declared = f"data year {year}" if factor.data_year is not None else "no data year"
            return f"workspace series, {edition} declares {declared} [workspace_series_year]"
        if NOT_PUBLISHED in flags:
            assert self.as_of is not None
            return (
                f"no edition published by {self.as_of.isoformat()} covers this site, earliest "
                f"published later used ({edition}) [latest_published_as_of]"
            )
        if NEWER_VINTAGE in flags:
            return (
                f"no edition with data year ≤ {year}, nearest newer used ({edition}) "
                "[matching_data_year]"
            )
        if self.as_of is not None and series in self.library.dated_series:
            published = factor.published.isoformat() if factor.published else "?"
            return (
                f"latest edition published by {self.as_of.isoformat()} ({edition}, published "
                f"{published}) [latest_published_as_of]"
            )
        undated = "series records no publication dates: " if self.as_of is not None else ""
        return (
            f"{undated}latest edition with data year ≤ {year} ({edition}, {vintage}) "
            "[matching_data_year]"
        )


def _search(
    editions: ByEdition, order: Sequence[str], regions: Sequence[Region]
) -> tuple[FactorRecord, Region] | None:
    """The first edition in ``order`` with a factor for one of the regions, most specific
    region first."""
    for edition in order:
        by_region = editions.get(edition)
        if by_region is None:
            continue
        for region in regions:
            if region.code == ANY:
                for records in by_region.values():
                    return records[0], region
            elif region.code in by_region:
                return by_region[region.code][0], region
    return None
