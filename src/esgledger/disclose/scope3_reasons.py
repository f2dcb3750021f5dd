"""Why a Scope 3 category or total has no (full) figure, as each edition words it (#19).

A run stores its reasons as English sentences (what ``esg calc --json`` shows, kept as they
are for old and new runs). An edition in another language reads the same facts as a code and
its counts from the run's structured fields — the rows left unresolved, whether a figure was
computed, whether the category was screened — never from the English sentence, and words the
code from the message catalog. The rows' own lookup failures are diagnostics of the English
run output (``esg calc show``); the edition gives their count.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from esgledger.catalog.messages import N_, translate

ALL_UNRESOLVED = N_("not available: all %(rows)s activity rows unresolved")
SOME_UNRESOLVED = N_("incomplete: %(rows)s activity rows unresolved")
NO_DATA = N_("not available: no activity data and not screened")
NO_ROWS = N_("no Scope 3 activity rows in the run")
NONE_COMPUTED = N_("no Scope 3 row could be computed (%(rows)s rows unresolved)")


def run_reason(block: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The code and counts of the run's own reason for a category (before any screening):
    rows unresolved with or without a figure, or no activity data; None when complete."""
    missing = int(block.get("unresolved_rows") or 0)
    computed = block.get("tco2e") is not None
    if missing and not computed:
        return ALL_UNRESOLVED, {"rows": missing}
    if missing:
        return SOME_UNRESOLVED, {"rows": missing}
    if not computed:
        return NO_DATA, {}
    return None


def run_reason_in(block: Mapping[str, Any], lang: str) -> str:
    """:func:`run_reason` in ``lang`` ("" when the category is complete)."""
    found = run_reason(block)
    if found is None:
        return ""
    message, values = found
    return translate(message, lang) % values


def total_reason_in(by_category: Mapping[str, Mapping[str, Any]], lang: str) -> str:
    """Why the run has no Scope 3 total, in ``lang``: no activity rows, or none computed
    (counted as the run counts them: rows unresolved and rows the screening left out)."""
    rows = sum(int(b.get("unresolved_rows") or 0) for b in by_category.values())
    rows += sum(int(p["rows"]) for b in by_category.values() for p in b.get("left_out") or ())
    if not rows:
        return translate(NO_ROWS, lang)
    return translate(NONE_COMPUTED, lang) % {"rows": rows}
