"""The demo's supplier questionnaire and audits (#16), as data.

The self-assessment questionnaire goes out each March. In the report year it goes to the
suppliers that need one (medium and high tiers, 3TG and cobalt suppliers) and about four in
five answer; in the two years before (the tiers came later) it went to a sample of the 3TG and
cobalt suppliers onboarded by then, and fewer answered as the programme began.
About forty-five audits over the three years: those of the years before all closed; those of
the report year with Priority, Major and Minor findings, the Priority ones corrected and
verified, some Major and Minor ones still open or waiting for their verification past their
dates (``esg check`` warns about those); four more planned for the next year.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from esgledger.demo.org import REPORT_YEAR
from esgledger.demo.seed import rng
from esgledger.demo.supplier_data import DemoSupplier
from esgledger.demo.supplier_draws import day, days, sample, weighted

SAQ_DAYS = 60
# Each year's round: (suppliers sent the questionnaire, share answering)
SAQ_ROUNDS = {REPORT_YEAR - 2: (80, 0.7), REPORT_YEAR - 1: (100, 0.75), REPORT_YEAR: (120, 0.8)}
SAQ = """name = "{name}"

[[sections]]
code = "env"
title = "Environment"

[[sections.questions]]
code = "env.ems"
text = "Do you run an environmental management system (e.g. ISO 14001)?"
weight = 3

[[sections.questions]]
code = "env.permits"
text = "Are all your environmental permits (discharge, emissions, waste) valid?"
weight = 4

[[sections.questions]]
code = "env.targets"
text = "Do you set targets for energy use or greenhouse-gas emissions?"
type = "choice"
weight = 2
options = {{ none = 0, "intensity only" = 0.5, absolute = 1 }}

[[sections]]
code = "soc"
title = "Labour and human rights"

[[sections.questions]]
code = "soc.child_labour"
text = "Do you have a written policy against child and forced labour, checked at hiring?"
weight = 5

[[sections.questions]]
code = "soc.hours"
text = "Do working hours stay within 60 a week, with a day off in seven?"
weight = 4

[[sections.questions]]
code = "soc.grievance"
text = "Can workers raise grievances anonymously?"
weight = 2

[[sections]]
code = "eth"
title = "Ethics"

[[sections.questions]]
code = "eth.integrity"
text = "Do you train your sales staff on anti-bribery rules every year?"
weight = 3

[[sections.questions]]
code = "eth.notes"
text = "Anything to add?"
type = "text"
"""


def saq_name(year: int) -> str:
    return f"Supplier self-assessment {year}"


def saq_sent(year: int) -> dt.datetime:
    """When the year's links go out (UTC, naive as the ledger stores it)."""
    return dt.datetime(year, 3, 3, 9, 0)


def saq_definition(year: int) -> str:
    """The year's questionnaire (TOML): the same questions every year."""
    return SAQ.format(name=saq_name(year))


# (question, share of suppliers answering yes or the best option)
SAQ_YES = {"env.ems": 0.7, "env.permits": 0.93, "soc.child_labour": 0.96, "soc.hours": 0.75,
           "soc.grievance": 0.8, "eth.integrity": 0.85}  # fmt: skip
AUDITORS = ("Group supplier quality (internal)", "Accredited third-party auditor",
            "Group sustainability office")  # fmt: skip
# (grade, family, what was found)
FINDINGS = (
    ("Priority", "social", "Recruitment fees charged to migrant workers"),
    ("Priority", "environmental", "Untreated wastewater discharged to a storm drain"),
    ("Major", "social", "Working hours above 60 a week for line staff in peak season"),
    ("Major", "social", "Fire exits blocked in the finished-goods warehouse"),
    ("Major", "environmental", "Hazardous waste stored without secondary containment"),
    ("Major", "environmental", "Air-emission monitoring of the plating line overdue"),
    ("Major", "other", "Sub-supplier conflict-minerals survey not carried out"),
    ("Minor", "social", "Dormitory emergency lighting not working"),
    ("Minor", "social", "Personal protective equipment records incomplete"),
    ("Minor", "environmental", "Chemical inventory missing safety data sheets"),
    ("Minor", "environmental", "Energy meters not calibrated"),
    ("Minor", "other", "Integrity agreement not renewed with a sub-contractor"),
)
# Findings per audit and their grades, in turn: each year's audits find about the same, so a
# year-on-year change is the programme's, not the dice's (``esg check`` flags jumps over 30 %).
FINDING_COUNTS = (1, 2, 0, 3, 1, 2, 1)
GRADE_CYCLE = ("Minor", "Major", "Minor", "Minor", "Major", "Minor", "Priority", "Minor", "Major")
AUDITS_PER_YEAR = {REPORT_YEAR - 2: 13, REPORT_YEAR - 1: 14, REPORT_YEAR: 15}
PLANNED = 4  # audits planned for the year after the report year
FINDING_STATES = ("verified_closed", "plan_approved", "plan_submitted", "open")


