"""Alembic, driven from code: ``esg init`` and ``esg db upgrade`` call :func:`upgrade`."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from esgledger.errors import DatabaseError
from esgledger.ledger.db import Database


def _config(db: Database) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "esgledger.ledger:migrations")
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    script = ScriptDirectory.from_config(_config(Database("sqlite://")))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str]:
    """Bring the schema up to ``revision``; returns (before, after)."""
    before = current_revision(db)
    with db.engine.begin() as conn:
        cfg = _config(db)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, current_revision(db) or ""


def require_current(db: Database) -> None:
    """Refuse to work on a missing or outdated schema, saying which command fixes it."""
    try:
        rev = current_revision(db)
    except Exception as exc:  # the driver's own error for an unreachable server
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(f"cannot open database {db.display}: {first}") from None
    if rev is None:
        raise DatabaseError(
            f"{db.display} is not an esgledger workspace; run `esg init` to create one"
        )
    if rev != head_revision():
        raise DatabaseError(
            f"{db.display} is at schema {rev}, this version needs {head_revision()}; "
            "run `esg db upgrade`"
        )
