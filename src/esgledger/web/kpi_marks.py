"""What the KPI pages show beside the figures: notes on partial, incomplete and
not-available figures and on caveated changes, and reported against recomputed figures.

The rows come from :func:`esgledger.kpi.readout.series_readout`, so the text is the one the
API gives for the same figure; a marker on screen always has its reason on the page.
"""

from __future__ import annotations

from typing import Any

from esgledger.catalog import translations
from esgledger.catalog.messages import N_, translate
from esgledger.kpi.incomplete_why import page_words
from esgledger.kpi.partial_why import partial_words
from esgledger.kpi.precedence_why import why_sentence, why_words

INCOMPLETE = "%(name)s %(year)s is incomplete: %(why)s."  # in the catalog (the report's)
PARTIAL = "%(name)s %(year)s is partial: %(why)s."  # likewise
CHANGE = N_("%(name)s, change on %(year)s: %(caveat)s.")
NOT_FINAL = N_("not a final comparison: %(said)s")
YEAR_PARTIAL = N_("%(year)s is partial (%(why)s)")
YEAR_INCOMPLETE = N_("%(year)s is incomplete (%(why)s)")


def _name(metric: str, english: str, lang: str) -> str:
    return english if lang == "en" else translations.text("metric", metric, lang)


def in_language(series: dict[str, Any], lang: str) -> dict[str, Any]:
    """A :func:`~esgledger.kpi.readout.series_readout` whose incomplete figures give their
    reason in ``lang`` (from the figure's ``incomplete_why``, without command hints) and
    whose partial figures theirs (kpi.partial_why, from codes), each figure's precedence
    sentence from its code (``why_code``, kpi.precedence_why); the
    English readout is the API's and is kept as it is. New dicts: the rows are shared."""
    years = [str(y) for y in series["years"]]
    if lang == "en":
        return {**series, "kpis": [_with_marks(r, years) for r in series["kpis"]]}
    group = [r for r in series["kpis"] if not r["dims"]]
    inputs = {y: {r["metric"]: (r["name"], r["figures"][y]) for r in group} for y in years}

    def worded(fig: dict[str, Any] | None, year: str) -> dict[str, Any] | None:
        if not fig:
            return fig
        code = fig.get("why_code")  # the sentence's code, as the API gives it
        why = why_sentence(code, lang) if code else why_words(fig.get("why"), lang)
        said = {**fig, "why": why}
        if not (fig.get("incomplete") or fig.get("partial")):
            return said
        said["partial_reason"] = partial_words(fig, lang, _name, inputs[year])
        if fig.get("incomplete"):
            said["incomplete_reason"] = page_words(fig, lang, _name, inputs[year])
        return said

    rows = []
    for row in series["kpis"]:
        figures = {y: worded(f, y) for y, f in row["figures"].items()}
        said = {**row, "figures": figures, "change_caveat": _caveat(row, figures, years, lang)}
        rows.append(_with_marks(said, years))
    return {**series, "kpis": rows}


def _caveat(
    row: dict[str, Any], figures: dict[str, Any], years: list[str], lang: str
) -> str | None:
    """The change's caveat in ``lang``, from the same figures the readout's names."""
    if not row["change_caveat"]:
        return None
    said = []
    for year in years[-2:]:
        fig = figures[year]
        if fig and fig.get("partial"):
            why = fig["partial_reason"]
            said.append(translate(YEAR_PARTIAL, lang) % {"year": year, "why": why})
        if fig and fig.get("incomplete"):
            why = fig["incomplete_reason"]
            said.append(translate(YEAR_INCOMPLETE, lang) % {"year": year, "why": why})
    return translate(NOT_FINAL, lang) % {"said": translate("; ", lang).join(said)}


def _with_marks(row: dict[str, Any], years: list[str]) -> dict[str, Any]:
    """The signs after a caveated change (ᴾ, ᴵ) from the compared years' flags, not from
    the caveat's words (which are the page's language)."""
    if not row["change_caveat"]:
        return {**row, "change_marks": ""}
    compared = [row["figures"][y] or {} for y in years[-2:]]
    marks = ("ᴾ" if any(f.get("partial") for f in compared) else "") + (
        "ᴵ" if any(f.get("incomplete") for f in compared) else ""
    )
    return {**row, "change_marks": marks}


def figure_notes(rows: list[dict[str, Any]], span: list[str], lang: str = "en") -> list[str]:
    """One sentence per partial or incomplete figure shown, and per caveated change."""
    notes = []
    for row in rows:
        name = _name(row["metric"], row["name"], lang)
        for year in span:
            fig = row["figures"][year]
            if fig and fig["partial_reason"]:
                values = {"name": name, "year": year, "why": fig["partial_reason"]}
                notes.append(translate(PARTIAL, lang) % values)
            if fig and fig["incomplete_reason"]:
                values = {"name": name, "year": year, "why": fig["incomplete_reason"]}
                notes.append(translate(INCOMPLETE, lang) % values)
        if row["change_caveat"]:
            values = {"name": name, "year": span[-2], "caveat": row["change_caveat"]}
            notes.append(translate(CHANGE, lang) % values)
    return notes


def side_by_side(rows: list[dict[str, Any]], span: list[str]) -> list[dict[str, Any]]:
    """Every shown figure with both a reported and a recomputed value, as `esg kpi` prints
    them in its second table: both values, difference, tolerance, which is used and why."""
    out = []
    for row in rows:
        for year in span:
            fig = row["figures"][year]
            side = fig and fig.get("comparison")
            if side:
                out.append(
                    {
                        "metric": row["metric"],
                        "name": row["name"],
                        "dims": row["dims"],
                        "precision": row["precision"],
                        "year": year,
                        "figure": fig,
                        "calculated_partial": side["calculated_partial"],
                        "calculated_incomplete": side["calculated_incomplete"],
                    }
                )
    return out