@dataclass(frozen=True)
class DemoFinding:
    grade: str
    family: str
    text: str
    state: str  # where it ends: open, plan_submitted, plan_approved or verified_closed
    planned_completion: dt.date | None = None
    closed_on: dt.date | None = None


@dataclass(frozen=True)
class DemoAudit:
    supplier: str
    planned_on: dt.date
    mode: str
    auditor: str
    report_on: dt.date | None = None  # None: still planned
    findings: list[DemoFinding] = field(default_factory=list)


def saq_answers(draw: random.Random) -> dict[str, str]:
    answers = {q: "yes" if draw.random() < p else "no" for q, p in SAQ_YES.items()}
    answers["env.targets"] = weighted(draw, ("none", "intensity only", "absolute"), (3, 5, 2))
    answers["eth.notes"] = ""
    return answers


def _finding(draw: random.Random, report_on: dt.date, grade: str) -> DemoFinding:
    _g, family, text = draw.choice([f for f in FINDINGS if f[0] == grade])
    completion = report_on + days(draw, 30, 90)
    closed = completion - days(draw, 0, 20)
    if report_on.year < REPORT_YEAR or grade == "Priority":
        return DemoFinding(grade, family, text, "verified_closed", completion, closed)
    late = report_on.month >= 10
    state = weighted(draw, FINDING_STATES, (1, 3, 3, 3) if late else (6, 2, 2, 3))
    return DemoFinding(
        grade, family, text, state, None if state == "open" else completion,
        closed if state == "verified_closed" else None,
    )  # fmt: skip


def _year(draw: random.Random, suppliers: list[str], year: int) -> list[DemoAudit]:
    """A year's audits, every fifth one remote, the findings in turn."""
    out, grades = [], iter(GRADE_CYCLE * 10)
    for n, supplier in enumerate(suppliers):
        planned = day(draw, year, 1 + n * 11 // len(suppliers))
        mode = "remote" if n % 5 == 4 else "on-site"
        report_on = planned + days(draw, 5, 25)
        count = FINDING_COUNTS[n % len(FINDING_COUNTS)]
        findings = [_finding(draw, report_on, next(grades)) for _ in range(count)]
        out.append(DemoAudit(supplier, planned, mode, draw.choice(AUDITORS), report_on, findings))
    return out


def audits(base: list[DemoSupplier], minerals: set[str]) -> list[DemoAudit]:
    """The audit programme over the three years: the largest purchase suppliers, 3TG
    suppliers and a sample of the rest, each audited once; four more planned."""
    draw = rng("suppliers", "audits")
    ranked = sorted((s for s in base if s.spend_unit == "USD" and s.spend),
                    key=lambda s: -(s.spend or 0.0))  # fmt: skip
    chosen = [s.id for s in ranked[:12]]
    chosen += sample(draw, sorted(minerals - set(chosen)), 20)
    wanted = sum(AUDITS_PER_YEAR.values()) + PLANNED
    chosen += sample(draw, sorted({s.id for s in base} - set(chosen)), wanted - len(chosen))
    draw.shuffle(chosen)
    out: list[DemoAudit] = []
    for year, count in AUDITS_PER_YEAR.items():
        out += _year(draw, chosen[len(out) : len(out) + count], year)
    for supplier in chosen[len(out) :]:
        planned = day(draw, REPORT_YEAR + 1, months=(1, 6))
        out.append(DemoAudit(supplier, planned, "on-site", draw.choice(AUDITORS)))
    return out
