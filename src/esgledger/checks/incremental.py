"""A year's cached findings brought up to date after writes by rerunning only the rules the
writes can move.

Used by the pages' findings cache (:mod:`esgledger.web.state_findings`) only. A step of a
data request changes the stored values of one metric in one year
(:func:`esgledger.kpi.incremental.touched_since`): the checks of a year read the KPI values
of that year and the two before (:data:`esgledger.checks.context.SPAN`), so a step outside
that span moves none of its findings, and one inside it moves the findings of the rules that
read KPI values (:data:`esgledger.checks.engine.READS`) — of the changed metrics or the
metrics derived from them, for a rule that reads only some
(:data:`esgledger.checks.engine.READS_METRICS`); the other rules' findings are reused.
Sign-ins, tokens, the assessment registers and acknowledgements (attached afresh to every
answer) move no finding.

Any other write — imports, calculation runs, entity or boundary changes, voids, supplier
registers, anything not named — cannot be bounded this cheaply: the caller reruns every
rule (``None`` below). So does a gap of more than
:data:`esgledger.kpi.incremental.MAX_EVENTS` audit events.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from esgledger.checks.acks import acknowledgements
from esgledger.checks.context import SPAN
from esgledger.checks.engine import (
    KPI_VALUES,
    READS,
    READS_METRICS,
    RULES,
    check_context,
    merged,
    rule_findings,
)
from esgledger.checks.findings import Finding
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.incremental import touched_since, with_dependants

ByRule = Mapping[str, Sequence[Finding]]
ran: Counter[str] = Counter()  # how many times each rule was run here, for tests


@dataclass(frozen=True)
class Checked:
    """Each rule's findings for one year (acknowledgements not attached), at one audit event."""

    by_rule: ByRule
    audit_id: int | None


def reading_kpi_values(changed: set[str] | None = None) -> frozenset[str]:
    """The rules whose findings a data request's step can move: those reading KPI values,
    less those reading only metrics other than ``changed`` (None: any metric may have)."""
    return frozenset(
        name
        for name, _rule in RULES
        if KPI_VALUES in READS[name]
        and (changed is None or name not in READS_METRICS or READS_METRICS[name] & changed)
    )


def rules_to_rerun(
    session: Session, year: int, after: int, upto: int, upto_hash: str | None = None
) -> frozenset[str] | None:
    """The rules whose findings for ``year`` the audit events ``after`` < id ≤ ``upto`` can
    have moved (empty: none), or None when that cannot be bounded. ``upto_hash``: the newest
    event's hash, so that after this process's own single request event the writer's note
    answers instead of the database (as for the KPI table, :mod:`esgledger.kpi.cache`)."""
    touched = touched_since(session, after, upto, upto_hash)
    if touched is None:
        return None
    changed = set().union(*(touched.get(y, set()) for y in range(year - SPAN + 1, year + 1)))
    return reading_kpi_values(with_dependants(changed)) if changed else frozenset()


def checked(
    session: Session,
    year: int,
    audit_id: int | None,
    *,
    base: Checked | None = None,
    rerun: frozenset[str] | None = None,
    tables: Mapping[int, dict[tuple[str, str], KpiFigure]] | None = None,
) -> Checked:
    """The findings of ``year``: every rule's, or only those ``rerun`` with the others taken
    from ``base``. ``tables`` are KPI tables of this ledger state (boundary as kept)."""
    ctx = check_context(session, year)
    ctx.share_tables(tables or {})
    if base is None or rerun is None:
        ran.update(name for name, _rule in RULES)
        return Checked(rule_findings(ctx), audit_id)
    ran.update(rerun)
    fresh = rule_findings(ctx, rerun) if rerun else {}
    return Checked({**base.by_rule, **fresh}, audit_id)


def findings_of(session: Session, result: Checked) -> list[Finding]:
    """The findings in their order with today's acknowledgements (copies where they change)."""
    return merged(result.by_rule, acknowledgements(session))
