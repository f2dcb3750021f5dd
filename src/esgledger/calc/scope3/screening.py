"""The year's screening applied to the per-category figures of a run.

A category screened not relevant (and without data) is ``excluded`` with its reason; a
relevant one without a figure stays ``not_available`` and leaves Scope 3 incomplete. A
category screened out that has data anyway keeps its figure (no tonne is dropped silently)
and says that the screening and the data disagree. Shares of the Scope 3 total are computed
from the run, never typed. Each reason is stored with its codes (``reason_why``, #19).
"""

from __future__ import annotations

import math
from typing import Any

from esgledger.catalog.scope3_run_reasons import Why, coded, reason
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
            _set(block, _left_out_reason(block["left_out"], why))
        if block["status"] == "calculated":
            if not entry["relevant"]:
                said = coded("scope3_screened_out_calculated", note=_said(why), category=key)
                _set(block, [said, *why])
            continue
        if entry["relevant"]:
            block["incomplete"] = True
            gaps.append(key)
            if not block["unresolved_rows"]:
                _set(block, [coded("scope3_relevant_without_data", note=_said(why)), *why])
        elif not block["unresolved_rows"]:
            block["status"] = "excluded"
            _set(block, why)
    total = math.fsum(b["tco2e"] for b in by_category.values() if b["tco2e"] is not None)
    for block in by_category.values():
        block["share"] = block["tco2e"] / total if block["tco2e"] is not None and total else None
    return gaps


def _set(block: dict[str, Any], why: list[Why]) -> None:
    """A block's reason: its English sentence and, beside it, its codes."""
    block["reason"], block["reason_why"] = reason(why)


def _said(why: list[Why]) -> str:
    """The English of the screening's reason (a note inside another reason)."""
    return reason(why)[0] or ""


def _left_out_reason(parts: list[dict[str, Any]], why: list[Why]) -> list[Why]:
    activities = [{"activity": p["activity"], "rows": p["rows"]} for p in parts]
    return [coded("scope3_left_out", activities=activities, note=_said(why)), *why]


def _why(entry: dict[str, Any]) -> list[Why]:
    """The screening's reason: its criterion with the note entered, else the criterion's
    own words."""
    note = entry["note"].strip()
    if note:
        return [coded("screening_entered", criterion=entry["reason"], entered=note)]
    return [coded("screening_default", criterion=entry["reason"], default=REASONS[entry["reason"]])]


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
