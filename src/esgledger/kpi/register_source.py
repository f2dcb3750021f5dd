"""Figures that registers yield for the KPI ledger (#16 suppliers, #17 governance and people).

A register (whistleblowing cases, training completions, OHS incidents, suppliers, audits,
CMRT files …) keeps its own rows; the figures it backs are counted from those rows, never
typed. Each register offers one provider: a function that reads its rows for a year and
returns one ``RegisterFigure`` per metric, breakdown and entity, with the ids of the rows
behind it (lineage for ``esg kpi explain``). The KPI tables take these figures with
``source: "register"`` and ``inputs`` naming the register and its row count, compared with
typed values by the same precedence rules as other recomputed figures (``kpi.precedence``).

Providers live at or below the ``kpi`` layer (they read ledger tables); the services that
change register rows (intake, state transitions, SLA clocks) live in their own packages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class RegisterFigure:
    """One counted figure: a metric's value for an entity, breakdown and year."""

    metric: str
    year: int
    entity_id: str
    value: float | None  # None: not available, with the reason in ``note``
    unit: str
    register: str  # e.g. "suppliers", "whistleblowing", "ohs_incidents"
    row_ids: tuple[int | str, ...] = ()  # the register rows counted (lineage): primary keys
    dims: dict[str, str] = field(default_factory=dict)
    note: str = ""
    # The note's parts as codes and values (kpi.register_figures.notes), worded per reader
    note_why: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.row_ids)


RegisterProvider = Callable[[Session, int], list[RegisterFigure]]

# Every register's provider, in a fixed order; a register adds its function here.
PROVIDERS: list[RegisterProvider] = []
