"""A run's rejected contractual instruments in ``calculation_instrument_rejections``: written
with the run, listed a page at a time by ``esg calc`` and ``esg calc show``.

An instrument row failing a Scope 2 Quality Criterion (``calc.instruments``) covers no
electricity, and the run names each criterion it failed and why. The list used to sit in
the run's totals JSON: half a million attribute-less certificates at 10⁷ activity rows made
318 MB of text that was encoded, stored, parsed back by every reader of the totals and
printed a line per row. The rows now live in their own table (covered by the run's
``run:`` digest); the totals keep how many rows were rejected, per activity type and per
criterion, and name the table. Runs stored before the table existed keep their list in the
totals; :func:`read_page` and :func:`instruments_summary` fall back to it. Runs stored since
``0034_calc7`` keep their rows a group at a time (``calc.rejected_groups``), and their totals
name that table instead.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.calc.rejected_groups import GROUPS, read_group_page
from esgledger.ledger.audit import canonical_json
from esgledger.ledger.instrument_models import CalculationInstrumentRejection
from esgledger.ledger.models import CalculationRun

TABLE = "calculation_instrument_rejections"  # a row per rejected row: runs before 0034_calc7
SHOWN = 100  # rejected rows a summary lists unless asked for another page
COLUMNS = ("activity_id", "entity_id", "activity", "instrument", "mwh")


def rejected_counts(rejected: pl.DataFrame | list[dict[str, Any]]) -> dict[str, Any]:
    """What the totals keep of the rejected rows: their number and, per activity type, its
    rows and the rows failing each criterion (a row counted once per criterion it fails).

    Rows are counted per activity and findings text, each text read once; a run stored
    before the table gives its list (parsed findings)."""
    if isinstance(rejected, list):
        rejected = _listed(rejected)
    per_list = rejected.group_by("activity", "failed").len()
    by_activity: dict[str, tuple[int, Counter[int]]] = {}
    for activity, text, rows in per_list.iter_rows():
        total, criteria = by_activity.get(activity, (0, Counter()))
        for criterion in {f["criterion"] for f in json.loads(text)}:
            criteria[criterion] += rows
        by_activity[activity] = (total + rows, criteria)
    return {
        "rejected_rows": rejected.height,
        "rejected_by_activity": {
            activity: {  # keys in the order the stored (canonical) JSON gives them back
                "criteria": {str(c): n for c, n in sorted(criteria.items())},
                "rows": rows,
            }
            for activity, (rows, criteria) in sorted(by_activity.items())
        },
        "rejected_in": GROUPS,
    }


def stored_block(block: dict[str, Any], grouped: bool) -> dict[str, Any]:
    """The ``scope2_instruments`` block as a run stores it: naming the table its rows go to
    (one row per rejected row when not ``grouped``, as runs before ``0034_calc7``)."""
    if grouped or "rejected_in" not in block:
        return block
    return {**block, "rejected_in": TABLE}


def _listed(rejected: list[dict[str, Any]]) -> pl.DataFrame:
    """The activity and findings text of each row of a list stored in a run's totals."""
    return pl.DataFrame(
        {
            "activity": [r["activity"] for r in rejected],
            "failed": [canonical_json(r["failed"]) for r in rejected],
        },
        schema={"activity": pl.Utf8, "failed": pl.Utf8},
    )


def rejected_frame(rejected: pl.DataFrame, run_id: int) -> pl.DataFrame:
    """The rejected rows (``instruments.REJECTED_SCHEMA``) as rows of the table of a row
    each, in activity-row order (``run_calculation(rejected_grouped=False)``)."""
    return rejected.select(pl.lit(run_id, dtype=pl.Int64).alias("run_id"), *COLUMNS, "failed").sort(
        "activity_id"
    )


def first_page(rejected: pl.DataFrame, limit: int = SHOWN) -> list[dict[str, Any]]:
    """The first ``limit`` rejected rows (by activity-row id) as the table gives them back."""
    if not rejected.height:
        return []
    ordered = rejected.sort("activity_id").head(limit)
    return [_entry(row) for row in ordered.select(*COLUMNS, "failed").iter_rows(named=True)]


def read_page(
    session: Session,
    run: CalculationRun,
    block: Mapping[str, Any],
    *,
    offset: int = 0,
    limit: int = SHOWN,
) -> list[dict[str, Any]]:
    """Rows ``offset`` … ``offset + limit`` of the run's rejected instruments, by row id: from
    the groups, the table of a row each, or the list a run stored before kept in its totals."""
    legacy = block.get("rejected")
    if legacy is not None:
        return [_entry(row) for row in legacy[offset : offset + limit]]
    if block.get("rejected_in") == GROUPS:
        return [_entry(row) for row in read_group_page(session, run.id, offset, limit)]
    t = CalculationInstrumentRejection
    stmt = (
        select(t.activity_id, t.entity_id, t.activity, t.instrument, t.mwh, t.failed)
        .where(t.run_id == run.id)
        .order_by(t.activity_id)
        .offset(offset)
        .limit(limit)
    )
    return [
        _entry({**dict(zip(COLUMNS, row[:-1], strict=True)), "failed": row[-1]})
        for row in session.execute(stmt)
    ]


def instruments_summary(
    block: Mapping[str, Any], page: list[dict[str, Any]], offset: int
) -> dict[str, Any]:
    """The ``scope2_instruments`` block a summary shows: the stored counts (worked out from
    the list of a run stored before the table), and the page of rejected rows listed."""
    if not block:
        return {}
    legacy = block.get("rejected")
    counts = rejected_counts(legacy) if legacy is not None else {}
    counts.pop("rejected_in", None)  # such a run keeps its list in the totals
    rest = {k: v for k, v in block.items() if k != "rejected"}
    shown = {**rest, **counts, "rejected": page, "rejected_offset": offset}
    return {k: shown[k] for k in sorted(shown)}


def _entry(row: Mapping[str, Any]) -> dict[str, Any]:
    """One rejected row as a summary lists it: keys in sorted order, findings parsed."""
    failed = row["failed"]
    if isinstance(failed, str):
        failed = json.loads(failed)
    entry = {**{c: row[c] for c in COLUMNS}, "failed": [dict(sorted(f.items())) for f in failed]}
    return {k: entry[k] for k in sorted(entry)}
