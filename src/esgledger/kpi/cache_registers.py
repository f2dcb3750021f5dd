"""Register figures for the KPI cache, kept across writes that cannot move them.

A whole KPI table is recomputed after writes the cache cannot bound figure by figure
(:mod:`esgledger.kpi.cache`): a KPI or activity import, a calculation run. Most of that time went to
the register figures (training, complaints, giving… counted per entity: 85 % of a whole
table on the 4,300-request demo, #14), which read only the registers, the supplier tables
and the entity tree: writes of other kinds leave them as they were. So each year's figures
are kept with the newest audit event they are known to be current at; a later table takes
them when every event since is of a kind in :data:`CANNOT_MOVE`, and reads them afresh
otherwise (a register, supplier, entity or any unnamed write), on another calendar day
(complaint and vulnerability deadlines are judged against today), or after more than
:data:`MAX_EVENTS` events.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Hashable

from sqlalchemy import and_, not_, or_, select
from sqlalchemy.orm import Session

from esgledger.kpi.register_source import RegisterFigure
from esgledger.kpi.registered import provided
from esgledger.ledger.models import AuditEvent

MAX_EVENTS = 10_000  # beyond this many events since, read the registers again
# Audit actions (prefixes) whose writes touch no register, supplier or entity row.
CANNOT_MOVE = (
    "request.", "import.kpis", "import.activities", "activities.", "calc.run",
    "user.", "token.", "access.", "finding.", "materiality.", "risk.", "climate.",
)  # fmt: skip

_AUDIT = AuditEvent.__table__
# The audit event they are current at (id and hash: a restored workspace, or another
# database under the same URL, holds another event under that id), and the figures.
Kept = tuple[int, str | None, list[RegisterFigure]]
# Within one ledger state: (kept event, its hash, newest event) → whether nothing since moved.
Checked = dict[tuple[int, str | None, int | None], bool]


class RegistersKept:
    """Each (database, day, year)'s register figures with the audit event they are current at."""

    def __init__(self, max_entries: int = 32):
        self.max_entries = max_entries
        self._entries: dict[Hashable, Kept] = {}
        self._lock = threading.Lock()

    def figures(
        self,
        session: Session,
        year: int,
        audit_id: int | None,
        audit_hash: str | None,
        checked: Checked | None = None,
    ) -> list[RegisterFigure]:
        """The register figures of ``year`` in this session's ledger state (whose newest
        audit event is ``audit_id``, of hash ``audit_hash``): the kept ones if no write
        since can move them. ``checked``: the answers to that question already asked in
        this session's state (one table's years are kept at the same event: asking once
        a year cost three statements a year), filled here; never share it across states."""
        key = (str(session.get_bind().engine.url), dt.date.today(), year)
        with self._lock:
            kept = self._entries.get(key)
        if kept is not None and _unmoved_once(session, kept[0], kept[1], audit_id, checked):
            figures = kept[2]
        else:
            figures = provided(session, year)
        if audit_id is not None and (kept is None or kept[0] <= audit_id):
            with self._lock:
                self._entries.pop(key, None)
                self._entries[key] = (audit_id, audit_hash, figures)
                while len(self._entries) > self.max_entries:
                    self._entries.pop(next(iter(self._entries)))
        return figures

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _unmoved_once(
    session: Session, after: int, after_hash: str | None, upto: int | None, checked: Checked | None
) -> bool:
    """:func:`_unmoved`, asked once per (event, hash, newest event) in ``checked``."""
    if checked is None:
        return _unmoved(session, after, after_hash, upto)
    question = (after, after_hash, upto)
    if question not in checked:
        checked[question] = _unmoved(session, after, after_hash, upto)
    return checked[question]


def _unmoved(session: Session, after: int, after_hash: str | None, upto: int | None) -> bool:
    """Whether event ``after`` is still the one of hash ``after_hash`` and the audit events
    ``after`` < id ≤ ``upto`` are all of kinds that cannot move a register figure (and are
    at most :data:`MAX_EVENTS`)."""
    if upto is None or upto < after:
        return False
    conn = session.connection()
    held = conn.execute(select(_AUDIT.c.hash).where(_AUDIT.c.id == after)).scalar()
    if held is None or held != after_hash:
        return False
    if upto == after:
        return True
    harmless = or_(*(_AUDIT.c.action.startswith(p, autoescape=True) for p in CANNOT_MOVE))
    span = and_(_AUDIT.c.id > after, _AUDIT.c.id <= upto)
    other = conn.execute(select(_AUDIT.c.id).where(span, not_(harmless)).limit(1)).first()
    if other is not None:
        return False
    count = conn.execute(select(_AUDIT.c.id).where(span).offset(MAX_EVENTS).limit(1)).first()
    return count is None


registers_kept = RegistersKept()
