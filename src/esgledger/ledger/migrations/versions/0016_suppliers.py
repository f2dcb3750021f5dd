"""conflict minerals

Revision ID: 0016_suppliers
Revises: 0015_scope3b
Create Date: 2026-12-04 04:20:00

Suppliers' CMRT/EMRT declarations with their smelter rows, and the conformant-smelter list
the user imports (issue #16).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_suppliers"
down_revision: str | None = "0015_scope3b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _batch_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["batch_id"], ["import_batches.id"], name=f"fk_{table}_batch_id_import_batches"
    )


def upgrade() -> None:
    op.create_table(
        "mineral_declarations",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("template", sa.String(length=4), nullable=False),
        sa.Column("version", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("company_name", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("in_use", sa.String(length=200), nullable=False),
        sa.Column("products", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name="fk_mineral_declarations_supplier_id_suppliers"
        ),
        _batch_fk("mineral_declarations"),
        sa.PrimaryKeyConstraint("id", name="pk_mineral_declarations"),
        sa.UniqueConstraint("supplier_id", "sha256", name="uq_mineral_declarations_supplier_id"),
    )
    op.create_index("ix_mineral_declarations_supplier_id", "mineral_declarations", ["supplier_id"])
    op.create_table(
        "mineral_smelters",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("declaration_id", BIG_ID, nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("metal", sa.String(length=32), nullable=False),
        sa.Column("smelter_id", sa.String(length=9), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["mineral_declarations.id"],
            name="fk_mineral_smelters_declaration_id_mineral_declarations",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mineral_smelters"),
    )
    op.create_index("ix_mineral_smelters_declaration_id", "mineral_smelters", ["declaration_id"])
    op.create_index("ix_mineral_smelters_smelter_id", "mineral_smelters", ["smelter_id"])
    op.create_table(
        "conformant_smelters",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("smelter_id", sa.String(length=9), nullable=False),
        sa.Column("metal", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        _batch_fk("conformant_smelters"),
        sa.PrimaryKeyConstraint("id", name="pk_conformant_smelters"),
        sa.UniqueConstraint("smelter_id", "metal", name="uq_conformant_smelters_smelter_id"),
    )


def downgrade() -> None:
    op.drop_table("conformant_smelters")
    op.drop_index("ix_mineral_smelters_smelter_id", table_name="mineral_smelters")
    op.drop_index("ix_mineral_smelters_declaration_id", table_name="mineral_smelters")
    op.drop_table("mineral_smelters")
    op.drop_index("ix_mineral_declarations_supplier_id", table_name="mineral_declarations")
    op.drop_table("mineral_declarations")
