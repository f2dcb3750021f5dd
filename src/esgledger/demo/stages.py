"""The demo's stage hook: what runs after the ledger is filled, in order.

A stage is a ``(name, callable)`` pair. The callable takes the :class:`DemoContext` and
returns a small mapping of what it produced, which the demo prints as ``name: key value, …``
and puts in its JSON summary. Later packages add their stage here, importing their own code
inside the callable so that importing the demo stays cheap and the flow keeps one direction::

    def _calculation(ctx: DemoContext) -> StageReport:
        from esgledger.calc.runs import run_calculation   # the package's own service

        run = run_calculation(ctx.db, year=ctx.report_year, actor=ctx.actor)
        return {"run": run.id, "results": run.results}

    STAGES.append(("calculation", _calculation))

Stages run in list order (calculation, checks, assessments, report…), each in its own
transactions through the same services a user calls; a stage that raises stops the demo
with its error, so a broken stage is seen at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from esgledger.ledger.db import Database

StageReport = Mapping[str, object]


@dataclass(frozen=True)
class DemoContext:
    """What a stage may use: the filled workspace and where the demo's files are."""

    db: Database
    inputs: Path  # the input files the ledger stages imported
    out_dir: Path | None  # the demo folder (None when built into a given database)
    years: tuple[int, ...]
    report_year: int
    root: str  # the group's root entity id
    actor: str


Stage = Callable[[DemoContext], StageReport]


def _calculation(ctx: DemoContext) -> StageReport:
    """Energy and GHG for every year, each on that year's energy/GHG boundary."""
    from esgledger.calc.options import RunOptions
    from esgledger.calc.runs import run_calculation

    report: dict[str, object] = {}
    for year in ctx.years:
        summary = run_calculation(ctx.db, RunOptions(year=year), actor=ctx.actor)
        report[f"run {year}"] = summary["run_id"]
        if year == ctx.report_year:
            totals = summary["totals"]
            report["scope 1 tCO2e"] = f"{totals['scope1_tco2e']:,.0f}"
            report["scope 2 market tCO2e"] = f"{totals['scope2_market_tco2e']:,.0f}"
            report["energy tce"] = f"{totals['energy_total_tce']:,.0f}"
            report["unresolved rows"] = summary["unresolved_rows"]
    return report


def _checks(ctx: DemoContext) -> StageReport:
    """The data-quality checks of every year: counts by severity and rule, whether each
    defect the demo planted (:mod:`esgledger.demo.defects`) was found, and the reviewer's
    acknowledgements (:mod:`esgledger.demo.reviews`) the report's publication gate needs."""
    from collections import Counter

    from esgledger.checks import run_checks
    from esgledger.demo.defects import PLANTED
    from esgledger.demo.reviews import acknowledge_reviewed

    findings = {}
    with ctx.db.read() as session:
        for year in sorted(ctx.years, reverse=True):
            for finding in run_checks(session, year):
                findings.setdefault(finding.key, finding)
    with ctx.db.write() as session:
        acknowledged = acknowledge_reviewed(session, list(findings.values()), actor=ctx.actor)
    severities = Counter(f.severity for f in findings.values())
    rules = Counter(f"{f.rule} ({f.severity[0].upper()})" for f in findings.values())
    planted = [
        p
        for p in PLANTED
        if any(
            f.rule == p.rule and f.year == p.year and p.metric in f.metrics
            for f in findings.values()
        )
    ]
    return {
        "errors": severities["error"],
        "warnings": severities["warning"],
        f"planted defects found {len(planted)} of {len(PLANTED)}": "("
        + "; ".join(f"{p.rule} {p.year}: {p.description}" for p in planted)
        + ")",
        "by rule": ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items())),
        "acknowledged with a reason": acknowledged,
    }


def _registers(ctx: DemoContext) -> StageReport:
    """The board and training registers (#17), before the checks read their figures."""
    from esgledger.demo.registers_stage import registers_stage

    return registers_stage(ctx)


def _suppliers(ctx: DemoContext) -> StageReport:
    """The supplier base (#16): register, screening, tiers, questionnaires, audits, CMRT
    files; before the checks, which escalate its overdue corrective actions."""
    from esgledger.demo.supplier_stage import supplier_stage

    return supplier_stage(ctx)


# Stages after the ledger is filled, in order; later work appends (name, callable).
STAGES: list[tuple[str, Stage]] = [
    ("calculation", _calculation),
    ("registers", _registers),
    ("suppliers", _suppliers),
    ("checks", _checks),
]


def register_stage(name: str, stage: Stage) -> None:
    """Append a stage; a second stage with the same name is refused (it would shadow one)."""
    if any(existing == name for existing, _ in STAGES):
        raise ValueError(f"a demo stage named {name!r} is already registered")
    STAGES.append((name, stage))


def describe(report: StageReport) -> str:
    """One line for the console: ``entities 43, sites 24``."""
    return ", ".join(f"{key} {value}" for key, value in report.items()) or "done"


def _assessments(ctx: DemoContext) -> StageReport:
    """Double materiality, risk register, climate items with carbon-price exposure, targets."""
    from esgledger.demo.assess_stage import build_assessments

    return build_assessments(ctx)


STAGES.append(("assessments", _assessments))


def _team(ctx: DemoContext) -> StageReport:
    """Users for every role (passwords in ``credentials.txt``), next year's collection begun."""
    from esgledger.demo.team_stage import team_stage

    return team_stage(ctx)


STAGES.append(("team", _team))


def _report(ctx: DemoContext) -> StageReport:
    """The ESG report of the report year: HTML, PDF and XLSX under ``<out>/report``."""
    from esgledger.demo.report_stage import report_stage

    return report_stage(ctx)


STAGES.append(("report", _report))
