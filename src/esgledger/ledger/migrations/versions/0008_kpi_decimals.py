"""printed decimals of reported KPI values

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # How many decimals the value was printed with (NULL: not known, the metric's precision).
    with op.batch_alter_table("kpi_values", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decimals", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kpi_values", schema=None) as batch_op:
        batch_op.drop_column("decimals")
