"""The demo's OHS, complaints, NPS and product-security registers (#17).

- OHS: three years of hours worked per legal entity and worker type (about 2,000 hours a
  person a year over the training register's staff, contractors beside them) and each
  year's work-related injuries, as many as the year's typed KPI row says, so the register
  confirms the typed figures.
- Complaints: the report year's service-desk export — as many complaints received, closed
  and closed within SLA as the typed KPI rows say — under the demo's own SLA policy
  (:data:`SLA_HOURS`, an example, not a standard), each with its state times.
- NPS: the year's survey answers, promoters and detractors as the typed rows say, split over
  the segments.
- Whistleblowing: three years of the case log a compliance officer keeps (hotline, letters,
  the web channel), as many received, substantiated, closed and closed within 90 days as the
  typed rows say; the case texts are placeholders, never shown outside the register.
- Vulnerabilities: the year's product-security cases, received, fixed, fixed within SLA and
  advisories published as typed, scored with CVSS v3.1 base scores.

Deterministic (one random stream per register), written as files and imported through the
same services as ``esg register ohs|complaints|vulns``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from esgledger.demo.files import write_rows
from esgledger.demo.kpi_data import kpi_model
from esgledger.demo.registers_stage import STAFF
from esgledger.demo.seed import rng
from esgledger.demo.stages import DemoContext, StageReport

# Hours of other workers beside the staff's (every worker type gets a row, so the register's
# breakdown is whole).
OTHER_WORKERS = {"contractor": 0.12, "outsourced": 0.06, "intern": 0.01}
HOURS_A_YEAR = 2000
SLA_HOURS = {  # the demo company's own policy: hours allowed per state
    "high": {"accepted": 2, "assigned": 4, "processing": 48, "return_visit": 24, "filed": 24},
    "medium": {"accepted": 4, "assigned": 8, "processing": 120, "return_visit": 48, "filed": 48},
    "low": {"accepted": 8, "assigned": 24, "processing": 240, "return_visit": 72, "filed": 72},
}
VULN_SLA_DAYS = {"medium": 90, "low": 180}  # critical and high keep the cited defaults
CHANNELS = ("phone", "phone", "phone", "app", "web", "email", "store", "social_media")
PRODUCTS = ("smartphones", "tablets", "wearables", "smart home", "accessories")
SEGMENTS = ("domestic_distribution", "domestic_distribution", "non_distribution", "other")
COMPLAINT_HEADER = ("ref", "entity", "channel", "product_line", "severity", "accepted_at",
                    "assigned_at", "processing_at", "return_visit_at", "filed_at",
                    "closed_at")  # fmt: skip
VULN_HEADER = ("ref", "entity", "product_line", "source", "cvss_score", "cve_id", "intake_at",
               "triage_at", "fixing_at", "fixed_at", "advisory_published_at")  # fmt: skip


def _typed(metric: str, year: int) -> int:
    return round(kpi_model().rounded(metric, year))


def _moment(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M")


def _hours(years: tuple[int, ...]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for year in years:
        r = rng("ohs-hours", year)
        for entity, staff in STAFF.items():
            people = staff * r.uniform(0.97, 1.03) * (1 + 0.03 * (year - years[0]))
            rows.append((entity, year, "employee", round(people * HOURS_A_YEAR)))
            rows.extend((entity, year, worker, round(people * share * HOURS_A_YEAR))
                        for worker, share in OTHER_WORKERS.items())  # fmt: skip
    return rows


def _incidents(years: tuple[int, ...]) -> list[tuple[object, ...]]:
    """Each year's injuries as typed: employees, high-consequence and lost-time ones, and
    the lost days spread over the lost-time ones."""
    rows: list[tuple[object, ...]] = []
    sites = [e for e, staff in STAFF.items() if staff >= 500]
    for year in years:
        r = rng("ohs-incidents", year)
        total = _typed("ohs.recordable_injuries", year)
        employees = _typed("ohs.recordable_injuries_employees", year)
        severe = _typed("ohs.high_consequence_injuries", year)
        lost_time = max(_typed("ohs.lost_time_injuries", year), severe)
        days = max(_typed("ohs.lost_days", year), lost_time)
        spread = [1] * lost_time
        for _ in range(days - lost_time):
            spread[r.randrange(lost_time)] += 1
        for i in range(total):
            day = dt.date(year, 1, 1) + dt.timedelta(days=r.randrange(365))
            rows.append((
                f"INJ-{year}-{i + 1:03d}", r.choice(sites), day.isoformat(),
                "employee" if i < employees else "contractor", "injury",
                "yes" if i < severe else "no", spread[i] if i < lost_time else 0,
            ))  # fmt: skip
    return rows


def _complaints(year: int) -> list[tuple[object, ...]]:
    """The year's complaints: the first ``closed`` closed, the first ``within`` of them in
    every state's SLA, the others late in processing; the rest still open."""
    r = rng("complaints", year)
    received = _typed("customer.complaints.received", year)
    closed = min(_typed("customer.complaints.closed", year), received)
    within = min(_typed("customer.complaints.closed_within_sla", year), closed)
    rows: list[tuple[object, ...]] = []
    last_start = dt.datetime(year, 12, 1)  # closed ones were accepted in time to close
    for i in range(received):
        severity = r.choices(("high", "medium", "low"), (0.1, 0.5, 0.4))[0]
        sla = SLA_HOURS[severity]
        span = (last_start - dt.datetime(year, 1, 1)).total_seconds() if i < closed else 0
        start = (
            dt.datetime(year, 1, 1, 8) + dt.timedelta(seconds=r.uniform(0, span))
            if i < closed
            else dt.datetime(year, 12, 20, 8) + dt.timedelta(hours=r.uniform(0, 200))
        )
        steps = [start]
        for state in ("accepted", "assigned", "processing", "return_visit", "filed"):
            allowed = sla[state]
            late = state == "processing" and i >= within
            stay = allowed * (r.uniform(1.1, 1.6) if late else r.uniform(0.2, 0.9))
            steps.append(steps[-1] + dt.timedelta(hours=stay))
        reached = len(steps) if i < closed else r.randint(1, 4)
        times = [_moment(t) for t in steps[:reached]] + [""] * (len(steps) - reached)
        rows.append((f"CS-{year}-{i + 1:05d}", "PSD", r.choice(CHANNELS), r.choice(PRODUCTS),
                     severity, *times))  # fmt: skip
    return rows


