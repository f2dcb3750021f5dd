"""The metric catalog: every KPI the system knows, with unit, kind, formula and references.

``kind`` is ``reported`` (entered or imported), ``calculated`` (produced by the calculation
engine from activity data, named by ``calc_key``) or ``derived`` (``formula`` over other
metric ids, e.g. ``water.withdrawal.total - water.discharge.total``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from esgledger.catalog._files import read_rows, split_list
from esgledger.errors import NotFound

KINDS = ("reported", "calculated", "derived")


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    area: str
    group: str
    name: str
    unit: str  # canonical unit, parseable by esgledger.units
    published_unit: str  # as the report prints it
    kind: str
    formula: str
    calc_key: str
    dimensions: tuple[str, ...]
    precision: int
    boundary_family: str
    gri: tuple[str, ...]
    szse17: tuple[str, ...]
    definition: str
    spec_kpi: str  # the KPI label in the reference catalog this metric answers
    notes: str

    def as_dict(self) -> dict[str, Any]:
        """The public fields, as ``esg metrics list --json`` and the API print them."""
        return {
            "id": self.id,
            "area": self.area,
            "group": self.group,
            "name": self.name,
            "unit": self.unit,
            "published_unit": self.published_unit,
            "kind": self.kind,
            "formula": self.formula or None,
            "calc_key": self.calc_key or None,
            "dimensions": list(self.dimensions),
            "precision": self.precision,
            "boundary_family": self.boundary_family,
            "gri": list(self.gri),
            "szse17": list(self.szse17),
            "definition": self.definition,
        }


@cache
def metrics() -> dict[str, Metric]:
    """All metrics by id, in catalog order."""
    out: dict[str, Metric] = {}
    for row in read_rows("metrics.csv"):
        out[row["id"]] = Metric(
            id=row["id"],
            area=row["area"],
            group=row["group"],
            name=row["name"],
            unit=row["unit"],
            published_unit=row["published_unit"] or row["unit"],
            kind=row["kind"],
            formula=row["formula"],
            calc_key=row["calc_key"],
            dimensions=split_list(row["dimensions"]),
            precision=int(row["precision"] or 2),
            boundary_family=row["boundary_family"] or "all",
            gri=split_list(row["gri"]),
            szse17=split_list(row["szse17"]),
            definition=row["definition"],
            spec_kpi=row["spec_kpi"],
            notes=row["notes"],
        )
    return out


def metric(metric_id: str) -> Metric:
    try:
        return metrics()[metric_id]
    except KeyError:
        raise NotFound(f"unknown metric {metric_id!r}; `esg metrics list` lists them") from None
