"""The default report outline: sections, their anchors and the disclosures each answers.

``report_sections.csv`` follows the section ↔ GRI 2021 ↔ SZSE No. 17 index of the reference
report (``shared/spec/disclosure-index-example.csv``), with its combined ESG-management chapter
split into sub-sections, OHS split out of the workforce chapter, a GRI 2016 column from the
2020 index, and our IFRS S2 / TCFD / ESRS E1 assignments. The KPI appendix answers most of its
disclosures through the metric catalog (a metric answers the disclosures it lists), so only its
footnote disclosure (2-4) is listed on the section itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from esgledger.catalog._files import read_rows, split_list
from esgledger.errors import NotFound

# framework id → column of report_sections.csv
COLUMNS = {
    "gri-2021": "gri_2021",
    "gri-2016": "gri_2016",
    "szse-17": "szse17",
    "ifrs-s2": "ifrs_s2",
    "tcfd": "tcfd",
    "esrs-e1": "esrs_e1",
}
KINDS = ("chapter", "section", "kpi-appendix", "content-index", "verification")


@dataclass(frozen=True, slots=True)
class Section:
    """A report section; ``anchor`` is the HTML id the renderer must give it."""

    id: str
    title: str
    parent: str
    order: int
    anchor: str
    kind: str
    answers: dict[str, tuple[str, ...]]  # framework id → disclosure codes
    source_section: str
    notes: str

    def codes(self, framework_id: str) -> tuple[str, ...]:
        return self.answers.get(framework_id, ())


@cache
def report_sections() -> dict[str, Section]:
    """The default outline by section id, in reading order."""
    sections = []
    for row in read_rows("report_sections.csv"):
        sections.append(
            Section(
                id=row["id"],
                title=row["title"],
                parent=row["parent"],
                order=int(row["order"]),
                anchor=row["anchor"] or row["id"],
                kind=row["kind"] or "section",
                answers={fid: split_list(row[col]) for fid, col in COLUMNS.items()},
                source_section=row["source_section"],
                notes=row["notes"],
            )
        )
    return {s.id: s for s in sorted(sections, key=lambda s: s.order)}


def section(section_id: str) -> Section:
    try:
        return report_sections()[section_id]
    except KeyError:
        raise NotFound(f"unknown report section {section_id!r}") from None


def section_of_kind(kind: str) -> Section | None:
    """The first section of a kind, e.g. the KPI appendix the KPI rows live in."""
    return next((s for s in report_sections().values() if s.kind == kind), None)
