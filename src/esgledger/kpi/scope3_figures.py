"""Scope 3 appendix figures (``ghg.scope3`` and ``ghg.scope3.cat1`` … ``cat15``) from the
run's per-category block.

A category's row group decides its category (downstream freight is 9, commuting 7), so a
category line cannot be summed from activity types like the Scope 1 lines: it is read from
the block the run stored, with its status. An excluded category is "not applicable" with the
screening's reason, one without a figure is "not available" with why — never 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from esgledger.catalog.scope3_screening import REASONS
from esgledger.kpi import incomplete_why as why_of
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.register_figures.notes import coded, note_of

TOTAL = "scope3_tco2e"
_CATEGORY = re.compile(r"^cat(?:[1-9]|1[0-5])$")


def is_category_line(total: str, part: str) -> bool:
    """Whether a ``calc:`` key names one Scope 3 category (``scope3_tco2e@cat11``)."""
    return total == TOTAL and bool(_CATEGORY.match(part))


def scope3_incomplete(stored: Mapping[str, Any]) -> bool:
    """Whether the run's Scope 3 misses a category screened relevant or unresolved rows."""
    return bool((stored.get("scope3") or {}).get("incomplete"))


def total_reason(stored: Mapping[str, Any]) -> str:
    """Why the run has no Scope 3 total ("" when it has one, or ran before it said why)."""
    return str((stored.get("scope3") or {}).get("total_reason") or "")


def total_reason_note(stored: Mapping[str, Any], run_id: int) -> tuple[str, list[dict[str, Any]]]:
    """The Scope 3 total's note when the run has no total: its stored reason with the
    command that lists the rows, and the reason's codes (none for a run stored before)."""
    reason = total_reason(stored)
    note = f"{reason} (`esg calc show --run {run_id}`)"
    stored_why = list((stored.get("scope3") or {}).get("total_reason_why") or [])
    shown = [coded("scope3_total_shown", note=reason, run=run_id), *stored_why]
    return note, _if_worded(note, shown) if _stored_words(reason, stored_why) else []


def _stored_words(reason: str, why: list[dict[str, Any]]) -> bool:
    """Whether a stored reason's codes word it exactly (a run stored before has none)."""
    return bool(why) and note_of(why[:1]) == reason


def _stored_why(block: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A category's stored reason codes where they word its reason, else none."""
    why = list(block.get("reason_why") or [])
    return why if _stored_words(str(block.get("reason") or ""), why) else []


def screening_gaps(stored: Mapping[str, Any]) -> list[str]:
    """The categories screened relevant that have no figure (the Scope 3 total misses them)."""
    return list((stored.get("scope3") or {}).get("screening_gaps") or [])


def unresolved_categories(stored: Mapping[str, Any]) -> dict[str, int]:
    """The categories whose rows the run left unresolved, with their counts, in order."""
    blocks = (stored.get("scope3") or {}).get("by_category") or {}
    found = {c: int(b.get("unresolved_rows") or 0) for c, b in blocks.items()}
    return {c: found[c] for c in sorted(found, key=lambda c: int(c[3:])) if found[c]}


def total_gaps_why(stored: Mapping[str, Any]) -> dict[str, Any] | None:
    """Why the Scope 3 total is incomplete: the categories screened relevant without a
    figure and, beside them, those with unresolved rows (every reason); or those with
    unresolved rows alone. None when it is complete."""
    gaps, rows = screening_gaps(stored), unresolved_categories(stored)
    if gaps:
        return why_of.screening_gaps(gaps, rows)
    return why_of.unresolved_categories(rows) if rows and scope3_incomplete(stored) else None


def _category_why(block: Mapping[str, Any], part: str) -> dict[str, Any] | None:
    """Why a category's figure is incomplete: its rows left unresolved, else its being
    screened relevant without a figure; None when it is complete."""
    if not block.get("incomplete"):
        return None
    if block.get("unresolved_rows"):
        return why_of.category_rows(int(block["unresolved_rows"]))
    return why_of.screening_gaps([part])


def _screening_why(block: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The screening's reason as a coded part: its criterion and the note entered, or the
    criterion's own words where none was (as calc.scope3.screening wrote it)."""
    screening = block.get("screening") or {}
    criterion = str(screening.get("reason") or "")
    entered = str(screening.get("note") or "").strip()
    if entered:
        return [coded("screening_entered", criterion=criterion, entered=entered)]
    if criterion in REASONS:
        return [coded("screening_default", criterion=criterion, default=REASONS[criterion])]
    return []


def _if_worded(note: str, why: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``why`` when its first part words ``note`` exactly, else no codes (the note is then
    printed as given in every language: English never changes for a code)."""
    return why if why and note_of(why[:1]) == note else []


def _unavailable_why(block: Mapping[str, Any], note: str, explain: str) -> list[dict[str, Any]]:
    """The codes of a category's "not available" note from the reason the run stored: the
    reason with the command, "not available: " in front where it does not say so itself."""
    stored = _stored_why(block)
    if not stored:
        return []
    reason = str(block["reason"])
    code = (
        "scope3_reason_explained"
        if reason.startswith("not available: ")
        else ("scope3_unavailable_explained")
    )
    return _if_worded(note, [coded(code, note=reason, explain=explain), *stored])


def category_figure(
    stored: Mapping[str, Any], part: str, run_id: int, base: dict[str, Any], entities: int
) -> KpiFigure:
    """One category's line as the run stored it."""
    block = ((stored.get("scope3") or {}).get("by_category") or {}).get(part)
    inputs = [{"run": run_id, "figure": f"scope3.{part}"}]
    explain = f"(`esg calc explain --run {run_id} --metric ghg.scope3.{part}`)"
    if block is None:
        none = [coded("scope3_no_categories", run=run_id)]
        return KpiFigure(
            **base,
            value=None,
            source="calculated",
            status="missing",
            inputs=inputs,
            note=note_of(none),
            note_why=none,
        )
    reason = block.get("reason") or ""
    screened = _screening_why(block)
    if block["status"] == "excluded":
        note = f"excluded by the Scope 3 screening: {reason}"
        return KpiFigure(
            **base,
            value=None,
            source="calculated",
            status="not_applicable",
            inputs=inputs,
            note=note,
            note_why=_if_worded(note, [coded("scope3_excluded", note=reason), *screened]),
        )
    if block["tco2e"] is None:
        why = reason.removeprefix("not available: ")
        note = f"not available: {why} {explain}"
        said = coded("scope3_relevant_no_data", note=note_of(screened), explain=explain)
        return KpiFigure(
            **base,
            value=None,
            source="calculated",
            status="missing",
            inputs=inputs,
            note=note,
            note_why=_if_worded(note, [said, *screened]) or _unavailable_why(block, note, explain),
            incomplete=bool(block.get("incomplete")),
            incomplete_why=_category_why(block, part),
        )
    method = (block.get("method") or "").replace("_", " ")
    notes = [f"method: {method}" if method else "", reason]
    method_why = [coded("scope3_method", method=method)] if method else []
    return KpiFigure(
        **base,
        value=float(block["tco2e"]),
        source="calculated",
        entities=entities,
        inputs=inputs,
        note="; ".join(n for n in notes if n),
        note_why=[*method_why, *_stored_why(block)],
        incomplete=bool(block.get("incomplete")),
        incomplete_why=_category_why(block, part),
    )
