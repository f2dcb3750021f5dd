"""The organisation tree: importing, listing and walking entities."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.messages import N_
from esgledger.errors import ConcurrentChange, NotFound, worded
from esgledger.ingest.checker import with_row_numbers
from esgledger.ingest.entities import validate_entities
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
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


@dataclass(frozen=True)
class _Plan:
    """What a validated file adds and changes, and each stored entity's row version and
    parent as the check saw them: the write goes ahead only if those still hold."""

    added: list[dict[str, str | None]]
    changes: list[dict[str, Any]]
    unchanged: int
    seen: dict[str, tuple[int, str | None]]


def import_entities(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> ImportSummary:
    """Add new entities and update changed ones from a file, all or nothing.

    The file is validated before the write lock is taken (see :mod:`.import_steps`); if
    another writer changed one of its entities, or moved any entity in the tree (a cycle
    could arise), meanwhile, the file is refused whole with one line.
    """
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
    return validate_then_write(
        db, lambda session: _plan(session, table), partial(_store, table=table, actor=actor)
    )


def _plan(session: Session, table: Table) -> _Plan:
    stored = {e.id: e for e in session.scalars(select(Entity))}
    rows = validate_entities(table, stored_parents={k: e.parent_id for k, e in stored.items()})
    added: list[dict[str, str | None]] = []
    changes: list[dict[str, Any]] = []
    # Parents first, so foreign keys hold at every insert.
    for row in _parents_first(rows.drop("__row").to_dicts()):
        current = stored.get(str(row["id"]))
        if current is None:
            added.append(row)
            continue
        diff = {f: [getattr(current, f), row[f]] for f in FIELDS if getattr(current, f) != row[f]}
        if diff:
            changes.append({"id": row["id"], "changes": diff})
    unchanged = rows.height - len(added) - len(changes)
    seen = {k: (e.version, e.parent_id) for k, e in stored.items()}
    return _Plan(added, changes, unchanged, seen)


def _changed_meanwhile(session: Session, plan: _Plan) -> list[str]:
    """Ids of the file's entities added or changed by another writer since the check, and
    of stored entities given another parent."""
    now = {
        ident: (version, parent)
        for ident, version, parent in session.execute(
            select(Entity.id, Entity.version, Entity.parent_id)
        )
    }
    mine = [str(r["id"]) for r in plan.added] + [str(c["id"]) for c in plan.changes]
    touched = [i for i in mine if plan.seen.get(i) != now.get(i)]
    moved = [i for i, (_v, parent) in plan.seen.items() if i not in now or now[i][1] != parent]
    return sorted(set(touched) | set(moved))


def _store(session: Session, plan: _Plan, *, table: Table, actor: str) -> ImportSummary:
    """Write the planned additions and changes, unless the tree changed since the check."""
    if not plan.added and not plan.changes:
        return ImportSummary(None, 0, 0, plan.unchanged)
    changed = _changed_meanwhile(session, plan)
    if changed:
        shown = ", ".join(changed[:5]) + (" …" if len(changed) > 5 else "")
        raise ConcurrentChange(
            f"{table.source}: refused, another user changed entities ({shown}) while the file "
            "was being checked; nothing was imported (run the import again to compare with "
            "what is stored now)"
        )
    batch = open_batch(
        session,
        kind="entities",
        table=table,
        rows=len(plan.added) + len(plan.changes),
        actor=actor,
    )
    for row in plan.added:
        session.add(Entity(**row))
        session.flush()
    for change in plan.changes:
        entity = session.get_one(Entity, change["id"])
        for field, (_old, new) in change["changes"].items():
            setattr(entity, field, new)
    session.flush()
    close_batch(
        session,
        batch,
        actor=actor,
        summary={"added": [r["id"] for r in plan.added], "updated": plan.changes},
    )
    return ImportSummary(batch.id, len(plan.added), len(plan.changes), plan.unchanged)


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
        raise worded(
            NotFound(f"unknown entity {entity_id!r}; `esg entities list` lists them"),
            N_("unknown entity %(entity)r"),
            {"entity": entity_id},
        )
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
