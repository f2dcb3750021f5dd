"""the activity store's files record their rows' start and activity ranges

Revision ID: 0040_storeranges
Revises: 0039_kpigroups
Create Date: 2026-12-05 19:00:00

A keyset page of the activity list sorted by start or by activity read every matching store
file: a file recorded its id range, entity and year, not the range of those columns (its
Parquet statistics sit behind the SHA-256 check, so reading them is reading the file). Each
file now records the least and greatest start date and activity of its rows, written by the
import (``activity_store.file_ranges``); here they are filled for the files already stored,
each read and checked against its registered SHA-256 first. A file that is missing, changed
or has no store folder keeps none: every page then reads it, as before (#14).
"""

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0040_storeranges"
down_revision: str | None = "0039_kpigroups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("first_start", sa.Date()),
    ("last_start", sa.Date()),
    ("first_activity", sa.String(length=64)),
    ("last_activity", sa.String(length=64)),
)


def upgrade() -> None:
    with op.batch_alter_table("activity_files", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    _fill(op.get_bind())


def _fill(conn: sa.Connection) -> None:
    """Each stored file's ranges, from its rows (a file at a time; unreadable ones skipped)."""
    from esgledger.ledger.activity_store import root_of_url

    files = conn.execute(sa.text("SELECT id, path, sha256 FROM activity_files ORDER BY id")).all()
    root = root_of_url(conn.engine.url) if files else None
    if root is None:
        return
    for ident, path, sha256 in files:
        ranges = _ranges(root / path, sha256)
        if ranges is not None:
            conn.execute(
                sa.text(
                    "UPDATE activity_files SET first_start = :first_start, last_start = "
                    ":last_start, first_activity = :first_activity, last_activity = "
                    ":last_activity WHERE id = :id"
                ),
                {**ranges, "id": ident},
            )


def _ranges(path: Path, sha256: str) -> dict[str, object] | None:
    import polars as pl

    from esgledger.ledger.activity_store import file_ranges

    try:
        data = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != sha256:
        return None
    return file_ranges(pl.read_parquet(io.BytesIO(data), columns=["start", "activity"]))


def downgrade() -> None:
    with op.batch_alter_table("activity_files", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
