"""api tokens expire

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 11:10:00

Tokens issued before this revision get the default lifetime (90 days) from their issue, so
a forgotten token stops working instead of living forever; live tokens of disabled users are
revoked, as disabling a user now does.
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIFETIME = dt.timedelta(days=90)
TOKENS = sa.table(
    "api_tokens",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("expires_at", sa.DateTime),
    sa.column("revoked_at", sa.DateTime),
    sa.column("revoked_by", sa.String),
)
USERS = sa.table("users", sa.column("id", sa.Integer), sa.column("active", sa.Boolean))


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
    conn = op.get_bind()
    for token_id, created in conn.execute(sa.select(TOKENS.c.id, TOKENS.c.created_at)).all():
        conn.execute(
            TOKENS.update().where(TOKENS.c.id == token_id).values(expires_at=created + LIFETIME)
        )
    disabled = sa.select(USERS.c.id).where(USERS.c.active.is_(False))
    conn.execute(
        TOKENS.update()
        .where(TOKENS.c.revoked_at.is_(None), TOKENS.c.user_id.in_(disabled))
        .values(revoked_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), revoked_by="0007")
    )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
