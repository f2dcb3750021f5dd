"""Materiality assessments: creation from a topic library, and topic and group editing.

An assessment is identified by year and name. Its topics are copied from a library
(:mod:`esgledger.catalog.topics`) and can be added, removed or renamed until the first
response arrives; nothing can change after the board approves the scored result.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.assess.scoring import RULES, TIER_RULE, WEIGHTINGS
from esgledger.catalog.messages import N_
from esgledger.catalog.topics import topic_library
from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.ledger import audit
from esgledger.ledger.assess_models import (
    MaterialityAssessment,
    MaterialityResponse,
    MaterialityScore,
    MaterialityTopic,
    Respondent,
    StakeholderGroup,
)

MODES = ("double", "single")
AXES = {"double": ("impact", "financial"), "single": ("stakeholder", "business")}
AXIS_TITLES = {
    "impact": N_("Importance to economy, society and environment (impact materiality)"),
    "financial": N_("Importance to corporate finance (financial materiality)"),
    "stakeholder": N_("Significance to stakeholders"),
    "business": N_("Significance to the company"),
}
# The materiality survey's groups (SYSTEM.md §8.2-8.3): seven external groups rate the first
# axis, a panel of executives and department heads the second.
DEFAULT_GROUPS = (
    ("investors", "Investors", 0),
    ("employees", "Employees", 0),
    ("customers", "Customers", 0),
    ("government", "Government and regulators", 0),
    ("suppliers", "Suppliers and partners", 0),
    ("media", "Media", 0),
    ("ngos-communities", "NGOs and communities", 0),
    ("executives", "Executives and department heads", 1),
)


def _check_choices(mode: str, rule: str, weighting: str, low: float, high: float) -> None:
    for label, value, allowed in (
        ("mode", mode, MODES),
        ("rule", rule, RULES),
        ("weighting", weighting, WEIGHTINGS),
    ):
        if value not in allowed:
            raise InvalidInput(f"{label} must be one of {', '.join(allowed)}, not {value!r}")
    if not 0 < low < high < 1:
        raise InvalidInput(f"thresholds must satisfy 0 < low < high < 1 (got {low}, {high})")


def _copy_library(session: Session, a: MaterialityAssessment, library: str) -> None:
    """The library's topics and the default stakeholder groups, into a new assessment."""
    topics = topic_library(library) if library != "none" else ()
    for position, t in enumerate(topics, start=1):
        session.add(
            MaterialityTopic(
                assessment_id=a.id,
                code=t.code,
                name=t.name,
                domain=t.domain,
                szse17=t.szse17,
                gri=t.gri,
                esrs=t.esrs,
                owner_team=t.owner_team,
                source=library,
                position=position,
            )
        )
    axes = AXES[a.mode]
    for code, group_name, axis_no in DEFAULT_GROUPS:
        session.add(
            StakeholderGroup(assessment_id=a.id, code=code, name=group_name, axis=axes[axis_no])
        )
    session.flush()


def create_assessment(
    session: Session,
    *,
    year: int,
    name: str | None = None,
    mode: str = "double",
    rule: str = "double",
    weighting: str = "respondent",
    low: float = 1 / 3,
    high: float = 2 / 3,
    library: str = "szse2024",
    actor: str,
) -> MaterialityAssessment:
    """A new assessment with the library's topics and the default stakeholder groups."""
    _check_choices(mode, rule, weighting, low, high)
    if mode == "single":
        rule = TIER_RULE  # legacy assessments rank by tier; the double/ESRS rules need two axes
    name = name or f"{year} {'double' if mode == 'double' else 'single'} materiality"
    exists = session.scalar(
        select(MaterialityAssessment.id).where(
            MaterialityAssessment.year == year, MaterialityAssessment.name == name
        )
    )
    if exists:
        raise Conflict(f"an assessment {name!r} for {year} already exists; choose another --name")
    if library != "none":
        topic_library(library)  # an unknown library fails before anything is written
    assessment = MaterialityAssessment(
        year=year,
        name=name,
        mode=mode,
        rule=rule,
        weighting=weighting,
        low_threshold=low,
        high_threshold=high,
        library=library,
        actor=actor,
    )
    session.add(assessment)
    session.flush()
    _copy_library(session, assessment, library)
    audit.record(
        session,
        actor=actor,
        action="materiality.create",
        subject=f"materiality:{assessment.id}",
        payload=assessment_dict(session, assessment),
    )
    return assessment


