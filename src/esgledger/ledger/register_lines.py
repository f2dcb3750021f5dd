"""Registers whose rows pass their states in one line, keeping each state's entry time, and
the SLAs those stays are judged against.

Complaints (accepted → assigned → processing → return visit → filed → closed) and
vulnerabilities (intake → triage → fixing → fixed → advisory published) keep one timestamp
column per state, so how long a row stayed in each state is read from the row itself. Here
at the ledger layer because the KPI providers judge rows as the register services do.

SLA hours are set per register, severity and state by the workspace (``register_slas``). Only
the vulnerability SLAs for critical and high have a default, the remediation deadlines of a
public directive (cited in :data:`DEFAULT_HOURS`); every other SLA is the workspace's own
policy and has none until it is set, so a row is never judged against a made-up number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ledger.register_models import RegisterSla

TO_FIX = "to_fix"  # a vulnerability's SLA: from intake to fixed

# (register, severity, state) → hours, with their public source.
DEFAULT_HOURS: dict[tuple[str, str, str], float] = {
    # CISA Binding Operational Directive 19-02, "Vulnerability Remediation Requirements for
    # Internet-Accessible Systems" (29 April 2019): critical vulnerabilities remediated within
    # 15 calendar days of detection, high within 30.
    ("vulnerabilities", "critical", TO_FIX): 15 * 24.0,
    ("vulnerabilities", "high", TO_FIX): 30 * 24.0,
}
DEFAULT_SOURCE = "CISA Binding Operational Directive 19-02 (2019): critical 15 days, high 30 days"

Slas = dict[tuple[str, str], float]  # (severity, state) → hours


@dataclass(frozen=True)
class Line:
    """The states of a register in order, each with the column holding its entry time."""

    register: str
    stages: tuple[tuple[str, str], ...]  # (state, column)

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(state for state, _ in self.stages)

    def column(self, state: str) -> str:
        return dict(self.stages)[state]

    def stays(self, row: Any) -> list[tuple[str, dt.datetime, dt.datetime | None]]:
        """(state, entered, left) for every state the row has entered; left None: still there."""
        out: list[tuple[str, dt.datetime, dt.datetime | None]] = []
        times = [(state, getattr(row, column)) for state, column in self.stages]
        for i, (state, entered) in enumerate(times):
            if entered is None:
                break
            after = times[i + 1][1] if i + 1 < len(times) else None
            out.append((state, entered, after))
        return out


COMPLAINTS = Line(
    register="complaints",
    stages=(
        ("accepted", "accepted_at"),
        ("assigned", "assigned_at"),
        ("processing", "processing_at"),
        ("return_visit", "return_visit_at"),
        ("filed", "filed_at"),
        ("closed", "closed_at"),
    ),
)
COMPLAINT_CLOCKED = COMPLAINTS.states[:-1]  # every state but closed can have an SLA
VULNERABILITIES = Line(
    register="vulnerabilities",
    stages=(
        ("intake", "intake_at"),
        ("triage", "triage_at"),
        ("fixing", "fixing_at"),
        ("fixed", "fixed_at"),
        ("advisory_published", "advisory_published_at"),
    ),
)


def slas(session: Session, register: str) -> Slas:
    """The register's SLAs: the defaults, overridden by what the workspace set."""
    out = {(sev, state): h for (reg, sev, state), h in DEFAULT_HOURS.items() if reg == register}
    for row in session.scalars(select(RegisterSla).where(RegisterSla.register == register)):
        out[(row.severity, row.state)] = row.hours
    return out


def overdue(
    entered: dt.datetime, left: dt.datetime | None, hours: float | None, now: dt.datetime
) -> bool:
    """Whether a stay (still going when ``left`` is None) lasted longer than its SLA."""
    if hours is None:
        return False
    return ((left or now) - entered) > dt.timedelta(hours=hours)


@dataclass(frozen=True)
class Judgement:
    """A row against its SLAs: the states whose stay broke one, and whether its severity has
    any SLA at all (without one it cannot be judged)."""

    breaches: tuple[str, ...]
    has_sla: bool

    @property
    def within(self) -> bool:
        return self.has_sla and not self.breaches


def judge_complaint(complaint: Any, table: Slas, now: dt.datetime) -> Judgement:
    """Breached states of a complaint as of ``now`` (a stay still going counts to now)."""
    hours = {state: table.get((complaint.severity, state)) for state in COMPLAINT_CLOCKED}
    breaches = tuple(
        state
        for state, entered, left in COMPLAINTS.stays(complaint)
        if state in hours and overdue(entered, left, hours[state], now)
    )
    return Judgement(breaches, any(h is not None for h in hours.values()))


def judge_vulnerability(vuln: Any, table: Slas, now: dt.datetime) -> Judgement:
    """Whether a vulnerability took longer from intake to fixed (or to ``now``) than its SLA."""
    hours = table.get((vuln.severity, TO_FIX))
    late = overdue(vuln.intake_at, vuln.fixed_at, hours, now)
    return Judgement((TO_FIX,) if late else (), hours is not None)
