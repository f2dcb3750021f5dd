"""Running the checks: every rule over one year, acknowledgements attached, in a stable order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.checks.acks import acknowledgements
from esgledger.checks.arithmetic import breakdowns, catalog_rules
from esgledger.checks.certificates import certificate_findings
from esgledger.checks.claims import unanswered_claims
from esgledger.checks.context import CheckContext
from esgledger.checks.coverage import coverage
from esgledger.checks.duplicates import duplicates
from esgledger.checks.factors import IMPLIED_READS, implied_factor_rules, method_rules
from esgledger.checks.findings import Finding
from esgledger.checks.incomplete import incomplete_runs
from esgledger.checks.measures import measures
from esgledger.checks.narrative import narrative_mismatches
from esgledger.checks.register_figures import register_figure_rules
from esgledger.checks.rollup import entity_sums
from esgledger.checks.session_reads import SessionReads
from esgledger.checks.status import statuses
from esgledger.checks.supplier_actions import overdue_actions
from esgledger.checks.yoy import jumps
from esgledger.errors import InvalidInput, NotFound
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.inputs import StoredInputs
from esgledger.ledger.activities import live
from esgledger.ledger.boundaries import get_boundary
from esgledger.ledger.models import ActivityRecord, CalculationRun, KpiValue
from esgledger.ledger.store_models import ActivityFile

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
    ("supplier register figures", register_figure_rules),
    ("certificates", certificate_findings),
]
# What each rule reads beyond the catalog, so a cache can tell which rules a write can move
# (:mod:`esgledger.checks.incremental`): "kpi values" are the stored KPI values and data
# requests of the checked year and the two before (every KPI table reads them); the others
# are moved only by writes the cache does not bound, which rerun every rule anyway.
KPI_VALUES = "kpi values"
READS: dict[str, frozenset[str]] = {
    "incomplete runs": frozenset({"calculation runs"}),
    "arithmetic": frozenset({KPI_VALUES, "activity data", "calculation runs", "boundaries"}),
    "breakdowns": frozenset({KPI_VALUES, "activity data", "calculation runs", "boundaries"}),
    "entity sums": frozenset({KPI_VALUES, "activity data", "calculation runs", "boundaries"}),
    "duplicates": frozenset({KPI_VALUES, "activity data", "calculation runs", "boundaries"}),
    "narrative": frozenset({KPI_VALUES, "activity data", "calculation runs", "boundaries"}),
    "units and definitions": frozenset({KPI_VALUES, "activity data", "calculation runs"}),
    "year on year": frozenset({KPI_VALUES, "activity data", "calculation runs", "boundaries"}),
    "coverage": frozenset({KPI_VALUES, "activity data", "calculation runs", "boundaries"}),
    "factors": frozenset({KPI_VALUES, "activity data", "calculation runs", "factors"}),
    "methodology": frozenset({"calculation runs", "factors"}),
    "content index": frozenset({KPI_VALUES, "activity data", "calculation runs", "boundaries"}),
    "statuses": frozenset({KPI_VALUES, "activity data", "calculation runs", "boundaries"}),
    "supplier corrective actions": frozenset({"supplier registers"}),
    "supplier register figures": frozenset({"supplier registers"}),
    "certificates": frozenset({KPI_VALUES, "registers"}),
}
# Rules reading the KPI values of these metrics only (with what is derived from them).
READS_METRICS: dict[str, frozenset[str]] = {"factors": IMPLIED_READS}
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
    ctx = check_context(
        session, year, boundary=boundary, narrative=narrative, claims=claims,
        yoy_threshold=yoy_threshold, inputs=inputs,
    )  # fmt: skip
    ctx.share_tables(tables or {})
    return merged(rule_findings(ctx), acknowledgements(session))


def check_context(
    session: Session,
    year: int,
    *,
    boundary: str | None = None,
    narrative: str | Path | None = None,
    claims: dict[str, list[str]] | None = None,
    yoy_threshold: float = DEFAULT_YOY_THRESHOLD,
    inputs: StoredInputs | None = None,
) -> CheckContext:
    """The inputs of one run of the checks, validated (see :func:`run_checks`)."""
    if not 1900 <= year <= 2100:
        raise InvalidInput(f"{year} is not a reporting year")
    if yoy_threshold <= 0:
        raise InvalidInput(f"the year-on-year threshold must be above 0 %, not {yoy_threshold}")
    if boundary is not None:
        get_boundary(session, boundary)
    return CheckContext(
        SessionReads(session, year, boundary=boundary, inputs=inputs),
        year,
        boundary=boundary,
        narrative=Path(narrative) if narrative is not None else None,
        claims=claims,
        yoy_threshold=yoy_threshold,
    )


def rule_findings(
    ctx: CheckContext, names: Collection[str] | None = None
) -> dict[str, list[Finding]]:
    """Each rule's findings (every rule, or those ``names``), by rule name."""
    return {name: rule(ctx) for name, rule in RULES if names is None or name in names}


def merged(
    by_rule: Mapping[str, Sequence[Finding]], acks: Mapping[str, dict[str, Any]]
) -> list[Finding]:
    """The rules' findings in one stable order, the first of each key kept (in rule order),
    each with its acknowledgement. The findings given are not changed: a finding is copied
    when its acknowledgement differs from what it carries."""
    seen: dict[str, Finding] = {}
    for name, _rule in RULES:
        for finding in by_rule.get(name, ()):
            seen.setdefault(finding.key, finding)
    out = []
    for finding in seen.values():
        ack = acks.get(finding.key)
        out.append(finding if finding.acknowledged == ack else replace(finding, acknowledged=ack))
    return sorted(out, key=lambda f: f.sort_key)


def open_findings(session: Session, year: int, **options: object) -> list[Finding]:
    """The findings no reviewer has acknowledged yet (what ``esg check`` shows)."""
    return [f for f in run_checks(session, year, **options) if f.acknowledged is None]  # type: ignore[arg-type]


def data_years(session: Session) -> list[int]:
    """Years with stored KPI values, calculation runs or activity rows (in the ledger or the
    activity store), newest first."""
    years = set(session.scalars(select(KpiValue.year).distinct()))
    years |= set(session.scalars(select(CalculationRun.year).distinct()))
    first, last = session.execute(
        select(func.min(ActivityRecord.start), func.max(ActivityRecord.start)).where(live())
    ).one()
    if isinstance(first, dt.date) and isinstance(last, dt.date):
        years |= set(range(first.year, last.year + 1))
    years |= set(session.scalars(select(ActivityFile.year).distinct()))  # the store's rows
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
