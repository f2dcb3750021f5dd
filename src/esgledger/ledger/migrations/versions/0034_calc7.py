"""A calculation run's rejected instrument rows stored a group at a time

Revision ID: 0034_calc7
Revises: 0033_regsort
Create Date: 2026-12-05 10:00:00

A run stored one ``calculation_instrument_rejections`` row per instrument row failing a
Scope 2 Quality Criterion (500,000 at 10⁷ activity rows, each repeating its findings). New
runs store one ``calculation_instrument_rejection_groups`` row per entity, activity type,
instrument and findings, with the count, the activity ids and each row's MWh. Runs stored
before this revision keep their rows (their digests cover them); readers take both (#18).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034_calc7"
down_revision: str | None = "0033_regsort"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLE = "calculation_instrument_rejection_groups"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", _ID, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("activity", sa.String(length=64), nullable=False),
        sa.Column("instrument", sa.Text(), nullable=False),
        sa.Column("failed", sa.Text(), nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.Column("first_activity_id", _ID, nullable=False),
        sa.Column("activity_ids", sa.Text(), nullable=False),
        sa.Column("mwh", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["calculation_runs.id"], name=op.f(f"fk_{TABLE}_run_id_calculation_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{TABLE}_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{TABLE}_run_id"))
    op.drop_table(TABLE)
