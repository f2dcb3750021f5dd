"""A partial index on the KPI values the check rules read one by one

Revision ID: 0036_kpisums
Revises: 0035_listsort
Create Date: 2026-12-05 13:00:00

``esg check`` picks the stored values a rule reads by itself — history, a note, a
restatement, a label — from the span's millions (#18, ``checks.rule_rows``). No index held
``note`` or ``status``, so the database read every row of the span to keep a few hundred
(1.04 CPU s at 10,000 entities). This index holds only those rows, by (year, id); the read
states its condition word for word, which is what lets SQLite and PostgreSQL use a partial
index. The grouped sums the revision's name was reserved for are not kept here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036_kpisums"
down_revision: str | None = "0035_listsort"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as ``esgledger.ledger.models.RULE_ROW_MARKS`` said it when this revision was written
MARKS = "NOT is_current OR note <> '' OR restates_id IS NOT NULL OR status <> 'reported'"


def upgrade() -> None:
    with op.batch_alter_table("kpi_values", schema=None) as batch_op:
        batch_op.create_index(
            "ix_kpi_values_rare",
            ["year", "id"],
            unique=False,
            sqlite_where=sa.text(MARKS),
            postgresql_where=sa.text(MARKS),
        )


def downgrade() -> None:
    with op.batch_alter_table("kpi_values", schema=None) as batch_op:
        batch_op.drop_index("ix_kpi_values_rare")
