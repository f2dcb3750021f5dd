"""The assurance register: external assurance engagements over a reporting year — who
assured which figures of which entities, to which standard and level, and the statement
they signed (kept by its SHA-256, so the report names the very file).

The report's assurance section and its appendix marks read only what is stored here: a
figure is marked assured when an engagement of the year holds its metric in scope, never
otherwise. Imports follow the house rule (validated against a read, written in one short
transaction as one batch and one audit event); a stored ref is restated by a later file.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog import metrics
from esgledger.ingest.readers import read_table
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.models import Entity
from esgledger.ledger.regcert_models import AssuranceEngagement
from esgledger.registers.assurance_import import validate_engagements
from esgledger.registers.ohs import Imported
from esgledger.registers.restate import restate

FIELDS = (
    "year",
    "provider",
    "standard",
    "level",
    "metrics",
    "entities",
    "signed_on",
    "statement",
    "statement_sha256",
)
STANDARD_NAMES = {
    "isae_3000": "ISAE 3000 (Revised)",
    "isae_3410": "ISAE 3410",
    "aa1000as_v3": "AA1000AS v3",
}


def import_engagements(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Engagements from CSV or XLSX, all or nothing; statements are read beside the file."""
    table = read_table(path, sheet=sheet, kind="engagements")
    folder = Path(path).parent

    def validate(session: Session) -> pl.DataFrame:
        return validate_engagements(
            table,
            folder=folder,
            metrics=set(metrics()),
            entities=set(session.scalars(select(Entity.id))),
        )

    write = partial(
        restate,
        model=AssuranceEngagement,
        key=("ref",),
        columns={"ref": "ref", **{field: field for field in FIELDS}},
        kind="register.assurance",
        table=table,
        actor=actor,
    )
    return validate_then_write(db, validate, write)


def engagement_dict(e: AssuranceEngagement) -> dict[str, Any]:
    return {
        "ref": e.ref,
        "year": e.year,
        "provider": e.provider,
        "standard": e.standard,
        "standard_name": STANDARD_NAMES.get(e.standard, e.standard),
        "level": e.level,
        "metrics": [m for m in e.metrics.split("; ") if m],
        "entities": [x for x in e.entities.split("; ") if x],
        "signed_on": e.signed_on.isoformat(),
        "statement": e.statement,
        "statement_sha256": e.statement_sha256,
    }


def year_engagements(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    """The engagements (of ``year``), by year and ref."""
    stmt = select(AssuranceEngagement).order_by(
        AssuranceEngagement.year.desc(), AssuranceEngagement.ref
    )
    if year is not None:
        stmt = stmt.where(AssuranceEngagement.year == year)
    return [engagement_dict(e) for e in session.scalars(stmt)]


def assured_metrics(engagements: list[dict[str, Any]]) -> dict[str, str]:
    """metric → the level it is assured at (reasonable or high wins over limited), for
    engagements over the whole boundary: one over some entities does not assure the
    group's figure."""
    strong = {"reasonable", "high"}
    out: dict[str, str] = {}
    for e in engagements:
        if e["entities"]:
            continue
        for metric in e["metrics"]:
            if metric not in out or e["level"] in strong:
                out[metric] = e["level"]
    return out
