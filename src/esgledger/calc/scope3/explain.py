"""Walking a Scope 3 figure (``ghg.scope3.cat11``) down to its rows, methods and factors.

Scope 3 lines are stored with the run (``stored_lines``), one per (entity, activity, unit,
attributes) group and method: the explanation lists each with its first row ids, the factors
with their citations, the rule that chose them, and whether the method was used or only
shown beside it.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.calc.explain import factor_detail
from esgledger.calc.library import FactorLibrary
from esgledger.calc.scope3.categories import CATEGORIES, category_key
from esgledger.calc.scope3.stored_lines import read_lines
from esgledger.ledger.activity_store import rows_by_id
from esgledger.ledger.models import ActivityRecord, CalculationRun
from esgledger.ledger.run_totals import stored_totals

PRODUCT_KEYS = (
    "product",
    "country",
    "material",
    "treatment",
    "kwh_per_unit_year",
    "lifetime_years",
    "tco2e_low",
    "tco2e_high",
)
_METRIC = re.compile(r"^(?:ghg\.)?scope3(?:\.cat(?P<number>\d{1,2}))?(?:_tco2e)?$")


def scope3_categories_of(metric: str | None) -> list[str] | None:
    """``cat`` keys a metric names (``ghg.scope3.cat11`` → [cat11], ``ghg.scope3`` → all), or
    None when the metric is not a Scope 3 one."""
    match = _METRIC.match(metric or "")
    if match is None:
        return None
    number = match["number"]
    if number is None:
        return [category_key(n) for n in CATEGORIES]
    if int(number) not in CATEGORIES:
        return []
    return [category_key(int(number))]


def explain_scope3(
    session: Session, run: CalculationRun, keys: list[str], *, entity: str | None, limit: int
) -> dict[str, Any]:
    """Figures and contributing lines of the named categories of one stored run."""
    stored = stored_totals(run.totals).get("scope3") or {"by_category": {}}
    library = FactorLibrary.load(session)
    lines = read_lines(session, run, keys, entity=entity)
    firsts = {line["row_ids"][0] for line in lines[:limit] if line["row_ids"]}
    dates = {
        r.id: (r.start.isoformat(), r.end.isoformat())
        for r in session.execute(
            select(ActivityRecord.id, ActivityRecord.start, ActivityRecord.end).where(
                ActivityRecord.id.in_(firsts)
            )
        )
    }
    stored_rows = rows_by_id(session, firsts - set(dates))  # rows of the activity store
    dates |= {i: (r.start.isoformat(), r.end.isoformat()) for i, r in stored_rows.items()}
    figures = {}
    for key in keys:
        category = stored["by_category"].get(key, {})
        used = [line for line in lines if line["category"] == key and line["used"]]
        figures[f"scope3.{key}"] = {
            "value": sum(line["tco2e"] for line in used) if used else None,
            "unit": "tCO2e",
            "rows": sum(line["rows"] for line in used),
            "incomplete": bool(category.get("incomplete")),
            "status": category.get("status", "not_available"),
            "method": category.get("method"),
            "reason": category.get("reason"),
            **({"range": category["range"]} if "range" in category else {}),
        }
    rows = [_row(line, dates, library) for line in lines[:limit]]
    return {
        "run_id": run.id,
        "year": run.year,
        "entity": entity,
        "figures": figures,
        "rows": rows,
        "rows_shown": len(rows),
    }


def _row(
    line: dict[str, Any], dates: dict[int, tuple[str, str]], library: FactorLibrary
) -> dict[str, Any]:
    first = line["row_ids"][0] if line["row_ids"] else None
    start, end = dates.get(first, ("", "")) if first is not None else ("", "")
    used = "used" if line["used"] else "shown beside the used method, not counted"
    return {
        "activity_id": first,
        "row_ids": line["row_ids"],
        "rows": line["rows"],
        "entity": line["entity_id"],
        "start": start,
        "end": end,
        "activity": line["activity"],
        "category": line["category"],
        "method": line["method"],
        "used": line["used"],
        "quantity": line["quantity"],
        "unit": line["unit"],
        "result": "scope3",
        "gas": "CO2e",
        "value": line["tco2e"],
        "value_unit": "t",
        "co2e_t": line["tco2e"],
        "multiplier": line["tco2e"] / line["quantity"] if line["quantity"] else 0.0,
        "share": line["share"],
        "covered_by_instruments": None,
        "factors": [factor_detail(library, f) for f in line["factor_ids"]],
        "rule": f"{line['method']} ({used}; {line['rows']} rows): {line['rule']}",
        "flags": line["flags"],
        # categories 11 and 12: the product model, the country of sale and the range
        **{k: line[k] for k in PRODUCT_KEYS if k in line},
    }
