"""The workbook's ``Data`` sheet: one row per entity, metric, breakdown and year (long format).

Analysts filter and pivot; a wide sheet with breakdowns inside labels and qualifiers inside
text cannot be. Here every figure of the report's series is one row with its breakdown in
one column per dimension, the year and the value as numbers, and what the report prints
beside a number (≈, >, ≤, preliminary, restated, partial…) in columns of its own. A figure
that cannot be given is a row too: ``not available`` with the reason, never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from esgledger.catalog import dimensions
from esgledger.disclose.narrative import unit_label

QUALIFIER_SIGNS = {"approximately": "≈", "over": ">", "at_most": "≤"}
NOT_GIVEN = {"not_disclosed": "not disclosed", "not_applicable": "not applicable"}
FIXED_BEFORE = ["Entity", "Boundary", "Metric id", "Metric"]
FIXED_AFTER = [
    "Year",
    "Value",
    "Unit",
    "Qualifier",
    "Status",
    "Source",
    "Restated",
    "Decimals",
    "Note",
]


@dataclass(frozen=True)
class DataSheet:
    header: list[str]
    rows: list[list[Any]]
    decimals_column: int  # index of "Decimals", the value's number format per row
    value_column: int


def clean_number(value: float | None) -> float | None:
    """The value to 15 significant digits, all a spreadsheet keeps: binary noise such as
    0.1 + 0.2 = 0.30000000000000004 is dropped, the figure itself is not rounded."""
    return None if value is None else float(f"{value:.15g}")


def status_of(figure: dict[str, Any] | None) -> str:
    """The word an analyst filters on: reported, recomputed, partial, incomplete or why not."""
    if figure is None:
        return "not available"
    if figure["value"] is None:
        return NOT_GIVEN.get(figure["status"], "not available")
    if figure.get("incomplete"):
        return "incomplete"
    if figure.get("partial"):
        return "partial"
    return "reported" if figure["source"] == "reported" else "recomputed"


def qualifier_of(figure: dict[str, Any] | None) -> str:
    if figure is None:
        return ""
    marks = [QUALIFIER_SIGNS.get(figure["qualifier"], "")]
    if figure.get("preliminary"):
        marks.append("preliminary")
    return " ".join(m for m in marks if m)


def note_of(figure: dict[str, Any] | None) -> str:
    if figure is None:
        return "nothing recorded or computed for this year"
    return figure.get("note") or ""


def data_sheet(company: str, series: dict[str, Any]) -> DataSheet:
    """The long-format table of every figure in ``series`` (``kpi_series``'s shape)."""
    rows_in = series.get("kpis", [])
    names = dimensions()
    dims = sorted({d for row in rows_in for d in row["dims"]})
    header = [*FIXED_BEFORE, *(names[d].name if d in names else d for d in dims), *FIXED_AFTER]
    out: list[list[Any]] = []
    for row in rows_in:
        unit = unit_label(row.get("published_unit") or row["unit"])
        breakdown = [row["dims"].get(d, "") for d in dims]
        for year in (str(y) for y in series["years"]):
            figure = row["figures"].get(year)
            value = None if figure is None else clean_number(figure["value"])
            out.append(
                [
                    company,
                    (figure or {}).get("boundary") or "",
                    row["metric"],
                    row["name"],
                    *breakdown,
                    int(year),
                    value,
                    unit,
                    qualifier_of(figure),
                    status_of(figure),
                    "" if figure is None else figure["source"],
                    bool(figure and figure["restated"]),
                    row["precision"],
                    note_of(figure),
                ]
            )
    return DataSheet(
        header=header,
        rows=out,
        decimals_column=header.index("Decimals"),
        value_column=header.index("Value"),
    )