def get_assessment(session: Session, year: int, name: str | None = None) -> MaterialityAssessment:
    """The year's assessment (by name when the year has several)."""
    stmt = select(MaterialityAssessment).where(MaterialityAssessment.year == year)
    if name:
        stmt = stmt.where(MaterialityAssessment.name == name)
    found = list(session.scalars(stmt.order_by(MaterialityAssessment.id)))
    if not found:
        which = f"{name!r} for {year}" if name else f"for {year}"
        raise NotFound(
            f"no materiality assessment {which}; create one with `esg materiality create`"
        )
    if len(found) > 1:
        names = ", ".join(repr(a.name) for a in found)
        raise InvalidInput(f"{year} has several assessments ({names}); pass --name")
    return found[0]


def list_assessments(session: Session, *, year: int | None = None) -> list[MaterialityAssessment]:
    stmt = select(MaterialityAssessment).order_by(
        MaterialityAssessment.year, MaterialityAssessment.id
    )
    if year is not None:
        stmt = stmt.where(MaterialityAssessment.year == year)
    return list(session.scalars(stmt))


def response_count(session: Session, assessment: MaterialityAssessment) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(MaterialityResponse)
            .join(MaterialityTopic, MaterialityTopic.id == MaterialityResponse.topic_id)
            .where(MaterialityTopic.assessment_id == assessment.id)
        )
        or 0
    )


def assessment_dict(session: Session, a: MaterialityAssessment) -> dict[str, Any]:
    respondents = session.scalar(
        select(func.count()).select_from(Respondent).where(Respondent.assessment_id == a.id)
    )
    topics = session.scalar(
        select(func.count())
        .select_from(MaterialityTopic)
        .where(MaterialityTopic.assessment_id == a.id)
    )
    return {
        "id": a.id,
        "year": a.year,
        "name": a.name,
        "mode": a.mode,
        "rule": a.rule,
        "weighting": a.weighting,
        "axes": list(AXES[a.mode]),
        "low_threshold": a.low_threshold,
        "high_threshold": a.high_threshold,
        "library": a.library,
        "status": a.status,
        "topics": topics or 0,
        "respondents": respondents or 0,
        "responses": response_count(session, a),
        "scored_at": a.scored_at.isoformat() if a.scored_at else None,
    }


def require_open(a: MaterialityAssessment) -> None:
    if a.status == "approved":
        raise Conflict(f"assessment {a.name!r} ({a.year}) is approved; nothing in it can change")


def _require_editable_topics(session: Session, a: MaterialityAssessment) -> None:
    require_open(a)
    if response_count(session, a):
        raise Conflict(
            f"assessment {a.name!r} already has responses; topics can only change before "
            "responses arrive"
        )


def topics_of(session: Session, a: MaterialityAssessment) -> list[MaterialityTopic]:
    return list(
        session.scalars(
            select(MaterialityTopic)
            .where(MaterialityTopic.assessment_id == a.id)
            .order_by(MaterialityTopic.position, MaterialityTopic.id)
        )
    )


def get_topic(session: Session, a: MaterialityAssessment, code: str) -> MaterialityTopic:
    topic = session.scalar(
        select(MaterialityTopic).where(
            MaterialityTopic.assessment_id == a.id, MaterialityTopic.code == code
        )
    )
    if topic is None:
        raise NotFound(
            f"no topic {code!r} in assessment {a.name!r}; `esg materiality topics list` lists them"
        )
    return topic


def add_topic(
    session: Session,
    a: MaterialityAssessment,
    *,
    code: str,
    name: str,
    domain: str = "",
    szse17: str = "",
    gri: str = "",
    esrs: str = "",
    actor: str,
) -> MaterialityTopic:
    _require_editable_topics(session, a)
    if not code.strip() or not name.strip():
        raise InvalidInput("a topic needs a code and a name")
    if session.scalar(
        select(MaterialityTopic.id).where(
            MaterialityTopic.assessment_id == a.id, MaterialityTopic.code == code
        )
    ):
        raise Conflict(f"topic {code!r} is already in assessment {a.name!r}")
    last = session.scalar(
        select(func.max(MaterialityTopic.position)).where(MaterialityTopic.assessment_id == a.id)
    )
    topic = MaterialityTopic(
        assessment_id=a.id,
        code=code.strip(),
        name=name.strip(),
        domain=domain,
        szse17=szse17,
        gri=gri,
        esrs=esrs,
        source="user",
        position=(last or 0) + 1,
    )
    session.add(topic)
    session.flush()
    _audit_topic(session, a, "materiality.topic.add", topic, actor)
    return topic


