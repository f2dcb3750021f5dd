"""Indexes on (column, id) for the few-value columns register pages sort by

Revision ID: 0033_regsort
Revises: 0032_reg5
Create Date: 2026-12-05 07:50:00

A register page orders rows tied on its sorted column by id, in the sort's direction. On
PostgreSQL an index on the column alone does not hold thousands of ties (a state, an entity,
a provider, a year) in id order, so the planner sorted the whole table for 35 of 188 page
reads at 20,000 rows. An index on (column, id), read forwards or backwards, gives each page
in order; it replaces the index on the column alone where there was one, so a write keeps
the same number of indexes. The assurance page orders ties by ref, A to Z either way: its
indexes are (column, ref), serving its ascending sorts (#17).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033_regsort"
down_revision: str | None = "0032_reg5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → (sorted column, its tie-break, whether an index on the column alone stood before);
# the assurance page orders ties by ref (unique), A to Z either way
PAIRED: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "assurance_engagements": (("provider", "ref", True), ("year", "ref", True)),
    "board_members": (("entity_id", "id", False),),  # led by the unique (entity_id, ref) before
    "complaints": (("entity_id", "id", True), ("severity", "id", True)),
    "ohs_incidents": (("state", "id", True),),
    "ohs_hazards": (("entity_id", "id", True),),
    "ohs_special_operators": (("entity_id", "id", False),),  # unique (entity_id, person, …)
    "whistle_cases": (("entity_id", "id", True), ("state", "id", True)),
}


def upgrade() -> None:
    for table, columns in PAIRED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, then, alone in columns:
                batch_op.create_index(f"ix_{table}_{column}_{then}", [column, then], unique=False)
                if alone:
                    batch_op.drop_index(f"ix_{table}_{column}")


def downgrade() -> None:
    for table, columns in PAIRED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, then, alone in columns:
                if alone:
                    batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)
                batch_op.drop_index(f"ix_{table}_{column}_{then}")
