"""The demo's supplier base (#16), imported through the same services a user calls.

In the order a team lives it: the register files (suppliers, sites, contacts, agreements,
certifications; spend of the purchase ledger's suppliers taken from its lines), the entry
screening of the suppliers onboarded in the last three years, the audits of earlier years, the
questionnaire rounds of the two years before the report year, the tiers at the start of the
report year, its questionnaire and their answers, the report year's audits and corrective
actions, each year's CMRT files as they arrive (the refused ones listed with their problems in
``cmrt-refused.txt``; the earlier years' files in ``cmrt/<year>``), the conformant-smelter list,
and the year-end tiers. The
files stay in ``<out>/suppliers`` (a temporary folder when built into a given database).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from esgledger.demo import supplier_audit_data as plans
from esgledger.demo.cmrt_files import cmrt_file
from esgledger.demo.files import stage_folder, write_rows
from esgledger.demo.org import REPORT_YEAR
from esgledger.demo.seed import rng
from esgledger.demo.stages import DemoContext, StageReport
from esgledger.demo.supplier_cmrt_data import (
    CONFORMANT_HEADER,
    ROUNDS,
    cmrt_files,
    conformant_rows,
    intake_closed,
)
from esgledger.demo.supplier_data import (
    AGREEMENT_HEADER,
    CERTIFICATION_HEADER,
    CONTACT_HEADER,
    SITE_HEADER,
    SUPPLIER_HEADER,
    DemoSupplier,
    agreement_rows,
    certification_rows,
    contact_rows,
    site_rows,
    supplier_rows,
    suppliers,
)
from esgledger.demo.supplier_draws import days, sample

INTAKE_CLOSED = intake_closed(REPORT_YEAR)  # the day the demo's team takes stock
FIRST_TIERS = dt.date(REPORT_YEAR, 1, 6)
YEAR_END = dt.date(REPORT_YEAR, 12, 31)
UNSCREENED = 0.04  # new suppliers taken on without the entry screening (urgent orders)


def supplier_stage(ctx: DemoContext) -> StageReport:
    """Build the supplier base into the demo workspace; returns what the console shows."""
    with stage_folder(ctx.out_dir, "suppliers") as folder:
        return _build(ctx, folder)


def _build(ctx: DemoContext, folder: Path) -> StageReport:
    from esgledger.suppliers.conformant_import import import_conformant
    from esgledger.suppliers.policy import DEFAULT
    from esgledger.suppliers.tiering import record_tiers

    base = _import_register(ctx, folder)
    screened = _screen(ctx, base)
    gone = {s.id for s in base if s.ended_on is not None}
    programme = plans.audits(base, {s.id for s in base if _minerals(s)})
    programme = [a for a in programme if a.planned_on.year < REPORT_YEAR or a.supplier not in gone]
    _audit(ctx, [a for a in programme if a.planned_on.year < REPORT_YEAR])
    rounds = [_questionnaires(ctx, folder, year, _earlier_recipients(base, year))
              for year in sorted(plans.SAQ_ROUNDS) if year < REPORT_YEAR]  # fmt: skip
    with ctx.db.write() as session:
        first = record_tiers(session, DEFAULT, on=FIRST_TIERS, actor=ctx.actor)
    tiers = {a.supplier: a.tier for a in first}
    wanted = [s.id for s in base if s.id not in gone
              and (tiers.get(s.id) in ("medium", "high") or _minerals(s))]  # fmt: skip
    rounds.append(_questionnaires(ctx, folder, REPORT_YEAR, wanted))
    _audit(ctx, [a for a in programme if a.planned_on.year >= REPORT_YEAR])
    intake = _intake(ctx, folder, base)
    listed = write_rows(folder / "conformant-smelters.csv", CONFORMANT_HEADER, conformant_rows())
    import_conformant(ctx.db, listed, actor=ctx.actor)
    with ctx.db.write() as session:
        ends = Counter(a.tier for a in record_tiers(session, DEFAULT, on=YEAR_END, actor=ctx.actor))
    return {
        "suppliers": len(base),
        f"new in {REPORT_YEAR - 2}-{REPORT_YEAR} screened": screened,
        "tiers": ", ".join(f"{t} {n}" for t, n in sorted(ends.items(), key=lambda i: str(i[0]))),
        "questionnaires answered": ", ".join(f"{y} {a} of {n}" for y, n, a in rounds),
        **_audit_summary(programme),
        **_intake_summary(intake),
    }


def _audit_summary(programme: list[plans.DemoAudit]) -> StageReport:
    findings = Counter(f.state for a in programme for f in a.findings)
    return {
        "audits": f"{sum(a.report_on is not None for a in programme)} done, "
        f"{sum(a.report_on is None for a in programme)} planned",
        "findings": ", ".join(f"{s} {n}" for s, n in sorted(findings.items())),
    }


Intake = dict[int, tuple[int, list[str], list[str]]]  # year → accepted, refused, refusals


def _intake(ctx: DemoContext, folder: Path, base: list[DemoSupplier]) -> Intake:
    """Each year's CMRT round, oldest first; every refusal in ``cmrt-refused.txt``."""
    intake = {year: _cmrt(ctx, folder, base, year) for year in sorted(ROUNDS)}
    lines = [line for _, _, problems in intake.values() for line in problems]
    (folder / "cmrt-refused.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return intake


def _intake_summary(intake: Intake) -> StageReport:
    accepted, refused, _ = intake[REPORT_YEAR]
    earlier = [f"{y} {a} accepted, {len(r)} refused"
               for y, (a, r, _) in intake.items() if y < REPORT_YEAR]  # fmt: skip
    return {
        "CMRT files": f"{accepted} accepted, {len(refused)} refused",
        "earlier CMRT files": ", ".join(earlier),
        "refused": "; ".join(refused) + " (cmrt-refused.txt)",
    }


def _minerals(supplier: DemoSupplier) -> bool:
    from esgledger.demo.supplier_cmrt_data import metals_of

    return bool(metals_of(supplier)) or "cobalt" in supplier.commodities


def _import_register(ctx: DemoContext, folder: Path) -> list[DemoSupplier]:
    from esgledger.suppliers.register import purchase_spend
    from esgledger.suppliers.register_import import import_register

    with ctx.db.read() as session:
        spend = {
            s: by_unit.get("USD", 0.0)
            for s, by_unit in purchase_spend(session, REPORT_YEAR).items()
        }
    base = suppliers(spend)
    files = (
        ("suppliers", SUPPLIER_HEADER, supplier_rows(base)),
        ("sites", SITE_HEADER, site_rows(base)),
        ("contacts", CONTACT_HEADER, contact_rows(base)),
        ("agreements", AGREEMENT_HEADER, agreement_rows(base)),
        ("certifications", CERTIFICATION_HEADER, certification_rows(base)),
    )
    for kind, header, rows in files:
        path = write_rows(folder / f"{kind}.csv", header, rows)
        import_register(ctx.db, path, kind=kind, actor=ctx.actor)
    return base


def _screen(ctx: DemoContext, base: list[DemoSupplier]) -> int:
    """The entry screening of each onboarding round of the last three years."""
    from esgledger.suppliers.gate import screen
    from esgledger.suppliers.policy import DEFAULT

    draw = rng("suppliers", "screening")
    rounds: dict[dt.date, list[str]] = {}
    for s in base:
        if s.onboarded_on.year >= REPORT_YEAR - 2 and draw.random() >= UNSCREENED:
            rounds.setdefault(s.onboarded_on, []).append(s.id)
    with ctx.db.write() as session:
        for day, ids in sorted(rounds.items()):
            screen(session, DEFAULT, ids, on=day, actor=ctx.actor)
    return sum(len(ids) for ids in rounds.values())


def _earlier_recipients(base: list[DemoSupplier], year: int) -> list[str]:
    """Before the tiers, the round went to the 3TG and cobalt suppliers onboarded by then."""
    sent = plans.saq_sent(year).date()
    return [s.id for s in base if _minerals(s) and s.onboarded_on <= sent]


def _questionnaires(
    ctx: DemoContext, folder: Path, year: int, wanted: list[str]
) -> tuple[int, int, int]:
    """A year's round: sent to a sample of ``wanted``; (year, links sent, answers)."""
    from esgledger.suppliers.questionnaire import load_definition
    from esgledger.suppliers.saq import define, send, submit

    sent_to, answering = plans.SAQ_ROUNDS[year]
    path = folder / ("questionnaire.toml" if year == REPORT_YEAR else f"questionnaire-{year}.toml")
    path.write_text(plans.saq_definition(year), encoding="utf-8")
    draw = rng("suppliers", "saq") if year == REPORT_YEAR else rng("suppliers", "saq", year)
    wanted = sorted(sample(draw, wanted, sent_to))
    sent, answered = plans.saq_sent(year), 0
    with ctx.db.write() as session:
        define(session, load_definition(path), actor=ctx.actor)
        issued = send(session, plans.saq_name(year), wanted, days=plans.SAQ_DAYS, actor=ctx.actor,
                      now=sent)  # fmt: skip
        for link in issued:
            if draw.random() >= answering:
                continue
            when = sent + days(draw, 2, plans.SAQ_DAYS - 5)
            submit(session, link["token"], plans.saq_answers(draw), now=when)
            answered += 1
    return year, len(issued), answered


def _audit(ctx: DemoContext, programme: list[plans.DemoAudit]) -> None:
    """Plan, report and follow up each audit as the supplier manager records it."""
    from esgledger.suppliers import audits

    with ctx.db.write() as session:
        for a in programme:
            row = audits.plan_audit(session, supplier=a.supplier, planned_on=a.planned_on,
                                    mode=a.mode, auditor=a.auditor, site="Plant 1",
                                    actor=ctx.actor)  # fmt: skip
            if a.report_on is None:
                continue
            audits.report_audit(session, row.id, done_on=a.planned_on, report_on=a.report_on,
                                actor=ctx.actor)  # fmt: skip
            for f in a.findings:
                finding = audits.add_finding(session, row.id, grade=f.grade, family=f.family,
                                             text=f.text, actor=ctx.actor)  # fmt: skip
                _follow_up(session, finding.id, f, a.report_on, ctx.actor)


PATH = ("plan_submitted", "plan_approved", "verified_closed")
# The days after the audit report on which the demo's suppliers submit their plans and the
# manager approves them (within the 7 days a Priority finding allows; the earliest closure
# is 10 days after the report), recorded with each step so past reports date them.
STEP_DAYS = {"plan_submitted": 4, "plan_approved": 7}


def _follow_up(
    session: Session, finding_id: int, f: plans.DemoFinding, report_on: dt.date, actor: str
) -> None:
    from esgledger.suppliers.audits import move_finding

    if f.state == "open":
        return
    for step in PATH[: PATH.index(f.state) + 1]:
        plan: dict[str, Any] = {}
        if step == "plan_submitted":
            plan = {"root_cause": "Procedure missing or not followed",
                    "corrective": f"Correct: {f.text.lower()}",
                    "preventive": "Written procedure, training and a monthly self-check",
                    "planned_completion": f.planned_completion}  # fmt: skip
        on = f.closed_on if step == "verified_closed" else report_on + dt.timedelta(STEP_DAYS[step])
        move_finding(session, finding_id, step, actor=actor, on=on, **plan)


def _cmrt(
    ctx: DemoContext, folder: Path, base: list[DemoSupplier], year: int
) -> tuple[int, list[str], list[str]]:
    """Each of a year's files written as the supplier sent it and imported on its own, all or
    nothing (the report year's in ``cmrt``, earlier years' in ``cmrt/<year>``): the files
    accepted, those refused and the refusals' lines."""
    from esgledger.errors import ImportRejected
    from esgledger.suppliers.minerals_import import import_declaration

    inbox = folder / "cmrt" if year == REPORT_YEAR else folder / "cmrt" / str(year)
    inbox.mkdir(parents=True, exist_ok=True)
    accepted, refused, lines = 0, [], []
    for sent in cmrt_files(base, year):
        path = cmrt_file(inbox / sent.file, sent.spec)
        try:
            import_declaration(ctx.db, path, supplier=sent.supplier, actor=ctx.actor,
                               today=intake_closed(year))  # fmt: skip
            accepted += 1
        except ImportRejected as exc:
            refused.append(sent.file)
            lines.append(exc.render())
    return accepted, refused, lines
