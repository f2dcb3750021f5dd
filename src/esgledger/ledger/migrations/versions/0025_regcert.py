"""certification, assurance and giving registers: certificates, engagements, donations

Revision ID: 0025_regcert
Revises: 0024_store
Create Date: 2026-12-04 13:55:00

Certificates held by entities or for product models (standard, body, number, validity,
surveillance audits); external assurance engagements (provider, standard, level, scope,
statement); donations in their own currency, volunteer hours by programme, and the
user-imported exchange rates (with their source) that convert donations (#17).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0025_regcert"
down_revision: str | None = "0024_store"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id_batch(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f(f"fk_{table}_batch_id_import_batches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _entity(table: str) -> list[Any]:
    return [
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f(f"fk_{table}_entity_id_entities")
        ),
    ]


def _index(table: str, column: str, unique: bool = False) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=unique)


def upgrade() -> None:
    op.create_table(
        "certificates",
        *_id_batch("certificates"),
        *_entity("certificates"),
        sa.Column("standard", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("body", sa.String(length=128), nullable=False),
        sa.Column("product_model", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("surveillance", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("body", "number", name=op.f("uq_certificates_body")),
    )
    for column in ("batch_id", "standard", "expires_on"):
        _index("certificates", column)
    op.create_table(
        "assurance_engagements",
        *_id_batch("assurance_engagements"),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=128), nullable=False),
        sa.Column("standard", sa.String(length=24), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("metrics", sa.Text(), nullable=False),
        sa.Column("entities", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("statement", sa.String(length=300), nullable=False),
        sa.Column("statement_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("ref", name=op.f("uq_assurance_engagements_ref")),
    )
    for column in ("batch_id", "year"):
        _index("assurance_engagements", column)
    op.create_table(
        "donations",
        *_id_batch("donations"),
        *_entity("donations"),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("programme", sa.String(length=128), nullable=False),
        sa.Column("recipient_type", sa.String(length=24), nullable=False),
        sa.Column("form", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("ref", name=op.f("uq_donations_ref")),
    )
    for column in ("batch_id", "given_on"):
        _index("donations", column)
    op.create_table(
        "volunteer_hours",
        *_id_batch("volunteer_hours"),
        *_entity("volunteer_hours"),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("programme", sa.String(length=128), nullable=False),
        sa.Column("participations", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint(
            "entity_id", "year", "programme", name=op.f("uq_volunteer_hours_entity_id")
        ),
    )
    for column in ("batch_id", "year"):
        _index("volunteer_hours", column)
    op.create_table(
        "currency_rates",
        *_id_batch("currency_rates"),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("quote", sa.String(length=3), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint(
            "currency", "quote", "valid_from", name=op.f("uq_currency_rates_currency")
        ),
    )
    _index("currency_rates", "batch_id")


def downgrade() -> None:
    for table in (
        "currency_rates",
        "volunteer_hours",
        "donations",
        "assurance_engagements",
        "certificates",
    ):
        op.drop_table(table)
