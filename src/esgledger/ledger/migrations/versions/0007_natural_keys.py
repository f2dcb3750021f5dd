"""natural key of activity records, voiding

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:40:00

Rows stored twice before the key existed (two concurrent imports on PostgreSQL) are voided,
not deleted, keeping the first copy live, so the unique index can be built.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ["entity_id", "start", "end", "activity", "attributes"]


def upgrade() -> None:
    with op.batch_alter_table("activity_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voided_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("voided_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))
    op.execute(
        "UPDATE activity_records SET voided_at = CURRENT_TIMESTAMP, voided_by = 'migration', "
        "void_reason = 'stored twice before the natural key was enforced (migration 0007)' "
        "WHERE id NOT IN (SELECT min(id) FROM activity_records "
        'GROUP BY entity_id, start, "end", activity, attributes)'
    )
    with op.batch_alter_table("activity_records", schema=None) as batch_op:
        batch_op.create_index(
            "uq_activity_records_key",
            KEY,
            unique=True,
            sqlite_where=sa.text("voided_at IS NULL"),
            postgresql_where=sa.text("voided_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("activity_records", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_activity_records_key",
            sqlite_where=sa.text("voided_at IS NULL"),
            postgresql_where=sa.text("voided_at IS NULL"),
        )
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_by")
        batch_op.drop_column("voided_at")
