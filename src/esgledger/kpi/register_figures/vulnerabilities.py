"""Product-security figures counted from the vulnerability register, per entity and CVSS
severity: received (intake in the year), fixed (fixed in the year), fixed within the SLA of
their severity (intake to fix) and advisories published in the year.

An entity is covered in a year when a vulnerability of it came in, was fixed or had its
advisory published then; its counts are figures even when zero. A fixed vulnerability
whose severity has no SLA cannot be judged: the fixed-within-SLA figures are then not
available for every entity, naming the severity (a total over the others would look
complete). Counts carry no vulnerability detail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog import dimensions
from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.models import utcnow
from esgledger.ledger.register_lines import VULNERABILITIES, judge_vulnerability, slas
from esgledger.ledger.register_models import Vulnerability

REGISTER = VULNERABILITIES.register
SEVERITY = "cvss_severity"
WITHIN = "cybersecurity.vulnerabilities.fixed_within_sla"


def _in_year(when: dt.datetime | None, year: int) -> bool:
    return when is not None and when.year == year


def vulnerability_figures(session: Session, year: int) -> list[RegisterFigure]:
    """The year's vulnerability counts per covered entity, in total and by severity."""
    start, end = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    V = Vulnerability
    rows = list(
        session.scalars(
            select(V).where(
                (V.intake_at >= start) & (V.intake_at < end)
                | (V.fixed_at >= start) & (V.fixed_at < end)
                | (V.advisory_published_at >= start) & (V.advisory_published_at < end)
            )
        )
    )
    table, now = slas(session, REGISTER), min(utcnow(), end)
    judged = {v.id: judge_vulnerability(v, table, now) for v in rows}
    fixed = [v for v in rows if _in_year(v.fixed_at, year)]
    missing = sorted({v.severity for v in fixed if not judged[v.id].has_sla})
    rules: dict[str, Callable[[Vulnerability], bool]] = {
        "cybersecurity.vulnerabilities.received": lambda v: _in_year(v.intake_at, year),
        "cybersecurity.vulnerabilities.fixed": lambda v: _in_year(v.fixed_at, year),
        WITHIN: lambda v: _in_year(v.fixed_at, year) and judged[v.id].within,
        "cybersecurity.vulnerabilities.advisories_published": lambda v: _in_year(
            v.advisory_published_at, year
        ),
    }
    out = []
    for metric, counts in rules.items():
        split = metric != "cybersecurity.vulnerabilities.advisories_published"
        severities = ("", *dimensions()[SEVERITY].members) if split else ("",)
        for entity in sorted({v.entity_id for v in rows}):
            for severity in severities:
                ids = tuple(
                    v.id
                    for v in rows
                    if v.entity_id == entity and severity in ("", v.severity) and counts(v)
                )
                value: float | None = float(len(ids))
                why: list[dict[str, Any]] = []
                if metric == WITHIN and missing and (not severity or severity in missing):
                    value, why = None, [coded("no_sla_vulnerabilities", severities=missing)]
                dims = {SEVERITY: severity} if severity else {}
                out.append(
                    RegisterFigure(metric, year, entity, value, "case", REGISTER, ids, dims,
                                   note_of(why), why)
                )  # fmt: skip
    return out
