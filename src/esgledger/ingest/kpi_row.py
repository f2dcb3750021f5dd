"""One KPI value checked without building a table: the data-entry path's shortcut.

Entering one value through a data request ran :func:`esgledger.ingest.kpis.validate_kpis`
over a one-row DataFrame, which cost more than the rest of the write. :func:`plain_kpi_row`
applies the same rules to one row in plain Python, but only where the answer is certain: it
accepts a row only when every rule passes on plainly written cells (ASCII text, a decimal
number without sign, exponent or separators, a four-digit year, a count of decimals in
digits) and otherwise answers None, so the caller runs the table validation, which gives
the refusal with its usual words. An accepted row is exactly the table validation's row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from typing import Any

from esgledger.catalog import dimensions, metrics
from esgledger.ingest.checker import MAX_NUMBER, ROW
from esgledger.ingest.decimals import MAX_DECIMALS, printed_decimals
from esgledger.ingest.kpis import OPTIONAL, QUALIFIERS, STATUS_WORDS, STATUSES, TRUE_WORDS
from esgledger.units import compatible

FIRST_ROW = 2  # the header is row 1
_PLAIN_TEXT = re.compile(r"^[\x20-\x7e\t\n\r\x0b\x0c]*$")  # printable ASCII and whitespace
_DECIMAL = re.compile(r"^\d{1,30}(\.\d{1,30})?$")
_YEAR = re.compile(r"^\d{4}$")
_COUNT = re.compile(r"^\d{1,2}$")


def plain_kpi_row(cells: dict[str, str], known_entities: Collection[str]) -> dict[str, Any] | None:
    """The row :func:`~esgledger.ingest.kpis.validate_kpis` makes of ``cells`` (one KPI
    value: entity, year, metric, value, unit, optional columns and breakdown dimensions),
    or None when it may refuse them or the cells are not plainly written."""
    if not all(isinstance(v, str) and _PLAIN_TEXT.match(v) for v in cells.values()):
        return None
    text = {k: v.strip() for k, v in cells.items()}
    for column in OPTIONAL:
        text.setdefault(column, "")
    metric = metrics().get(text.get("metric", ""))
    if metric is None or text.get("entity") not in known_entities:
        return None
    year = _year(text.get("year", ""))
    status = _status(text["status"], text.get("value", ""))
    qualifier = QUALIFIERS.get(text["qualifier"].lower())
    if year is None or status is None or qualifier is None:
        return None
    value, decimals = _value(text.get("value", ""), text["decimals"], status == "reported")
    if value is _REFUSED or decimals is _REFUSED:
        return None
    unit = text.get("unit", "")
    if not unit or not compatible(unit, metric.unit):
        return None
    dims = _dims(text, metric.dimensions)
    if dims is None:
        return None
    return {
        ROW: FIRST_ROW,
        "entity_id": text["entity"],
        "year": year,
        "metric_id": metric.id,
        "dims": dims,
        "value": value,
        "decimals": decimals,
        "unit": unit,
        "status": status,
        "qualifier": qualifier,
        "preliminary": text["preliminary"].lower() in TRUE_WORDS,
        "source": text["source"],
        "note": text["note"],
        "restatement_reason": text["restatement_reason"],
    }


_REFUSED: Any = object()  # a cell the table validation would flag (or might)


def _year(cell: str) -> int | None:
    if not _YEAR.match(cell) or not 1900 <= int(cell) <= 2100:
        return None
    return int(cell)


def _status(cell: str, value: str) -> str | None:
    status = cell.lower() if cell else STATUS_WORDS.get(value.lower(), "reported")
    return status if status in STATUSES else None


def _value(cell: str, decimals_cell: str, reported: bool) -> tuple[Any, Any]:
    """(value, printed decimals) of a reported number; (None, None) otherwise."""
    if not reported:  # no number may come with another status: only blanks and status words
        plain = cell == "" or cell.lower() in STATUS_WORDS
        return (None, None) if plain and not decimals_cell else (_REFUSED, _REFUSED)
    if not _DECIMAL.match(cell):
        return _REFUSED, _REFUSED
    number = float(cell)
    if not math.isfinite(number) or number > MAX_NUMBER:
        return _REFUSED, _REFUSED
    if decimals_cell:
        given = int(decimals_cell) if _COUNT.match(decimals_cell) else -1
        return (number, given) if 0 <= given <= MAX_DECIMALS else (_REFUSED, _REFUSED)
    return number, printed_decimals(cell)


def _dims(text: dict[str, str], metric_dims: tuple[str, ...]) -> str | None:
    """The breakdown key, or None when a member or the breakdown itself is not allowed."""
    known = dimensions()
    allowed = ";".join(metric_dims)  # the table checks it as text, so do we
    parts = []
    for column in sorted(c for c in text if c in known):
        member = text[column]
        if not member:
            continue
        if member not in known[column].members or column not in allowed:
            return None
        parts.append(f"{column}={member}")
    return ";".join(parts)
