"""Integrity commitment and training figures counted from the LMS records: people required
and people who signed or completed, by entity and worker type (GRI 205-2), test results and
campaign learning hours (GRI 404-1).

A person counts once per entity and measure: required when assigned any campaign of it that
year, completed when every such campaign is completed. An entity is covered when it has
records; coverage shares, the pass rate and hours per employee are catalog formulas.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.dimensions import dimensions
from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.register_models import TrainingCampaign, TrainingRecord

REGISTER = "training_records"


@dataclass(frozen=True)
class _Row:
    id: int
    person: str
    entity: str
    worker_type: str
    done: bool
    score: float | None
    hours: float | None
    kind: str
    topic: str
    pass_score: float | None


# measure → (which campaigns, metric of people required, metric of people completed)
MEASURES: dict[str, tuple[Callable[[_Row], bool], str, str]] = {
    "commitment": (
        lambda r: r.kind == "commitment",
        "compliance.integrity_commitment.required",
        "compliance.integrity_commitment.signed",
    ),
    "anti_corruption": (
        lambda r: r.kind == "training" and r.topic == "anti_corruption",
        "compliance.anti_corruption_training.required",
        "compliance.anti_corruption_training.completed",
    ),
}


def _rows(session: Session, year: int) -> list[_Row]:
    stmt = (
        select(
            TrainingRecord.id,
            TrainingRecord.person,
            TrainingRecord.entity_id,
            TrainingRecord.worker_type,
            TrainingRecord.completed_on.is_not(None),
            TrainingRecord.score,
            TrainingRecord.hours,
            TrainingCampaign.kind,
            TrainingCampaign.topic,
            TrainingCampaign.pass_score,
        )
        .join(TrainingCampaign, TrainingCampaign.id == TrainingRecord.campaign_id)
        .where(TrainingCampaign.year == year)
    )
    return [
        _Row(rid, person, entity, worker, bool(done), score, hours, kind, topic, pass_score)
        for rid, person, entity, worker, done, score, hours, kind, topic, pass_score in (
            session.execute(stmt).all()
        )
    ]


def _people(
    rows: list[_Row], metric: str, year: int, counted: Callable[[list[_Row]], bool]
) -> list[RegisterFigure]:
    """Per entity and worker type, and per entity: the people whose rows ``counted``
    accepts (a person with two campaigns counts once), with those rows as lineage."""
    by_person: dict[tuple[str, str, str], list[_Row]] = defaultdict(list)
    for r in rows:
        by_person[(r.entity, r.worker_type, r.person)].append(r)
    entities = {r.entity for r in rows}
    members = dimensions()["worker_type"].members  # a covered entity's 0 is a real 0
    people: dict[tuple[str, str], int] = {(e, w): 0 for e in entities for w in members}
    ids: dict[tuple[str, str], list[int]] = {key: [] for key in people}
    for (entity, worker, _), mine in by_person.items():
        key = (entity, worker)
        people.setdefault(key, 0)
        ids.setdefault(key, [])
        if counted(mine):
            people[key] += 1
            ids[key].extend(r.id for r in mine)
    out = [
        RegisterFigure(
            metric,
            year,
            e,
            people[(e, w)],
            "person",
            REGISTER,
            tuple(ids[(e, w)]),
            {"worker_type": w},
        )
        for e, w in sorted(people)
    ]
    for entity in sorted({e for e, _ in people}):
        keys = [k for k in people if k[0] == entity]
        out.append(
            RegisterFigure(
                metric,
                year,
                entity,
                sum(people[k] for k in keys),
                "person",
                REGISTER,
                tuple(i for k in keys for i in ids[k]),
            )
        )
    return out


def _passed(rows: list[_Row]) -> bool:
    return all(
        r.score is not None and r.pass_score is not None and r.score >= r.pass_score for r in rows
    )


def training_figures(session: Session, year: int) -> list[RegisterFigure]:
    """The year's commitment and training figures per entity (and worker type)."""
    rows = _rows(session, year)
    out = []
    for chosen, required, completed in MEASURES.values():
        mine = [r for r in rows if chosen(r)]
        out.extend(_people(mine, required, year, lambda rs: True))
        out.extend(_people(mine, completed, year, lambda rs: all(r.done for r in rs)))
    tested = [
        r
        for r in rows
        if MEASURES["anti_corruption"][0](r)
        and r.done
        and r.score is not None
        and r.pass_score is not None
    ]
    out.extend(_people(tested, "compliance.anti_corruption_training.tested", year, lambda rs: True))
    out.extend(
        _people(
            tested,
            "compliance.anti_corruption_training.passed",
            year,
            _passed,
        )
    )
    hours: dict[str, list[_Row]] = defaultdict(list)
    for r in rows:
        if r.worker_type == "employee" and r.done and r.hours is not None:
            hours[r.entity].append(r)
    for entity, mine in sorted(hours.items()):
        total = sum(r.hours or 0.0 for r in mine)
        out.append(
            RegisterFigure(
                "training.hours.campaigns",
                year,
                entity,
                total,
                "hour",
                REGISTER,
                tuple(r.id for r in mine),
            )
        )
    return out
