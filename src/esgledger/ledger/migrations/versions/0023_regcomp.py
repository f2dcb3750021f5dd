"""complaints, NPS answers, product-security vulnerabilities and register SLA settings

Revision ID: 0023_regcomp
Revises: 0022_registers
Create Date: 2026-12-04 14:00:00

Customer complaints with the entry time of each state of their loop, NPS survey answers
(0-10) per segment, product-security vulnerabilities with their CVSS v3.1 base score and
the entry time of each state, and the SLA hours a workspace set per register, severity and
state (#17).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_regcomp"
down_revision: str | None = "0022_registers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "register_slas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("register", sa.String(length=24), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_slas")),
        sa.UniqueConstraint(
            "register", "severity", "state", name=op.f("uq_register_slas_register")
        ),
    )
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("product_line", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=True),
        sa.Column("processing_at", sa.DateTime(), nullable=True),
        sa.Column("return_visit_at", sa.DateTime(), nullable=True),
        sa.Column("filed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("state_changed_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_complaints_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_complaints_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("ref", name=op.f("uq_complaints_ref")),
    )
    op.create_index(op.f("ix_complaints_accepted_at"), "complaints", ["accepted_at"], unique=False)
    op.create_index(op.f("ix_complaints_batch_id"), "complaints", ["batch_id"], unique=False)
    op.create_index(op.f("ix_complaints_closed_at"), "complaints", ["closed_at"], unique=False)
    op.create_table(
        "nps_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("segment", sa.String(length=32), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_nps_answers_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_nps_answers_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nps_answers")),
    )
    op.create_index(
        op.f("ix_nps_answers_answered_on"), "nps_answers", ["answered_on"], unique=False
    )
    op.create_index(op.f("ix_nps_answers_batch_id"), "nps_answers", ["batch_id"], unique=False)
    op.create_table(
        "vulnerabilities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("product_line", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("cvss_score", sa.Float(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("cve_id", sa.String(length=32), nullable=False),
        sa.Column("intake_at", sa.DateTime(), nullable=False),
        sa.Column("triage_at", sa.DateTime(), nullable=True),
        sa.Column("fixing_at", sa.DateTime(), nullable=True),
        sa.Column("fixed_at", sa.DateTime(), nullable=True),
        sa.Column("advisory_published_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("state_changed_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_vulnerabilities_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_vulnerabilities_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vulnerabilities")),
        sa.UniqueConstraint("ref", name=op.f("uq_vulnerabilities_ref")),
    )
    op.create_index(
        op.f("ix_vulnerabilities_batch_id"), "vulnerabilities", ["batch_id"], unique=False
    )
    op.create_index(
        op.f("ix_vulnerabilities_fixed_at"), "vulnerabilities", ["fixed_at"], unique=False
    )
    op.create_index(
        op.f("ix_vulnerabilities_intake_at"), "vulnerabilities", ["intake_at"], unique=False
    )


def downgrade() -> None:
    op.drop_table("vulnerabilities")
    op.drop_table("nps_answers")
    op.drop_table("complaints")
    op.drop_table("register_slas")
