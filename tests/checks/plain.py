"""Check rules over KPI rows built in memory: no database, no migrations (#20).

Rules that read only the stored rows of the span (duplicates in the history, units and
definitions, restatements, labels without values) take them from the context's
:class:`~esgledger.kpi.inputs.StoredInputs`; a context given inputs covering its span never
asks its session for them, so these tests give it none.
"""

from __future__ import annotations

import itertools
from typing import Any, cast

from sqlalchemy.orm import Session

from esgledger.checks.context import SPAN, CheckContext
from esgledger.kpi.inputs import StoredInputs
from esgledger.ledger.kpi_rows import KpiRow

ROOT = "GRP"
_ids = itertools.count(1)


def row(metric: str, value: float | None, unit: str, year: int = 2025, **extra: Any) -> KpiRow:
    """A stored KPI row with the defaults an import gives (current, exact, reported)."""
    fields: dict[str, Any] = {
        "id": next(_ids),
        "entity_id": ROOT,
        "year": year,
        "metric_id": metric,
        "dims": "",
        "value": value,
        "decimals": None,
        "unit": unit,
        "status": "reported",
        "qualifier": "exact",
        "preliminary": False,
        "source": "",
        "note": "",
        "is_current": True,
        "restates_id": None,
        "restatement_reason": "",
        "batch_id": None,
        "pending": False,
    }
    fields.update(extra)
    return KpiRow(**fields)


def context(year: int, *rows: KpiRow) -> CheckContext:
    """A run of the checks of ``year`` over these rows (oldest first) and nothing else."""
    first = year - SPAN + 1
    inputs = StoredInputs(first, year, sorted(rows, key=lambda r: r.id), {})
    # no session: a rule that reached for the database would fail on None
    return CheckContext(session=cast(Session, None), year=year, inputs=inputs)
