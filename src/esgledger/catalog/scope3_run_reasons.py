"""The reasons a calculation run writes for a Scope 3 category or total, as codes (#19).

A run stores each reason twice: the English sentence ``esg calc --json`` has always shown
(``reason``, ``total_reason``) and, beside it, the same sentence as coded parts
(``reason_why``, ``total_reason_why``: a list of ``{code, values}``), so every reader words
it in its own language from the code's catalog message and no one parses the English. The
English sentence is made from the codes (:func:`english`), so the two cannot disagree. Runs
stored before the codes keep their sentence only, and are shown as stored.

Values are text as the sentence prints them; ``activities`` is a list of ``{activity,
rows}`` (activity types the screening leaves out), and ``note`` is a sentence of its own,
worded from the codes beside it (the screening's criterion and note).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from esgledger.catalog.messages import N_

Why = dict[str, Any]

# code → (English as the run writes it, catalog message)
RUN_CODES: dict[str, tuple[str, str]] = {
    # the screening's own reason: its criterion and the note entered, else the criterion's words
    "screening_entered": ("%(criterion)s: %(entered)s", N_("%(criterion)s: %(entered)s")),
    "screening_default": ("%(criterion)s: %(default)s", N_("%(criterion)s: %(default)s")),
    "scope3_left_out": (
        "left out by the screening: %(activities)s; %(note)s",
        N_("left out by the screening: %(activities)s; %(note)s"),
    ),
    "scope3_screened_out_calculated": (
        "screened not relevant (%(note)s) but %(category)s has calculated rows: the figure "
        "counts; review the screening",
        N_("screened not relevant (%(note)s) but %(category)s has calculated rows: the "
           "figure counts; review the screening"),
    ),
    "scope3_relevant_without_data": (
        "not available: screened relevant (%(note)s) but no activity data",
        N_("not available: screened relevant (%(note)s) but no activity data"),
    ),
    "scope3_all_unresolved": (
        "not available: all %(rows)s rows unresolved (%(reasons)s)",
        N_("not available: all %(rows)s rows unresolved (%(reasons)s)"),
    ),
    "scope3_some_unresolved": (
        "incomplete: %(rows)s rows unresolved", N_("incomplete: %(rows)s rows unresolved")
    ),
    "scope3_not_screened": (
        "not available: no activity data and not screened",
        N_("not available: no activity data and not screened"),
    ),
    # the Scope 3 total of a run without one
    "scope3_no_rows": (
        "not available: no Scope 3 activity rows in the run",
        N_("not available: no Scope 3 activity rows in the run"),
    ),
    "scope3_none_computed": (
        "not available: no Scope 3 row could be computed (%(rows)s rows unresolved)",
        N_("not available: no Scope 3 row could be computed (%(rows)s rows unresolved)"),
    ),
}  # fmt: skip
ACTIVITY_ROWS = N_("%(activity)s (%(rows)s rows)")


def coded(code: str, **values: Any) -> Why:
    """One part of a reason as its code and values."""
    if code not in RUN_CODES:
        raise KeyError(f"no Scope 3 reason code {code!r}")
    return {"code": code, "values": values}


def activities_english(parts: Iterable[Mapping[str, Any]]) -> str:
    """The activity types left out, as the run has always written them."""
    return ", ".join(ACTIVITY_ROWS % {"activity": p["activity"], "rows": p["rows"]} for p in parts)


def english(why: Iterable[Mapping[str, Any]]) -> str:
    """The English sentence of a reason's coded parts: its first part, the others being
    the parts its ``note`` is made of."""
    first = next(iter(why), None)
    if first is None:
        return ""
    values = dict(first["values"])
    if "activities" in values:
        values["activities"] = activities_english(values["activities"])
    return RUN_CODES[first["code"]][0] % values


def reason(why: list[Why]) -> tuple[str | None, list[Why]]:
    """The sentence and its codes, as a block stores them (None and [] for no reason)."""
    return (english(why) or None), why
