"""Canonical text of raw database rows, built a column at a time (for data digests).

The values come straight from the driver, without SQLAlchemy's per-value conversions, so
the two databases differ in how they hand them over (SQLite gives dates and datetimes as
text and booleans as 0/1; PostgreSQL gives ``date``, ``datetime`` and ``bool``). Each column
kind is brought to one spelling: JSON strings, ``repr`` for floats (bit-exact), ISO dates,
datetimes to the microsecond with a ``T``, ``true``/``false``, base64 for binary, ``null``.
One row is one JSON array per line. Working on whole columns with ``map`` keeps a
million-row digest to a few seconds.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

NULL = "null"


def _float(v: Any) -> str:
    return repr(float(v))


def _boolean(v: Any) -> str:
    return "true" if v else "false"


def _date(v: Any) -> str:
    return '"' + (v if isinstance(v, str) else v.isoformat()) + '"'


def _datetime(v: Any) -> str:
    value = dt.datetime.fromisoformat(v) if isinstance(v, str) else v
    return '"' + value.isoformat(timespec="microseconds") + '"'


def _binary(v: Any) -> str:
    return '"' + base64.b64encode(bytes(v)).decode("ascii") + '"'


def _numeric(v: Any) -> str:
    return encode_basestring(str(v))


CELL: dict[str, Callable[[Any], str]] = {
    "string": encode_basestring,
    "integer": str,
    "float": _float,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "binary": _binary,
    "numeric": _numeric,
}


def column_text(kind: str, values: Sequence[Any]) -> list[str]:
    """Each value of one column in its canonical spelling."""
    if None not in values:
        fast = _whole_column(kind, values)
        return fast if fast is not None else list(map(CELL[kind], values))
    cell = CELL[kind]
    return [NULL if v is None else cell(v) for v in values]


def _whole_column(kind: str, values: Sequence[Any]) -> list[str] | None:
    """The common cases in one C-level pass: floats as floats, ISO dates as text (SQLite)."""
    if kind == "float" and all(type(v) is float for v in values):
        return list(map(float.__repr__, values))
    if kind == "date" and all(type(v) is str for v in values):
        return list(map(encode_basestring, values))
    return None


def rows_text(kinds: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """``[cell,cell,…]\\n`` per row, for rows whose columns have ``kinds``."""
    if not rows:
        return ""
    columns = [column_text(k, col) for k, col in zip(kinds, zip(*rows, strict=True), strict=True)]
    return "[" + "]\n[".join(map(",".join, zip(*columns, strict=True))) + "]\n"
