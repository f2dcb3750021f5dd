"""the Scope 3 screening of each year

Revision ID: 0012_scope3a
Revises: 0011_registers
Create Date: 2026-12-03 22:00:00

Each of the 15 Scope 3 categories screened per year, relevant or not with its reason,
method and data-quality score (#15); one import batch per screening, rows never changed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_scope3a"
down_revision: str | None = "0011_registers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scope3_screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("category", sa.Integer(), nullable=False),
        sa.Column("relevant", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=True),
        sa.Column("data_quality", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_scope3_screenings_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scope3_screenings")),
        sa.UniqueConstraint("batch_id", "category", name=op.f("uq_scope3_screenings_batch_id")),
    )
    op.create_index("ix_scope3_screenings_year", "scope3_screenings", ["year"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_scope3_screenings_year", table_name="scope3_screenings")
    op.drop_table("scope3_screenings")