def _answers(year: int) -> list[tuple[object, ...]]:
    r = rng("nps", year)
    answers = _typed("customer.nps.answers", year)
    promoters = _typed("customer.nps.promoters", year)
    detractors = min(_typed("customer.nps.detractors", year), answers - promoters)
    scores = ([r.choice((9, 10)) for _ in range(promoters)]
              + [r.randint(0, 6) for _ in range(detractors)]
              + [r.choice((7, 8)) for _ in range(answers - promoters - detractors)])  # fmt: skip
    start = dt.date(year, 1, 1)
    return [
        ("PSD", (start + dt.timedelta(days=r.randrange(365))).isoformat(), r.choice(SEGMENTS), s)
        for s in scores
    ]


def _vulnerabilities(year: int) -> list[tuple[object, ...]]:
    r = rng("vulnerabilities", year)
    received = _typed("cybersecurity.vulnerabilities.received", year)
    fixed = min(_typed("cybersecurity.vulnerabilities.fixed", year), received)
    within = min(_typed("cybersecurity.vulnerabilities.fixed_within_sla", year), fixed)
    published = min(_typed("cybersecurity.vulnerabilities.advisories_published", year), fixed)
    days = {"critical": 15, "high": 30, **VULN_SLA_DAYS, "none": 365}
    rows: list[tuple[object, ...]] = []
    for i in range(received):
        score = round(r.choice((r.uniform(9.0, 10.0), r.uniform(7.0, 8.9), r.uniform(4.0, 6.9),
                                r.uniform(4.0, 6.9), r.uniform(0.1, 3.9))), 1)  # fmt: skip
        band = ("critical" if score >= 9 else "high" if score >= 7 else "medium" if score >= 4
                else "low")  # fmt: skip
        intake = dt.datetime(year, 1, 5, 9) + dt.timedelta(days=r.uniform(0, 250))
        fix = days[band] * (r.uniform(0.3, 0.9) if i < within else r.uniform(1.1, 1.4))
        times = [intake, intake + dt.timedelta(days=1), intake + dt.timedelta(days=2),
                 intake + dt.timedelta(days=fix), intake + dt.timedelta(days=fix + 7)]  # fmt: skip
        reached = 5 if i < published else 4 if i < fixed else r.randint(1, 3)
        cve = f"CVE-{year}-{41000 + i}" if i < published and r.random() < 0.6 else ""
        cells = [_moment(t) for t in times[:reached]] + [""] * (5 - reached)
        rows.append((f"PSIRT-{year}-{i + 1:03d}", "PSD", r.choice(PRODUCTS),
                     r.choices(("researcher", "internal", "third_party_test"), (0.4, 0.4, 0.2))[0],
                     f"{score:.1f}", cve, *cells))  # fmt: skip
    return rows


WHISTLE_HEADER = ("ref", "entity", "channel", "type", "received_at", "description", "state",
                  "investigator", "outcome", "corrective_action", "closed_at")  # fmt: skip
WHISTLE_TYPES = ("corruption", "fraud", "harassment", "human_rights", "data", "other")
WHISTLE_CHANNELS = ("web", "hotline", "hotline", "email", "letter", "in_person")


