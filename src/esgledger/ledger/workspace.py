"""Creating, upgrading and opening a workspace database."""

from __future__ import annotations

from esgledger.errors import DatabaseError
from esgledger.ledger import audit
from esgledger.ledger.db import Database
from esgledger.ledger.migrate import current_revision, require_current, upgrade


def init_workspace(target: str, *, actor: str) -> tuple[Database, bool]:
    """Create the schema if missing (or upgrade it); returns (database, created)."""
    db = Database(target)
    try:
        before = current_revision(db)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(f"cannot open database {db.display}: {first}") from None
    upgrade(db)
    if before is None:
        with db.write() as session:
            audit.record(
                session, actor=actor, action="workspace.init", subject="workspace", payload={}
            )
    return db, before is None


def open_workspace(target: str) -> Database:
    """Open an existing, up-to-date workspace or say which command to run."""
    db = Database(target)
    path = db.sqlite_path
    if path is not None and not path.exists():
        raise DatabaseError(f"no workspace at {path}; run `esg init` to create one, or pass --db")
    require_current(db)
    return db
