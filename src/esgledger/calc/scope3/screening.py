"""The year's screening applied to the per-category figures of a run.

A category screened not relevant (and without data) is ``excluded`` with its reason; a
relevant one without a figure stays ``not_available`` and leaves Scope 3 incomplete. A
category screened out that has data anyway keeps its figure (no tonne is dropped silently)
and says that the screening and the data disagree. Shares of the Scope 3 total are computed
from the run, never typed.
"""

from __future__ import annotations

import math
from typing import Any

from esgledger.catalog.scope3_screening import DATA_QUALITY, REASONS


def apply_screening(
    by_category: dict[str, dict[str, Any]], screening: list[dict[str, Any]]
) -> list[str]:
    """Statuses, reasons, data quality and shares in ``by_category`` (changed in place);
    returns the categories screened relevant that have no figure (Scope 3 is incomplete)."""
    screened = {s["category"]: s for s in screening}
    gaps: list[str] = []
    for key, block in by_category.items():
        entry = screened.get(key)
        block["screening"] = _public(entry) if entry else None
        block["data_quality"] = entry["data_quality"] if entry else None
        if entry is None:
            continue
        if block["method"] is None and entry["method"]:
            block["method"] = entry["method"]
        why = _why(entry)
        if block.get("left_out"):
            block["reason"] = _left_out_reason(block["left_out"], why)
        if block["status"] == "calculated":
            if not entry["relevant"]:
                block["reason"] = (
                    f"screened not relevant ({why}) but {key} has calculated rows: "
                    "the figure counts; review the screening"
                )
            continue
        if entry["relevant"]:
            block["incomplete"] = True
            gaps.append(key)
            if not block["unresolved_rows"]:
                block["reason"] = f"not available: screened relevant ({why}) but no activity data"
        elif not block["unresolved_rows"]:
            block["status"] = "excluded"
            block["reason"] = why
    total = math.fsum(b["tco2e"] for b in by_category.values() if b["tco2e"] is not None)
    for block in by_category.values():
        block["share"] = block["tco2e"] / total if block["tco2e"] is not None and total else None
    return gaps


def _left_out_reason(parts: list[dict[str, Any]], why: str) -> str:
    what = ", ".join(f"{p['activity']} ({p['rows']} rows)" for p in parts)
    return f"left out by the screening: {what}; {why}"


def _why(entry: dict[str, Any]) -> str:
    note = entry["note"].strip() or REASONS[entry["reason"]]
    return f"{entry['reason']}: {note}"


def _public(entry: dict[str, Any]) -> dict[str, Any]:
    quality = entry["data_quality"]
    return {
        "relevant": entry["relevant"],
        "reason": entry["reason"],
        "note": entry["note"],
        "method": entry["method"],
        "data_quality": quality,
        "data_quality_label": DATA_QUALITY.get(quality) if quality else None,
        "batch": entry["batch"],
    }
