"""Why a KPI figure is incomplete, as a code and its values set where the figure is computed.

The computation knows the facts — the run and how many of its activity results it left
unresolved, the Scope 3 categories screened relevant without a figure, the rows of a Scope 3
category left unresolved, the incomplete inputs of a formula — and keeps them on the figure
(``incomplete_why``), so each reader words them in its own language from the message catalog
instead of parsing an English note (#19). The API and the CLI keep the English text they
always gave (kpi.readout, from the note); a page words the same facts without command hints;
a published edition leaves run ids out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from esgledger.catalog import metrics, translations
from esgledger.catalog.messages import N_, translate

Why = dict[str, Any]
# A year's group figures by metric id with the metric's name (as kpi.readout.Inputs).
Inputs = Mapping[str, tuple[str, Mapping[str, Any] | None]]

UNRESOLVED = "unresolved"  # run, rows: the run left activity results of the figure unresolved
SCREENING_GAPS = "screening_gaps"  # categories: screened relevant, without a figure (and
# category_rows, a Scope 3 total's other reason: unresolved rows by category)
CATEGORY_ROWS = "category_rows"  # rows: a Scope 3 category's rows left unresolved
# category_rows: a Scope 3 total short only of categories' unresolved rows (no screening gap)
UNRESOLVED_CATEGORIES = "unresolved_categories"
INPUTS = "inputs"  # metrics: a formula's inputs that are incomplete

RUN_ROWS = N_("run %(run)s left %(rows)s activity result(s) of it unresolved")
GAPS = N_("screened relevant but without a figure: %(categories)s")
# A Scope 3 total short of both: every reason, the categories' unresolved rows after the gaps.
GAPS_AND_ROWS = N_("%(gaps)s, and activity rows unresolved in %(categories)s")
ROWS_OF = N_("%(category)s (%(rows)s row(s))")
ROWS_IN = N_("activity rows unresolved in %(categories)s")
CATEGORY = N_("%(rows)s rows unresolved")
FROM = N_("from %(inputs)s")
INPUT = N_("%(name)s (%(why)s)")
PUBLISHED = N_("the calculation left activity rows unresolved")


def unresolved(run: int, rows: int) -> Why:
    return {"code": UNRESOLVED, "run": run, "rows": rows}


def screening_gaps(categories: list[str], category_rows: Mapping[str, int] | None = None) -> Why:
    """The categories screened relevant without a figure and, for a Scope 3 total, the
    categories whose rows were left unresolved (its other reason), with their counts."""
    why: Why = {"code": SCREENING_GAPS, "categories": list(categories)}
    if category_rows:
        why["category_rows"] = dict(category_rows)
    return why


def unresolved_categories(category_rows: Mapping[str, int]) -> Why:
    """A Scope 3 total short only of the rows its categories left unresolved, with counts."""
    return {"code": UNRESOLVED_CATEGORIES, "category_rows": dict(category_rows)}


def gaps_words(why: Mapping[str, Any], lang: str) -> str:
    """A Scope 3 total's reason in ``lang`` (:func:`screening_gaps` or
    :func:`unresolved_categories`), naming every reason it carries."""
    rows = why.get("category_rows") or {}
    each = [translate(ROWS_OF, lang) % {"category": c, "rows": n} for c, n in rows.items()]
    categories = translate(", ", lang).join(each)
    if why.get("code") == UNRESOLVED_CATEGORIES:
        return translate(ROWS_IN, lang) % {"categories": categories}
    gaps = translate(GAPS, lang) % {"categories": ", ".join(why["categories"])}
    if not rows:
        return gaps
    return translate(GAPS_AND_ROWS, lang) % {"gaps": gaps, "categories": categories}


def category_rows(rows: int) -> Why:
    return {"code": CATEGORY_ROWS, "rows": rows}


def from_inputs(metrics: list[str]) -> Why:
    return {"code": INPUTS, "metrics": list(metrics)}


def page_words(
    fig: Mapping[str, Any], lang: str, names: Callable[[str, str, str], str], inputs: Inputs
) -> str:
    """A page's words in ``lang``: the run and its count, no command hint. ``names`` gives
    a metric's name in ``lang`` (from its id and English name)."""
    return _words(fig, lang, inputs, names)


def published_words(fig: Mapping[str, Any], lang: str) -> str:
    """A report's words in ``lang``: no run ids nor commands (the reader has neither); a
    formula names its incomplete inputs, whose own footnotes say why."""
    why = fig.get("incomplete_why") or {}
    if why.get("code") in (SCREENING_GAPS, UNRESOLVED_CATEGORIES):
        return gaps_words(why, lang)
    if why.get("code") == CATEGORY_ROWS:
        return translate(CATEGORY, lang) % {"rows": why["rows"]}
    if why.get("code") == INPUTS and why["metrics"]:
        names = translate("; ", lang).join(_metric_name(m, lang) for m in why["metrics"])
        return translate(FROM, lang) % {"inputs": names}
    return translate(PUBLISHED, lang)


def _metric_name(metric: str, lang: str) -> str:
    return metrics()[metric].name if lang == "en" else translations.text("metric", metric, lang)


def _words(
    fig: Mapping[str, Any], lang: str, inputs: Inputs, names: Callable[[str, str, str], str]
) -> str:
    why = fig.get("incomplete_why") or {}
    code = why.get("code")
    if code == UNRESOLVED:
        return translate(RUN_ROWS, lang) % why
    if code in (SCREENING_GAPS, UNRESOLVED_CATEGORIES):
        return gaps_words(why, lang)
    if code == CATEGORY_ROWS:
        return translate(CATEGORY, lang) % why
    if code == INPUTS:
        said: list[str] = []
        for metric in why["metrics"]:
            name, part = inputs.get(metric, (metric, None))
            if part and part.get("incomplete"):
                reason = _words(part, lang, inputs, names)
                values = {"name": names(metric, name, lang), "why": reason}
                said.append(translate(INPUT, lang) % values)
        if said:
            return translate(FROM, lang) % {"inputs": translate("; ", lang).join(said)}
    return translate(PUBLISHED, lang)