def _whistle_year(year: int, carried: int) -> tuple[list[tuple[object, ...]], int]:
    """The year's cases: ``carried`` cases of last year closed early this year count among
    the closed; the cases still open at the year's end are returned as the next carry."""
    r = rng("whistleblowing", year)
    received = _typed("compliance.whistleblowing.received", year)
    substantiated = min(_typed("compliance.whistleblowing.substantiated", year), received)
    closed = _typed("compliance.whistleblowing.closed", year)
    within = _typed("compliance.whistleblowing.closed_within_sla", year)
    same_year = max(0, min(received, closed - carried))
    late = max(0, same_year - max(0, within - carried))  # closed after more than 90 days
    rows: list[tuple[object, ...]] = []
    for i in range(received):
        if i < same_year:
            start = dt.datetime(year, 1, 3, 9) + dt.timedelta(days=r.uniform(0, 150))
            days = r.uniform(95, 150) if i < late else r.uniform(10, 85)
            end = _moment(start + dt.timedelta(days=days))
            state = "closed"
        else:  # received late in the year, closed next January
            start = dt.datetime(year, 11, 15, 9) + dt.timedelta(days=r.uniform(0, 40))
            end, state = "", "investigating"
        outcome = "substantiated" if i < substantiated else "unsubstantiated"
        rows.append((f"WB-{year}-{i + 1:03d}", "PSD", r.choice(WHISTLE_CHANNELS),
                     r.choice(WHISTLE_TYPES), _moment(start),
                     "case text kept in the register only", state, "compliance office",
                     outcome if state == "closed" else "", "", end))  # fmt: skip
    return rows, received - same_year


def _whistleblowing(years: tuple[int, ...]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    carried: list[tuple[object, ...]] = []
    for year in years:
        this, left = _whistle_year(year, len(carried))
        for case in carried:  # last year's open cases close early this year, within 90 days
            received = dt.datetime.fromisoformat(str(case[4]))
            closing = _moment(received + dt.timedelta(days=60))
            rows.append((*case[:6], "closed", case[7], "unsubstantiated", "", closing))
        carried = this[len(this) - left :] if left else []
        rows.extend(this[: len(this) - left])
    rows.extend(carried)  # the report year's open cases stay open
    return rows


def import_service_registers(ctx: DemoContext, folder: Path) -> StageReport:
    """Write the files and import them as a user would; set the SLAs first."""
    from esgledger.auth.permissions import Principal
    from esgledger.registers import nps
    from esgledger.registers.complaints import CLOCKED, import_complaints
    from esgledger.registers.complaints_import import SEVERITIES
    from esgledger.registers.cvss import SEVERITIES as CVSS
    from esgledger.registers.ohs import import_hours, import_incidents
    from esgledger.registers.sla import set_sla
    from esgledger.registers.vulnerabilities import import_vulnerabilities
    from esgledger.registers.whistle_import import import_cases

    year = ctx.report_year
    with ctx.db.write() as session:
        for severity, states in SLA_HOURS.items():
            for state, allowed in states.items():
                set_sla(
                    session, register="complaints", severity=severity, state=state,
                    hours=allowed, severities=SEVERITIES, states=CLOCKED, actor=ctx.actor,
                )  # fmt: skip
        for severity, days in VULN_SLA_DAYS.items():
            set_sla(
                session, register="vulnerabilities", severity=severity, state="to_fix",
                hours=days * 24, severities=CVSS, states=("to_fix",), actor=ctx.actor,
            )  # fmt: skip
    hours, incidents = _hours(ctx.years), _incidents(ctx.years)
    import_hours(ctx.db, write_rows(folder / "ohs-hours.csv",
                                ("entity", "year", "worker_type", "hours"), hours),
                 actor=ctx.actor)  # fmt: skip
    header = ("ref", "entity", "date", "worker_type", "kind", "high_consequence", "lost_days")
    import_incidents(ctx.db, write_rows(folder / "ohs-incidents.csv", header, incidents),
                     actor=ctx.actor)  # fmt: skip
    complaints = _complaints(year)
    import_complaints(ctx.db, write_rows(folder / f"complaints-{year}.csv", COMPLAINT_HEADER,
                                     complaints), actor=ctx.actor)  # fmt: skip
    answers = _answers(year)
    nps.import_answers(ctx.db, write_rows(folder / f"nps-{year}.csv",
                                      ("entity", "date", "segment", "score"), answers),
                       actor=ctx.actor)  # fmt: skip
    cases = _whistleblowing(ctx.years)
    officer = Principal(ctx.actor, "compliance_officer")  # the officer who keeps the log
    import_cases(ctx.db, write_rows(folder / "whistleblowing-cases.csv", WHISTLE_HEADER, cases),
                 officer)  # fmt: skip
    vulns = _vulnerabilities(year)
    import_vulnerabilities(ctx.db, write_rows(folder / f"vulnerabilities-{year}.csv", VULN_HEADER,
                                          vulns), actor=ctx.actor)  # fmt: skip
    return {
        "OHS hours rows": len(hours),
        "OHS incidents": len(incidents),
        "complaints": len(complaints),
        "NPS answers": len(answers),
        "whistleblowing cases": len(cases),
        "vulnerabilities": len(vulns),
    }
