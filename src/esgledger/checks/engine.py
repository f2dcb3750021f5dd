"""Running the checks: every rule over one year, acknowledgements attached, in a stable order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.checks.acks import acknowledgements
from esgledger.checks.arithmetic import breakdowns, catalog_rules
from esgledger.checks.claims import unanswered_claims
from esgledger.checks.context import CheckContext
from esgledger.checks.coverage import coverage
from esgledger.checks.duplicates import duplicates
from esgledger.checks.factors import implied_factor_rules, method_rules
from esgledger.checks.findings import Finding
from esgledger.checks.incomplete import incomplete_runs
from esgledger.checks.measures import measures
from esgledger.checks.narrative import narrative_mismatches
from esgledger.checks.rollup import entity_sums
from esgledger.checks.status import statuses
from esgledger.checks.supplier_actions import overdue_actions
from esgledger.checks.yoy import jumps
from esgledger.errors import InvalidInput, NotFound
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.inputs import StoredInputs
from esgledger.ledger.activities import live
from esgledger.ledger.boundaries import get_boundary
from esgledger.ledger.models import ActivityRecord, CalculationRun, KpiValue

Rule = Callable[[CheckContext], list[Finding]]

# Each entry runs one family of rules; a rule returns findings and never writes.
RULES: list[tuple[str, Rule]] = [
    ("incomplete runs", incomplete_runs),
    ("arithmetic", catalog_rules),
    ("breakdowns", breakdowns),
    ("entity sums", entity_sums),
    ("duplicates", duplicates),
    ("narrative", narrative_mismatches),
    ("units and definitions", measures),
    ("year on year", jumps),
    ("coverage", coverage),
    ("factors", implied_factor_rules),
    ("methodology", method_rules),
    ("content index", unanswered_claims),
    ("statuses", statuses),
    ("supplier corrective actions", overdue_actions),
]
DEFAULT_YOY_THRESHOLD = 30.0


def run_checks(
    session: Session,
    year: int,
    *,
    boundary: str | None = None,
    narrative: str | Path | None = None,
    claims: dict[str, list[str]] | None = None,
    yoy_threshold: float = DEFAULT_YOY_THRESHOLD,
    tables: Mapping[int, dict[tuple[str, str], KpiFigure]] | None = None,
    inputs: StoredInputs | None = None,
) -> list[Finding]:
    """Every finding for ``year``, acknowledged ones included (``finding.acknowledged``).

    ``boundary`` overrides the year's boundaries as in ``esg kpi``; ``narrative`` is a folder
    (or file) of Markdown sections; ``claims`` maps content-index disclosures to metric ids
    (default: the catalog's GRI references). ``tables`` are KPI tables by year that the
    caller computed already on this session's ledger state with the same ``boundary`` (the
    report's appendix), so the checks do not compute them a second time; ``inputs`` are the
    stored rows and activity sums the caller read for them (:mod:`esgledger.kpi.inputs`),
    used for the years they cover. Example::

        with db.read() as session:
            errors = [f for f in run_checks(session, 2025) if f.severity == "error"]
    """
    if not 1900 <= year <= 2100:
        raise InvalidInput(f"{year} is not a reporting year")
    if yoy_threshold <= 0:
        raise InvalidInput(f"the year-on-year threshold must be above 0 %, not {yoy_threshold}")
    if boundary is not None:
        get_boundary(session, boundary)
    ctx = CheckContext(
        session=session,
        year=year,
        boundary=boundary,
        narrative=Path(narrative) if narrative is not None else None,
        claims=claims,
        yoy_threshold=yoy_threshold,
        inputs=inputs,
    )
    ctx.share_tables(tables or {})
    seen: dict[str, Finding] = {}
    for _name, rule in RULES:
        for finding in rule(ctx):
            seen.setdefault(finding.key, finding)
    acks = acknowledgements(session)
    for finding in seen.values():
        finding.acknowledged = acks.get(finding.key)
    return sorted(seen.values(), key=lambda f: f.sort_key)


def open_findings(session: Session, year: int, **options: object) -> list[Finding]:
    """The findings no reviewer has acknowledged yet (what ``esg check`` shows)."""
    return [f for f in run_checks(session, year, **options) if f.acknowledged is None]  # type: ignore[arg-type]


def data_years(session: Session) -> list[int]:
    """Years with stored KPI values, calculation runs or activity records, newest first."""
    years = set(session.scalars(select(KpiValue.year).distinct()))
    years |= set(session.scalars(select(CalculationRun.year).distinct()))
    first, last = session.execute(
        select(func.min(ActivityRecord.start), func.max(ActivityRecord.start)).where(live())
    ).one()
    if isinstance(first, dt.date) and isinstance(last, dt.date):
        years |= set(range(first.year, last.year + 1))
    return sorted(years, reverse=True)


def find_finding(
    session: Session, key: str, *, year: int | None = None, **options: object
) -> Finding:
    """The current finding with ``key``, searched in ``year`` or in every year with data."""
    key = key.strip().lower()
    for candidate in [year] if year is not None else data_years(session):
        for finding in run_checks(session, candidate, **options):  # type: ignore[arg-type]
            if finding.key == key:
                return finding
    where = f"in {year}" if year is not None else "in any year with data"
    raise NotFound(f"no finding with key {key} {where}; `esg check --year YEAR` lists the keys")
