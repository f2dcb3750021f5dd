"""The report's governance section from the registers (#17): sentences generated from the
register figures of the board, integrity commitments and anti-corruption training,
whistleblowing and community giving, each number linked to its appendix row (which
``esg kpi explain`` traces to the register rows).

Only figures with ``source: "register"`` speak here, and a part is printed only when one of
its lead figures has a value (giving: donations, or volunteering when the donations cannot
be totalled for want of an exchange rate — the part then says so, never a sum short of
them); each printed part's heading declares the GRI disclosures it
answers (``data-answers``), so the content index points here only for what is disclosed.
The words are the template's (both editions through gettext); the numbers are formatted
once, the same in both.
"""

from __future__ import annotations

from typing import Any

from esgledger.catalog import metrics
from esgledger.disclose.narrative import format_value
from esgledger.disclose.report import kpi_anchor

SECTION_ID = "governance-registers"
# A register's own figures, and the catalog formulas over them (shares, rates).
COUNTED = ("register", "derived")
# part → (GRI 2021 disclosures it answers, its lead metrics (any one), its metrics)
PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "board": (
        ("2-9",),
        ("governance.board.size",),
        (
            "governance.board.size",
            "governance.board.independent_directors",
            "governance.board.independent_share",
            "governance.board.women",
            "governance.board.women_share",
            "governance.board.meetings",
            "governance.board.attendance_rate",
        ),
    ),
    "integrity": (
        ("205-2",),
        ("compliance.integrity_commitment.required",),
        (
            "compliance.integrity_commitment.required",
            "compliance.integrity_commitment.signed",
            "compliance.integrity_commitment_coverage",
            "compliance.anti_corruption_training.required",
            "compliance.anti_corruption_training.completed",
            "compliance.anti_corruption_training_coverage",
        ),
    ),
    "whistleblowing": (
        ("2-26",),
        ("compliance.whistleblowing.received",),
        (
            "compliance.whistleblowing.received",
            "compliance.whistleblowing.substantiated",
            "compliance.whistleblowing.closed",
        ),
    ),
    "giving": (
        ("413-1",),
        ("social.donations", "social.volunteering.hours"),
        (
            "social.donations",
            "social.volunteering.hours",
            "social.volunteering.participation",
            "social.giving.programmes",
        ),
    ),
}


def _percent_only(unit: str) -> str:
    """The unit a sentence prints beside the number: % only (the words name the others)."""
    return unit if unit in ("%", "permille") else ""


def _figures(series: dict[str, Any], year: int) -> dict[str, dict[str, Any]]:
    """metric → its register figure of ``year`` (whole, no breakdown), with a value."""
    out = {}
    for row in series["kpis"]:
        figure = row["figures"].get(str(year))
        if row["dims"] or figure is None or figure.get("source") not in COUNTED:
            continue
        if figure.get("value") is None:
            continue
        metric = metrics()[row["metric"]]
        out[row["metric"]] = {
            "text": format_value(figure["value"], metric.precision, _percent_only(metric.unit)),
            "anchor": kpi_anchor(row["metric"], {}),
            "partial": bool(figure.get("partial")),
        }
    return out


def governance_section(series: dict[str, Any], year: int) -> dict[str, Any] | None:
    """The section's model: the parts with a lead figure, or None when none has one."""
    found = _figures(series, year)
    parts = {}
    for name, (codes, leads, members) in PARTS.items():
        if not any(lead in found for lead in leads):
            continue
        parts[name] = {
            "answers": ";".join(f"gri-2021:{code}" for code in codes),
            "id": f"{SECTION_ID}-{name}",
            "f": {m: found.get(m) for m in members},
        }
    if not parts:
        return None
    return {"id": SECTION_ID, "year": year, "parts": parts}
