"""A year's data-quality findings for the pages, computed once per ledger state.

Running every check reads the whole year (over a second with thousands of requests) and
its answer changes only when the ledger does, which the state stamp
(:mod:`esgledger.ledger.state`) tells cheaply. The dashboard's findings panel and the
``/findings`` page share this one cache, so whichever is viewed first pays for both. The CLI
and the report always run the checks afresh.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from esgledger.checks import Finding, run_checks
from esgledger.ledger.state import ledger_state
from esgledger.ledger.state_cache import StateCache

MAX_ENTRIES = 32
_findings: StateCache[tuple[Finding, ...]] = StateCache(MAX_ENTRIES)


def cached_findings(session: Session, year: int) -> list[Finding]:
    """:func:`esgledger.checks.run_checks` for ``year``, reused while the ledger is unchanged.

    The list is the caller's own; the findings inside are shared and must not be changed.
    The calendar day is part of the key, as a check may compare a date with today.
    """
    key = (ledger_state(session), dt.date.today(), year)
    return list(_findings.get(key, lambda: tuple(run_checks(session, year))))
