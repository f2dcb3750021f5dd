"""The report's Scope 3 section: each of the 15 categories of the year's calculation run
with its figure, status, method, share and data quality, the exclusions with their
reasons, and the heading the content indices point at (GRI 305-3, IFRS S2 29(a), ESRS E1-6).

Read from the run behind the year's GHG figures (the one the methodology lists), so the
section and the KPI appendix cannot disagree; a category without a figure is printed "not
available" with why, never 0, and an incomplete Scope 3 says so.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session

from esgledger.catalog.messages import N_, translate
from esgledger.catalog.scope3_screening import CRITERIA, REASONS
from esgledger.catalog.translations import has_text, text
from esgledger.disclose.edition_env import entered
from esgledger.disclose.locale_format import bracketed, table_number
from esgledger.disclose.scope3_reasons import run_reason_in, total_reason_in
from esgledger.kpi.calculated import latest_run
from esgledger.kpi.scope import Scopes
from esgledger.ledger.run_totals import stored_totals

SECTION_ID = "scope3"
# The disclosures the section answers, as ``data-answers`` claims (framework:code).
ANSWERS = ("gri-2021:305-3", "ifrs-s2:29(a)", "esrs-e1:E1-6")
STATUS_TEXT = {
    "calculated": N_("calculated"),
    "excluded": N_("excluded"),
    "not_available": N_("not available"),
}
METHOD_TEXT = {
    "spend_based": N_("spend based"),
    "average_data": N_("average data"),
    "distance_based": N_("distance based"),
    "waste_type": N_("waste type"),
    "supplier_specific": N_("supplier specific"),
    "hybrid": N_("hybrid"),
    "use_phase": N_("use phase"),
    "direct_use_phase": N_("direct use phase"),
    "end_of_life": N_("end of life"),
}
QUALITY_TEXT = {
    "very good": N_("very good"),
    "good": N_("good"),
    "fair": N_("fair"),
    "poor": N_("poor"),
    "very poor": N_("very poor"),
}
RELEVANT_NO_DATA = N_("screened relevant (%(why)s) but no activity data")


def category_anchor(key: str) -> str:
    """The id of one category's row: ``scope3-cat1``."""
    return f"{SECTION_ID}-{key}"


def scope3_section(session: Session, year: int, lang: str = "en") -> dict[str, Any] | None:
    """The section's model in ``lang``, or None when no run of the year computed any Scope 3
    block."""
    scope = Scopes(session, year).for_family("energy_ghg")
    run = latest_run(session, year, scope.code)
    if run is None:
        return None
    totals = stored_totals(run.totals)
    stored = totals.get("scope3") or {}
    by_category = stored.get("by_category") or {}
    if not by_category:
        return None
    rows = [_row(key, block, lang) for key, block in by_category.items()]
    total = totals["totals"].get("scope3_tco2e")
    return {
        "id": SECTION_ID,
        "answers": ";".join(ANSWERS),
        "run": run.id,
        "total": _tonnes(total, lang),
        "total_reason": _why_not(stored, lang) if total is None else None,
        "incomplete": bool(stored.get("incomplete")),
        "screened": any(block.get("screening") for block in by_category.values()),
        "rows": rows,
        "exclusions": [r for r in rows if r["status_code"] == "excluded"],
        "gaps": [r for r in rows if r["status_code"] == "not_available"],
        "left_out": [r for r in rows if r["left_out"]],
    }


def _word(table: dict[str, str], code: str | None, lang: str) -> str:
    """A code of the run as a word in ``lang``; a code the tables lack, in plain words."""
    if not code:
        return ""
    return translate(table[code], lang) if code in table else code.replace("_", " ")


def _name(key: str, block: dict[str, Any], lang: str) -> str:
    """The category's name: the GHG Protocol's, in Chinese as the metric catalog names it."""
    metric = f"ghg.scope3.{key}"
    if lang == "en" or not has_text("metric", metric, lang):
        return str(block["name"])
    return text("metric", metric, lang).split("：", 1)[-1]


def _reason(block: dict[str, Any], lang: str) -> str:
    """Why a category is excluded, left out in part or not available. In English the run's
    own sentence; in another edition rebuilt from the screening (criterion and note) and the
    activity types left out, the note printed as entered (marked as English when it is)."""
    if lang == "en":
        return str(block.get("reason") or "")
    screening = block.get("screening") or {}
    why = Markup("")
    if screening.get("reason"):
        note = str(screening.get("note") or "").strip()
        why += _word(CRITERIA, screening["reason"], lang) + translate(": ", lang)
        why += entered(note, lang) if note else _word(REASONS, screening["reason"], lang)
    parts = block.get("left_out") or []
    if parts:
        what = translate(", ", lang).join(
            translate("%(activity)s (%(rows)s rows)", lang)
            % {"activity": _activity(p["activity"], lang), "rows": p["rows"]}
            for p in parts
        )
        left = Markup("") + translate("left out by the screening: %(what)s", lang) % {"what": what}
        return left + (translate("; ", lang) + why if why else "")
    if not why:
        return run_reason_in(block, lang)  # the run's reason, from its stored counts
    if (
        screening.get("relevant")
        and block.get("tco2e") is None
        and not block.get("unresolved_rows")
    ):
        return Markup("") + translate(RELEVANT_NO_DATA, lang) % {"why": why}
    return why


def _activity(code: str, lang: str) -> str:
    return text("activity", code, lang) if has_text("activity", code, lang) else code


def _row(key: str, block: dict[str, Any], lang: str) -> dict[str, Any]:
    screening = block.get("screening") or {}
    quality = screening.get("data_quality")
    share = block.get("share")
    label = screening.get("data_quality_label")
    return {
        "key": key,
        "anchor": category_anchor(key),
        "number": key.removeprefix("cat"),
        "name": _name(key, block, lang),
        "tco2e": _tonnes(block["tco2e"], lang),
        "status_code": block["status"],
        "status": _word(STATUS_TEXT, block["status"], lang),
        "method": _word(METHOD_TEXT, block.get("method"), lang),
        "share": f"{share * 100:.1f} %" if share is not None else "—",
        "data_quality": f"{quality}{bracketed(_word(QUALITY_TEXT, label, lang), lang)}"
        if quality
        else "—",
        "reason": _reason(block, lang),
        "incomplete": bool(block.get("incomplete")),
        "left_out": bool(block.get("left_out")),  # parts the screening leaves out, in reason
    }


def _why_not(stored: dict[str, Any], lang: str) -> str | None:
    """The run's reason for a Scope 3 total it could not give, without its leading "not
    available:" (the sentence says that in the edition's language); another edition words
    it from the run's counts."""
    reason = stored.get("total_reason")
    if not reason:
        return None
    if lang != "en":
        return total_reason_in(stored.get("by_category") or {}, lang)
    return str(reason).removeprefix("not available: ")


def _tonnes(value: float | None, lang: str) -> str:
    if value is None:
        return translate("not available", lang)
    return table_number(value, 1, lang)
