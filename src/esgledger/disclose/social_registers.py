"""The report's section on the social registers (#17): OHS, whistleblowing, customer
complaints and NPS, product-security vulnerabilities.

Every number is the KPI table's figure of the year (the one the appendix prints), so the
section and the appendix cannot disagree; OHS rates are computed here from the register's
injuries and hours worked (per 200,000 and 1,000,000 hours, GRI 403-9 c), never typed. A
figure without a value is "not available" with its reason, never 0. Whistleblowing is
counted only — no case content reaches the report. A block is printed only when one of its
figures has a value, and its heading claims a disclosure (``data-answers``, hence an index
row) only then: GRI 403-9 for the injuries, 2-25 and 2-26 for the whistleblowing counts.
Complaints are not claimed for GRI 418-1: the register does not tell privacy complaints
apart, so it answers nothing of that disclosure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from esgledger.catalog.messages import N_
from esgledger.kpi.register_figures.notes import coded, note_of

SECTION_ID = "social-registers"
RATE_BASES = (200_000, 1_000_000)
Lookup = Callable[[str, str], dict[str, Any] | None]

OHS = (
    ("ohs.hours_worked", N_("Hours worked")),
    ("ohs.recordable_injuries", N_("Recordable work-related injuries")),
    ("ohs.high_consequence_injuries", N_("High-consequence injuries")),
    ("ohs.fatalities", N_("Work-related fatalities")),
    ("ohs.lost_days", N_("Days lost to injury")),
)
WHISTLE = (
    ("compliance.whistleblowing.received", N_("Reports received")),
    ("compliance.whistleblowing.substantiated", N_("Reports substantiated")),
    ("compliance.whistleblowing.closed", N_("Reports closed")),
    ("compliance.whistleblowing.closed_within_sla", N_("Closed within 90 days")),
)
COMPLAINTS = (
    ("customer.complaints.received", N_("Complaints received")),
    ("customer.complaints.closed", N_("Complaints closed")),
    ("customer.complaints.closed_within_sla_share", N_("Closed within SLA")),
    ("customer.complaints.sla_breaches", N_("SLA breaches")),
    ("customer.nps.answers", N_("NPS answers")),
    ("customer.nps.score", N_("Net Promoter Score")),
)
VULNERABILITIES = (
    ("cybersecurity.vulnerabilities.received", N_("Vulnerabilities received")),
    ("cybersecurity.vulnerabilities.fixed", N_("Vulnerabilities fixed")),
    ("cybersecurity.vulnerabilities.fixed_within_sla_share", N_("Fixed within SLA")),
    ("cybersecurity.vulnerabilities.advisories_published", N_("Advisories published")),
)
BLOCKS = (
    ("ohs", N_("Occupational health and safety"), OHS, ("gri-2021:403-9",)),
    ("whistleblowing", N_("Whistleblowing and grievances"), WHISTLE,
     ("gri-2021:2-25", "gri-2021:2-26")),
    ("complaints", N_("Customer complaints and satisfaction"), COMPLAINTS, ()),
    ("vulnerabilities", N_("Product-security vulnerabilities"), VULNERABILITIES, ()),
)  # fmt: skip


def _lookup(series: dict[str, Any]) -> Lookup:
    year = str(series["year"])
    rows = {
        (k["metric"], ";".join(f"{a}={b}" for a, b in sorted(k["dims"].items()))): k
        for k in series["kpis"]
    }

    def find(metric: str, dims: str = "") -> dict[str, Any] | None:
        row = rows.get((metric, dims))
        return None if row is None else {**row["figures"].get(year, {}), "unit": row["unit"]}

    return find


def _cell(fig: dict[str, Any] | None, decimals: int) -> dict[str, Any]:
    if fig is None or fig.get("value") is None:
        note, why = (fig or {}).get("note"), (fig or {}).get("note_why") or []
        if not note:
            why = [coded("no_figure_year")]
            note = note_of(why)
        return {"value": None, "text": "", "note": note.removeprefix("not available: "),
                "note_full": note, "note_why": why}  # fmt: skip
    return {
        "value": fig["value"],
        "text": f"{fig['value']:,.{decimals}f}",
        "unit": fig.get("unit", ""),
        "note": "partial" if fig.get("partial") else "",
        "source": fig.get("source", ""),
    }


def _rates(find: Lookup) -> list[dict[str, Any]]:
    """Recordable injuries per 200,000 and 1,000,000 hours worked, from the two figures."""
    injuries, hours = find("ohs.recordable_injuries", ""), find("ohs.hours_worked", "")
    out = []
    for base in RATE_BASES:
        if not injuries or not hours or injuries.get("value") is None or not hours.get("value"):
            out.append({"base": f"{base:,}", "value": None, "text": "",
                        "note": "the injuries or the hours worked are not available"})  # fmt: skip
            continue
        rate = injuries["value"] / hours["value"] * base
        out.append({"base": f"{base:,}", "value": rate, "text": f"{rate:.2f}", "note": ""})
    return out


def social_section(series: dict[str, Any]) -> dict[str, Any] | None:
    """The section's model from the year's KPI series, or None when no block has a value."""
    find = _lookup(series)
    blocks = []
    for key, title, metrics_, answers in BLOCKS:
        rows = [
            {
                "metric": m,
                "label": label,
                **_cell(find(m, ""), 1 if m.endswith(("_share", ".score")) else 0),
            }
            for m, label in metrics_
        ]
        if not any(r["value"] is not None for r in rows):
            continue
        block: dict[str, Any] = {"id": f"{SECTION_ID}-{key}", "title": title, "rows": rows,
                                 "answers": ";".join(answers)}  # fmt: skip
        if key == "ohs":
            block["rates"] = _rates(find)
        if key == "complaints":
            block["segments"] = _segments(find)
        blocks.append(block)
    return {"id": SECTION_ID, "year": series["year"], "blocks": blocks} if blocks else None


def _segments(find: Lookup) -> list[dict[str, Any]]:
    """NPS per customer segment from the segment's answer counts (not available without)."""
    out = []
    for segment in ("domestic_distribution", "non_distribution", "other"):
        dims = f"customer_segment={segment}"
        counts = [
            find(f"customer.nps.{part}", dims) for part in ("answers", "promoters", "detractors")
        ]
        answers, promoters, detractors = ((c or {}).get("value") for c in counts)
        if not answers:
            continue  # a segment nobody answered for is left out, not printed as 0
        nps = 100.0 * ((promoters or 0) - (detractors or 0)) / answers
        out.append({"segment": segment, "answers": f"{answers:,.0f}", "nps": f"{nps:.1f}"})
    return out
