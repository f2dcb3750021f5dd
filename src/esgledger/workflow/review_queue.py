"""What a reviewer needs beside each submitted value, to decide without opening every request.

For each request: last year's current figure for the same entity, metric and breakdown with
the change in per cent (only between two reported figures in the same unit, and never from
a zero: otherwise "not available", with the reason), the number of evidence files, the
owner's notes (newest first), and whether the ledger's value moved after submission.
Everything comes in a few queries for the whole queue, not per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from esgledger.ledger.models import KpiValue
from esgledger.ledger.workflow_models import DataRequest, EvidenceFile
from esgledger.workflow.notes import notes_of

Key = tuple[str, str, str]  # entity, metric, dims


def review_context(session: Session, requests: Sequence[DataRequest]) -> dict[int, dict[str, Any]]:
    """Request id → ``prior`` (value, unit, status, change_pct, why), ``evidence``, ``notes``."""
    ids = [r.id for r in requests]
    evidence = dict(
        session.execute(
            select(EvidenceFile.request_id, func.count())
            .where(EvidenceFile.request_id.in_(ids))
            .group_by(EvidenceFile.request_id)
        ).all()
    )
    notes = notes_of(session, ids)
    prior = _prior_values(session, requests)
    current = _current_values(session, requests)
    out = {}
    for req in requests:
        key = (req.entity_id, req.metric_id, req.dims)
        out[req.id] = {
            "prior": prior_change(prior.get((req.year - 1, *key)), current.get((req.year, *key))),
            "evidence": int(evidence.get(req.id, 0)),
            "notes": notes.get(req.id, []),
        }
    return out


def prior_change(before: KpiValue | None, now: KpiValue | None) -> dict[str, Any] | None:
    """Last year's figure and the change to this year's, or why the change is not available."""
    if before is None:
        return None
    why = _no_change(before, now)
    change = None
    if not why and now is not None and now.value is not None and before.value is not None:
        change = (now.value - before.value) / abs(before.value) * 100
    return {
        "value": before.value,
        "unit": before.unit,
        "status": before.status,
        "change_pct": change,
        "why": why,
    }


def _no_change(before: KpiValue, now: KpiValue | None) -> str:
    if before.status != "reported" or before.value is None:
        return f"last year is {before.status.replace('_', ' ')}"
    if now is None or now.status != "reported" or now.value is None:
        return "no reported figure this year"
    if now.unit != before.unit:
        return f"units differ ({before.unit} → {now.unit})"
    if before.value == 0:
        return "last year was 0"
    return ""


def _prior_values(
    session: Session, requests: Sequence[DataRequest]
) -> dict[tuple[int, str, str, str], KpiValue]:
    wanted = {(r.year - 1, r.entity_id, r.metric_id, r.dims) for r in requests}
    return _values(session, wanted)


def _current_values(
    session: Session, requests: Sequence[DataRequest]
) -> dict[tuple[int, str, str, str], KpiValue]:
    wanted = {(r.year, r.entity_id, r.metric_id, r.dims) for r in requests}
    return _values(session, wanted)


def _values(
    session: Session, wanted: set[tuple[int, str, str, str]]
) -> dict[tuple[int, str, str, str], KpiValue]:
    if not wanted:
        return {}
    key = tuple_(KpiValue.year, KpiValue.entity_id, KpiValue.metric_id, KpiValue.dims)
    found = session.scalars(select(KpiValue).where(KpiValue.is_current, key.in_(sorted(wanted))))
    return {(v.year, v.entity_id, v.metric_id, v.dims): v for v in found}
