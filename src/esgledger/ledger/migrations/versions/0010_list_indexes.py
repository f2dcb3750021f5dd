"""indexes for the long lists

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 14:00:00

The request, review and audit lists filter, sort and page in SQL (issue #14, 4,300
requests in a year): the request list by year then due date, by entity and by reviewer;
the audit log by subject and by action, newest first.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("data_requests", "ix_data_requests_year_due", ["year", "due_date"]),
    ("data_requests", "ix_data_requests_entity", ["entity_id"]),
    ("data_requests", "ix_data_requests_reviewer_state", ["reviewer_id", "state"]),
    ("audit_events", "ix_audit_events_subject", ["subject"]),
    ("audit_events", "ix_audit_events_action", ["action"]),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
