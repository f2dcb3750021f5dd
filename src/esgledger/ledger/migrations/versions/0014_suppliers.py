"""supplier register

Revision ID: 0014_suppliers
Revises: 0013_scale
Create Date: 2026-12-03 21:40:00

Suppliers with their sites, contacts, signed agreements and certifications, onboarding
screenings, risk-tier history, audits and their findings (issue #16).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_suppliers"
down_revision: str | None = "0013_scale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHILDREN = (
    "supplier_sites",
    "supplier_contacts",
    "supplier_agreements",
    "supplier_certifications",
    "supplier_screenings",
    "supplier_tiers",
    "supplier_audits",
)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _batch_and_version() -> list[sa.Column[int]]:
    return [
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _batch_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["batch_id"], ["import_batches.id"], name=f"fk_{table}_batch_id_import_batches"
    )


def _supplier_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["supplier_id"], ["suppliers.id"], name=f"fk_{table}_supplier_id_suppliers"
    )


def _evidence_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["evidence_id"], ["evidence_files.id"], name=f"fk_{table}_evidence_id_evidence_files"
    )


def upgrade() -> None:
    op.create_table(
        "suppliers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_group", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("commodities", sa.String(length=400), nullable=False),
        sa.Column("spend", sa.Float(), nullable=True),
        sa.Column("spend_unit", sa.String(length=8), nullable=True),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("onboarded_on", sa.Date(), nullable=True),
        *_batch_and_version(),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name="fk_suppliers_entity_id_entities"
        ),
        _batch_fk("suppliers"),
        sa.PrimaryKeyConstraint("id", name="pk_suppliers"),
    )
    op.create_index("ix_suppliers_entity_id", "suppliers", ["entity_id"])
    op.create_table(
        "supplier_sites",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("address", sa.String(length=400), nullable=False),
        *_batch_and_version(),
        _supplier_fk("supplier_sites"),
        _batch_fk("supplier_sites"),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_sites"),
        sa.UniqueConstraint("supplier_id", "name", name="uq_supplier_sites_supplier_id"),
    )
    op.create_table(
        "supplier_contacts",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        *_batch_and_version(),
        _supplier_fk("supplier_contacts"),
        _batch_fk("supplier_contacts"),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_contacts"),
        sa.UniqueConstraint("supplier_id", "email", name="uq_supplier_contacts_supplier_id"),
    )
    op.create_table(
        "supplier_agreements",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        *_batch_and_version(),
        _supplier_fk("supplier_agreements"),
        _evidence_fk("supplier_agreements"),
        _batch_fk("supplier_agreements"),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_agreements"),
        sa.UniqueConstraint(
            "supplier_id", "kind", "signed_on", name="uq_supplier_agreements_supplier_id"
        ),
    )
    op.create_table(
        "supplier_certifications",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("standard", sa.String(length=100), nullable=False),
        sa.Column("certificate", sa.String(length=100), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        *_batch_and_version(),
        _supplier_fk("supplier_certifications"),
        _evidence_fk("supplier_certifications"),
        _batch_fk("supplier_certifications"),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_certifications"),
        sa.UniqueConstraint(
            "supplier_id",
            "standard",
            "certificate",
            name="uq_supplier_certifications_supplier_id",
        ),
    )
    op.create_table(
        "supplier_screenings",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("screened_on", sa.Date(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("environmental", sa.Boolean(), nullable=False),
        sa.Column("social", sa.Boolean(), nullable=False),
        sa.Column("unmet", sa.Text(), nullable=False),
        sa.Column("policy_sha256", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        _supplier_fk("supplier_screenings"),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_screenings"),
    )
    op.create_table(
        "supplier_tiers",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("dimensions", sa.Text(), nullable=False),
        sa.Column("policy_sha256", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        _supplier_fk("supplier_tiers"),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_tiers"),
    )
    op.create_table(
        "supplier_audits",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("site_id", BIG_ID, nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("report_on", sa.Date(), nullable=True),
        sa.Column("auditor", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _supplier_fk("supplier_audits"),
        sa.ForeignKeyConstraint(
            ["site_id"], ["supplier_sites.id"], name="fk_supplier_audits_site_id_supplier_sites"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_audits"),
    )
    op.create_table(
        "supplier_findings",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("audit_id", BIG_ID, nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("family", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("plan_due", sa.Date(), nullable=True),
        sa.Column("root_cause", sa.Text(), nullable=False),
        sa.Column("corrective", sa.Text(), nullable=False),
        sa.Column("preventive", sa.Text(), nullable=False),
        sa.Column("planned_completion", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["supplier_audits.id"],
            name="fk_supplier_findings_audit_id_supplier_audits",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_findings"),
    )
    op.create_index("ix_supplier_findings_audit_id", "supplier_findings", ["audit_id"])
    for table in CHILDREN:
        op.create_index(f"ix_{table}_supplier_id", table, ["supplier_id"])


def downgrade() -> None:
    op.drop_index("ix_supplier_findings_audit_id", table_name="supplier_findings")
    op.drop_table("supplier_findings")
    for table in reversed(CHILDREN):
        op.drop_index(f"ix_{table}_supplier_id", table_name=table)
        op.drop_table(table)
    op.drop_index("ix_suppliers_entity_id", table_name="suppliers")
    op.drop_table("suppliers")
