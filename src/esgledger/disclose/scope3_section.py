"""The report's Scope 3 section: each of the 15 categories of the year's calculation run
with its figure, status, method, share and data quality, the exclusions with their
reasons, and the heading the content indices point at (GRI 305-3, IFRS S2 29(a), ESRS E1-6).

Read from the run behind the year's GHG figures (the one the methodology lists), so the
section and the KPI appendix cannot disagree; a category without a figure is printed "not
available" with why, never 0, and an incomplete Scope 3 says so.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from esgledger.kpi.calculated import latest_run
from esgledger.kpi.scope import Scopes
from esgledger.ledger.run_totals import stored_totals

SECTION_ID = "scope3"
# The disclosures the section answers, as ``data-answers`` claims (framework:code).
ANSWERS = ("gri-2021:305-3", "ifrs-s2:29(a)", "esrs-e1:E1-6")
STATUS_TEXT = {
    "calculated": "calculated",
    "excluded": "excluded",
    "not_available": "not available",
}


def category_anchor(key: str) -> str:
    """The id of one category's row: ``scope3-cat1``."""
    return f"{SECTION_ID}-{key}"


def scope3_section(session: Session, year: int) -> dict[str, Any] | None:
    """The section's model, or None when no run of the year computed any Scope 3 block."""
    scope = Scopes(session, year).for_family("energy_ghg")
    run = latest_run(session, year, scope.code)
    if run is None:
        return None
    totals = stored_totals(run.totals)
    stored = totals.get("scope3") or {}
    by_category = stored.get("by_category") or {}
    if not by_category:
        return None
    rows = [_row(key, block) for key, block in by_category.items()]
    total = totals["totals"].get("scope3_tco2e")
    return {
        "id": SECTION_ID,
        "answers": ";".join(ANSWERS),
        "run": run.id,
        "total": _tonnes(total),
        "total_reason": None if total is not None else stored.get("total_reason"),
        "incomplete": bool(stored.get("incomplete")),
        "screened": any(block.get("screening") for block in by_category.values()),
        "rows": rows,
        "exclusions": [r for r in rows if r["status"] == "excluded"],
        "gaps": [r for r in rows if r["status"] == "not available"],
        "left_out": [r for r in rows if r["left_out"]],
    }


def _row(key: str, block: dict[str, Any]) -> dict[str, Any]:
    screening = block.get("screening") or {}
    quality = screening.get("data_quality")
    share = block.get("share")
    return {
        "key": key,
        "anchor": category_anchor(key),
        "number": key.removeprefix("cat"),
        "name": block["name"],
        "tco2e": _tonnes(block["tco2e"]) if block["tco2e"] is not None else "not available",
        "status": STATUS_TEXT.get(block["status"], block["status"]),
        "method": (block.get("method") or "").replace("_", " "),
        "share": f"{share * 100:.1f} %" if share is not None else "—",
        "data_quality": f"{quality} ({screening['data_quality_label']})" if quality else "—",
        "reason": block.get("reason") or "",
        "incomplete": bool(block.get("incomplete")),
        "left_out": bool(block.get("left_out")),  # parts the screening leaves out, in reason
    }


def _tonnes(value: float | None) -> str:
    return f"{value:,.1f}" if value is not None else "not available"
