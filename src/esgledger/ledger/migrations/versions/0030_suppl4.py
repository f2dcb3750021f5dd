"""A supplier's end of cooperation (#16)

Revision ID: 0030_suppl4
Revises: 0029_kpicheck2
Create Date: 2026-12-04 20:30:00

``suppliers.ended_on``: the day the cooperation ended (the periodic evaluation exits poor
performers). Empty for every stored supplier: the register did not record ends before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_suppl4"
down_revision: str | None = "0029_kpicheck2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.drop_column("ended_on")
