"""Plausibility bounds on activity rows: the largest quantity and the longest period per type.

A bound is not a fact about the world but a guard against typing mistakes and hostile files:
a quantity of 1e13 kWh on one row, or a period from 1800 to 2999 that the calculation would
book wholly to 1800. The shipped file ``catalog/data/activity_bounds.csv`` holds a default row
(``*``); a workspace adds or overrides rows per activity type with a CSV of the same columns
named by ``ESG_ACTIVITY_BOUNDS``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from esgledger.catalog._files import read_rows
from esgledger.errors import InvalidInput

DEFAULT = "*"
COLUMNS = ("activity", "max_quantity", "unit", "max_days", "reason")


@dataclass(frozen=True)
class Bound:
    """The limits for one activity type (or ``*``, every type without its own row)."""

    activity: str
    max_quantity: float | None  # in ``unit``; None: only the general limit on numbers
    unit: str | None  # None: the unit the row is written in
    max_days: int
    reason: str


def _bound(row: dict[str, str], where: str) -> Bound:
    try:
        max_quantity = float(row["max_quantity"]) if row.get("max_quantity") else None
        max_days = int(row["max_days"]) if row.get("max_days") else 366
    except ValueError:
        raise InvalidInput(
            f"{where}: max_quantity must be a number and max_days a whole number"
        ) from None
    if max_days < 1 or (max_quantity is not None and not max_quantity > 0):
        raise InvalidInput(f"{where}: max_quantity and max_days must be above zero")
    return Bound(
        activity=row.get("activity", "").strip(),
        max_quantity=max_quantity,
        unit=(row.get("unit") or "").strip() or None,
        max_days=max_days,
        reason=(row.get("reason") or "").strip(),
    )


def _user_rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [{k: (v or "").strip() for k, v in r.items() if k} for r in csv.DictReader(fh)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"ESG_ACTIVITY_BOUNDS: cannot read {path}: {exc}") from None
    if rows and "activity" not in rows[0]:
        raise InvalidInput(f"ESG_ACTIVITY_BOUNDS: {path} needs columns {', '.join(COLUMNS)}")
    return rows


def activity_bounds(user_file: str | None = None) -> dict[str, Bound]:
    """The bounds by activity type id: the shipped rows, then the workspace's file's rows."""
    bounds = {
        r["activity"]: _bound(r, "activity_bounds.csv") for r in read_rows("activity_bounds.csv")
    }
    if user_file:
        for number, row in enumerate(_user_rows(Path(user_file)), start=2):
            bound = _bound(row, f"{user_file}, row {number}")
            bounds[bound.activity] = bound
    return bounds


def bound_for(bounds: dict[str, Bound], activity: str) -> Bound:
    return bounds.get(activity) or bounds[DEFAULT]
