"""OHS safety figures counted from the hazard, drill and special-operator registers, per
entity and year.

An entity is covered by a register in a year when the register has its rows for that year
(hazards identified, drills held, posts held on 31 December): its counts are then figures,
even when zero (no hazard corrected is a real 0); an entity without such rows has no figure
at all, never a 0, and the roll-up shows which entities it counts. A worker holding several
special-operation posts is one worker, certified only when every post's certificate is in
force on 31 December. The shares over these counts are the reported target-versus-actual
figures beside them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.ohs_models import Drill, Hazard, SpecialOperator

HAZARDS, DRILLS, OPERATORS = "ohs_hazards", "ohs_drills", "ohs_special_operators"


def _hazard_figures(session: Session, year: int) -> list[RegisterFigure]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    found: dict[str, list[Hazard]] = defaultdict(list)
    for h in session.scalars(
        select(Hazard).where(Hazard.identified_on.between(start, end)).order_by(Hazard.id)
    ):
        found[h.entity_id].append(h)
    out = []
    for entity, hazards in sorted(found.items()):
        corrected = [h.id for h in hazards if not h.open_on(end)]
        out.append(
            RegisterFigure(
                "ohs.hazards_identified",
                year,
                entity,
                len(hazards),
                "count",
                HAZARDS,
                tuple(h.id for h in hazards),
            )
        )
        out.append(
            RegisterFigure(
                "ohs.hazards_corrected",
                year,
                entity,
                len(corrected),
                "count",
                HAZARDS,
                tuple(corrected),
            )
        )
    return out


def _drill_figures(session: Session, year: int) -> list[RegisterFigure]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    found: dict[str, list[Drill]] = defaultdict(list)
    for d in session.scalars(
        select(Drill).where(Drill.held_on.between(start, end)).order_by(Drill.id)
    ):
        found[d.entity_id].append(d)
    out = []
    for entity, drills in sorted(found.items()):
        ids = tuple(d.id for d in drills)
        out.append(
            RegisterFigure("ohs.emergency_drills", year, entity, len(drills), "count", DRILLS, ids)
        )
        out.append(
            RegisterFigure(
                "ohs.emergency_drill_participants",
                year,
                entity,
                sum(d.participants for d in drills),
                "person_times",
                DRILLS,
                ids,
            )
        )
    return out


def _operator_figures(session: Session, year: int) -> list[RegisterFigure]:
    end = dt.date(year, 12, 31)
    workers: dict[str, dict[str, list[SpecialOperator]]] = defaultdict(lambda: defaultdict(list))
    stmt = select(SpecialOperator).where(SpecialOperator.assigned_on <= end)
    for post in session.scalars(stmt.order_by(SpecialOperator.id)):
        if post.in_post_on(end):
            workers[post.entity_id][post.person].append(post)
    out = []
    for entity, people in sorted(workers.items()):
        ids = tuple(p.id for posts in people.values() for p in posts)
        certified = [posts for posts in people.values() if all(p.certified_on(end) for p in posts)]
        out.append(
            RegisterFigure(
                "ohs.special_operators", year, entity, len(people), "person", OPERATORS, ids
            )
        )
        out.append(
            RegisterFigure(
                "ohs.special_operators_certified",
                year,
                entity,
                len(certified),
                "person",
                OPERATORS,
                tuple(p.id for posts in certified for p in posts),
            )
        )
    return out


def ohs_safety_figures(session: Session, year: int) -> list[RegisterFigure]:
    """The year's hazard, drill and special-operator figures per covered entity."""
    return [
        *_hazard_figures(session, year),
        *_drill_figures(session, year),
        *_operator_figures(session, year),
    ]
