"""The figure a KPI table holds for one metric, breakdown and year."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class KpiFigure:
    """A value with everything a reader or verifier needs to trust it."""

    metric: str
    year: int
    value: float | None
    unit: str
    source: str  # reported | calculated | derived | missing
    dims: dict[str, str] = field(default_factory=dict)
    status: str = "reported"  # reported | not_disclosed | not_applicable | missing
    qualifier: str = "exact"  # exact | approximately | over | at_most
    preliminary: bool = False
    boundary: str | None = None
    entities: int = 0  # how many entities the figure covers
    restated: bool = False
    restatement: dict[str, Any] | None = None  # previous value and reason
    inputs: list[dict[str, Any]] = field(default_factory=list)  # for derived and calculated
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.metric, dims_text(self.dims))

    def as_dict(self) -> dict[str, Any]:
        """The figure as plain data (``dataclasses.asdict`` without its deep copies, which
        cost more than the rest of a KPI table: nested containers are copied one level)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["dims"] = dict(self.dims)
        out["inputs"] = [dict(i) for i in self.inputs]
        if self.restatement is not None:
            out["restatement"] = dict(self.restatement)
        return out


def dims_text(dims: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(dims.items()))


def parse_dims(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split(";") if part)
