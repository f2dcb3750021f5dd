"""Indexes on (column, id) for the few-value columns register pages sort by

Revision ID: 0033_regsort
Revises: 0032_reg5
Create Date: 2026-12-05 07:50:00

A register page orders rows tied on its sorted column by id, in the sort's direction. On
PostgreSQL an index on the column alone does not hold thousands of ties (a state, an entity,
a provider, a year) in id order, so the planner sorted the whole table for 35 of 188 page
reads at 20,000 rows. An index on (column, id), read forwards or backwards, gives each page
in order; it replaces the index on the column alone where there was one, so a write keeps
the same number of indexes (#17).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033_regsort"
down_revision: str | None = "0032_reg5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → (sorted column, whether an index on the column alone stood before)
PAIRED: dict[str, tuple[tuple[str, bool], ...]] = {
    "assurance_engagements": (("provider", True), ("year", True)),
    "board_members": (("entity_id", False),),  # led by the unique (entity_id, ref) before
    "complaints": (("entity_id", True), ("severity", True)),
    "ohs_incidents": (("state", True),),
    "ohs_hazards": (("entity_id", True),),
    "ohs_special_operators": (("entity_id", False),),  # unique (entity_id, person, operation)
    "whistle_cases": (("entity_id", True), ("state", True)),
}


def upgrade() -> None:
    for table, columns in PAIRED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, alone in columns:
                batch_op.create_index(f"ix_{table}_{column}_id", [column, "id"], unique=False)
                if alone:
                    batch_op.drop_index(f"ix_{table}_{column}")


def downgrade() -> None:
    for table, columns in PAIRED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, alone in columns:
                if alone:
                    batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)
                batch_op.drop_index(f"ix_{table}_{column}_id")
