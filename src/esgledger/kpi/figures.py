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
    decimals: int | None = None  # printed decimals of a reported value; None if computed
    rounding: float = 0.0  # ± from rounded printed figures behind the value (kpi.rounding)
    partial: bool = False  # the year's data leave out members of the boundary
    incomplete: bool = False  # from a calculation run that left activity rows unresolved
    # Why it is incomplete, as a code and its values (kpi.incomplete_why), worded by each reader
    incomplete_why: dict[str, Any] | None = None
    # The note's parts as codes and values (kpi.register_figures.notes), worded per reader
    note_why: list[dict[str, Any]] = field(default_factory=list)
    # Reported and recomputed values side by side, which one is used and why (kpi.precedence)
    comparison: dict[str, Any] | None = None

    @property
    def available(self) -> bool:
        return self.value is not None

    @property
    def key(self) -> tuple[str, str]:
        return (self.metric, dims_text(self.dims))

    def as_dict(self) -> dict[str, Any]:
        """The figure as plain data (``dataclasses.asdict`` without its deep copies, which
        cost more than the rest of a KPI table: nested containers are copied one level)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["dims"] = dict(self.dims)
        out["inputs"] = [dict(i) for i in self.inputs]
        out["note_why"] = [dict(w) for w in self.note_why]
        if self.restatement is not None:
            out["restatement"] = dict(self.restatement)
        if self.comparison is not None:
            out["comparison"] = dict(self.comparison)
        if self.incomplete_why is not None:
            out["incomplete_why"] = dict(self.incomplete_why)
        return out


def no_records(fig: KpiFigure | None) -> bool:
    """A calculated figure that is not available because the boundary has no records of it
    this year: a sum leaves it out (and says so), any other formula cannot be computed."""
    return fig is not None and fig.source == "calculated" and fig.value is None


def dims_text(dims: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(dims.items()))


def parse_dims(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split(";") if part)
