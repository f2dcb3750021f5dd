"""The enterprise risk register (SYSTEM.md §9): identify, assess, respond, review.

Each risk is classified in the **risk dictionary** (the shipped taxonomy in
``catalog/data/risk_dictionary.csv`` plus categories users add), stated as cause → event →
consequence, owned by a business unit (an entity), and scored:

- likelihood 1-5, and impact 1-5 on each of seven dimensions: financial, reputational, legal,
  safety, operational, environmental, other;
- **scoring matrix** (a workspace setting, ``esg risk matrix``): impact = the maximum over the
  dimensions (``impact_rule=max``, default) or their mean (``mean``); score = likelihood ×
  impact (1-25); level = high if score ≥ ``high_cutoff`` (default 15), medium if score ≥
  ``medium_cutoff`` (default 8), else low. Levels are computed when read, so changing the
  matrix re-levels the whole register; each stored version also records the level it had.

A response (avoid / reduce / share / retain) always carries its cost-benefit rationale.
Editing a risk stores a new version and keeps every earlier one (``risk_revisions``); an
edit can name the version it started from, and is refused if someone saved in between.
Open risks whose review date has passed are *overdue*.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.assess.risk_settings import DIMENSIONS, Matrix, categories, get_matrix
from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.ledger import audit
from esgledger.ledger.assess_models import Risk, RiskRevision
from esgledger.ledger.audit import canonical_json
from esgledger.ledger.models import Entity, utcnow

RESPONSES = ("avoid", "reduce", "share", "retain")
EDITABLE = (
    "title",
    "category",
    "cause",
    "event",
    "consequence",
    "entity_id",
    "likelihood",
    "response",
    "rationale",
    "owner",
    "review_due",
    "last_reviewed",
    "status",
    *(f"impact_{d}" for d in DIMENSIONS),
)


# ---------------------------------------------------------------------------------------------
# Risks


def _check_score(name: str, value: int) -> None:
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(f"{name} must be a whole number from 1 to 5, not {value!r}")


def _validate(session: Session, risk: Risk) -> None:
    _check_score("likelihood", risk.likelihood)
    for d in DIMENSIONS:
        _check_score(f"impact {d}", getattr(risk, f"impact_{d}"))
    if risk.response not in RESPONSES:
        raise InvalidInput(f"response must be one of {', '.join(RESPONSES)}, not {risk.response!r}")
    if not (risk.rationale or "").strip():
        raise InvalidInput(f"give the rationale for responding with {risk.response!r}")
    if risk.category not in categories(session):
        raise NotFound(
            f"unknown risk category {risk.category!r}; `esg risk categories` lists them, "
            "`esg risk categories add` extends the dictionary"
        )
    if session.get(Entity, risk.entity_id) is None:
        raise NotFound(f"unknown entity {risk.entity_id!r}; `esg entities list` lists them")
    if not (risk.title or "").strip():
        raise InvalidInput("a risk needs a title")
    if risk.status not in ("open", "closed"):
        raise InvalidInput(f"status must be open or closed, not {risk.status!r}")


def impacts_of(risk: Risk) -> dict[str, int]:
    return {d: getattr(risk, f"impact_{d}") for d in DIMENSIONS}


def risk_dict(risk: Risk, matrix: Matrix, *, today: dt.date | None = None) -> dict[str, Any]:
    impacts = impacts_of(risk)
    score = matrix.score(risk.likelihood, impacts)
    today = today or dt.date.today()
    return {
        "code": risk.code,
        "version": risk.version,
        "title": risk.title,
        "category": risk.category,
        "statement": {"cause": risk.cause, "event": risk.event, "consequence": risk.consequence},
        "entity": risk.entity_id,
        "owner": risk.owner,
        "likelihood": risk.likelihood,
        "impacts": impacts,
        "impact": matrix.impact(impacts),
        "score": score,
        "level": matrix.level(score),
        "response": risk.response,
        "rationale": risk.rationale,
        "review_due": risk.review_due.isoformat() if risk.review_due else None,
        "last_reviewed": risk.last_reviewed.isoformat() if risk.last_reviewed else None,
        "overdue": bool(risk.status == "open" and risk.review_due and risk.review_due < today),
        "status": risk.status,
    }


def _revise(session: Session, risk: Risk, *, note: str, actor: str, action: str) -> None:
    snapshot = risk_dict(risk, get_matrix(session))
    session.add(
        RiskRevision(
            risk_id=risk.id,
            version=risk.version,
            snapshot=canonical_json(snapshot),
            note=note,
            actor=actor,
        )
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=action,
        subject=f"risk:{risk.code}",
        payload={"version": risk.version, "note": note, "risk": snapshot},
    )


def _next_code(session: Session) -> str:
    count = session.scalar(select(func.count()).select_from(Risk)) or 0
    code = f"RSK-{count + 1:03d}"
    while session.scalar(select(Risk.id).where(Risk.code == code)):
        count += 1
        code = f"RSK-{count + 1:03d}"
    return code


def add_risk(
    session: Session,
    *,
    title: str,
    category: str,
    entity: str,
    likelihood: int,
    impacts: dict[str, int],
    response: str,
    rationale: str,
    code: str | None = None,
    cause: str = "",
    event: str = "",
    consequence: str = "",
    owner: str = "",
    review_due: dt.date | None = None,
    actor: str,
) -> Risk:
    """A new register entry (version 1); unnamed impact dimensions score 1."""
    unknown = set(impacts) - set(DIMENSIONS)
    if unknown:
        raise InvalidInput(
            f"unknown impact dimension(s) {', '.join(sorted(unknown))}; use {', '.join(DIMENSIONS)}"
        )
    code = code or _next_code(session)
    if session.scalar(select(Risk.id).where(Risk.code == code)):
        raise Conflict(f"risk {code!r} already exists; edit it with `esg risk update`")
    risk = Risk(
        code=code,
        title=title,
        category=category,
        cause=cause,
        event=event,
        consequence=consequence,
        entity_id=entity,
        likelihood=likelihood,
        response=response,
        rationale=rationale,
        owner=owner,
        review_due=review_due,
        status="open",
        actor=actor,
        **{f"impact_{d}": impacts.get(d, 1) for d in DIMENSIONS},
    )
    _validate(session, risk)
    session.add(risk)
    session.flush()
    _revise(session, risk, note="created", actor=actor, action="risk.add")
    return risk


def get_risk(session: Session, code: str) -> Risk:
    risk = session.scalar(select(Risk).where(Risk.code == code))
    if risk is None:
        raise NotFound(f"unknown risk {code!r}; `esg risk list` lists them")
    return risk


def update_risk(
    session: Session,
    code: str,
    changes: dict[str, Any],
    *,
    note: str = "",
    expected_version: int | None = None,
    actor: str,
) -> Risk:
    """Apply ``changes`` (field → value; impacts as ``impact_<dimension>``) as a new version."""
    risk = get_risk(session, code)
    if expected_version is not None and expected_version != risk.version:
        raise Conflict(
            f"risk {code} is at version {risk.version}, not {expected_version}: "
            "someone saved it in between; reload and edit again"
        )
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))} of a risk")
    changed = {k: v for k, v in changes.items() if getattr(risk, k) != v}
    if not changed:
        return risk
    with session.no_autoflush:  # one UPDATE, so one version step per edit
        for key, value in changed.items():
            setattr(risk, key, value)
        risk.updated_at, risk.actor = utcnow(), actor
        _validate(session, risk)
    session.flush()
    _revise(
        session,
        risk,
        note=note or "edited: " + ", ".join(sorted(changed)),
        actor=actor,
        action="risk.update",
    )
    return risk


def review_risk(
    session: Session,
    code: str,
    *,
    reviewed_on: dt.date,
    next_review: dt.date,
    note: str = "",
    actor: str,
) -> Risk:
    if next_review <= reviewed_on:
        raise InvalidInput("the next review must come after the review date")
    return update_risk(
        session,
        code,
        {"last_reviewed": reviewed_on, "review_due": next_review},
        note=note or f"reviewed {reviewed_on.isoformat()}",
        actor=actor,
    )


def list_risks(
    session: Session,
    *,
    level: str | None = None,
    category: str | None = None,
    include_closed: bool = False,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    matrix = get_matrix(session)
    stmt = select(Risk).order_by(Risk.code)
    if not include_closed:
        stmt = stmt.where(Risk.status == "open")
    rows = [risk_dict(r, matrix, today=today) for r in session.scalars(stmt)]
    if category:
        rows = [
            r for r in rows if r["category"] == category or r["category"].startswith(category + ".")
        ]
    if level:
        rows = [r for r in rows if r["level"] == level]
    return rows


def overdue(session: Session, *, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Open risks whose review date is before ``as_of`` (default today), oldest first."""
    as_of = as_of or dt.date.today()
    rows = [r for r in list_risks(session, today=as_of) if r["overdue"]]
    for r in rows:
        r["days_overdue"] = (as_of - dt.date.fromisoformat(r["review_due"])).days
    return sorted(rows, key=lambda r: (r["review_due"], r["code"]))


def history(session: Session, code: str) -> list[dict[str, Any]]:
    """Every stored version of a risk, oldest first."""
    risk = get_risk(session, code)
    revisions = session.scalars(
        select(RiskRevision).where(RiskRevision.risk_id == risk.id).order_by(RiskRevision.version)
    )
    return [
        {
            "version": r.version,
            "changed_at": r.changed_at.isoformat(),
            "actor": r.actor,
            "note": r.note,
            "risk": json.loads(r.snapshot),
        }
        for r in revisions
    ]


def heatmap(
    session: Session, path: str | Path, *, today: dt.date | None = None, lang: str = "en"
) -> Path:
    """The register's heat map with the workspace's scoring matrix, written to ``path``, its
    words in ``lang``."""
    from esgledger.assess.charts import risk_heatmap

    matrix = get_matrix(session)
    rows = list_risks(session, today=today)
    placed = [{**r, "impact": min(5, max(1, round(r["impact"])))} for r in rows]
    return risk_heatmap(
        placed,
        lambda li, im: matrix.level(li * im),
        path,
        impact_rule=matrix.impact_rule,
        lang=lang,
    )
