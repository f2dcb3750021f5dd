"""How Scope 3 joins a run: its total, its unresolved rows and its per-category block."""

from __future__ import annotations

from typing import Any

import polars as pl

from esgledger.calc.engine import EngineOutput
from esgledger.calc.scope3.engine import Scope3Output


def merge_scope3(out: EngineOutput, scope3: Scope3Output) -> None:
    """Scope 3 into the run's output: ``scope3_tco2e`` in the totals (with boundary shares),
    its unresolved rows beside Scope 1/2's (so the run is incomplete and says so wherever
    it is read), its factors in the run's editions, and the by-category block. The lines
    are stored in their own table (``stored_lines``), not in the totals."""
    out.totals["scope3_tco2e"] = scope3.total_tco2e  # None: no figure (never 0)
    if scope3.unresolved.height:
        # a chunked run's texts kept as codes stay codes (not the whole column as text again)
        codes = {c: t for c, t in out.unresolved.schema.items() if t == pl.Categorical}
        lines = scope3.unresolved.cast({c: t for c, t in codes.items() if c in scope3.unresolved})
        out.unresolved = pl.concat([out.unresolved, lines], how="vertical_relaxed")
    out.factors_used = sorted({*out.factors_used, *scope3.factors_used})
    for line in scope3.lines:
        if line["used"]:
            figures = out.by_activity.setdefault(line["activity"], {})
            figures["scope3_tco2e"] = figures.get("scope3_tco2e", 0.0) + line["tco2e"]
    out.scope3 = {
        "by_category": scope3.by_category,
        "incomplete": scope3.incomplete,
        **({"screening_gaps": scope3.gaps} if scope3.gaps else {}),
        **(
            {"total_reason": scope3.total_reason, "total_reason_why": scope3.total_reason_why}
            if scope3.total_reason
            else {}
        ),
    }


def scope3_summary(stored: dict[str, Any] | None) -> dict[str, Any]:
    """The stored block as ``esg calc --json`` shows it (older runs also hold their lines)."""
    if not stored:
        return {"by_category": {}, "incomplete": False}
    reason = stored.get("total_reason")
    return {
        "by_category": stored["by_category"],
        "incomplete": stored["incomplete"],
        **({"total_reason": reason} if reason else {}),
    }


def with_screening_gaps(figures: list[str], scope3: dict[str, Any]) -> list[str]:
    """The run's short totals plus ``scope3_tco2e`` when a category screened relevant has no
    figure: the Scope 3 total then misses it, and says so wherever totals are shown."""
    if scope3.get("screening_gaps") and "scope3_tco2e" not in figures:
        return [*figures, "scope3_tco2e"]
    return figures
