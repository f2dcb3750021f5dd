"""Entering values for data requests, one by one or from an uploaded file.

Both paths validate through :func:`esgledger.ingest.kpis.validate_kpis`, the very function
``esg import kpis`` uses, so a value refused there is refused here with the same words (a
plainly written valid value is accepted by :func:`esgledger.ingest.kpi_row.plain_kpi_row`,
which gives the same row without building a table). The
value is stored as a :class:`KpiValue` with the same rules as ``import_kpis``:

- no current value for the key: a new value;
- the request's own value (entered by this request, which is draft or returned): changed
  in place, the audit event keeping the old figure;
- any other current value (imported, or approved and locked in an earlier round): changed
  only with a restatement reason, keeping the old row as history; a value a published report
  shows, only by someone who may restate (:mod:`esgledger.workflow.published`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal, can
from esgledger.catalog.messages import N_
from esgledger.errors import (
    CellsRefused,
    Conflict,
    EsgError,
    ImportRejected,
    InvalidInput,
    Problem,
    worded,
)
from esgledger.ingest.kpi_row import plain_kpi_row
from esgledger.ingest.kpis import validate_kpis
from esgledger.ingest.readers import Table, read_table
from esgledger.kpi.figures import parse_dims
from esgledger.ledger import digests
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.kpis import SAME_FIELDS
from esgledger.ledger.models import Entity, KpiValue
from esgledger.ledger.workflow_models import DataRequest
from esgledger.workflow.held_answer import hold_current
from esgledger.workflow.notes import keep_note
from esgledger.workflow.published import require_restate_right
from esgledger.workflow.requests import current_value, load_for_edit, log_step, touch
from esgledger.workflow.states import next_state

VALUE_FIELDS = (*SAME_FIELDS, "note", "source")


def enter_value(
    session: Session,
    user: Principal,
    request_id: int,
    *,
    version: int,
    value: float | str | None,
    unit: str,
    status: str = "",
    qualifier: str = "",
    preliminary: bool = False,
    note: str = "",
    source: str = "",
    reason: str = "",
) -> DataRequest:
    """Enter (or correct) the value of a draft or returned request the user may work on.

    ``value`` may be a number or a status word (``/``, ``n.a.``, ``-``) exactly as in a KPI
    file; ``reason`` is needed only to replace a value the request did not enter itself.
    """
    attempted = f"value {cell_text(value) or status} {unit}".strip()
    req = load_for_edit(
        session, request_id, version, user=user, action="request.enter", attempted=attempted
    )
    next_state(req.id, req.state, "enter")
    row = validate_one(
        req,
        {
            "value": cell_text(value),
            "unit": unit,
            "status": status,
            "qualifier": qualifier,
            "preliminary": "yes" if preliminary else "",
            "note": note,
            "source": source,
            "restatement_reason": reason,
        },
    )
    outcome, old = store_value(session, user, req, row, in_place=True)
    if outcome != "unchanged":
        touch(req, user)
        log_step(session, user, req, "enter", req.state, outcome=outcome, **_change(old, row))
    return req


def validate_one(req: DataRequest, cells: dict[str, str]) -> dict[str, Any]:
    """One KPI row for ``req`` through the import's validation; a refusal is one line."""
    data = {
        "entity": req.entity_id,
        "year": str(req.year),
        "metric": req.metric_id,
        **parse_dims(req.dims),
        **cells,
    }
    plain = plain_kpi_row(data, known_entities={req.entity_id})
    if plain is not None:  # certainly valid: no one-row table needed
        return plain
    frame = pl.DataFrame({k: [v] for k, v in data.items()}, schema=dict.fromkeys(data, pl.Utf8))
    try:
        rows = validate_kpis(Table(frame, f"request {req.id}", ""), known_entities={req.entity_id})
    except ImportRejected as exc:
        reasons = "; ".join(
            f"{p.column}: {p.reason}" if p.column else p.reason for p in exc.problems
        )
        refused = CellsRefused(f"request {req.id}: {reasons}", exc.problems)
        raise worded(refused, N_("request %(id)s: %(reasons)s"), {"id": req.id}) from None
    return rows.to_dicts()[0]


# A value recorded already: the request's refusal, and a file row's (its request is the row).
RECORDED = N_(
    "request %(id)s: %(entity)s %(metric)s %(year)s is already recorded as %(shown)s %(unit)s; "
    "give a restatement reason to restate it"
)
RECORDED_ROW = N_(
    "%(entity)s %(metric)s %(year)s is already recorded as %(shown)s %(unit)s; give a "
    "restatement reason to restate it"
)


