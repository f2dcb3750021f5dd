"""A calculation run's unresolved activity rows stored a group at a time

Revision ID: 0031_calc4
Revises: 0030_suppl4
Create Date: 2026-12-04 20:45:00

A run stored one ``calculation_issues`` row per unresolved activity row and quantity (1.2 M
at 10⁷ activity rows). New runs store one ``calculation_issue_groups`` row per entity,
activity type, quantity and reason, with the count and the activity ids. Runs stored before
this revision keep their rows in ``calculation_issues`` (their digests cover them); readers
take both (#18).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_calc4"
down_revision: str | None = "0030_suppl4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "calculation_issue_groups",
        sa.Column("id", _ID, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("activity", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.Column("first_activity_id", _ID, nullable=False),
        sa.Column("activity_ids", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["calculation_runs.id"],
            name=op.f("fk_calculation_issue_groups_run_id_calculation_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calculation_issue_groups")),
    )
    with op.batch_alter_table("calculation_issue_groups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calculation_issue_groups_run_id"), ["run_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("calculation_issue_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calculation_issue_groups_run_id"))
    op.drop_table("calculation_issue_groups")
