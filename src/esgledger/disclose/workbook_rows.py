"""The workbook's ``Data`` sheet: one row per entity, metric, breakdown and year (long format).

Analysts filter and pivot; a wide sheet with breakdowns inside labels and qualifiers inside
text cannot be. Here every figure of the report's series is one row with its breakdown in
one column per dimension, the year and the value as numbers, and what the report prints
beside a number (≈, >, ≤, preliminary, restated, partial…) in columns of its own. A figure
that cannot be given is a row too: ``not available`` with the reason, never a zero.

In another edition the column names and what the sheet words from codes (metric names,
units, breakdown members, statuses) are in that language; ids (metric ids, boundary codes),
numbers and what users typed stay as stored, so rows match the English workbook's one for
one (#19).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from esgledger.catalog import dimensions
from esgledger.catalog.messages import N_, translate
from esgledger.catalog.translations import has_text, text
from esgledger.disclose.narrative import unit_label
from esgledger.kpi.register_figures.notes import worded_note

QUALIFIER_SIGNS = {"approximately": "≈", "over": ">", "at_most": "≤"}
NOT_GIVEN = {"not_disclosed": N_("not disclosed"), "not_applicable": N_("not applicable")}
FIXED_BEFORE = [N_("Entity"), N_("Boundary"), N_("Metric id"), N_("Metric")]
FIXED_AFTER = [
    N_("Year"),
    N_("Value"),
    N_("Unit"),
    N_("Qualifier"),
    N_("Status"),
    N_("Source"),
    N_("Restated"),
    N_("Decimals"),
    N_("Note"),
]
# What the Status, Qualifier, Source and Note columns write from codes, in another edition.
WORDS = frozenset(
    {
        *NOT_GIVEN.values(),
        N_("not available"),
        N_("incomplete"),
        N_("partial"),
        N_("reported"),
        N_("recomputed"),
        N_("calculated"),
        N_("derived"),
        N_("missing"),
        N_("preliminary"),
        N_("nothing recorded or computed for this year"),
    }
)


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


def _said(word: str, lang: str) -> str:
    """A word the sheet writes from a code, in ``lang`` (English, or not such a word: as is)."""
    return translate(word, lang) if lang != "en" and word in WORDS else word


def _catalog(kind: str, key: str, lang: str, english: str) -> str:
    """The catalog's ``kind`` text of ``key`` in ``lang`` where it has one, else ``english``."""
    return text(kind, key, lang) if lang != "en" and has_text(kind, key, lang) else english


def data_sheet(company: str, series: dict[str, Any], lang: str = "en") -> DataSheet:
    """The long-format table of every figure in ``series`` (``kpi_series``'s shape)."""
    rows_in = series.get("kpis", [])
    names = dimensions()
    dims = sorted({d for row in rows_in for d in row["dims"]})
    header = [
        *(_heading(h, lang) for h in FIXED_BEFORE),
        *(_catalog("dimension", d, lang, names[d].name) if d in names else d for d in dims),
        *(_heading(h, lang) for h in FIXED_AFTER),
    ]
    out: list[list[Any]] = []
    for row in rows_in:
        published = row.get("published_unit") or row["unit"]
        unit = _catalog("unit", published, lang, unit_label(published))
        name = _catalog("metric", row["metric"], lang, row["name"])
        breakdown = [_member(row["dims"].get(d, ""), lang) for d in dims]
        for year in (str(y) for y in series["years"]):
            figure = row["figures"].get(year)
            value = None if figure is None else clean_number(figure["value"])
            out.append(
                [
                    company,
                    (figure or {}).get("boundary") or "",
                    row["metric"],
                    name,
                    *breakdown,
                    int(year),
                    value,
                    unit,
                    _qualifier(figure, lang),
                    _said(status_of(figure), lang),
                    "" if figure is None else _said(figure["source"], lang),
                    bool(figure and figure["restated"]),
                    row["precision"],
                    _note(figure, lang),
                ]
            )
    return DataSheet(
        header=header,
        rows=out,
        decimals_column=len(FIXED_BEFORE) + len(dims) + FIXED_AFTER.index("Decimals"),
        value_column=len(FIXED_BEFORE) + len(dims) + FIXED_AFTER.index("Value"),
    )


def _heading(word: str, lang: str) -> str:
    return word if lang == "en" else translate(word, lang)


def _member(code: str, lang: str) -> str:
    return _catalog("member", code, lang, code) if code else code


def _qualifier(figure: dict[str, Any] | None, lang: str) -> str:
    marks = qualifier_of(figure)
    return marks.replace("preliminary", _said("preliminary", lang)) if lang != "en" else marks


def _note(figure: dict[str, Any] | None, lang: str) -> str:
    """The figure's note, its coded parts worded in ``lang``; what users typed as stored."""
    said = note_of(figure)
    if figure is None or lang == "en":
        return _said(said, lang)
    return worded_note(said, figure.get("note_why"), lang)
