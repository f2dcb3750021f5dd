"""Scope 3 lines of a calculation run in their own table

Revision ID: 0018_scope3c
Revises: 0017_registers
Create Date: 2026-12-04 04:10:00

The lines used to sit in ``calculation_runs.totals`` (3.6 MB of JSON for the demo's 2025
run, parsed by every reader of the totals). Runs stored before this revision keep them
there (their digests cover that text) and readers fall back to it (#15).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_scope3c"
down_revision: str | None = "0017_registers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calculation_scope3_lines",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=8), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("activity", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.Column("tco2e", sa.Float(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["calculation_runs.id"],
            name=op.f("fk_calculation_scope3_lines_run_id_calculation_runs"),
        ),
        sa.PrimaryKeyConstraint("run_id", "position", name=op.f("pk_calculation_scope3_lines")),
    )


def downgrade() -> None:
    op.drop_table("calculation_scope3_lines")
