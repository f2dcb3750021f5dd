"""Scoring a stored assessment, the matrix it shows, and tier changes against an earlier one.

:func:`score` runs :func:`esgledger.assess.scoring.score_topics` over the stored responses
and keeps the result (replacing an earlier scoring until the board approves). :func:`show`
returns the stored result, or a live one marked ``"stored": false`` before the first
scoring. A stored result is *stale* when responses or weights changed after it.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.assess.materiality import (
    AXES,
    assessment_dict,
    clear_scores,
    groups_of,
    require_open,
    response_count,
    topics_of,
)
from esgledger.assess.scoring import (
    BOOTSTRAP,
    HIGH,
    SEED,
    SENSITIVITY,
    AxisResult,
    Rating,
    ScoringRule,
    TopicResult,
    material_of,
    score_topics,
    tier,
)
from esgledger.ledger import audit
from esgledger.ledger.assess_models import (
    MaterialityAssessment,
    MaterialityResponse,
    MaterialityScore,
    MaterialityTopic,
    Respondent,
    StakeholderGroup,
)
from esgledger.ledger.audit import canonical_json
from esgledger.ledger.models import utcnow


def ratings_of(session: Session, a: MaterialityAssessment) -> list[Rating]:
    rows = session.execute(
        select(
            Respondent.name,
            StakeholderGroup.code,
            MaterialityTopic.code,
            MaterialityResponse.axis,
            MaterialityResponse.score,
            Respondent.weight,
        )
        .join(Respondent, Respondent.id == MaterialityResponse.respondent_id)
        .join(StakeholderGroup, StakeholderGroup.id == Respondent.group_id)
        .join(MaterialityTopic, MaterialityTopic.id == MaterialityResponse.topic_id)
        .where(MaterialityTopic.assessment_id == a.id)
        .order_by(MaterialityResponse.id)
    )
    return [Rating(*row) for row in rows]


def rule_of(a: MaterialityAssessment) -> ScoringRule:
    return ScoringRule(
        axes=AXES[a.mode],
        rule=a.rule,
        low=a.low_threshold,
        high=a.high_threshold,
        weighting=a.weighting,
    )


def _weights(session: Session, a: MaterialityAssessment) -> dict[str, float]:
    return {g.code: g.weight for g in groups_of(session, a)}


def compute(session: Session, a: MaterialityAssessment) -> list[TopicResult]:
    """A fresh scoring from the stored responses (nothing written)."""
    topics = [t.code for t in topics_of(session, a)]
    return score_topics(ratings_of(session, a), topics, _weights(session, a), rule_of(a))


def score(session: Session, a: MaterialityAssessment, *, actor: str) -> dict[str, Any]:
    """Score and store the result, replacing an earlier (unapproved) scoring."""
    require_open(a)
    results = compute(session, a)
    clear_scores(session, a)
    ids = {t.code: t.id for t in topics_of(session, a)}
    for result in results:
        for axis, r in result.axes.items():
            session.add(
                MaterialityScore(
                    assessment_id=a.id,
                    topic_id=ids[result.topic],
                    axis=axis,
                    mean=r.mean,
                    norm=r.norm,
                    level=r.level,
                    responses=r.n,
                    std=r.std,
                    ci_low=r.ci_low,
                    ci_high=r.ci_high,
                    robust=result.robust,
                    sensitive_to=";".join(result.sensitive_to),
                )
            )
    a.scored_at = utcnow()
    a.score_meta = canonical_json(_meta(session, a))
    session.flush()
    shown = show(session, a)
    audit.record(
        session,
        actor=actor,
        action="materiality.score",
        subject=f"materiality:{a.id}",
        payload={
            "meta": json.loads(a.score_meta),
            "material": [t["topic"] for t in shown["topics"] if t["material"]],
        },
    )
    return shown


def _meta(session: Session, a: MaterialityAssessment) -> dict[str, Any]:
    return {
        "rule": a.rule,
        "weighting": a.weighting,
        "thresholds": [a.low_threshold, a.high_threshold],
        "group_weights": _weights(session, a),
        "responses": response_count(session, a),
        "topics": [t.code for t in topics_of(session, a)],
        "ci": f"95% stratified bootstrap, {BOOTSTRAP} resamples, seed {SEED}, percentile",
        "sensitivity": f"each group weight ×{1 - SENSITIVITY:g} and ×{1 + SENSITIVITY:g}",
    }


def is_stale(session: Session, a: MaterialityAssessment) -> bool:
    """True when responses, topics, rule or weights differ from the stored scoring's."""
    if a.scored_at is None or not a.score_meta:
        return False
    stored = json.loads(a.score_meta)
    return stored != json.loads(canonical_json(_meta(session, a)))


