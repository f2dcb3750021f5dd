"""Accepting a supplier's CMRT or EMRT file, all or nothing (issue #16).

The file is read with bounded memory and checked against its template version's rules
outside the write lock (:mod:`esgledger.ingest.cmrt_rules`); an error anywhere refuses it
whole, one line per problem naming sheet, row and column. An accepted file becomes one import
batch holding the declaration and its smelter rows, with its warnings stored alongside; the
same file for the same supplier again changes nothing. The batch's digest covers the
declaration and its smelter rows (rows written once), so ``esg audit verify --deep`` catches
an edit without re-digesting the whole register at each file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from esgledger.errors import ImportRejected, NotFound
from esgledger.ingest.cmrt_rules import Checked, check
from esgledger.ingest.cmrt_workbook import read_workbook
from esgledger.ingest.readers import Table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.digests import new_batch_known
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.supplier_models import MineralDeclaration, MineralSmelter, Supplier

MAX_SOURCE = 255
WRITTEN = ("import_batches", "mineral_declarations", "mineral_smelters")  # a file's tables


@dataclass(frozen=True)
class DeclarationImport:
    """What an accepted file did: the stored declaration (None when already stored)."""

    source: str
    supplier: str
    template: str
    version: str
    declaration_id: int | None
    smelters: int
    warnings: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "supplier": self.supplier,
            "template": self.template,
            "version": self.version,
            "declaration_id": self.declaration_id,
            "smelters": self.smelters,
            "warnings": self.warnings,
        }


def validate_file(path: str | Path, today: dt.date) -> tuple[Table, Checked]:
    """Read and check a template file; :class:`ImportRejected` lists every error."""
    book = read_workbook(path)
    checked = check(book, today)
    if checked.errors:
        raise ImportRejected(book.source, checked.errors)
    # The batch records the file by name and digest, as every import batch does.
    return Table(pl.DataFrame(), book.source[-MAX_SOURCE:], book.sha256), checked


def import_declaration(
    db: Database, path: str | Path, *, supplier: str, actor: str, today: dt.date | None = None
) -> DeclarationImport:
    """Store ``supplier``'s CMRT/EMRT file; nothing is written if any rule refuses it."""
    table, checked = validate_file(path, today or dt.date.today())
    return validate_then_write(
        db,
        lambda session: _stored(session, supplier, table.sha256),
        lambda session, stored: _store(session, stored, table, checked, supplier, actor),
    )


# The supplier and its declaration of the same file, if any, in one statement built once
# (building the two selects per file cost more than running them).
_STORED = (
    select(Supplier.id, MineralDeclaration.id)
    .outerjoin(
        MineralDeclaration,
        (MineralDeclaration.supplier_id == Supplier.id)
        & (MineralDeclaration.sha256 == bindparam("sha256")),
    )
    .where(Supplier.id == bindparam("supplier"))
    .limit(1)
)


def _stored(session: Session, supplier: str, sha256: str) -> int | None:
    """The declaration already holding this file for the supplier, if any."""
    found = session.execute(_STORED, {"supplier": supplier, "sha256": sha256}).first()
    if found is None:
        raise NotFound(f"no supplier {supplier!r} in the register; import it first")
    return found[1]


def _store(
    session: Session,
    stored: int | None,
    table: Table,
    checked: Checked,
    supplier: str,
    actor: str,
) -> DeclarationImport:
    assert checked.template is not None and checked.effective_on is not None
    template = checked.template
    warnings = [p.format(table.source) for p in checked.warnings]
    again = _stored(session, supplier, table.sha256)  # another writer may have stored it
    if stored is not None or again is not None:
        return DeclarationImport(
            table.source, supplier, template.kind, template.version, None, 0, warnings
        )
    batch = open_batch(
        session, kind="suppliers.cmrt", table=table, rows=len(checked.smelters) + 1, actor=actor
    )
    declaration = MineralDeclaration(
        supplier_id=supplier,
        template=template.kind,
        version=template.version,
        source=table.source,
        sha256=table.sha256,
        company_name=checked.fields["company_name"],
        scope=checked.scope,
        effective_on=checked.effective_on,
        in_use=";".join(checked.in_use),
        products=checked.products,
        warnings=json.dumps(warnings, ensure_ascii=False, sort_keys=True),
        batch_id=batch.id,
    )
    session.add(declaration)
    session.flush()
    if checked.smelters:  # one executemany, no unit of work per row
        session.execute(
            insert(MineralSmelter),
            [
                {
                    "declaration_id": declaration.id,
                    "row": s.row,
                    "metal": s.metal,
                    "smelter_id": s.smelter_id,
                    "name": s.name,
                    "country": s.country,
                    "source": s.source,
                }
                for s in checked.smelters
            ],
        )
    close_batch(
        session,
        batch,
        actor=actor,
        summary={
            "supplier": supplier,
            "template": f"{template.kind} {template.version}",
            "smelters": len(checked.smelters),
            "warnings": len(warnings),
        },
        known=new_batch_known(WRITTEN),
    )
    return DeclarationImport(
        table.source,
        supplier,
        template.kind,
        template.version,
        declaration.id,
        len(checked.smelters),
        warnings,
    )
