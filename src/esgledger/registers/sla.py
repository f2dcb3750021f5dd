"""Setting a register's SLA hours for one severity and state (``esg register … sla``).

What the SLAs are and how stays are judged against them is
:mod:`esgledger.ledger.register_lines`; this module changes them, audit-logged.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import InvalidInput
from esgledger.ledger import audit
from esgledger.ledger.models import utcnow
from esgledger.ledger.register_lines import DEFAULT_HOURS
from esgledger.ledger.register_models import RegisterSla

MAX_HOURS = 24 * 3660  # ten years: anything longer is a typing error


def set_sla(
    session: Session,
    *,
    register: str,
    severity: str,
    state: str,
    hours: float,
    severities: tuple[str, ...],
    states: tuple[str, ...],
    actor: str,
) -> RegisterSla:
    """Set one SLA in the caller's write transaction (audit-logged); refuses unknown keys."""
    if severity not in severities:
        raise InvalidInput(
            f"{register}: severity {severity!r} is not one of {', '.join(severities)}"
        )
    if state not in states:
        raise InvalidInput(f"{register}: state {state!r} is not one of {', '.join(states)}")
    if not 0 < hours <= MAX_HOURS:
        raise InvalidInput(f"{register}: SLA hours must be above 0 and at most {MAX_HOURS}")
    row = session.scalars(
        select(RegisterSla).where(
            RegisterSla.register == register,
            RegisterSla.severity == severity,
            RegisterSla.state == state,
        )
    ).one_or_none()
    before = row.hours if row else DEFAULT_HOURS.get((register, severity, state))
    if row is None:
        row = RegisterSla(register=register, severity=severity, state=state, hours=hours)
        session.add(row)
    row.hours, row.set_by, row.set_at = hours, actor, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"register.{register}.sla",
        subject=f"{register}:{severity}/{state}",
        payload={"before": before, "hours": hours},
    )
    return row
