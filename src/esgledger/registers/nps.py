"""Net Promoter Score answers: imported per segment, counted into promoters and detractors.

An answer is 0-10 to "how likely are you to recommend us"; 9-10 is a promoter, 0-6 a
detractor, 7-8 passive. NPS = % promoters − % detractors of the answers, from −100 to 100.
A segment without answers has no NPS — not available, never 0. A file adds its answers (a
survey wave); answers are written in chunks with one bulk statement each.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import case, func, insert, select
from sqlalchemy.orm import Session

from esgledger.ingest.readers import read_table
from esgledger.ledger.db import Database
from esgledger.ledger.models import Base, Entity
from esgledger.ledger.register_models import NpsAnswer
from esgledger.registers.batch_import import Guard, Imported, import_batch
from esgledger.registers.complaints_import import validate_answers

REGISTER = "nps"
PROMOTER_FROM, DETRACTOR_TO = 9, 6
CHUNK = 5000


def score(promoters: int, detractors: int, answers: int) -> float | None:
    """NPS from counts; None when there is no answer."""
    if not answers:
        return None
    return 100.0 * (promoters - detractors) / answers


def import_answers(
    db: Database,
    path: str | Path,
    *,
    actor: str,
    sheet: str | None = None,
    guard: Guard | None = None,
) -> Imported:
    """NPS answers from CSV or XLSX, all or nothing; ``guard`` may refuse the validated rows
    inside the write transaction (the API's permission and lock checks)."""
    table = read_table(path, sheet=sheet, kind="answers")

    def validate(session: Session) -> pl.DataFrame:
        return validate_answers(table, entities=set(session.scalars(select(Entity.id))))

    return import_batch(
        db, table, kind="register.nps", actor=actor, validate=validate, write=_write, guard=guard
    )


def _write(session: Session, rows: pl.DataFrame, batch_id: int) -> int:
    """The answers under the batch, a chunk a bulk statement (a survey wave is thousands)."""
    answers = Base.metadata.tables["nps_answers"]
    frame = rows.drop("__row").with_columns(pl.lit(batch_id).alias("batch_id"))
    for chunk in frame.iter_slices(CHUNK):
        session.connection().execute(insert(answers), chunk.to_dicts())
    return 0


def by_segment(session: Session, year: int, *, entity: str | None = None) -> list[dict[str, Any]]:
    """Per segment (and ``"all"`` last): answers, promoters, passives, detractors and NPS."""
    stmt = select(
        NpsAnswer.segment,
        func.count(),
        func.sum(case((NpsAnswer.score >= PROMOTER_FROM, 1), else_=0)),
        func.sum(case((NpsAnswer.score <= DETRACTOR_TO, 1), else_=0)),
    ).where(
        NpsAnswer.answered_on >= dt.date(year, 1, 1),
        NpsAnswer.answered_on <= dt.date(year, 12, 31),
    )
    if entity:
        stmt = stmt.where(NpsAnswer.entity_id == entity)
    counts = {
        seg: (int(n), int(p or 0), int(d or 0))
        for seg, n, p, d in session.execute(stmt.group_by(NpsAnswer.segment))
    }
    total = tuple(sum(c[i] for c in counts.values()) for i in range(3))
    return [_row(seg, *counts[seg]) for seg in sorted(counts)] + [_row("all", *total)]


def _row(segment: str, answers: int, promoters: int, detractors: int) -> dict[str, Any]:
    nps = score(promoters, detractors, answers)
    return {
        "segment": segment,
        "answers": answers,
        "promoters": promoters,
        "passives": answers - promoters - detractors,
        "detractors": detractors,
        "nps": nps,
        "note": "" if nps is not None else "not available: no answers",
    }
