"""Rejected contractual instruments of a calculation run in their own table

Revision ID: 0028_calc3
Revises: 0027_reg2
Create Date: 2026-12-04 18:45:00

A run kept one entry per rejected instrument row inside ``calculation_runs.totals`` (318 MB
of JSON at 10⁷ activity rows). Runs stored before this revision keep their list there (their
digests cover that text) and readers fall back to it (#18).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_calc3"
down_revision: str | None = "0027_reg2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calculation_instrument_rejections",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column(
            "activity_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("activity", sa.String(length=64), nullable=False),
        sa.Column("instrument", sa.Text(), nullable=False),
        sa.Column("mwh", sa.Float(), nullable=False),
        sa.Column("failed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["calculation_runs.id"],
            name=op.f("fk_calculation_instrument_rejections_run_id_calculation_runs"),
        ),
        sa.PrimaryKeyConstraint(
            "run_id", "activity_id", name=op.f("pk_calculation_instrument_rejections")
        ),
    )


def downgrade() -> None:
    op.drop_table("calculation_instrument_rejections")
