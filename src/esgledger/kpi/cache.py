"""KPI tables for readers who ask often (the API and the pages), computed once per ledger state.

A KPI table reads every figure of several years (tens of milliseconds on a small group,
seconds on a large one) and changes only when the ledger does, which the ledger's state
stamp (:mod:`esgledger.ledger.state`) tells cheaply. The CLI and the report always compute
afresh.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from esgledger.kpi.series import kpi_series
from esgledger.ledger.state import ledger_state
from esgledger.ledger.state_cache import StateCache

MAX_ENTRIES = 64
_tables: StateCache[dict[str, Any]] = StateCache(MAX_ENTRIES)


def cached_kpi_series(
    session: Session, year: int, *, years: int = 3, boundary: str | None = None
) -> dict[str, Any]:
    """:func:`esgledger.kpi.series.kpi_series`, reused while the ledger is unchanged.

    The result's top level and its ``kpis`` list are the caller's own (filter or replace
    them freely); the rows inside are shared and must be treated as read-only.
    """
    key = (ledger_state(session), year, years, boundary)
    hit = _tables.get(key, lambda: kpi_series(session, year, years=years, boundary=boundary))
    return {**hit, "kpis": list(hit["kpis"])}


def clear() -> None:
    _tables.clear()
