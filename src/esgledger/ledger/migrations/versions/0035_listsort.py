"""Indexes on (column, id) for the audit log's and the suppliers' sorts

Revision ID: 0035_listsort
Revises: 0034_calc7
Create Date: 2026-12-05 11:05:00

The audit log sorted by time or actor and the supplier register sorted by name, country or
spend had no index their column leads, so PostgreSQL sorted the whole table for each page
(#14, tests/ledger/test_list_sort_indexes.py). Their pages order ties by id in the sort's
direction; the audit log's ties go newest first in an ascending sort. An index on
(column, id) — (column, id DESC) for the audit log — read forwards or backwards gives each
page in order. Data requests (ties by year, due date, entity, metric, dims, id) and
activities (ties by id ascending either way, on the largest table) are left: a (column, id)
index does not hold their order.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035_listsort"
down_revision: str | None = "0034_calc7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → (index name, its columns); the audit log's ties newest first
INDEXES: dict[str, tuple[tuple[str, tuple[str, str]], ...]] = {
    "audit_events": (
        ("ix_audit_events_ts_id", ("ts", "id DESC")),
        ("ix_audit_events_actor_id", ("actor", "id DESC")),
    ),
    "suppliers": (
        ("ix_suppliers_name_id", ("name", "id")),
        ("ix_suppliers_country_id", ("country", "id")),
        ("ix_suppliers_spend_id", ("spend", "id")),
    ),
}


def upgrade() -> None:
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, (column, then) in indexes:
                tie = sa.text(then) if " " in then else then
                batch_op.create_index(name, [column, tie], unique=False)


def downgrade() -> None:
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in reversed(indexes):
                batch_op.drop_index(name)
