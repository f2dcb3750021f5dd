"""KPI tables for readers who ask often (the API and the pages), computed once per ledger state.

A KPI table reads every figure of several years (tens of milliseconds on a small group,
seconds on a large one) and changes only when the ledger does, which the ledger's state
stamp (:mod:`esgledger.ledger.state`) tells cheaply. After a write the table of the new
state starts from the newest one kept for the same question and recomputes only what the
writes since can move (:mod:`esgledger.kpi.incremental`), or everything when that cannot
be bounded — the register figures then taken as kept when no write since can move them
(:mod:`esgledger.kpi.cache_registers`). The CLI and the report always compute afresh.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from esgledger.kpi.cache_registers import Checked, registers_kept
from esgledger.kpi.incremental import Computed, Table, touched_since, updated
from esgledger.kpi.series import kpi_series_and_tables
from esgledger.ledger.state import State, ledger_state, newest_audit_hash, newest_audit_id
from esgledger.ledger.state_cache import StateCache

MAX_ENTRIES = 64
_tables: StateCache[Computed] = StateCache(MAX_ENTRIES)
computed: Counter[str] = Counter()  # "full" and "incremental" computations, for tests


def cached_kpi_series(
    session: Session, year: int, *, years: int = 3, boundary: str | None = None
) -> dict[str, Any]:
    """:func:`esgledger.kpi.series.kpi_series`, reused while the ledger is unchanged.

    The result's top level and its ``kpis`` list are the caller's own (filter or replace
    them freely); the rows inside are shared and must be treated as read-only.
    """
    state = ledger_state(session)
    question = (year, years, boundary)
    hit = _tables.get((state, *question), lambda: _compute(session, state, question))
    return {**hit.series, "kpis": list(hit.series["kpis"])}


def cached_kpi_tables(session: Session, year: int, *, years: int = 3) -> dict[int, Table]:
    """The group's KPI tables of ``year`` and the ``years`` - 1 before, as
    :func:`cached_kpi_series` keeps them (read-only; the checks take them as they are)."""
    state = ledger_state(session)
    question = (year, years, None)
    return _tables.get((state, *question), lambda: _compute(session, state, question)).tables


def _compute(session: Session, state: State, question: tuple[int, int, str | None]) -> Computed:
    year, years, boundary = question
    audit_id = newest_audit_id(state)
    base = _tables.newest(lambda key: _same_question(key, state, question))
    if base is not None and base.audit_id is not None and audit_id is not None:
        touched = touched_since(session, base.audit_id, audit_id, newest_audit_hash(state))
        done = (
            None if touched is None else updated(session, base, touched, year, boundary, audit_id)
        )
        if done is not None:
            computed["incremental"] += 1
            return done
    computed["full"] += 1
    calculated: dict[int, Table] = {}
    checked: Checked = {}  # the years' kept register figures are checked once, not once a year
    audit_hash = newest_audit_hash(state)
    series, tables = kpi_series_and_tables(
        session, year, years=years, boundary=boundary,
        registers=lambda y: registers_kept.figures(session, y, audit_id, audit_hash, checked),
        calculated=calculated,
    )  # fmt: skip
    return Computed(series, tables, audit_id, calculated=calculated)


def _same_question(key: Any, state: State, question: tuple[int, int, str | None]) -> bool:
    """A kept table of the same database (the stamp starts with its URL) and question."""
    return bool(key[1:] == question and key[0][0] == state[0])


def clear() -> None:
    _tables.clear()
    registers_kept.clear()
