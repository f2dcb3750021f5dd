"""certificate claims: one live instrument row per certificate id

Revision ID: 0026_scope3b
Revises: 0025_regcert
Create Date: 2026-12-04 16:10:00

The ``certificate_claims`` table, keyed by certificate id, makes the database refuse a
second claim on one certificate (GHG Protocol Scope 2 Guidance, ch. 7, Table 7.1, criterion
2) whatever path writes it (#15). Filled from the live ledger instrument rows: when older
data holds an id twice, the lowest row id keeps the claim and the later rows stay unclaimed
(the calculation's own check of criterion 2 still finds them within a year). Rows of the
activity store, whose attributes sit in Parquet files, claim from their next import on.
"""

import json
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_scope3b"
down_revision: str | None = "0025_regcert"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IDS = re.compile(r"[;,\s]+")


def upgrade() -> None:
    claims = op.create_table(
        "certificate_claims",
        sa.Column("certificate_id", sa.String(length=128), nullable=False),
        sa.Column(
            "activity_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_certificate_claims_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("certificate_id", name=op.f("pk_certificate_claims")),
    )
    op.create_index(
        op.f("ix_certificate_claims_activity_id"), "certificate_claims", ["activity_id"]
    )
    op.create_index(op.f("ix_certificate_claims_batch_id"), "certificate_claims", ["batch_id"])
    rows = op.get_bind().execute(
        sa.text(
            "SELECT id, batch_id, attributes FROM activity_records WHERE voided_at IS NULL "
            "AND attributes IS NOT NULL AND attributes <> '' AND activity IN "
            "('certificate.renewable_electricity', 'contract.renewable_ppa') ORDER BY id"
        )
    )
    seen: set[str] = set()
    values = []
    for row_id, batch_id, attributes in rows:
        cell = json.loads(attributes).get("certificate_ids") or ""
        for cert in (i for i in _IDS.split(str(cell)) if i and len(i) <= 128):
            if cert not in seen:
                seen.add(cert)
                values.append({"certificate_id": cert, "activity_id": row_id, "batch_id": batch_id})
    if values:
        op.bulk_insert(claims, values)


def downgrade() -> None:
    op.drop_index(op.f("ix_certificate_claims_batch_id"), table_name="certificate_claims")
    op.drop_index(op.f("ix_certificate_claims_activity_id"), table_name="certificate_claims")
    op.drop_table("certificate_claims")
