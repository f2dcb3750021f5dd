"""OHS safety registers: hazards, emergency drills, special-operation workers

Revision ID: 0027_reg2
Revises: 0026_scope3b
Create Date: 2026-12-04 16:10:00

Hazards identified at an entity with the risk level of their assessment and the date their
correction was completed; emergency drills with scenario and participants; workers assigned
to special (high-risk) operations with their operation certificates (#17).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0027_reg2"
down_revision: str | None = "0026_scope3b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _common(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f(f"fk_{table}_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f(f"fk_{table}_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "ohs_hazards",
        *_common("ohs_hazards"),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("identified_on", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("risk_level", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("corrected_on", sa.Date(), nullable=True),
        sa.UniqueConstraint("ref", name=op.f("uq_ohs_hazards_ref")),
    )
    _index("ohs_hazards", "batch_id", "identified_on")
    op.create_table(
        "ohs_drills",
        *_common("ohs_drills"),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("scenario", sa.String(length=24), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.UniqueConstraint("ref", name=op.f("uq_ohs_drills_ref")),
    )
    _index("ohs_drills", "batch_id", "held_on")
    op.create_table(
        "ohs_special_operators",
        *_common("ohs_special_operators"),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("operation", sa.String(length=24), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("certificate", sa.String(length=64), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.UniqueConstraint(
            "entity_id",
            "person",
            "operation",
            name=op.f("uq_ohs_special_operators_entity_id"),
        ),
    )
    _index("ohs_special_operators", "batch_id", "expires_on")


def downgrade() -> None:
    for table in ("ohs_special_operators", "ohs_drills", "ohs_hazards"):
        op.drop_table(table)
