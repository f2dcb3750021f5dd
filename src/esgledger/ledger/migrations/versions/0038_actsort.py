"""Indexes on (column, id) for the activity list's sorts and the request list by owner

Revision ID: 0038_actsort
Revises: 0037_reqsort
Create Date: 2026-12-05 16:00:00

The activity list sorted by activity, entity or start had no index holding its page order
(ties by id), so PostgreSQL sorted the whole table, the largest, for each page (#14,
tests/ledger/test_list_sort_indexes.py; SQLite too by activity and start). Its ties now go by
id in the sort's direction, and an index on (column, id), read forwards or backwards, gives
each page in order. The import's set-aside of secondary indexes (``ledger/bulk.py``) drops and
builds these again like the others.

The request list sorted by owner is read an owner at a time (in the owners' name order), each
owner's requests by id: (owner_id, id) takes the place of the index on owner_id alone, which
serves the same lookups by owner.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0038_actsort"
down_revision: str | None = "0037_reqsort"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_activity_records_activity_id": ["activity", "id"],
    "ix_activity_records_entity_id_id": ["entity_id", "id"],
    "ix_activity_records_start_id": ["start", "id"],
}


OWNER = ("ix_data_requests_owner_id_id", ["owner_id", "id"])
REPLACED = ("ix_data_requests_owner_id", ["owner_id"])


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "activity_records", columns, unique=False)
    with op.batch_alter_table("data_requests", schema=None) as batch_op:
        batch_op.create_index(OWNER[0], OWNER[1], unique=False)
        batch_op.drop_index(REPLACED[0])


def downgrade() -> None:
    with op.batch_alter_table("data_requests", schema=None) as batch_op:
        batch_op.create_index(REPLACED[0], REPLACED[1], unique=False)
        batch_op.drop_index(OWNER[0])
    for name in reversed(INDEXES):
        op.drop_index(name, table_name="activity_records")
