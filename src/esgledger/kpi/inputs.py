"""What KPI tables and checks read from storage for a span of years, read once.

A report builds the KPI tables of its years and runs the checks of its year over the same
ledger state; both read the years' stored KPI values and activity sums, so the report reads
them once here and hands the same inputs to both (callers never change them). The report
reads the values grouped in the database (:mod:`esgledger.kpi.member_groups`), as `esg kpi`
and `esg check` do: at 10,000 entities every stored row of three years as a Python row
(3.6 M) cost most of a report's CPU time and a gigabyte. Rules tested without a database
give every row instead (``stored``), and the checks then take their answers from those.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from esgledger.kpi.calculated import Sums, activity_sums_by_year
from esgledger.kpi.member_groups import GroupedValues, read_grouped
from esgledger.kpi.scope import Scopes
from esgledger.ledger.kpi_rows import KpiRow, span_rows


@dataclass(frozen=True)
class StoredInputs:
    """The KPI values of ``first``–``last`` and each year's activity sums: either every
    stored row (``stored``: history rows and pending requests' values included, oldest
    first) or the counted values grouped for the group ``root`` (``grouped``)."""

    first: int
    last: int
    stored: list[KpiRow] | None
    sums: dict[int, Sums]
    grouped: GroupedValues | None = None
    root: str | None = None

    def covers(self, first: int, last: int) -> bool:
        """Whether these inputs hold every year of ``first``–``last``."""
        return self.first <= first and last <= self.last

    def has_rows(self, first: int, last: int) -> bool:
        """Whether these inputs hold every stored row of ``first``–``last``."""
        return self.stored is not None and self.covers(first, last)

    def grouped_for(self, first: int, last: int, root: str | None) -> GroupedValues | None:
        """The grouped values when they cover ``first``–``last`` for the group ``root``."""
        if self.grouped is None or not self.covers(first, last) or self.root != root:
            return None
        return self.grouped

    def figure_rows(self, year: int) -> list[KpiRow]:
        """The rows of ``year`` a KPI table counts, as
        :func:`~esgledger.ledger.kpi_rows.figure_rows` reads them (current, not pending,
        oldest first); only when these inputs hold every row."""
        assert self.stored is not None, "grouped inputs hold no rows"
        return [v for v in self.stored if v.year == year and v.counts]


def read_inputs(session: Session, first: int, last: int) -> StoredInputs:
    """Every stored KPI row and the activity sums of the years ``first``–``last`` (the
    reference the grouped reads are compared with)."""
    years = list(range(first, last + 1))
    return StoredInputs(
        first, last, span_rows(session, first, last), activity_sums_by_year(session, years)
    )


def read_grouped_inputs(session: Session, first: int, last: int) -> StoredInputs:
    """The counted KPI values of ``first``–``last`` grouped in the database for the group
    of ``last`` (no boundary override), and the years' activity sums."""
    years = list(range(first, last + 1))
    root = Scopes(session, last).root
    return StoredInputs(
        first,
        last,
        None,
        activity_sums_by_year(session, years),
        read_grouped(session, first, last, root),
        root,
    )
