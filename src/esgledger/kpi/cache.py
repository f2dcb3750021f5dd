"""KPI tables for readers who ask often (the API and the pages), computed once per ledger state.

A KPI table reads every figure of several years (tens of milliseconds on a small group,
seconds on a large one) and changes only when the ledger does. Every write to the ledger's
data leaves an event in the hash-chained audit log, and a data request that edits its value
in place also moves the request's ``updated_at``; so the newest audit event, the newest
request change and the newest KPI value name the ledger's state, and a cached table is reused
only while all three are unchanged. The CLI and the report always compute afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.kpi.series import kpi_series
from esgledger.ledger.models import AuditEvent, KpiValue
from esgledger.ledger.workflow_models import DataRequest

MAX_ENTRIES = 64
_cache: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_computing: dict[tuple[Any, ...], threading.Lock] = {}
_lock = threading.Lock()


def ledger_state(session: Session) -> tuple[Any, ...]:
    """What changes whenever a KPI figure may change (three indexed look-ups)."""
    head = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (
        str(session.get_bind().url),
        tuple(head) if head else None,
        session.scalar(select(func.max(DataRequest.updated_at))),
        session.scalar(select(func.max(KpiValue.id))),
    )


def cached_kpi_series(
    session: Session, year: int, *, years: int = 3, boundary: str | None = None
) -> dict[str, Any]:
    """:func:`esgledger.kpi.series.kpi_series`, reused while the ledger is unchanged.

    The result's top level and its ``kpis`` list are the caller's own (filter or replace
    them freely); the rows inside are shared and must be treated as read-only.
    """
    key = (ledger_state(session), year, years, boundary)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            flight = None
        else:  # one computation per state: concurrent readers wait for it, not redo it
            flight = _computing.setdefault(key, threading.Lock())
    if flight is not None:
        with flight:
            with _lock:
                hit = _cache.get(key)
            if hit is None:
                try:
                    hit = kpi_series(session, year, years=years, boundary=boundary)
                    with _lock:
                        _cache[key] = hit
                        while len(_cache) > MAX_ENTRIES:
                            _cache.popitem(last=False)
                finally:
                    with _lock:
                        _computing.pop(key, None)
    assert hit is not None
    return {**hit, "kpis": list(hit["kpis"])}


def clear() -> None:
    with _lock:
        _cache.clear()
        _computing.clear()
