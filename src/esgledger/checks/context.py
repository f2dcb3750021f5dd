"""What every rule reads: the KPI tables of the year and the years before, stored rows and
scopes, loaded once per run of the checks and shared by the rules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from esgledger.catalog import Metric, metrics
from esgledger.checks.rule_rows import RuleRows, from_rows, read_rule_rows
from esgledger.kpi.calculated import Sums, activity_sums, activity_sums_by_year
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.inputs import StoredInputs
from esgledger.kpi.member_groups import GroupedValues, read_grouped
from esgledger.kpi.scope import Scopes
from esgledger.kpi.values import kpi_table
from esgledger.ledger.kpi_rows import KpiRow

SPAN = 3  # years a report shows side by side (SYSTEM.md §5): the unit and restatement rules
# look this far back.

# A scope qualifier: a figure that covers only part of the group (SYSTEM.md §4, §7 class 17).
_SCOPED_NAME = re.compile(r"\b(HQ|headquarters)\b", re.I)
_SCOPED_NOTE = re.compile(
    r"\b(overseas|china|chinese mainland|mainland|hq|headquarters)\b[\w\s-]{0,25}?\bonly\b"
    r"|\bonly\b[\w\s-]{0,25}?\b(overseas|china|chinese mainland|mainland|hq|headquarters)\b",
    re.I,
)


@dataclass
class CheckContext:
    """One run of the checks: the year, its boundary override and the inputs given."""

    session: Session
    year: int
    boundary: str | None = None
    narrative: Path | None = None
    claims: dict[str, list[str]] | None = None
    yoy_threshold: float = 30.0
    memo: dict[object, Any] = field(default_factory=dict)  # what a rule reuses within a run
    inputs: StoredInputs | None = None  # read by the caller already (a report's tables)
    _tables: dict[int, dict[tuple[str, str], KpiFigure]] = field(default_factory=dict)
    _scopes: dict[int, Scopes] = field(default_factory=dict)

    @property
    def span(self) -> list[int]:
        return list(range(self.year - SPAN + 1, self.year + 1))

    def table(self, year: int | None = None) -> dict[tuple[str, str], KpiFigure]:
        """The KPI table of ``year`` (the boundary override applies to the checked year)."""
        year = self.year if year is None else year
        if year not in self._tables:
            override = self.boundary if year == self.year else None
            rows = grouped = None
            if year in self.span and self._has_rows:
                rows = self.figure_rows(year)
            elif year in self.span:
                grouped = self.grouped
            sums = self.activity_sums(year) if year in self.span else None
            self._tables[year] = kpi_table(
                self.session, year, boundary=override, sums=sums, rows=rows, grouped=grouped
            )
        return self._tables[year]

    def share_tables(self, tables: Mapping[int, dict[tuple[str, str], KpiFigure]]) -> None:
        """Use KPI tables computed already (same ledger state, same boundary) as they are."""
        self._tables.update(tables)

    def figure(self, metric_id: str, dims: str = "", year: int | None = None) -> KpiFigure | None:
        return self.table(year).get((metric_id, dims))

    def scopes(self, year: int | None = None) -> Scopes:
        year = self.year if year is None else year
        if year not in self._scopes:
            override = self.boundary if year == self.year else None
            self._scopes[year] = Scopes(self.session, year, override=override)
        return self._scopes[year]

    def activity_sums(self, year: int | None = None) -> Sums:
        """The year's activity sums by activity and entity, read once per run (the span's
        years in one query: each read goes through the activity rows' grouping index)."""
        year = self.year if year is None else year
        key = ("activity sums", year)
        if key not in self.memo:
            inputs = self.inputs
            if inputs is not None and inputs.covers(year, year):
                self.memo[key] = inputs.sums[year]
            elif year in self.span:
                span = activity_sums_by_year(self.session, self.span)
                for y, sums in span.items():
                    self.memo.setdefault(("activity sums", y), sums)
            else:
                self.memo[key] = activity_sums(self.session, year)
        return self.memo[key]  # type: ignore[no-any-return]

    @cached_property
    def root(self) -> str | None:
        return self.scopes().root

    @property
    def _has_rows(self) -> bool:
        """Whether the caller read every stored row of the span (rules tested in memory)."""
        return self.inputs is not None and self.inputs.has_rows(self.span[0], self.year)

    @cached_property
    def grouped(self) -> GroupedValues:
        """The span's counted values grouped in the database, for its KPI tables: the
        caller's (the report's) when they cover the span for the same group."""
        if self.inputs is not None:
            given = self.inputs.grouped_for(self.span[0], self.year, self.root)
            if given is not None:
                return given
        return read_grouped(self.session, self.span[0], self.year, self.root)

    @cached_property
    def rule_rows(self) -> RuleRows:
        """What the rules read of the span's stored values (:mod:`.rule_rows`): from the
        caller's rows when it read them all, else picked out in the database."""
        first, inputs = self.span[0], self.inputs
        if inputs is not None and inputs.stored is not None and self._has_rows:
            if (inputs.first, inputs.last) == (first, self.year):
                return from_rows(inputs.stored, self.year)
            return from_rows([v for v in inputs.stored if first <= v.year <= self.year], self.year)
        return read_rule_rows(self.session, first, self.year, self.root)

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

    def figure_rows(self, year: int) -> list[KpiRow]:
        """The rows of ``year`` a KPI table counts, taken from :attr:`stored` (the caller's
        rows: only used when it read them all)."""
        return [v for v in self.current_rows(year) if v.counts]

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
