"""Importing the conformant-smelter list: the user's snapshot of facility statuses.

RMI publishes its facility lists every few weeks and the full database is for members only,
so no list ships with esgledger: the user imports one as CSV/XLSX with columns
``smelter_id, metal, status, assessed_on``. A new list replaces the previous one whole (it is
a snapshot, not a change log), all or nothing, as one batch in the supplier register's digest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import delete, func, select

from esgledger.catalog.messages import N_
from esgledger.errors import ImportRejected, Problem
from esgledger.ingest.cmrt_templates import SMELTER_ID, TEMPLATES, normalise
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger import digests
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.supplier_models import ConformantSmelter

COLUMNS = ("smelter_id", "metal", "status", "assessed_on")
METALS = frozenset(m for t in TEMPLATES.values() for m in t.metals)
MAX_STATUS = 32
# Each row's reasons, worded in the reader's language (#19).
MISSING = N_("the column is missing")
NOT_CID = N_("%(cell)r is not CID and 6 digits")
NOT_METAL = N_("%(cell)r is not a known metal")
STATUS = N_("give a status of 1-%(most)s characters")
NOT_DATE = N_("%(cell)r is not a date (YYYY-MM-DD)")
REPEATS = N_("%(id)s %(metal)s repeats row %(row)s")


def import_conformant(db: Database, path: str | Path, *, actor: str) -> dict[str, int]:
    """Replace the conformant-smelter list with ``path``'s rows; nothing written on refusal."""
    table = read_table(path, kind="conformant")
    rows = _rows(table)
    with db.write() as session:
        replaced = session.scalar(select(func.count()).select_from(ConformantSmelter)) or 0
        batch = open_batch(
            session, kind="suppliers.conformant", table=table, rows=len(rows), actor=actor
        )
        session.execute(delete(ConformantSmelter))
        session.add_all(ConformantSmelter(**row, batch_id=batch.id) for row in rows)
        session.flush()
        digests.touch_suppliers(session, [])  # the list belongs to no supplier
        close_batch(session, batch, actor=actor, summary={"rows": len(rows), "replaced": replaced})
    return {"batch_id": batch.id, "rows": len(rows), "replaced": replaced}


def _rows(table: Table) -> list[dict[str, object]]:
    missing = [c for c in COLUMNS[:3] if c not in table.frame.columns]
    if missing:
        raise ImportRejected(table.source, [Problem(1, c, MISSING, MISSING) for c in missing])
    problems: list[Problem] = []
    out: list[dict[str, object]] = []
    seen: dict[tuple[str, str], int] = {}
    for index, cells in enumerate(table.frame.iter_rows(named=True), start=2):
        ident = (cells["smelter_id"] or "").strip().upper()
        metal = normalise(cells["metal"] or "")
        status = (cells["status"] or "").strip()
        day = _day(cells.get("assessed_on") or "")
        if not SMELTER_ID.match(ident):
            problems.append(_said(index, "smelter_id", NOT_CID, cell=ident))
        if metal not in METALS:
            problems.append(_said(index, "metal", NOT_METAL, cell=cells["metal"]))
        if not status or len(status) > MAX_STATUS:
            problems.append(_said(index, "status", STATUS, most=MAX_STATUS))
        if day is False:
            problems.append(_said(index, "assessed_on", NOT_DATE, cell=cells["assessed_on"]))
        if (ident, metal) in seen:
            first = seen[(ident, metal)]
            problems.append(_said(index, "smelter_id", REPEATS, id=ident, metal=metal, row=first))
        seen.setdefault((ident, metal), index)
        out.append({"smelter_id": ident, "metal": metal, "status": status,
                    "assessed_on": day or None})  # fmt: skip
    if problems:
        raise ImportRejected(table.source, problems[:1000], len(problems))
    return out


def _said(at: int, column: str, message: str, **values: object) -> Problem:
    """A refused cell of row ``at``: its English line and its catalog message."""
    return Problem(at, column, message % values, message, values)


def _day(text: str) -> dt.date | bool | None:
    """The date, None for a blank cell, False for text that is no date."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10]) if text[10:] in ("", " 00:00:00") else False
    except ValueError:
        return False
