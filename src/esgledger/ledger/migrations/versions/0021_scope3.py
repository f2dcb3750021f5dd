"""Activity types a Scope 3 screening leaves out of a relevant category

Revision ID: 0021_scope3
Revises: 0020_zh
Create Date: 2026-12-04 07:25:00

A screening may leave one activity type out of a category for want of a cited factor (the
T&D losses and well-to-tank of a grid no open source covers), saying why in its note; the
calculation then reports those rows as left out instead of as a gap (#15). A table of its
own, so the digests of screenings stored earlier stay as they were.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_scope3"
down_revision: str | None = "0020_zh"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scope3_screening_exclusions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.Integer(), nullable=False),
        sa.Column("activity", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_scope3_screening_exclusions_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scope3_screening_exclusions")),
        sa.UniqueConstraint(
            "batch_id",
            "category",
            "activity",
            name=op.f("uq_scope3_screening_exclusions_batch_id"),
        ),
    )
    op.create_index(
        "ix_scope3_screening_exclusions_batch", "scope3_screening_exclusions", ["batch_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_scope3_screening_exclusions_batch", "scope3_screening_exclusions")
    op.drop_table("scope3_screening_exclusions")
