"""A register's states as data: which transitions are allowed, and how long a row may stay.

Each register declares one :class:`Flow`. A transition not in the flow is refused with a
line naming the allowed ones; the SLA clock of a state (days allowed in it) says when a row
that entered it at a given time is due, and whether it is overdue now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from esgledger.errors import InvalidInput


@dataclass(frozen=True)
class Clock:
    """Where a row stands against its state's SLA."""

    state: str
    since: dt.datetime
    due: dt.datetime | None  # None: the state has no SLA (e.g. closed)
    overdue: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "state": self.state,
            "since": self.since.isoformat(),
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class Flow:
    """States of one register: the first one, the allowed moves and the SLA days per state."""

    register: str
    initial: str
    moves: dict[str, tuple[str, ...]]
    sla_days: dict[str, int] = field(default_factory=dict)

    @property
    def states(self) -> tuple[str, ...]:
        seen = [self.initial]
        for source, targets in self.moves.items():
            seen.extend([source, *targets])
        return tuple(dict.fromkeys(seen))

    def check(self, current: str, target: str) -> None:
        """Refuse a move the flow does not allow, naming the ones it does."""
        if target not in self.states:
            raise InvalidInput(
                f"{self.register}: unknown state {target!r}; states: {', '.join(self.states)}"
            )
        allowed = self.moves.get(current, ())
        if target not in allowed:
            options = ", ".join(allowed) or "none (final state)"
            raise InvalidInput(
                f"{self.register}: cannot move from {current!r} to {target!r}; "
                f"allowed from {current!r}: {options}"
            )

    def clock(self, state: str, since: dt.datetime, now: dt.datetime) -> Clock:
        days = self.sla_days.get(state)
        if days is None:
            return Clock(state, since, None, False)
        due = since + dt.timedelta(days=days)
        return Clock(state, since, due, now > due)
