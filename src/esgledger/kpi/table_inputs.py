"""What a year's KPI table is computed from, as plain values (#20).

A KPI table (:func:`esgledger.kpi.values.table_of`) is a pure function of these: the
year's boundaries, its counted KPI values (rows, or grouped in the database), the figures
the registers count, the activity sums, and the newest calculation run of each boundary
with the counts of what it left unresolved. :mod:`esgledger.kpi.table_reads` reads them
from a session once; the rules' tests build them in memory and open no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from esgledger.kpi.calculated import Sums
from esgledger.kpi.member_groups import GroupedValues
from esgledger.kpi.register_source import RegisterFigure
from esgledger.kpi.scope import Scopes
from esgledger.kpi.unresolved import Unresolved
from esgledger.ledger.kpi_rows import KpiRow
from esgledger.ledger.models import CalculationRun


class YearRun(NamedTuple):
    """The newest calculation run of a year on one boundary (None: no run), and the counts
    of its unresolved results (None when it left none)."""

    run: CalculationRun | None
    unresolved: Unresolved | None = None


NO_RUN = YearRun(None)


@dataclass(frozen=True)
class TableInputs:
    """Everything the KPI table of ``year`` reads. The reported values are ``grouped`` when
    given (a span's values grouped in the database, for the group root of ``scopes``), else
    ``rows`` (the year's counted rows, oldest first, with the rows they restate in
    ``replaced``); both give the same figures. ``runs`` are by boundary code (a code not
    given has no run). Callers never change them."""

    year: int
    scopes: Scopes
    sums: Sums
    rows: Sequence[KpiRow] = ()
    replaced: Mapping[int, KpiRow] = field(default_factory=dict)
    grouped: GroupedValues | None = None
    registers: Sequence[RegisterFigure] = ()
    runs: Mapping[str | None, YearRun] = field(default_factory=dict)

    def run(self, code: str | None) -> YearRun:
        """The year's run on the boundary ``code`` (:data:`NO_RUN` when none was given)."""
        return self.runs.get(code, NO_RUN)
