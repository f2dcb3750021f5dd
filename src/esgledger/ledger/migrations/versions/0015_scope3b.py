"""product models for Scope 3 categories 11 and 12

Revision ID: 0015_scope3b
Revises: 0014_suppliers
Create Date: 2026-12-03 21:30:00

Product models (lifetime with its low/high range), their use modes (power, hours per year)
and materials (mass, end-of-life treatment), each written once by an import batch (#15).
Units sold are activity records (``product.sold``) and need no table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_scope3b"
down_revision: str | None = "0014_suppliers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _batch_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["batch_id"], ["import_batches.id"], name=op.f(f"fk_{table}_batch_id_import_batches")
    )


def _product_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["product_code"],
        ["product_models.code"],
        name=op.f(f"fk_{table}_product_code_product_models"),
    )


def upgrade() -> None:
    op.create_table(
        "product_models",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("lifetime_years", sa.Float(), nullable=False),
        sa.Column("lifetime_low_years", sa.Float(), nullable=False),
        sa.Column("lifetime_high_years", sa.Float(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        _batch_fk("product_models"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_product_models")),
    )
    op.create_table(
        "product_use_modes",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("product_code", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=64), nullable=False),
        sa.Column("power_w", sa.Float(), nullable=False),
        sa.Column("hours_per_year", sa.Float(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        _batch_fk("product_use_modes"),
        _product_fk("product_use_modes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_use_modes")),
        sa.UniqueConstraint("product_code", "mode", name=op.f("uq_product_use_modes_product_code")),
    )
    op.create_table(
        "product_materials",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("product_code", sa.String(length=64), nullable=False),
        sa.Column("material", sa.String(length=64), nullable=False),
        sa.Column("treatment", sa.String(length=64), nullable=False),
        sa.Column("mass_kg", sa.Float(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        _batch_fk("product_materials"),
        _product_fk("product_materials"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_materials")),
        sa.UniqueConstraint(
            "product_code", "material", "treatment", name=op.f("uq_product_materials_product_code")
        ),
    )
    for table in ("product_models", "product_use_modes", "product_materials"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_batch_id"), ["batch_id"], unique=False)
    for table in ("product_use_modes", "product_materials"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f(f"ix_{table}_product_code"), ["product_code"], unique=False
            )


def downgrade() -> None:
    for table in ("product_materials", "product_use_modes", "product_models"):
        op.drop_table(table)
