"""The organisation tree: importing, listing and walking entities."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import NotFound
from esgledger.ingest.checker import with_row_numbers
from esgledger.ingest.entities import validate_entities
from esgledger.ingest.readers import read_table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.limits import limit_of, refuse_too_long
from esgledger.ledger.models import Entity

FIELDS = ("name", "kind", "parent_id", "country", "subdivision")


@dataclass(frozen=True)
class ImportSummary:
    batch_id: int | None
    added: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict[str, int | None]:
        return {
            "batch_id": self.batch_id,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def import_entities(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> ImportSummary:
    """Add new entities and update changed ones from a file, all or nothing."""
    table = read_table(path, sheet=sheet, kind="entities")
    refuse_too_long(
        table.source,
        with_row_numbers(table.frame),
        {
            "id": limit_of(Entity.id),
            "name": limit_of(Entity.name),
            "kind": limit_of(Entity.kind),
            "parent": limit_of(Entity.id),
        },
    )
    with db.write() as session:
        stored = {e.id: e for e in session.scalars(select(Entity))}
        rows = validate_entities(table, stored_parents={k: e.parent_id for k, e in stored.items()})
        added: list[dict[str, str | None]] = []
        changes: list[dict[str, object]] = []
        # Parents first, so foreign keys hold at every insert.
        for row in _parents_first(rows.drop("__row").to_dicts()):
            current = stored.get(row["id"])
            if current is None:
                added.append(row)
                continue
            diff = {
                f: [getattr(current, f), row[f]] for f in FIELDS if getattr(current, f) != row[f]
            }
            if diff:
                changes.append({"id": row["id"], "changes": diff})
        if not added and not changes:
            return ImportSummary(None, 0, 0, rows.height)
        batch = open_batch(
            session, kind="entities", table=table, rows=len(added) + len(changes), actor=actor
        )
        for row in added:
            session.add(Entity(**row))
            session.flush()
        for change in changes:
            entity = stored[str(change["id"])]
            for field, (_old, new) in change["changes"].items():  # type: ignore[union-attr]
                setattr(entity, field, new)
        session.flush()
        close_batch(
            session,
            batch,
            actor=actor,
            summary={"added": [r["id"] for r in added], "updated": changes},
        )
        return ImportSummary(
            batch.id, len(added), len(changes), rows.height - len(added) - len(changes)
        )


def _parents_first(rows: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    by_id = {r["id"]: r for r in rows}
    ordered: list[dict[str, str | None]] = []
    placed: set[str | None] = set()

    def place(row: dict[str, str | None]) -> None:
        if row["id"] in placed:
            return
        parent = row["parent_id"]
        if parent in by_id and parent not in placed:
            place(by_id[parent])
        placed.add(row["id"])
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


def list_entities(session: Session) -> list[Entity]:
    return list(session.scalars(select(Entity).order_by(Entity.id)))


def get_entity(session: Session, entity_id: str) -> Entity:
    entity = session.get(Entity, entity_id)
    if entity is None:
        raise NotFound(f"unknown entity {entity_id!r}; `esg entities list` lists them")
    return entity


def subtree(session: Session, root_id: str) -> list[str]:
    """``root_id`` and every entity below it, depth first."""
    get_entity(session, root_id)
    children: dict[str | None, list[str]] = {}
    for ident, parent in session.execute(select(Entity.id, Entity.parent_id).order_by(Entity.id)):
        children.setdefault(parent, []).append(ident)
    out: list[str] = []
    stack = [root_id]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children.get(node, [])))
    return out


def entity_dict(entity: Entity) -> dict[str, str | None]:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "parent": entity.parent_id,
        "country": entity.country,
        "subdivision": entity.subdivision,
    }
