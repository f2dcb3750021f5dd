"""What a reader of a KPI series needs next to each value, spelled out in flat fields.

A figure of :func:`esgledger.kpi.series.kpi_series` says which source it uses, keeps the
other side under ``comparison`` and its reasons in ``note``. The API and the pages show
them to people who do not read notes: which source is used and why, both values with their
difference and tolerance, why a figure is partial, incomplete or not available, and whether
a year-on-year change compares a year whose figure is partial or incomplete. The series rows
are shared by the cache, so these functions return new dicts and never change their input.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from esgledger.kpi.precedence_why import NOTHING_RECOMPUTED, NOTHING_REPORTED, why_code

NO_VALUE = {"not_disclosed": "not disclosed", "not_applicable": "not applicable"}
INCOMPLETE = "the calculation run left activity rows unresolved (`esg calc show` lists them)"


def _note_part(note: str, prefix: str) -> str | None:
    for part in note.split("; "):
        if part.startswith(prefix):
            return part.removeprefix(prefix)
    return None


def not_available_reason(fig: dict[str, Any]) -> str | None:
    """Why a figure has no value (its status or its note), or None when it has one."""
    if fig["value"] is not None:
        return None
    if fig["status"] in NO_VALUE:
        return NO_VALUE[fig["status"]]
    note = fig["note"] or ""
    return _note_part(note, "not available: ") or note or "no value reported and no data"


# A year's group figures by metric id, with the metric's name: where a derived figure looks
# up the inputs that made it partial or incomplete.
Inputs = Mapping[str, tuple[str, dict[str, Any]]]


class YearInputs(Mapping[str, tuple[str, dict[str, Any]]]):
    """One year's :data:`Inputs`, read from an index of the group rows by metric that all
    the years share: the index is made in one pass, where a dict per year took one pass
    per year over every row on each read after a write."""

    __slots__ = ("_rows", "_year")

    def __init__(self, rows: dict[str, dict[str, Any]], year: str):
        self._rows, self._year = rows, year

    def __getitem__(self, metric: str) -> tuple[str, dict[str, Any]]:
        row = self._rows[metric]
        return row["name"], row["figures"][self._year]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _from_inputs(fig: dict[str, Any], flag: str, inputs: Inputs | None) -> str | None:
    """'from <input> (<its reason>)' for each input of a derived figure marked ``flag``."""
    said = []
    for used in fig.get("inputs") or []:
        if "metric" not in used:  # a run's figure or activity rows: not a derived input
            continue
        name, part = (inputs or {}).get(used["metric"], ("", None))
        if part and part.get(flag):
            why = (
                partial_reason(part, inputs)
                if flag == "partial"
                else incomplete_reason(part, inputs)
            )
            said.append(f"{name} ({why})")
    return "from " + "; ".join(said) if said else None


def partial_reason(fig: dict[str, Any], inputs: Inputs | None = None) -> str | None:
    """Which boundary members the figure leaves out (for a derived figure: which partial
    inputs it comes from), or None when it is not partial."""
    if not fig.get("partial"):
        return None
    return (
        _note_part(fig["note"] or "", "partial: ")
        or _from_inputs(fig, "partial", inputs)
        or "its data cover only part of the boundary"
    )


def incomplete_reason(fig: dict[str, Any], inputs: Inputs | None = None) -> str | None:
    """Which run left rows of the figure unresolved (for a derived figure: which incomplete
    inputs it comes from), or None when it is complete. The English the API and the CLI have
    always given, from the tool's note; the pages and the report word the figure's
    ``incomplete_why`` in their language instead (kpi.incomplete_why)."""
    if not fig.get("incomplete"):
        return None
    return (
        _note_part(fig["note"] or "", "incomplete: ")
        or _from_inputs(fig, "incomplete", inputs)
        or INCOMPLETE
    )


def _sides(fig: dict[str, Any]) -> dict[str, Any]:
    side = fig.get("comparison")
    if side:
        code = why_code(side["why"])
        return {
            "used": side["used"],
            "reported": side["reported"],
            "recomputed": side["calculated"],
            "difference": side["difference"],
            "tolerance": side["tolerance"],
            "why": side["why"],
            "why_code": code,
            "comparison": {**side, "why_code": code},  # a copy: the rows are shared
        }
    value, source = fig["value"], fig["source"]
    if value is None:
        used, why = None, None
    elif source == "reported":
        used, why = "reported", NOTHING_RECOMPUTED
    else:
        used, why = "calculated", NOTHING_REPORTED
    return {
        "used": used,
        "reported": value if used == "reported" else None,
        "recomputed": value if used == "calculated" else None,
        "difference": None,
        "tolerance": None,
        "why": why,
        "why_code": why_code(why),
    }


def figure_readout(
    fig: dict[str, Any] | None, inputs: Inputs | None = None
) -> dict[str, Any] | None:
    """The figure with ``used``, ``reported``, ``recomputed``, ``difference``,
    ``tolerance``, ``why`` (and its code, ``why_code``, also under ``comparison``),
    ``not_available_reason``, ``partial_reason`` and
    ``incomplete_reason`` added (None where they do not apply)."""
    if fig is None:
        return None
    return {
        **fig,
        **_sides(fig),
        "not_available_reason": not_available_reason(fig),
        "partial_reason": partial_reason(fig, inputs),
        "incomplete_reason": incomplete_reason(fig, inputs),
    }


def change_caveat(
    row: dict[str, Any], years: list[str], inputs: dict[str, Inputs] | None = None
) -> str | None:
    """Why the row's year-on-year change is not a final comparison: a year it compares has
    a partial or incomplete figure. None when the change is final (or there is none)."""
    if row["change_pct"] is None or len(years) < 2:
        return None
    said = []
    for year in years[-2:]:
        fig, of_year = row["figures"][year], (inputs or {}).get(year)
        if fig and fig.get("partial"):
            said.append(f"{year} is partial ({partial_reason(fig, of_year)})")
        if fig and fig.get("incomplete"):
            said.append(f"{year} is incomplete ({incomplete_reason(fig, of_year)})")
    if not said:
        return None
    return "not a final comparison: " + "; ".join(said)


def row_readout(
    row: dict[str, Any], years: list[str], inputs: dict[str, Inputs] | None = None
) -> dict[str, Any]:
    """A series row with each figure's readout and the caveat on its change; ``inputs``
    (per year) lets a derived figure name the inputs that make it partial or incomplete."""
    inputs = inputs or {}
    return {
        **row,
        "figures": {y: figure_readout(f, inputs.get(y)) for y, f in row["figures"].items()},
        "change_caveat": change_caveat(row, years, inputs),
    }


Readouts = dict[int, tuple[dict[str, Any], dict[str, Any]]]  # id(row) → (row, its readout)


def series_readout(series: dict[str, Any], kept: Readouts | None = None) -> dict[str, Any]:
    """A whole series with :func:`row_readout` applied to every row.

    ``kept`` holds the readouts of an earlier series of the same question (same years and
    rows shown): a row that is the very same object there (the KPI cache reuses the rows a
    write cannot move, and a derived row is rebuilt whenever one of its inputs is) has the
    same readout, and is not read out again. ``kept`` is replaced by this series' readouts.
    """
    years = [str(y) for y in series["years"]]
    inputs: dict[str, Inputs] = {}  # made on the first row read out (after a write, few are)

    def read_out(row: dict[str, Any]) -> dict[str, Any]:
        if not inputs:
            group = {r["metric"]: r for r in series["kpis"] if not r["dims"]}
            inputs.update((y, YearInputs(group, y)) for y in years)
        return row_readout(row, years, inputs)

    rows = series["kpis"]
    before: Readouts = kept or {}  # read whole before it is replaced: no copy needed
    out = []
    for row in rows:
        hit = before.get(id(row))
        out.append(hit[1] if hit is not None and hit[0] is row else read_out(row))
    if kept is not None:  # built by zip and map, without a Python step per row
        now = dict(zip(map(id, rows), zip(rows, out, strict=True), strict=True))
        kept.clear()
        kept.update(now)
    return {**series, "kpis": out}
