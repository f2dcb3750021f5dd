"""GRI 3 (material topics) from the materiality assessment in the ledger.

GRI 3-1 asks for the process that determined the material topics, 3-2 for their list and its
changes since the last report, and 3-3 for how each one is managed. The materiality chapter
prints each under a heading that declares it (``data-answers="gri-2021:3-1"`` …), so the
content index points at the heading that holds it. 3-3 names, per material topic, the
"impact, risk and opportunity management" heading of the topic's chapter, and says "not
reported" where that chapter has no narrative on it — it never points at an empty heading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from esgledger.disclose.headings import element_id
from esgledger.disclose.narrative import Section
from esgledger.disclose.topics import chapter_of_topic
from esgledger.errors import EsgError

MANAGEMENT_ELEMENT = "management"


@dataclass(frozen=True)
class ManagedTopic:
    """A material topic and the heading that describes how it is managed (or none)."""

    name: str
    axes: str  # "impact and financial", "impact", "financial"
    anchor: str  # the management heading's id, "" when the report has none
    chapter: str  # the chapter's title


def _axes(row: dict[str, Any]) -> str:
    on = list(row.get("material_on") or ())
    return " and ".join(on) if on else "material"


def material_rows(shown: dict[str, Any]) -> list[dict[str, Any]]:
    """The assessment's material topics, highest scores first."""
    rows = [t for t in shown.get("topics", []) if t.get("material") or t.get("double_material")]
    return sorted(
        rows, key=lambda t: -(t.get("impact_score") or 0) - (t.get("financial_score") or 0)
    )


def changes_since(session: Session, year: int, now: list[dict[str, Any]]) -> dict[str, Any]:
    """Topics added to and dropped from the list since the previous year's assessment."""
    from esgledger.assess import matrix
    from esgledger.assess.materiality import get_assessment

    try:
        before = matrix.show(session, get_assessment(session, year - 1))
    except EsgError:
        return {"previous": None, "added": [], "dropped": []}
    names_now = [str(t["name"]) for t in now]
    names_before = [str(t["name"]) for t in material_rows(before)]
    lower_before = {n.lower() for n in names_before}
    lower_now = {n.lower() for n in names_now}
    return {
        "previous": year - 1,
        "added": [n for n in names_now if n.lower() not in lower_before],
        "dropped": [n for n in names_before if n.lower() not in lower_now],
    }


def _management_of(sections: list[Section], anchor: str) -> Section | None:
    """The chapter, if it prints its management element with narrative (not as a gap)."""
    heading = f'<h3 id="{element_id(anchor, MANAGEMENT_ELEMENT)}"'
    for section in sections:
        if section.id != anchor or heading not in section.html:
            continue
        body = section.html.split(heading, 1)[1].split("</h3>", 1)[-1]
        return None if body.lstrip().startswith('<p class="gap">') else section
    return None


def managed_topics(rows: list[dict[str, Any]], sections: list[Section]) -> list[ManagedTopic]:
    """Per material topic: the management heading of its chapter, where the report has one."""
    out = []
    for row in rows:
        chapter = chapter_of_topic(str(row["topic"]))
        section = _management_of(sections, chapter) if chapter else None
        out.append(
            ManagedTopic(
                name=str(row.get("name") or row["topic"]),
                axes=_axes(row),
                anchor=element_id(section.id, MANAGEMENT_ELEMENT) if section else "",
                chapter=section.title if section else "",
            )
        )
    return out
