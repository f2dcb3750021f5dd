"""A year's data-quality findings for the pages, computed once per ledger state.

Running every check reads the whole year (over a second with thousands of requests) and
its answer changes only when the ledger does, which the state stamp
(:mod:`esgledger.ledger.state`) tells cheaply. After a write the findings of the new state
start from the newest ones kept for the same year and rerun only the rules the writes
since can move (:mod:`esgledger.checks.incremental`), or every rule when that cannot be
bounded; the rules take the KPI tables the KPI cache keeps (:mod:`esgledger.kpi.cache`,
itself updated incrementally) rather than computing them again. The dashboard's findings
panel and the ``/findings`` page share this one cache, so whichever is viewed first pays
for both. The CLI and the report always run the checks afresh.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable

from sqlalchemy.orm import Session

from esgledger.checks import Finding
from esgledger.checks.context import SPAN
from esgledger.checks.incremental import Checked, checked, findings_of, rules_to_rerun
from esgledger.kpi.cache import cached_kpi_tables
from esgledger.ledger.state import State, ledger_state, newest_audit_hash, newest_audit_id
from esgledger.ledger.state_cache import StateCache

Key = tuple[State, dt.date, int]  # the ledger's state, today, the year checked

MAX_ENTRIES = 32
_findings: StateCache[Checked] = StateCache(MAX_ENTRIES)
computed: Counter[str] = Counter()  # how each state's findings came about, for tests


def cached_findings(session: Session, year: int) -> list[Finding]:
    """:func:`esgledger.checks.run_checks` for ``year``, reused while the ledger is unchanged.

    The list is the caller's own; the findings inside are shared and must not be changed.
    The calendar day is part of the key, as a check may compare a date with today.
    """
    state = ledger_state(session)
    key: Key = (state, dt.date.today(), year)
    return findings_of(session, _findings.get(key, lambda: _compute(session, state, key)))


def _compute(session: Session, state: State, key: Key) -> Checked:
    year = key[2]
    audit_id = newest_audit_id(state)
    tables = cached_kpi_tables(session, year, years=SPAN)  # the dashboard's, usually kept
    base = _findings.newest(lambda kept: _same_question(kept, key))
    if base is not None and base.audit_id is not None and audit_id is not None:
        rerun = rules_to_rerun(session, year, base.audit_id, audit_id, newest_audit_hash(state))
        if rerun is not None:
            computed["incremental" if rerun else "reused"] += 1
            return checked(session, year, audit_id, base=base, rerun=rerun, tables=tables)
    computed["full"] += 1
    return checked(session, year, audit_id, tables=tables)


def _same_question(kept: Hashable, key: Key) -> bool:
    """Findings kept for the same database (the stamp starts with its URL), day and year."""
    assert isinstance(kept, tuple)  # every key is a Key
    return bool(kept[0][0] == key[0][0] and kept[1:] == key[1:])


def clear() -> None:
    _findings.clear()
