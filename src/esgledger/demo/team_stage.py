"""The demo's team: one user per role, and next year's data collection under way.

Each user gets a fresh random password, printed by ``esg demo`` and written to
``<demo>/credentials.txt`` (readable by the owner only), so the web app can be tried at once.
The collection for the year after the report year shows every request state: not started,
draft, submitted, returned with a comment, approved and locked, some of them overdue.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

from esgledger.auth.users import add_user, grant, principal
from esgledger.demo.seed import rng
from esgledger.demo.stages import DemoContext, StageReport
from esgledger.workflow import review
from esgledger.workflow.requests import get_request, issue_requests
from esgledger.workflow.values import enter_value

CREDENTIALS_FILE = "credentials.txt"
SURVEY_PREFIX = "# an investor's one-time questionnaire link: "


@dataclass(frozen=True)
class Member:
    username: str
    role: str
    name: str
    grants: tuple[str, ...] = ()


TEAM = (
    Member("admin", "admin", "Workspace administrator"),
    Member("manager", "esg_manager", "Chen Mei, ESG manager"),
    Member("owner.sz", "data_owner", "Li Wei, EHS officer Shenzhen", ("SZ",)),
    Member("owner.wh", "data_owner", "Zhang Min, EHS officer Wuhan", ("WH",)),
    Member("reviewer", "reviewer", "Wang Fang, internal control"),
    Member("auditor", "auditor", "External assurance provider"),
)

# What each owner is asked for: metric → unit; the sites are those below the owner's grant.
METRICS = {"wastewater.industrial": "t", "wastewater.domestic": "t", "air.vocs": "t"}
SITES = {"owner.sz": ("SZ-BA", "SZ-GM"), "owner.wh": ("WH-P1", "WH-P2")}
# Typical yearly magnitudes per site (t), drawn around for plausible entries.
SCALE = {"wastewater.industrial": 48_000.0, "wastewater.domestic": 21_000.0, "air.vocs": 3.2}


def _password() -> str:
    """16 letters and digits: easy to copy from a terminal, ~95 bits of randomness."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(16))


def _users(ctx: DemoContext) -> dict[str, str]:
    passwords = {m.username: _password() for m in TEAM}
    with ctx.db.write() as session:
        for m in TEAM:
            add_user(
                session,
                username=m.username,
                role=m.role,
                display_name=m.name,
                password=passwords[m.username],
                actor=ctx.actor,
            )
            for entity in m.grants:
                grant(session, m.username, entity, actor=ctx.actor)
    return passwords


def _value(metric: str, site: str, year: int) -> float:
    draw = rng("collection", metric, site, year).uniform(0.7, 1.3)
    return round(SCALE[metric] * draw, 1 if SCALE[metric] > 100 else 3)


def _collection(ctx: DemoContext) -> dict[str, int]:
    """Issue next year's requests and move them through the workflow as people would."""
    year = ctx.report_year + 1
    with ctx.db.read() as session:
        who = {m.username: principal(session, m.username) for m in TEAM}
    ids: dict[tuple[str, str], int] = {}
    with ctx.db.write() as session:
        for owner, sites in SITES.items():
            # Wuhan's interim figures were due at the end of October: overdue
            due = dt.date(year, 10, 31) if owner == "owner.wh" else dt.date(year + 1, 1, 31)
            issued = issue_requests(
                session, who["manager"], year=year, metrics=list(METRICS), owner=owner,
                due=due, entities=sites, reviewer="reviewer", issued_on=dt.date(year, 1, 2),
                instructions="Meter readings or the discharge permit's monthly statements.",
            )  # fmt: skip
            keys = [(m, s) for m in METRICS for s in sites]
            ids.update(zip(keys, issued["ids"], strict=True))

    def act(key: tuple[str, str], *steps: str) -> None:
        metric, site = key
        owner = next(o for o, sites in SITES.items() if site in sites)
        with ctx.db.write() as session:
            req = get_request(session, ids[key])
            version = req.version
            for step in steps:
                if step == "enter":
                    req = enter_value(
                        session, who[owner], ids[key], version=version,
                        value=_value(metric, site, year), unit=METRICS[metric],
                        source="monthly discharge statements",
                    )  # fmt: skip
                elif step == "submit":
                    req = review.submit(session, who[owner], ids[key], version=version)
                elif step == "approve":
                    req = review.approve(session, who["reviewer"], ids[key], version=version)
                elif step == "return":
                    req = review.return_request(
                        session, who["reviewer"], ids[key], version=version,
                        comment="The VOCs figure is three times last year's; attach the "
                        "monitoring report or correct the unit.",
                    )  # fmt: skip
                elif step == "lock":
                    req = review.lock(session, who["manager"], ids[key], version=version)
                version = req.version

    act(("wastewater.industrial", "SZ-BA"), "enter", "submit", "approve", "lock")
    act(("wastewater.domestic", "SZ-BA"), "enter", "submit", "approve", "lock")
    act(("wastewater.industrial", "SZ-GM"), "enter", "submit", "approve")
    act(("wastewater.domestic", "SZ-GM"), "enter", "submit")
    act(("air.vocs", "SZ-BA"), "enter", "submit", "return")
    act(("wastewater.industrial", "WH-P1"), "enter")
    return {"year": year, "requests": len(ids)}


def _survey(ctx: DemoContext) -> str:
    """Next year's materiality survey opened, with one investor's one-time link."""
    from esgledger.assess.materiality import create_assessment
    from esgledger.assess.respondents import add_respondent, issue_tokens

    with ctx.db.write() as session:
        a = create_assessment(session, year=ctx.report_year + 1, actor=ctx.actor)
        add_respondent(session, a, group="investors", name="INV-DEMO", actor=ctx.actor)
        (token,) = issue_tokens(session, a, actor=ctx.actor)
    return f"/survey/{token['token']}"


def _write_credentials(out_dir: Path, passwords: dict[str, str], survey: str) -> Path:
    path = out_dir / CREDENTIALS_FILE
    lines = [
        "# esgledger demo users: username, role, password (made fresh by `esg demo`)",
        f"{SURVEY_PREFIX}{survey}",
    ]
    roles = {m.username: m.role for m in TEAM}
    lines += [f"{user}\t{roles[user]}\t{password}" for user, password in passwords.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def read_survey_link(out_dir: Path) -> str | None:
    """The survey path (``/survey/TOKEN``) written next to the demo's credentials."""
    path = out_dir / CREDENTIALS_FILE
    if not path.exists():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(SURVEY_PREFIX):
            return line.removeprefix(SURVEY_PREFIX)
    return None


def read_credentials(out_dir: Path) -> list[tuple[str, str, str]]:
    """(username, role, password) from a demo folder's credentials file, if there is one."""
    path = out_dir / CREDENTIALS_FILE
    if not path.exists():
        return []
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    return [(r[0], r[1], r[2]) for r in rows if len(r) == 3 and not r[0].startswith("#")]


def team_stage(ctx: DemoContext) -> StageReport:
    passwords = _users(ctx)
    collection = _collection(ctx)
    survey = _survey(ctx)
    report: dict[str, object] = {
        "users": ", ".join(f"{m.username} ({m.role})" for m in TEAM),
        f"data requests {collection['year']}": collection["requests"],
    }
    if ctx.out_dir is not None:
        report["passwords"] = _write_credentials(ctx.out_dir, passwords, survey).name
    report[f"materiality survey {collection['year']}"] = "open, one investor link"
    return report
