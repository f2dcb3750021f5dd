"""Indexes on (column, id) for the data request list's sorts

Revision ID: 0037_reqsort
Revises: 0036_kpisums
Create Date: 2026-12-05 13:30:00

The request list sorted by due date, metric, last change, entity, state or year had no index
holding its page order (ties by year, due, entity, metric, dims, id), so PostgreSQL sorted the
whole table for each page (#14, tests/ledger/test_list_sort_indexes.py; a later page at
20,008 requests 251–266 ms summed over the six, bench/request_sort_pg.py). Their ties now go
by id in the sort's direction, and an index on (column, id), read forwards or backwards, gives
each page in order. (updated_at, id) also answers the API's freshness question,
``max(updated_at)``, from the index's end instead of reading every request. (entity_id, id)
takes the place of the index on entity_id alone: it serves the same lookups by entity.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0037_reqsort"
down_revision: str | None = "0036_kpisums"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("due_date", "metric_id", "updated_at", "entity_id", "state", "year")
REPLACED = ("ix_data_requests_entity", ["entity_id"])


def upgrade() -> None:
    with op.batch_alter_table("data_requests", schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.create_index(f"ix_data_requests_{column}_id", [column, "id"], unique=False)
        batch_op.drop_index(REPLACED[0])


def downgrade() -> None:
    with op.batch_alter_table("data_requests", schema=None) as batch_op:
        batch_op.create_index(REPLACED[0], REPLACED[1], unique=False)
        for column in reversed(COLUMNS):
            batch_op.drop_index(f"ix_data_requests_{column}_id")