def _stored_results(session: Session, a: MaterialityAssessment) -> list[TopicResult]:
    rule = rule_of(a)
    rows = session.execute(
        select(MaterialityScore, MaterialityTopic.code)
        .join(MaterialityTopic, MaterialityTopic.id == MaterialityScore.topic_id)
        .where(MaterialityScore.assessment_id == a.id)
        .order_by(MaterialityTopic.position, MaterialityTopic.id)
    )
    by_topic: dict[str, dict[str, MaterialityScore]] = {}
    for row, code in rows:
        by_topic.setdefault(code, {})[row.axis] = row
    results = []
    for code, axes in by_topic.items():
        parsed = {axis: _axis_result(axes[axis]) for axis in rule.axes}
        first = axes[rule.axes[0]]
        levels = [parsed[axis].level for axis in rule.axes]
        norms = [parsed[axis].norm for axis in rule.axes]
        results.append(
            TopicResult(
                topic=code,
                axes=parsed,
                material=material_of(levels, norms, rule.rule, rule.low, rule.high),
                material_on=[axis for axis in rule.axes if parsed[axis].level == HIGH],
                tier=tier([parsed[axis].norm for axis in rule.axes], rule.low, rule.high),
                robust=first.robust,
                sensitive_to=[g for g in first.sensitive_to.split(";") if g],
            )
        )
    return results


def _axis_result(row: MaterialityScore) -> AxisResult:
    """A stored row; the normalised CI is filled in by :func:`_fill_norm_ci`."""
    return AxisResult(
        mean=row.mean,
        norm=row.norm,
        level=row.level,
        n=row.responses,
        std=row.std,
        ci_low=row.ci_low,
        ci_high=row.ci_high,
        ci_norm_low=float("nan"),
        ci_norm_high=float("nan"),
    )


def _fill_norm_ci(results: list[TopicResult], axes: tuple[str, ...]) -> None:
    for axis in axes:
        means = [r.axes[axis].mean for r in results]
        lo, span = min(means), max(means) - min(means)
        for r in results:
            x = r.axes[axis]
            x.ci_norm_low, x.ci_norm_high = (x.ci_low - lo) / span, (x.ci_high - lo) / span


def topic_row(
    result: TopicResult, topic: MaterialityTopic, a: MaterialityAssessment
) -> dict[str, Any]:
    """One line of the matrix; double mode names its axes impact_* and financial_*."""
    row: dict[str, Any] = {"topic": topic.code, "name": topic.name, "domain": topic.domain}
    for axis, r in result.axes.items():
        row[f"{axis}_score"] = r.norm
        row[f"{axis}_mean"] = r.mean
        row[f"{axis}_level"] = r.level
        row[f"{axis}_responses"] = r.n
        row[f"{axis}_std"] = r.std
        row[f"{axis}_ci95"] = [r.ci_low, r.ci_high]
        row[f"{axis}_ci95_norm"] = [r.ci_norm_low, r.ci_norm_high]
    row["material"] = result.material
    if a.mode == "double":
        row["double_material"] = result.material
    row["material_on"] = result.material_on
    row["tier"] = result.tier
    row["robust"] = result.robust
    row["sensitive_to"] = result.sensitive_to
    return row


def show(session: Session, a: MaterialityAssessment) -> dict[str, Any]:
    """The assessment and one row per topic (stored scoring, or live before the first)."""
    stored = a.scored_at is not None
    results = _stored_results(session, a) if stored else compute(session, a)
    if stored:
        _fill_norm_ci(results, AXES[a.mode])
    topics = {t.code: t for t in topics_of(session, a)}
    return {
        "assessment": assessment_dict(session, a),
        "stored": stored,
        "stale": is_stale(session, a),
        "method": json.loads(a.score_meta) if a.score_meta else _meta(session, a),
        "topics": [topic_row(r, topics[r.topic], a) for r in results],
    }


def material_topics(session: Session, a: MaterialityAssessment) -> set[str]:
    """Codes of the topics the stored scoring found material (empty before scoring)."""
    if a.scored_at is None:
        return set()
    return {r.topic for r in _stored_results(session, a) if r.material}


def compare(
    session: Session, current: MaterialityAssessment, previous: MaterialityAssessment
) -> list[dict[str, Any]]:
    """Tier per topic now and before (matched by code, else by name) and the change."""
    now = {r["topic"]: r for r in show(session, current)["topics"]}
    before = {r["topic"]: r for r in show(session, previous)["topics"]}
    by_name = {r["name"].lower(): code for code, r in before.items()}
    order = {"low": 0, "moderate": 1, "high": 2}
    out, matched = [], set()
    for code, row in now.items():
        old_code = code if code in before else by_name.get(row["name"].lower())
        old = before.get(old_code) if old_code else None
        if old_code:
            matched.add(old_code)
        change = "new"
        if old is not None:
            delta = order[row["tier"]] - order[old["tier"]]
            change = "up" if delta > 0 else "down" if delta < 0 else "same"
        out.append(
            {
                "topic": code,
                "name": row["name"],
                "tier": row["tier"],
                "previous_topic": old_code,
                "previous_tier": old["tier"] if old else None,
                "change": change,
            }
        )
    for code, old in before.items():
        if code not in matched:
            out.append(
                {
                    "topic": None,
                    "name": old["name"],
                    "tier": None,
                    "previous_topic": code,
                    "previous_tier": old["tier"],
                    "change": "dropped",
                }
            )
    return out
