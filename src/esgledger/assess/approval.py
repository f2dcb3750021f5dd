"""Confirmation of a materiality result: the board's approval and the IRO records.

Approval needs a stored, current scoring and locks the assessment. Impacts, risks and
opportunities (IROs) are recorded for topics the stored scoring found material, also after
approval (SYSTEM.md §8 steps 5 and 6).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.assess.materiality import get_topic, require_open
from esgledger.assess.matrix import is_stale, material_topics
from esgledger.errors import Conflict, InvalidInput
from esgledger.ledger import audit
from esgledger.ledger.assess_models import (
    MaterialityApproval,
    MaterialityAssessment,
    MaterialityIro,
    MaterialityTopic,
)

IRO_KINDS = ("impact", "risk", "opportunity")


def approve(
    session: Session,
    a: MaterialityAssessment,
    *,
    body: str,
    date: dt.date,
    resolution: str,
    actor: str,
) -> MaterialityApproval:
    """Record the board's approval of the stored scoring and lock the assessment."""
    require_open(a)
    if a.scored_at is None:
        raise Conflict("score the assessment first (`esg materiality score`), then approve it")
    if is_stale(session, a):
        raise Conflict("responses or weights changed since the last scoring; score again first")
    if not body.strip() or not resolution.strip():
        raise InvalidInput("an approval needs the approving body and the resolution text")
    approval = MaterialityApproval(
        assessment_id=a.id, body=body.strip(), date=date, resolution=resolution.strip(), actor=actor
    )
    session.add(approval)
    a.status = "approved"
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="materiality.approve",
        subject=f"materiality:{a.id}",
        payload={"body": approval.body, "date": date.isoformat(), "resolution": resolution},
    )
    return approval


def approvals_of(session: Session, a: MaterialityAssessment) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(MaterialityApproval).where(MaterialityApproval.assessment_id == a.id)
    )
    return [
        {"body": r.body, "date": r.date.isoformat(), "resolution": r.resolution, "actor": r.actor}
        for r in rows
    ]


def add_iro(
    session: Session,
    a: MaterialityAssessment,
    *,
    topic: str,
    kind: str,
    text: str,
    risk_code: str = "",
    actor: str,
) -> MaterialityIro:
    """An impact, risk or opportunity of a topic that the stored scoring found material."""
    if kind not in IRO_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(IRO_KINDS)}, not {kind!r}")
    if not text.strip():
        raise InvalidInput("give the IRO text")
    row = get_topic(session, a, topic)
    material = material_topics(session, a)
    if row.code not in material:
        raise Conflict(
            f"topic {topic!r} is not material in the stored scoring of {a.name!r} "
            f"(rule {a.rule}); IROs are recorded for material topics"
        )
    iro = MaterialityIro(
        assessment_id=a.id,
        topic_id=row.id,
        kind=kind,
        text=text.strip(),
        risk_code=risk_code,
        actor=actor,
    )
    session.add(iro)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="materiality.iro.add",
        subject=f"materiality:{a.id}",
        payload={"topic": topic, "kind": kind, "text": iro.text, "risk_code": risk_code},
    )
    return iro


def iros_of(session: Session, a: MaterialityAssessment) -> list[dict[str, Any]]:
    rows = session.execute(
        select(MaterialityIro, MaterialityTopic.code, MaterialityTopic.name)
        .join(MaterialityTopic, MaterialityTopic.id == MaterialityIro.topic_id)
        .where(MaterialityIro.assessment_id == a.id)
        .order_by(MaterialityTopic.position, MaterialityIro.id)
    )
    return [
        {
            "topic": code,
            "topic_name": name,
            "kind": iro.kind,
            "text": iro.text,
            "risk_code": iro.risk_code,
        }
        for iro, code, name in rows
    ]
