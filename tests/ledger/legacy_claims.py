"""Instrument rows as an import wrote them before ``certificate_claims`` existed (migration
0026): a batch, its rows (ledger or activity store) and its audit event, but no claim. The
import refuses such data today, so tests that need it — two old rows sharing an id — write
it with the storage layer the import itself uses."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl

from esgledger.ingest.readers import Table
from esgledger.ledger import activity_store
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.models import ActivityRecord

CERT = "certificate.renewable_electricity"
ATTRIBUTES = {
    "instrument": "GEC",
    "energy_source": "wind",
    "vintage": "2024",
    "market": "CN",
    "tracking_system": "national GEC register",
    "retired": "yes",
}


def write_old_certificate(
    db: Database, entity: str, ids: str, *, store: bool = False, mwh: float = 10
) -> int:
    """One 2024 certificate row holding ``ids``, unclaimed; returns its activity id."""
    attributes = json.dumps({**ATTRIBUTES, "certificate_ids": ids}, sort_keys=True)
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    row = {"entity_id": entity, "start": start, "end": end, "activity": CERT}
    row |= {"quantity": mwh, "unit": "MWh", "attributes": attributes}
    table = Table(pl.DataFrame([row]), f"old-{entity}-{ids}.csv", "0" * 64)
    written: list[Path] = []
    with db.write() as s:
        batch = open_batch(s, kind="activities", table=table, rows=1, actor="test")
        if store:
            files = activity_store.write_files(s, pl.DataFrame([row]), batch.id, written)
            row_id = files[0].first_id
        else:
            record = ActivityRecord(batch_id=batch.id, **row)
            if activity_store.has_files(s):  # ids from the sequence the store shares
                record.id = activity_store.claim_ids(s, 1)
            s.add(record)
            s.flush()
            row_id = record.id
        summary = {"rows": 1, "entities": 1, "activities": [CERT], "period": [str(start), str(end)]}
        close_batch(s, batch, actor="test", summary=summary)
    return int(row_id)
