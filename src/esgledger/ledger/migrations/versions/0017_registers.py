"""whistleblowing register: one-time intake links, cases, messages

Revision ID: 0017_registers
Revises: 0016_suppliers
Create Date: 2026-12-04 04:15:00

Anonymous intake by one-time link (only the token's SHA-256 kept), cases with their state,
investigator, outcome, corrective action and non-retaliation note, and the messages a
reporter and the compliance officers exchange on a case (#17). Widens ``ohs_incidents.state``
to 24 characters: "corrective_action" did not fit on PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_registers"
down_revision: str | None = "0016_suppliers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _entity_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["entity_id"], ["entities.id"], name=op.f(f"fk_{table}_entity_id_entities")
    )


def upgrade() -> None:
    # OHS incidents' state "corrective_action" (17 characters) did not fit String(16) on
    # PostgreSQL; SQLite never enforced the length.
    with op.batch_alter_table("ohs_incidents") as batch:
        batch.alter_column("state", existing_type=sa.String(length=16), type_=sa.String(length=24))
    op.create_table(
        "whistle_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        _entity_fk("whistle_links"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whistle_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_whistle_links_token_hash")),
    )
    op.create_table(
        "whistle_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("case_type", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("passphrase_hash", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("state_changed_at", sa.DateTime(), nullable=False),
        sa.Column("investigator", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("corrective_action", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("retaliation_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_whistle_cases_batch_id_import_batches"),
        ),
        _entity_fk("whistle_cases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whistle_cases")),
        sa.UniqueConstraint("ref", name=op.f("uq_whistle_cases_ref")),
    )
    op.create_index(op.f("ix_whistle_cases_batch_id"), "whistle_cases", ["batch_id"], unique=False)
    op.create_index(
        op.f("ix_whistle_cases_received_at"), "whistle_cases", ["received_at"], unique=False
    )
    op.create_index(
        op.f("ix_whistle_cases_closed_at"), "whistle_cases", ["closed_at"], unique=False
    )
    op.create_table(
        "whistle_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["whistle_cases.id"],
            name=op.f("fk_whistle_messages_case_id_whistle_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whistle_messages")),
    )
    op.create_index(
        op.f("ix_whistle_messages_case_id"), "whistle_messages", ["case_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("whistle_messages")
    op.drop_table("whistle_cases")
    op.drop_table("whistle_links")
    with op.batch_alter_table("ohs_incidents") as batch:
        batch.alter_column("state", existing_type=sa.String(length=24), type_=sa.String(length=16))
