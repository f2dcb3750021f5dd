"""Reading the training register for the interfaces: each campaign with its coverage by
entity and worker type (people required, completed, share)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from esgledger.ledger.register_models import TrainingCampaign, TrainingRecord


def campaign_coverage(
    session: Session, *, year: int | None = None, entity: str | None = None
) -> list[dict[str, Any]]:
    """One row per campaign, entity and worker type: required, completed, their share."""
    done = func.sum(case((TrainingRecord.completed_on.is_not(None), 1), else_=0))
    stmt = (
        select(
            TrainingCampaign.code,
            TrainingCampaign.kind,
            TrainingCampaign.year,
            TrainingRecord.entity_id,
            TrainingRecord.worker_type,
            func.count(),
            done,
        )
        .join(TrainingRecord, TrainingRecord.campaign_id == TrainingCampaign.id)
        .group_by(
            TrainingCampaign.code,
            TrainingCampaign.kind,
            TrainingCampaign.year,
            TrainingRecord.entity_id,
            TrainingRecord.worker_type,
        )
        .order_by(TrainingCampaign.code, TrainingRecord.entity_id, TrainingRecord.worker_type)
    )
    if year:
        stmt = stmt.where(TrainingCampaign.year == year)
    if entity:
        stmt = stmt.where(TrainingRecord.entity_id == entity)
    return [
        {
            "campaign": code,
            "kind": kind,
            "year": yr,
            "entity": entity_id,
            "worker_type": worker,
            "required": required,
            "completed": int(completed or 0),
            "share": round(100 * int(completed or 0) / required, 1) if required else None,
        }
        for code, kind, yr, entity_id, worker, required, completed in session.execute(stmt).all()
    ]
