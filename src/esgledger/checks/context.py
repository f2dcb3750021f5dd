"""What every rule reads: the KPI tables of the year and the years before, stored rows and
scopes, asked of the run's :class:`~esgledger.checks.reads.CheckReads` once and shared by
the rules (no rule holds a database session)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from esgledger.catalog import Metric, metrics
from esgledger.checks.reads import SPAN as SPAN  # where the modules reading it look
from esgledger.checks.reads import CheckReads, ScopeView, Table
from esgledger.checks.rule_rows import RuleRows
from esgledger.checks.session_reads import SessionReads
from esgledger.kpi.calculated import Sums
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.inputs import StoredInputs
from esgledger.ledger.kpi_rows import KpiRow

# A scope qualifier: a figure that covers only part of the group (SYSTEM.md §4, §7 class 17).
_SCOPED_NAME = re.compile(r"\b(HQ|headquarters)\b", re.I)
_SCOPED_NOTE = re.compile(
    r"\b(overseas|china|chinese mainland|mainland|hq|headquarters)\b[\w\s-]{0,25}?\bonly\b"
    r"|\bonly\b[\w\s-]{0,25}?\b(overseas|china|chinese mainland|mainland|hq|headquarters)\b",
    re.I,
)


class CheckContext:
    """One run of the checks: the year, its options, and what is stored (``reads``: the
    read layer over a session, or plain inputs given in memory). Rules read only from it.

    ``CheckContext(session, year)`` (or ``session=``) reads through
    :class:`~esgledger.checks.session_reads.SessionReads`; ``inputs`` are the stored values
    and sums a caller read already (:mod:`esgledger.kpi.inputs`)."""

    def __init__(
        self,
        reads: CheckReads | Session | None = None,
        year: int | None = None,
        *,
        boundary: str | None = None,
        narrative: Path | None = None,
        claims: dict[str, list[str]] | None = None,
        yoy_threshold: float = 30.0,
        session: Session | None = None,
        inputs: StoredInputs | None = None,
    ):
        given = reads if reads is not None else session
        if given is None or year is None:
            raise TypeError("a check context needs what it reads and a year")
        if isinstance(given, Session):
            given = SessionReads(given, year, boundary=boundary, inputs=inputs)
        self.reads: CheckReads = given
        self.year = year
        self.boundary = boundary
        self.narrative = narrative
        self.claims = claims
        self.yoy_threshold = yoy_threshold
        self.memo: dict[object, Any] = {}  # what a rule reuses within a run
        self._tables: dict[int, Table] = {}

    @property
    def span(self) -> list[int]:
        return list(range(self.year - SPAN + 1, self.year + 1))

    def table(self, year: int | None = None) -> Table:
        """The KPI table of ``year`` (the boundary override applies to the checked year)."""
        year = self.year if year is None else year
        if year not in self._tables:
            self._tables[year] = self.reads.table(year)
        return self._tables[year]

    def share_tables(self, tables: Mapping[int, Table]) -> None:
        """Use KPI tables computed already (same ledger state, same boundary) as they are."""
        self._tables.update(tables)

    def figure(self, metric_id: str, dims: str = "", year: int | None = None) -> KpiFigure | None:
        return self.table(year).get((metric_id, dims))

    def scopes(self, year: int | None = None) -> ScopeView:
        return self.reads.scopes(self.year if year is None else year)

    def activity_sums(self, year: int | None = None) -> Sums:
        """The year's activity sums by activity and entity, read once per run."""
        return self.reads.activity_sums(self.year if year is None else year)

    @cached_property
    def root(self) -> str | None:
        return self.scopes().root

    @cached_property
    def rule_rows(self) -> RuleRows:
        """What the rules read of the span's stored values (:mod:`.rule_rows`)."""
        return self.reads.rule_rows()

    @property
    def stored(self) -> list[KpiRow]:
        """The stored KPI rows of the span a rule reads one by one, history rows included,
        oldest first: every row when the caller read them all, else those
        :mod:`.rule_rows` picks (a member's plain current value is in no rule's way)."""
        return self.rule_rows.rows

    def reporters(self, metric_id: str) -> set[str]:
        """Entities with a current value of the metric (no breakdown) in the checked year."""
        return self.rule_rows.reporters.get(metric_id, set())

    @property
    def unit_years(self) -> set[tuple[str, int, str]]:
        """(metric, year, unit) of the span's current reported values."""
        return self.rule_rows.unit_years

    def current_rows(self, year: int | None = None) -> list[KpiRow]:
        year = self.year if year is None else year
        key = ("current rows", year)
        if key not in self.memo:
            self.memo[key] = [v for v in self.stored if v.is_current and v.year == year]
        return self.memo[key]  # type: ignore[no-any-return]

    def scope_qualified(self, metric_id: str, year: int | None = None) -> bool:
        """Whether the figure covers only part of the group (HQ only, overseas only…)."""
        metric = metrics().get(metric_id)
        if metric is not None and _SCOPED_NAME.search(metric.name):
            return True
        fig = self.figure(metric_id, "", year)
        return bool(fig is not None and fig.note and _SCOPED_NOTE.search(fig.note))


def has_data(fig: KpiFigure | None) -> bool:
    """A figure with a value that rests on data: not missing, not "/", and not a calculated
    zero standing for "no activity records in the boundary"."""
    if fig is None or fig.value is None or fig.status != "reported":
        return False
    return not (fig.source == "calculated" and fig.entities == 0)


def exact(fig: KpiFigure) -> bool:
    """Bounds and approximations ("over", "≤", "approximately") skip exact checks (§7 c. 13)."""
    return fig.qualifier == "exact"


def comparable(*figs: KpiFigure | None) -> bool:
    """All figures have data and are exact, so an exact check may compare them."""
    return all(has_data(f) and exact(f) for f in figs)  # type: ignore[arg-type]


def metric_of(metric_id: str) -> Metric:
    return metrics()[metric_id]
