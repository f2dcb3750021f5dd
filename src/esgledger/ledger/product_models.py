"""Product models for Scope 3 categories 11 and 12: what one sold unit draws in use and is
made of.

Same conventions as :mod:`esgledger.ledger.models`. A model is written once, by one import
batch, with its use modes and materials: a changed product is a new model code (a past run's
figures must stay explainable), so the rows carry the batch that wrote them and its digest
covers them. Units sold are activity records (``product.sold``), not rows here.
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.ledger.models import Base, BigId


class ProductModel(Base):
    """A sold product model: its lifetime in years, with the low and high of the range the
    use-phase sensitivity is computed over."""

    __tablename__ = "product_models"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    lifetime_years: Mapped[float] = mapped_column(Float)
    lifetime_low_years: Mapped[float] = mapped_column(Float)
    lifetime_high_years: Mapped[float] = mapped_column(Float)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)


class ProductUseMode(Base):
    """One operating mode of a model (active, standby…): power and hours per year."""

    __tablename__ = "product_use_modes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    product_code: Mapped[str] = mapped_column(ForeignKey("product_models.code"), index=True)
    mode: Mapped[str] = mapped_column(String(64))
    power_w: Mapped[float] = mapped_column(Float)
    hours_per_year: Mapped[float] = mapped_column(Float)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)

    __table_args__ = (UniqueConstraint("product_code", "mode"),)


class ProductMaterial(Base):
    """Mass of one material of a model and how it is treated at end of life."""

    __tablename__ = "product_materials"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    product_code: Mapped[str] = mapped_column(ForeignKey("product_models.code"), index=True)
    material: Mapped[str] = mapped_column(String(64))
    treatment: Mapped[str] = mapped_column(String(64))
    mass_kg: Mapped[float] = mapped_column(Float)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)

    __table_args__ = (UniqueConstraint("product_code", "material", "treatment"),)