def store_value(
    session: Session,
    user: Principal,
    req: DataRequest,
    row: dict[str, Any],
    *,
    in_place: bool,
    batch_id: int | None = None,
) -> tuple[str, dict[str, Any] | None]:
    """Write ``row`` as the request's value: (added | updated | restated | unchanged, old)."""
    cur = current_value(session, req)
    fields = {f: row[f] for f in VALUE_FIELDS}
    fields["source"] = fields["source"] or f"data request {req.id}"
    keep_note(session, user, req, fields["note"] or "")
    if is_unchanged(cur, row):  # a note given with the same figure is kept in the history
        hold_current(session, req, cur)
        return "unchanged", None
    old = _snapshot(cur) if cur is not None else None
    if cur is not None and in_place and cur.id == req.value_id:
        _touch(session, cur, batch_id)  # the row as it was: it may leave its batch
        for name, new in fields.items():
            setattr(cur, name, new)
        cur.batch_id = batch_id or cur.batch_id
        session.flush()
        hold_current(session, req, cur)
        return "updated", old
    reason = row["restatement_reason"]
    if cur is not None:
        require_restate_right(session, user, req)
    if cur is not None and not reason:
        shown = cur.value if cur.status == "reported" else cur.status
        raise worded(
            Conflict(
                f"request {req.id}: {req.entity_id} {req.metric_id} {req.year} is already recorded "
                f"as {shown} {cur.unit}; give a restatement reason to restate it"
            ),
            RECORDED,
            {
                "id": req.id,
                "entity": req.entity_id,
                "metric": req.metric_id,
                "year": req.year,
                "shown": shown,
                "unit": cur.unit,
            },
        )
    if cur is not None:
        cur.is_current = False
        session.flush()
    new = KpiValue(
        entity_id=req.entity_id,
        year=req.year,
        metric_id=req.metric_id,
        dims=req.dims,
        **fields,
        is_current=True,
        batch_id=batch_id,
        restates_id=cur.id if cur is not None else None,
        restatement_reason=reason if cur is not None else "",
    )
    session.add(new)
    session.flush()
    _touch(session, new, batch_id)  # the old row changed only its (undigested) is_current
    req.value_id = new.id
    hold_current(session, req, new)
    return ("restated" if cur is not None else "added"), old


def _touch(session: Session, value: KpiValue, batch_id: int | None) -> None:
    """Note the scopes a write of ``value`` changes: its own row when it was entered without
    a file (``value:ID``), else its batch, and the batch it moves to."""
    if value.batch_id is None:
        digests.touch(session, digests.value_scope(value.id))
    digests.touch_batches(
        session, *sorted({b for b in (value.batch_id, batch_id) if b is not None})
    )


def is_unchanged(cur: KpiValue | None, row: dict[str, Any]) -> bool:
    """The same test as ``import_kpis``: value, unit, status, qualifier, preliminary."""
    return cur is not None and all(getattr(cur, f) == row[f] for f in SAME_FIELDS)


def _snapshot(value: KpiValue) -> dict[str, Any]:
    return {"id": value.id, "value": value.value, "unit": value.unit, "status": value.status}


def _change(old: dict[str, Any] | None, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"value": row["value"], "unit": row["unit"], "status": row["status"]}
    if old is not None:
        out["old"] = old
    if row["restatement_reason"]:
        out["reason"] = row["restatement_reason"]
    return out


