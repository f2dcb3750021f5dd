"""One KPI figure explained: its used value, inputs and comparison, and for a register figure
the entity figures and register rows behind it (``esg kpi explain``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from esgledger.catalog import metric as catalog_metric
from esgledger.errors import InvalidInput, NotFound
from esgledger.kpi.figures import dims_text, parse_dims
from esgledger.kpi.registered import register_lineage
from esgledger.kpi.scope import Scopes
from esgledger.kpi.values import kpi_table


def explain_figure(
    session: Session, metric_id: str, year: int, *, dims: str = "", boundary: str | None = None
) -> dict[str, Any]:
    """``{"figure", "register_rows"}`` for one metric, breakdown and year."""
    catalog_metric(metric_id)  # unknown metric: NotFound naming `esg metrics list`
    if any("=" not in part for part in dims.split(";") if part):
        raise InvalidInput(f"--dims {dims!r}: give NAME=VALUE pairs joined by ';'")
    key = (metric_id, dims_text(parse_dims(dims)))
    figure = kpi_table(session, year, boundary=boundary).get(key)
    if figure is None:
        raise NotFound(f"{metric_id} has no figure for breakdown {dims!r} in {year}")
    registered = figure.source == "register" or (
        figure.comparison is not None and figure.comparison.get("recomputed_source") == "register"
    )
    scopes = Scopes(session, year, override=boundary)
    rows = register_lineage(session, year, scopes, metric_id, key[1]) if registered else []
    return {"figure": figure.as_dict(), "register_rows": rows}
