"""A calculation run's stored totals, parsed once per text.

A run's ``totals`` column holds its canonical JSON; runs stored before the Scope 3 lines got
their own table (``calculation_scope3_lines``) hold those lines too: several MB for a group
that sells products in a hundred countries. A KPI table reads one figure after
another from the same run, so parsing the text for each figure cost seconds per page. The
parsed value is shared: callers read it and never change it.

Runs stored before Scope 3 said "not available" (#15) hold ``scope3_tco2e: 0.0`` where no
Scope 3 row was computed. They are read, here and so by every reader (``esg calc show``,
``esg calc runs``, KPIs, pages, the report), as having no Scope 3 figure, with a reason that
says the run was stored before and how to get a figure: recomputing on read would give a
figure the run never stored, under the run's id, and a run's figures are what was stored.
The stored text is left unchanged (its audit digest vouches for it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=16)
def stored_totals(text: str) -> Mapping[str, Any]:
    """The parsed totals of a run (read-only: the same object is handed to every caller)."""
    parsed: dict[str, Any] = json.loads(text)
    return _stored_zero_read_as_missing(parsed)


STORED_BEFORE = 'stored before Scope 3 said "not available"'


def _stored_zero_read_as_missing(parsed: dict[str, Any]) -> dict[str, Any]:
    """A 0.0 Scope 3 total with no category calculated and no reason: a run of before."""
    totals = parsed.get("totals") or {}
    scope3 = parsed.get("scope3") or {}
    if totals.get("scope3_tco2e") != 0.0 or scope3.get("total_reason"):
        return parsed
    categories = (scope3.get("by_category") or {}).values()
    if any(block.get("status") == "calculated" for block in categories):
        return parsed
    reason = (
        f"not available: this run was {STORED_BEFORE} and holds 0.0 for a Scope 3 no row "
        "computed; run `esg calc` for its year again for a figure"
    )
    return {
        **parsed,
        "totals": {**totals, "scope3_tco2e": None},
        "scope3": {"by_category": {}, "incomplete": False, **scope3, "total_reason": reason},
    }
