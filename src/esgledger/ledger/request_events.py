"""What a data request's audit event touched, noted by the writer that recorded it.

After a write, the KPI table kept for the last state is updated where the writes since can
move it (:func:`esgledger.kpi.incremental.touched_since`): it reads the audit events since
and the year and metric of the requests they name, two statements and about a sixth of the
read's CPU. The writer has all of it at hand when it records a request's event, so it notes
them here, and a read in the same process after exactly that one event asks nothing.

A note is keyed by the event's hash, which commits to its sequence number, time, action and
subject (:func:`esgledger.ledger.audit.event_hash`): a hash read from the ledger names the
very event noted, and an event that was rolled back (its hash never committed) is never
asked for. A request's year and metric never change once issued, so the noted pair is what
the requests table gives. A process that did not make the write finds no note and asks the
database, as before.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

MAX_NOTES = 1024


@dataclass(frozen=True)
class Noted:
    """A request event: its action and subject as recorded, the request's year and metric."""

    action: str
    subject: str
    year: int
    metric: str


_notes: dict[str, Noted] = {}
_lock = threading.Lock()


def note(event_hash: str, noted: Noted) -> None:
    """Keep what the event with ``event_hash`` touched (the oldest notes go first)."""
    with _lock:
        _notes[event_hash] = noted
        while len(_notes) > MAX_NOTES:
            del _notes[next(iter(_notes))]


def noted(event_hash: str | None) -> Noted | None:
    """What this process noted for the event with ``event_hash``, if it recorded it."""
    return None if event_hash is None else _notes.get(event_hash)


def clear() -> None:
    with _lock:
        _notes.clear()