def remove_topic(session: Session, a: MaterialityAssessment, code: str, *, actor: str) -> None:
    _require_editable_topics(session, a)
    topic = get_topic(session, a, code)
    _audit_topic(session, a, "materiality.topic.remove", topic, actor)
    session.delete(topic)
    session.flush()


def rename_topic(
    session: Session, a: MaterialityAssessment, code: str, new_name: str, *, actor: str
) -> MaterialityTopic:
    _require_editable_topics(session, a)
    if not new_name.strip():
        raise InvalidInput("give the topic's new name")
    topic = get_topic(session, a, code)
    topic.name = new_name.strip()
    session.flush()
    _audit_topic(session, a, "materiality.topic.rename", topic, actor)
    return topic


def _audit_topic(
    session: Session, a: MaterialityAssessment, action: str, t: MaterialityTopic, actor: str
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        subject=f"materiality:{a.id}",
        payload={"code": t.code, "name": t.name, "domain": t.domain},
    )


def topic_dict(t: MaterialityTopic) -> dict[str, Any]:
    return {
        "code": t.code,
        "name": t.name,
        "domain": t.domain,
        "owner_team": t.owner_team,
        "szse17": t.szse17,
        "gri": t.gri,
        "esrs": t.esrs,
        "source": t.source,
    }


def groups_of(session: Session, a: MaterialityAssessment) -> list[StakeholderGroup]:
    return list(
        session.scalars(
            select(StakeholderGroup)
            .where(StakeholderGroup.assessment_id == a.id)
            .order_by(StakeholderGroup.id)
        )
    )


def get_group(session: Session, a: MaterialityAssessment, code: str) -> StakeholderGroup:
    group = session.scalar(
        select(StakeholderGroup).where(
            StakeholderGroup.assessment_id == a.id, StakeholderGroup.code == code
        )
    )
    if group is None:
        known = ", ".join(g.code for g in groups_of(session, a))
        raise NotFound(f"no stakeholder group {code!r}; the assessment has {known}")
    return group


def set_group_weight(
    session: Session, a: MaterialityAssessment, code: str, weight: float, *, actor: str
) -> StakeholderGroup:
    """Change a group's weight (a scoring choice: allowed after responses, not after approval)."""
    require_open(a)
    if not weight > 0:
        raise InvalidInput(f"a group weight must be positive, not {weight}")
    group = get_group(session, a, code)
    before, group.weight = group.weight, weight
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="materiality.group.weight",
        subject=f"materiality:{a.id}",
        payload={"group": code, "from": before, "to": weight},
    )
    return group


def add_group(
    session: Session,
    a: MaterialityAssessment,
    *,
    code: str,
    name: str,
    axis: str,
    weight: float = 1.0,
    actor: str,
) -> StakeholderGroup:
    require_open(a)
    if axis not in AXES[a.mode]:
        raise InvalidInput(f"axis must be one of {', '.join(AXES[a.mode])}, not {axis!r}")
    if not weight > 0:
        raise InvalidInput(f"a group weight must be positive, not {weight}")
    if session.scalar(
        select(StakeholderGroup.id).where(
            StakeholderGroup.assessment_id == a.id, StakeholderGroup.code == code
        )
    ):
        raise Conflict(f"group {code!r} already exists in assessment {a.name!r}")
    group = StakeholderGroup(assessment_id=a.id, code=code, name=name, axis=axis, weight=weight)
    session.add(group)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="materiality.group.add",
        subject=f"materiality:{a.id}",
        payload={"group": code, "name": name, "axis": axis, "weight": weight},
    )
    return group


def clear_scores(session: Session, a: MaterialityAssessment) -> None:
    for row in session.scalars(
        select(MaterialityScore).where(MaterialityScore.assessment_id == a.id)
    ):
        session.delete(row)
    session.flush()