def cell_text(value: float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


# ---------------------------------------------------------------------------------------------
# Uploads


def upload_values(
    session: Session, user: Principal, path: str | Path, *, sheet: str | None = None
) -> dict[str, Any]:
    """Enter every row of a filled template (or any KPI file) into its request, all or nothing.

    Each row must match a request (entity, year, metric, breakdown) the user may enter,
    in draft or returned. If the file has ``ref_request``/``ref_version`` columns (templates
    do), a row whose request changed since the template was made is refused rather than
    overwriting someone else's newer value; unchanged rows are skipped.
    """
    table = read_table(path, sheet=sheet, kind="kpis")
    known = set(session.scalars(select(Entity.id)))
    rows = validate_kpis(table, known_entities=known).to_dicts()
    seen = _seen_versions(table)
    requests = _requests_for(session, rows)
    problems: list[Problem] = []
    batch = None
    counts = {"added": 0, "updated": 0, "restated": 0, "unchanged": 0}
    for row in rows:
        key = (row["year"], row["metric_id"], row["entity_id"], row["dims"])
        req = requests.get(key)
        if req is None:
            problems.append(Problem.of(row["__row"], "metric", _no_request(row)))
            continue
        if not can(user, "request.enter", entity=req.entity_id):
            refused = worded(
                InvalidInput(f"{user.username} may not enter values for {req.entity_id}"),
                N_("%(user)s may not enter values for %(entity)s"),
                {"user": user.username, "entity": req.entity_id},
            )
            problems.append(Problem.of(row["__row"], "entity", refused))
            continue
        req = load_for_edit(session, req.id, None, user=user, action="request.enter")
        if is_unchanged(current_value(session, req), row):
            counts["unchanged"] += 1
            continue
        problem = _refusal(req, seen.get(row["__row"]))
        if problem:
            problems.append(Problem.of(row["__row"], problem[0], problem[1]))
            continue
        if batch is None:
            batch = open_batch(session, kind="kpis", table=table, rows=0, actor=user.username)
        try:
            outcome, old = store_value(session, user, req, row, in_place=True, batch_id=batch.id)
        except Conflict as exc:
            problems.append(_recorded(row["__row"], exc))
            continue
        counts[outcome] += 1
        if outcome != "unchanged":
            touch(req, user)
            log_step(
                session,
                user,
                req,
                "enter",
                req.state,
                outcome=outcome,
                batch=batch.id,
                **_change(old, row),
            )
    if problems:
        raise ImportRejected(table.source, problems)
    if batch is not None:
        batch.rows = counts["added"] + counts["updated"] + counts["restated"]
        close_batch(session, batch, actor=user.username, summary={"workflow": counts})
    return {"batch_id": batch.id if batch else None, **counts}


def _seen_versions(table: Table) -> dict[int, tuple[int, int]]:
    """Row number → (request id, version) from a template's reference columns."""
    frame = table.frame
    if "ref_request" not in frame.columns or "ref_version" not in frame.columns:
        return {}
    out = {}
    for i, (rid, ver) in enumerate(frame.select("ref_request", "ref_version").iter_rows(), 2):
        if str(rid).strip().isdigit() and str(ver).strip().isdigit():
            out[i] = (int(rid), int(ver))
    return out


def _requests_for(
    session: Session, rows: list[dict[str, Any]]
) -> dict[tuple[int, str, str, str], DataRequest]:
    years = sorted({r["year"] for r in rows})
    found = session.scalars(select(DataRequest).where(DataRequest.year.in_(years)))
    return {(r.year, r.metric_id, r.entity_id, r.dims): r for r in found}


def _no_request(row: dict[str, Any]) -> InvalidInput:
    what = {"entity": row["entity_id"], "metric": row["metric_id"], "year": row["year"],
            "dims": " " + row["dims"] if row["dims"] else ""}  # fmt: skip
    return worded(
        InvalidInput(
            f"no data request for {what['entity']} {what['metric']} {what['year']}"
            f"{what['dims']}; ask the ESG manager to issue one"
        ),
        N_(
            "no data request for %(entity)s %(metric)s %(year)s%(dims)s; ask the ESG manager "
            "to issue one"
        ),
        what,
    )


def _refusal(req: DataRequest, seen: tuple[int, int] | None) -> tuple[str, EsgError] | None:
    """(column, reason) if a changed row may not be entered into ``req``, else None."""
    try:
        next_state(req.id, req.state, "enter")
    except Conflict as exc:
        return "value", exc
    if seen is not None and seen[0] == req.id and seen[1] != req.version:
        values = {"id": req.id, "user": req.updated_by, "seen": seen[1], "now": req.version,
                  "when": f"{req.updated_at:%Y-%m-%d %H:%M:%S}"}  # fmt: skip
        return "value", worded(
            Conflict(
                f"request {req.id} was changed by {req.updated_by} at {values['when']} UTC "
                f"after this template was made (version {seen[1]} → {req.version}); make a "
                "new template"
            ),
            N_(
                "request %(id)s was changed by %(user)s at %(when)s UTC after this template "
                "was made (version %(seen)s → %(now)s); make a new template"
            ),
            values,
        )
    return None


def _recorded(row: int, refused: Conflict) -> Problem:
    """A file row :func:`store_value` refused, said without its request (the row names it)."""
    reason = str(refused).split(": ", 1)[1]
    if refused.message_id == RECORDED:
        return Problem(row, "value", reason, RECORDED_ROW, refused.values)
    return Problem.of(row, "value", refused)
