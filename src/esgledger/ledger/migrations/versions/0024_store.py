"""the Parquet activity store's file registry

Revision ID: 0024_store
Revises: 0023_regcomp
Create Date: 2026-12-04 14:00:00

One row per Parquet file of the activity store (partitioned by year and entity): the batch
that wrote it, its path under the store root, row count, id range and SHA-256 (#18).
A run's result and issue rows may name store rows, which share the activity-row id
sequence: their ``activity_id`` no longer refers to ``activity_records`` by foreign key.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_store"
down_revision: str | None = "0023_regcomp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAMING_ROWS = ("calculation_results", "calculation_issues")  # tables naming activity rows
_BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "activity_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("first_id", _BIG, nullable=False),
        sa.Column("last_id", _BIG, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_activity_files_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_activity_files_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_files")),
        sa.UniqueConstraint("path", name=op.f("uq_activity_files_path")),
    )
    op.create_index(op.f("ix_activity_files_batch_id"), "activity_files", ["batch_id"])
    op.create_index(op.f("ix_activity_files_year"), "activity_files", ["year"])
    for table in _NAMING_ROWS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                op.f(f"fk_{table}_activity_id_activity_records"), type_="foreignkey"
            )


def downgrade() -> None:
    for table in _NAMING_ROWS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(
                op.f(f"fk_{table}_activity_id_activity_records"),
                "activity_records",
                ["activity_id"],
                ["id"],
            )
    op.drop_index(op.f("ix_activity_files_year"), table_name="activity_files")
    op.drop_index(op.f("ix_activity_files_batch_id"), table_name="activity_files")
    op.drop_table("activity_files")
