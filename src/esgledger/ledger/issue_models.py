"""A calculation run's unresolved activity rows, one row per group of them.

A run used to store one ``calculation_issues`` row per unresolved activity row and quantity:
1.2 M rows at 10⁷ activity rows, each written, digested and read back by the checks. Rows
of one entity, activity type, quantity and reason share everything but their id, so they
are stored once with their count and their activity ids (runs of consecutive ids written
``first-last``): lineage stays exact, a reader still lists every unresolved row. Runs stored
before this table keep their rows in ``calculation_issues`` (their digests cover them) and
readers take both (#18).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.ledger.models import Base, BigId


class CalculationIssueGroup(Base):
    """Activity rows of one entity, type, quantity and reason a run could not compute."""

    __tablename__ = "calculation_issue_groups"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("calculation_runs.id"), index=True)
    entity_id: Mapped[str] = mapped_column(String(64))
    activity: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    row_count: Mapped[int] = mapped_column(BigInteger)
    # the smallest id, so readers can take the first rows in id order without expanding all
    first_activity_id: Mapped[int] = mapped_column(BigId)
    activity_ids: Mapped[str] = mapped_column(Text)  # "3-7,12,15-16": ids in ascending order
