"""What KPI tables and checks read from storage for a span of years, read once.

A report builds the KPI tables of its years and runs the checks of its year over the same
ledger state; both read the years' stored KPI rows and activity sums. At 1,000 entities that
is 360,000 rows, and reading them twice cost seconds of every report. The report reads them
once here and hands the same inputs to both (callers never change them).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from esgledger.kpi.calculated import Sums, activity_sums_by_year
from esgledger.ledger.kpi_rows import KpiRow, span_rows


@dataclass(frozen=True)
class StoredInputs:
    """Every stored KPI row of ``first``–``last`` (history rows and pending requests' values
    included, oldest first) and each year's activity sums."""

    first: int
    last: int
    stored: list[KpiRow]
    sums: dict[int, Sums]

    def covers(self, first: int, last: int) -> bool:
        """Whether these inputs hold every year of ``first``–``last``."""
        return self.first <= first and last <= self.last

    def figure_rows(self, year: int) -> list[KpiRow]:
        """The rows of ``year`` a KPI table counts, as
        :func:`~esgledger.ledger.kpi_rows.figure_rows` reads them (current, not pending,
        oldest first)."""
        return [v for v in self.stored if v.year == year and v.counts]


def read_inputs(session: Session, first: int, last: int) -> StoredInputs:
    """The stored KPI rows and activity sums of the years ``first``–``last``."""
    years = list(range(first, last + 1))
    return StoredInputs(
        first, last, span_rows(session, first, last), activity_sums_by_year(session, years)
    )
