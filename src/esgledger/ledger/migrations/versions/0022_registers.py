"""board and training registers: directors, meeting attendance, campaigns, LMS records

Revision ID: 0022_registers
Revises: 0021_scope3
Create Date: 2026-12-04 07:20:00

Directors with role, executive and independence, gender, birth year, appointment and
leaving dates and committee seats; one row per member and meeting for attendance; integrity
commitment and training campaigns with their audience, and one row per person and campaign
from the LMS export (#17).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_registers"
down_revision: str | None = "0021_scope3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keys(table: str) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f(f"fk_{table}_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f(f"fk_{table}_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "board_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("executive", sa.Boolean(), nullable=False),
        sa.Column("independent", sa.Boolean(), nullable=False),
        sa.Column("gender", sa.String(length=8), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("appointed_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("committees", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_keys("board_members"),
        sa.UniqueConstraint("entity_id", "ref", name=op.f("uq_board_members_entity_id")),
    )
    op.create_index(op.f("ix_board_members_batch_id"), "board_members", ["batch_id"], unique=False)
    op.create_table(
        "board_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("meeting_ref", sa.String(length=64), nullable=False),
        sa.Column("body", sa.String(length=24), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("member_ref", sa.String(length=64), nullable=False),
        sa.Column("attendance", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_keys("board_attendance"),
        sa.UniqueConstraint(
            "entity_id", "meeting_ref", "member_ref", name=op.f("uq_board_attendance_entity_id")
        ),
    )
    op.create_index(
        op.f("ix_board_attendance_batch_id"), "board_attendance", ["batch_id"], unique=False
    )
    op.create_index(
        op.f("ix_board_attendance_held_on"), "board_attendance", ["held_on"], unique=False
    )
    op.create_table(
        "training_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=24), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("worker_types", sa.String(length=64), nullable=False),
        sa.Column("entities", sa.Text(), nullable=False),
        sa.Column("pass_score", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_training_campaigns_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_campaigns")),
        sa.UniqueConstraint("code", name=op.f("uq_training_campaigns_code")),
    )
    op.create_index(
        op.f("ix_training_campaigns_batch_id"), "training_campaigns", ["batch_id"], unique=False
    )
    op.create_index(
        op.f("ix_training_campaigns_year"), "training_campaigns", ["year"], unique=False
    )
    op.create_table(
        "training_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("worker_type", sa.String(length=16), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("hours", sa.Float(), nullable=True),
        *_keys("training_records"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["training_campaigns.id"],
            name=op.f("fk_training_records_campaign_id_training_campaigns"),
        ),
        sa.UniqueConstraint("campaign_id", "person", name=op.f("uq_training_records_campaign_id")),
    )
    op.create_index(
        op.f("ix_training_records_batch_id"), "training_records", ["batch_id"], unique=False
    )
    op.create_index(
        op.f("ix_training_records_campaign_id"), "training_records", ["campaign_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("training_records")
    op.drop_table("training_campaigns")
    op.drop_table("board_attendance")
    op.drop_table("board_members")
