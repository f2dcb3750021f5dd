"""an index on the KPI value a data request entered

Revision ID: 0013_scale
Revises: 0012_scope3a
Create Date: 2026-12-03 22:00:00

Every KPI table, check and report asks, per KPI value, whether a data request that is not
yet approved entered it (``ledger.kpis.approved_or_direct``: ``data_requests.value_id =
kpi_values.id``); without an index that is a scan of the requests per value (issue #18).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_scale"
down_revision: str | None = "0012_scope3a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_data_requests_value", "data_requests", ["value_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_data_requests_value", table_name="data_requests")
