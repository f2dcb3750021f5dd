"""The factor library a run sees: shipped catalog editions plus the workspace's own editions.

Editions are immutable; a run records each edition it used with a digest of its content,
so a later edition (or an edited file) can never pass for the one a stored run used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog import factors as shipped
from esgledger.ledger.models import Factor as FactorRow
from esgledger.ledger.models import FactorEdition as EditionRow

USER_SERIES_PREFIX = "user."


@dataclass(frozen=True, slots=True)
class FactorRecord:
    """One factor with the edition facts resolution needs."""

    factor_id: str
    edition: str
    series: str
    data_year: int | None
    published: dt.date | None
    kind: str
    activity: str
    parameter: str
    gas: str
    region: str
    variant: str
    value: float
    unit: str
    status: str
    user: bool
    supersedes: str = ""  # the edition this one replaces, if its publisher says so


class FactorLibrary:
    """Every factor a run may use, indexed by (kind, activity, parameter, gas)."""

    def __init__(self, records: list[FactorRecord]):
        self.records = records
        self.index: dict[tuple[str, str, str, str], dict[tuple[str, str, str], list[FactorRecord]]]
        self.index = defaultdict(lambda: defaultdict(list))
        for rec in records:
            need = (rec.kind, rec.activity, rec.parameter, rec.gas)
            self.index[need][(rec.series, rec.variant, rec.region)].append(rec)
        self.by_id = {r.factor_id: r for r in records}

    def __reduce__(self) -> tuple[type[FactorLibrary], tuple[list[FactorRecord]]]:
        """Pickled as its records (the Spark engine sends the library to its executors):
        the index is rebuilt from them, in the same order."""
        return (FactorLibrary, (self.records,))

    @classmethod
    def load(cls, session: Session | None = None) -> FactorLibrary:
        records = list(_shipped_records())
        if session is not None:
            records.extend(_user_records(session))
        return cls(records)

    @cached_property
    def user_series(self) -> tuple[str, ...]:
        """The workspace's own series: user editions in a shipped series extend that one."""
        return tuple(sorted({r.series for r in self.records if r.user} - self.shipped_series))

    @cached_property
    def shipped_series(self) -> frozenset[str]:
        """Series with a shipped edition; any other series is the workspace's own."""
        return frozenset(r.series for r in self.records if not r.user)

    @property
    def dated_series(self) -> frozenset[str]:
        """Series whose shipped editions record publication dates: the cut-off rule applies."""
        return shipped.dated_series()

    @cached_property
    def succession(self) -> dict[str, int]:
        """Edition → how many editions it supersedes, following the chain (newer is higher)."""
        parent = {r.edition: r.supersedes for r in self.records}
        depth: dict[str, int] = {}
        for edition in parent:
            seen, step = {edition}, parent[edition]
            while step in parent and step not in seen:
                seen.add(step)
                step = parent[step]
            depth[edition] = len(seen) - 1
        return depth

    @cached_property
    def editions(self) -> dict[str, str]:
        """Edition → series."""
        return {r.edition: r.series for r in self.records}

    @cached_property
    def edition_digests(self) -> dict[str, str]:
        """Edition → sha256 of its factors, to record what a run used."""
        parts: dict[str, list[str]] = defaultdict(list)
        for r in sorted(self.records, key=lambda r: r.factor_id):
            parts[r.edition].append(
                "|".join(
                    [
                        *(r.factor_id, r.kind, r.activity, r.parameter, r.gas, r.region),
                        *(r.variant, repr(r.value), r.unit, str(r.data_year), str(r.published)),
                    ]
                )
            )
        return {e: hashlib.sha256("\n".join(p).encode()).hexdigest() for e, p in parts.items()}

    def candidates(
        self, kind: str, activity: str, parameter: str, gas: str
    ) -> dict[tuple[str, str, str], list[FactorRecord]]:
        """Factors for one need, keyed by (series, variant, region)."""
        return self.index.get((kind, activity, parameter, gas), {})


def _record(factor: Any, edition: Any, *, user: bool) -> FactorRecord:
    """One record from a factor and its edition: shipped dataclasses and workspace rows have
    the same field names."""
    return FactorRecord(
        factor_id=factor.factor_id,
        edition=factor.edition,
        series=edition.series,
        data_year=edition.data_year,
        published=shipped.published(edition),
        kind=factor.kind,
        activity=factor.activity,
        parameter=factor.parameter,
        gas=factor.gas or "",
        region=factor.region,
        variant=factor.variant or "",
        value=float(factor.value),
        unit=factor.unit,
        status=factor.status or edition.status,
        user=user,
        supersedes=edition.supersedes or "",
    )


def _shipped_records() -> list[FactorRecord]:
    editions = shipped.factor_editions()
    return [_record(f, editions[f.edition], user=False) for f in shipped.factors()]


def _user_records(session: Session) -> list[FactorRecord]:
    editions = {e.edition: e for e in session.scalars(select(EditionRow))}
    return user_records(session.scalars(select(FactorRow).order_by(FactorRow.factor_id)), editions)


def user_records(factors: Iterable[Any], editions: Mapping[str, Any]) -> list[FactorRecord]:
    """The records of a workspace's own factors (by factor id) with their editions: stored
    rows, or objects with the same fields (a library built in memory, for the tests)."""
    return [_record(f, editions[f.edition], user=True) for f in factors]
