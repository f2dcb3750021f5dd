"""registers behind social and governance figures

Revision ID: 0011_registers
Revises: 0010
Create Date: 2026-12-03 21:40:00

The OHS register (#17): hours worked per entity, year and worker type, and incidents
(injuries, fatalities, occupational disease) with their state. Both carry the import batch
that wrote them, so the batch's data digest covers them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_registers"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ohs_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("worker_type", sa.String(length=16), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_ohs_hours_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_ohs_hours_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ohs_hours")),
        sa.UniqueConstraint(
            "entity_id", "year", "worker_type", name=op.f("uq_ohs_hours_entity_id")
        ),
    )
    op.create_index(op.f("ix_ohs_hours_batch_id"), "ohs_hours", ["batch_id"], unique=False)
    op.create_index(op.f("ix_ohs_hours_year"), "ohs_hours", ["year"], unique=False)
    op.create_table(
        "ohs_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("worker_type", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("high_consequence", sa.Boolean(), nullable=False),
        sa.Column("lost_days", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("state_changed_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_ohs_incidents_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_ohs_incidents_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ohs_incidents")),
        sa.UniqueConstraint("ref", name=op.f("uq_ohs_incidents_ref")),
    )
    op.create_index(op.f("ix_ohs_incidents_batch_id"), "ohs_incidents", ["batch_id"], unique=False)
    op.create_index(
        op.f("ix_ohs_incidents_occurred_on"), "ohs_incidents", ["occurred_on"], unique=False
    )


def downgrade() -> None:
    op.drop_table("ohs_incidents")
    op.drop_table("ohs_hours")
