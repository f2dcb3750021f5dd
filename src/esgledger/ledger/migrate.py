"""Alembic, driven from code: ``esg init`` and ``esg db upgrade`` call :func:`upgrade`.

Every command checks the schema when it opens a workspace (:func:`require_current`). That
check reads the version table with one query and the head from the migration files' own
``revision`` lines (:mod:`esgledger.ledger.schema_head`), so a command on a current
workspace does not import alembic (about 0.3 CPU s with mako and its plugins); alembic
answers whenever the quick reading does not say "current".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text

from esgledger.errors import DatabaseError
from esgledger.ledger.db import Database
from esgledger.ledger.schema_head import declared_head

if TYPE_CHECKING:
    from alembic.config import Config


def _config(db: Database) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "esgledger.ledger:migrations")
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config(Database("sqlite://")))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str]:
    """Bring the schema up to ``revision``; returns (before, after)."""
    from alembic import command

    before = current_revision(db)
    with db.engine.begin() as conn:
        cfg = _config(db)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, current_revision(db) or ""


def require_current(db: Database) -> None:
    """Refuse to work on a missing or outdated schema, saying which command fixes it."""
    if _quickly_current(db):
        return
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


def _quickly_current(db: Database) -> bool:
    """Whether the version table names exactly the head the migration files declare, read
    without alembic; False whenever unsure (alembic then decides and words the refusal)."""
    head = declared_head()
    if head is None:
        return False
    try:
        with db.engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except Exception:  # no version table, an unreachable server: alembic words it
        return False
    return [tuple(r) for r in found] == [(head,)]
