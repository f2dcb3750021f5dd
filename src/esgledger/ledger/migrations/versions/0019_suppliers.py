"""supplier self-assessment questionnaires

Revision ID: 0019_suppliers
Revises: 0018_scope3c
Create Date: 2026-12-04 07:20:00

Questionnaires (SAQ) as defined, the one-time links that send them to suppliers with the
answers and score each link brought back, and the evidence files uploaded with answers
(issue #16).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_suppliers"
down_revision: str | None = "0018_scope3c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supplier_questionnaires",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_questionnaires")),
        sa.UniqueConstraint("name", name=op.f("uq_supplier_questionnaires_name")),
    )
    op.create_table(
        "supplier_saq_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answers", sa.Text(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["supplier_questionnaires.id"],
            name=op.f("fk_supplier_saq_links_questionnaire_id_supplier_questionnaires"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
            name=op.f("fk_supplier_saq_links_supplier_id_suppliers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_saq_links")),
        sa.UniqueConstraint(
            "questionnaire_id",
            "supplier_id",
            name=op.f("uq_supplier_saq_links_questionnaire_id"),
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_supplier_saq_links_token_hash")),
    )
    op.create_index(
        op.f("ix_supplier_saq_links_supplier_id"), "supplier_saq_links", ["supplier_id"]
    )
    op.create_table(
        "supplier_saq_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["supplier_saq_links.id"],
            name=op.f("fk_supplier_saq_evidence_link_id_supplier_saq_links"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_saq_evidence")),
    )
    op.create_index(op.f("ix_supplier_saq_evidence_link_id"), "supplier_saq_evidence", ["link_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_supplier_saq_evidence_link_id"), table_name="supplier_saq_evidence")
    op.drop_table("supplier_saq_evidence")
    op.drop_index(op.f("ix_supplier_saq_links_supplier_id"), table_name="supplier_saq_links")
    op.drop_table("supplier_saq_links")
    op.drop_table("supplier_questionnaires")
