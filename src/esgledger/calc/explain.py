"""Walking a stored figure down to its activity rows, factors, multipliers and rules."""

from __future__ import annotations

import json
import math
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.calc.library import FactorLibrary
from esgledger.calc.lineage import result_rows
from esgledger.calc.options import edition_rule_of
from esgledger.calc.rollup import TOTAL_OF_QUANTITY
from esgledger.calc.runs import get_run
from esgledger.catalog import factors as shipped
from esgledger.catalog import metrics
from esgledger.errors import InvalidInput
from esgledger.ledger.activity_store import StoredRow, rows_by_id
from esgledger.ledger.models import ActivityRecord, CalculationCoefficient
from esgledger.ledger.run_totals import stored_totals

QUANTITIES = (
    "energy_direct",
    "energy_indirect",
    "scope1",
    "scope2_location",
    "scope2_market",
    "scope3",
)
ALIASES = {f"{q}_{u}": q for q in QUANTITIES for u in ("tce", "tco2e")}


def quantities_for(metric: str | None) -> tuple[str, ...]:
    """A metric id (``ghg.scope1``), a total key (``scope1_tco2e``) or a quantity name."""
    if metric is None:
        return QUANTITIES
    if metric in QUANTITIES:
        return (metric,)
    if metric in ALIASES:
        return (ALIASES[metric],)
    if metric == "energy_total_tce":
        return ("energy_direct", "energy_indirect")
    found = metrics().get(metric)
    if found is not None and found.calc_key.startswith("calc:"):
        # a line of a total (``scope1_tco2e@refrigerant``) is explained by its total's rows
        return quantities_for(found.calc_key.removeprefix("calc:").partition("@")[0])
    raise InvalidInput(
        f"cannot explain {metric!r}; use a calculated metric (e.g. ghg.scope1) "
        f"or one of {', '.join(QUANTITIES)}"
    )


def factor_detail(library: FactorLibrary, factor_id: str) -> dict[str, Any]:
    rec = library.by_id.get(factor_id)
    if rec is None:
        return {"id": factor_id}
    edition = shipped.factor_editions().get(rec.edition)
    return {
        "id": factor_id,
        "value": rec.value,
        "unit": rec.unit,
        "edition": rec.edition,
        "series": rec.series,
        "region": rec.region,
        "variant": rec.variant or None,
        "status": rec.status,
        "citation": edition.citation if edition else "workspace edition",
    }


def explain(
    session: Session,
    run_id: int,
    *,
    entity: str | None = None,
    metric: str | None = None,
    limit: int = 200,
) -> dict[str, Any]:
    """Figures of one run with every contributing row, in activity order."""
    from esgledger.calc.scope3.explain import explain_scope3, scope3_categories_of  # its user

    run = get_run(session, run_id)
    categories = scope3_categories_of(metric)
    if categories:  # Scope 3 lines are stored per category with the run
        result = explain_scope3(session, run, categories, entity=entity, limit=limit)
        return {"edition_rule": edition_rule_of(json.loads(run.options), run.year), **result}
    wanted = quantities_for(metric)
    coefs = {
        c.coef_id: c
        for c in session.scalars(
            select(CalculationCoefficient).where(CalculationCoefficient.run_id == run.id)
        )
    }
    results = result_rows(session, run, wanted, entity)
    library = FactorLibrary.load(session)
    figures: dict[str, list[float]] = {q: [] for q in wanted}
    without_co2e = dict.fromkeys(wanted, 0)
    for quantity, coef_id, value, co2e in results.select(
        "quantity", "coef_id", "value", "co2e"
    ).iter_rows():
        if coefs[coef_id].unit == "tce":
            figures[quantity].append(value)
        elif co2e is None or math.isnan(co2e):
            without_co2e[quantity] += 1  # never counted as 0: the sum says it is short
        else:
            figures[quantity].append(co2e)
    shown = results.head(limit)
    shown_ids = shown["activity_id"].to_list()
    records: dict[int, ActivityRecord | StoredRow] = {
        r.id: r
        for r in session.scalars(select(ActivityRecord).where(ActivityRecord.id.in_(shown_ids)))
    }
    records |= rows_by_id(session, [i for i in shown_ids if i not in records])
    rows: list[dict[str, Any]] = []
    factor_cache: dict[str, dict[str, Any]] = {}
    for result in shown.iter_rows(named=True):
        record = records[result["activity_id"]]
        coef = coefs[result["coef_id"]]
        factors = []
        for fid in filter(None, coef.factor_ids.split(";")):
            if fid not in factor_cache:
                factor_cache[fid] = factor_detail(library, fid)
            factors.append(factor_cache[fid])
        rows.append(
            {
                "activity_id": record.id,
                "entity": record.entity_id,
                "start": record.start.isoformat(),
                "end": record.end.isoformat(),
                "activity": record.activity,
                "quantity": record.quantity,
                "unit": record.unit,
                "result": result["quantity"],
                "gas": coef.gas or None,
                "value": result["value"],
                "value_unit": coef.unit,
                "co2e_t": result["co2e"],
                "multiplier": coef.multiplier,
                "coefficient": coef.k,
                "gwp": coef.gwp,
                "covered_by_instruments": result["covered"],
                "factors": factors,
                "rule": coef.rule,
                "flags": [f for f in coef.flags.split(";") if f],
            }
        )
    short = set(stored_totals(run.totals).get("incomplete_figures", []))
    return {
        "run_id": run.id,
        "year": run.year,
        "edition_rule": edition_rule_of(json.loads(run.options), run.year),
        "entity": entity,
        "figures": {
            q: _figure(q, v, without_co2e[q], TOTAL_OF_QUANTITY[q] in short)
            for q, v in figures.items()
        },
        "rows": rows,
        "rows_shown": len(rows),
    }


def _figure(
    quantity: str, values: list[float], without_co2e: int, unresolved: bool
) -> dict[str, Any]:
    """One explained sum: incomplete when the run left rows unresolved (`esg calc show`
    lists them) or result rows have no CO2e; not available when no row has a value."""
    figure: dict[str, Any] = {
        "value": math.fsum(values) if values or not without_co2e else None,
        "unit": "tce" if quantity.startswith("energy") else "tCO2e",
        "rows": len(values) + without_co2e,
        "incomplete": unresolved or without_co2e > 0,
    }
    if without_co2e:
        rows = f"{without_co2e} result row{'s' if without_co2e != 1 else ''}"
        figure["reason"] = f"{rows} without a CO2e value left out of the sum" + (
            "; unresolved rows left out too (`esg calc show` lists them)" if unresolved else ""
        )
    return figure
