"""SZSE No. 17 specifics: which topics are material, and the four elements of each one.

The guideline asks a topic that is material both ways (impact and financial, "double
material") to be disclosed through governance, strategy, impact/risk/opportunity management
and metrics and targets. Each element is an index row of its own under its topic, answered by
a heading that declares it (``data-answers="szse-17:<topic>/<element>"``), else by the report's
general governance and materiality headings (governance, IRO management), the topic's own
headings (strategy) and its KPI rows and the targets chapter (metrics and targets); otherwise
it states why it is omitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from esgledger.disclose import default_omissions
from esgledger.disclose.anchors import RenderedAnchors
from esgledger.disclose.index import ANSWERED, GAP, OMITTED, ContentIndex, IndexEntry, SectionRef
from esgledger.disclose.omissions import Omission
from esgledger.disclose.szse_elements import ELEMENTS, FRAMEWORK, element_code
from esgledger.errors import EsgError

# Report-wide headings that hold an element for every topic, when the report has them.
SHARED = {
    "governance": ("sustainability-governance",),
    "iro-management": ("materiality", "risk-management"),
    "strategy": (),
    "metrics-targets": ("targets",),
}


@dataclass
class SzseMateriality:
    """Material SZSE topic codes (None: no assessment) and those material both ways."""

    material: set[str] | None = None
    double: set[str] = field(default_factory=set)


def szse_names_of(topics: Iterable[Any]) -> dict[str, list[str]]:
    """Materiality topic code → the SZSE No. 17 names in its ``szse17`` field (lower case)."""
    return {t.code: [n.strip().lower() for n in t.szse17.split(";") if n.strip()] for t in topics}


def szse_materiality(session: Session, year: int) -> SzseMateriality:
    """From the year's materiality assessment: each topic's ``szse17`` names → material axes."""
    from esgledger.assess.materiality import AXES, get_assessment, topics_of
    from esgledger.assess.matrix import show

    try:
        assessment = get_assessment(session, year)
    except EsgError:
        return SzseMateriality()
    names = szse_names_of(topics_of(session, assessment))
    found = SzseMateriality(material=set())
    both = set(AXES["double"])
    for row in show(session, assessment)["topics"]:
        if not row["material"]:
            continue
        for name in names.get(row["topic"], []):
            found.material.add(name)  # type: ignore[union-attr]
            if both <= set(row.get("material_on") or ()):
                found.double.add(name)
    return found


def with_elements(
    index: ContentIndex,
    double: set[str],
    anchors: RenderedAnchors,
    recorded: dict[str, Omission] | None = None,
) -> None:
    """Insert the four element rows after each double-material topic of ``index``.

    ``recorded``: the reasons for omission recorded for the year (``esg index omit``), by row
    code; one recorded for an element row wins over the reason the report states itself.
    """
    entries: list[IndexEntry] = []
    for entry in index.entries:
        entries.append(entry)
        if entry.code in double:
            entries.extend(
                _element(entry, key, label, anchors, index.year, recorded or {})
                for key, label in ELEMENTS
            )
    index.entries = entries


def _element(
    topic: IndexEntry,
    key: str,
    label: str,
    anchors: RenderedAnchors,
    year: int,
    recorded: dict[str, Omission],
) -> IndexEntry:
    code = element_code(topic.code, key)
    wanted = anchors.claimed(FRAMEWORK, code) + list(SHARED[key])
    if key == "strategy":
        wanted += [s.anchor for s in topic.sections]
    sections = [
        SectionRef(a, anchors.title(a, a), a) for a in dict.fromkeys(wanted) if anchors.has(a)
    ]
    kpis = [k for k in topic.kpis if k.linked] if key == "metrics-targets" else []
    answered = bool(sections or kpis)
    omission = recorded.get(code)
    status = ANSWERED if answered else OMITTED if omission else GAP
    if omission is None and not answered:
        omission = default_omissions.element_unanswered(FRAMEWORK, code, label, year)
    return IndexEntry(
        code=code,
        title=f"{topic.title}: {label}",
        group=topic.group,
        group_title=topic.group_title,
        kind="element",
        requirement="double-material",
        required=True,
        omission_permitted=True,
        sections=sections,
        kpis=kpis,
        omission=omission,
        status=status,
    )
