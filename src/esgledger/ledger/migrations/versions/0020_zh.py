"""A user's page language (#19)

Revision ID: 0020_zh
Revises: 0019_suppliers
Create Date: 2026-12-04 07:20:00

"" means no preference: the browser's ``Accept-Language`` decides, else English.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_zh"
down_revision: str | None = "0019_suppliers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lang", sa.String(length=8), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("lang")
