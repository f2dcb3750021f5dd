"""Topic chapters with the four elements, from Markdown sections plus the ledger's registers.

Each material topic (double-material, or marked material for the SZSE guideline) gets its
chapter (:mod:`.topics`) with governance, strategy, impact/risk/opportunity management and
metrics and targets (:data:`.headings.ELEMENTS`). The narrative writes the elements as ``##``
headings; the risk register's entries of the chapter's categories follow its management
element and the targets on its metric areas its metrics element. An element the narrative
lacks, or a material topic without any narrative, is printed as "not reported" — never
silently left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.catalog.frameworks import disclosures
from esgledger.catalog.messages import translate
from esgledger.catalog.translations import has_text, text
from esgledger.disclose.edition_env import edition_environment
from esgledger.disclose.headings import (
    ELEMENT_TITLES,
    ELEMENT_TITLES_ZH,
    ELEMENTS,
    STAKEHOLDER_TABLE,
    element_id,
)
from esgledger.disclose.narrative import Section
from esgledger.disclose.szse_index import szse_names_of
from esgledger.disclose.topics import BY_ANCHOR, TopicChapter, chapter_of_topic
from esgledger.errors import EsgError

if TYPE_CHECKING:
    from esgledger.kpi.values import Table

    KpiTables = Mapping[int, Table]  # year → the report's KPI table

GENERATED = Path("(generated)")


def material_topics(session: Session, year: int) -> list[str]:
    """Topic codes of the year's assessment that are material or double-material."""
    from esgledger.assess import matrix
    from esgledger.assess.materiality import get_assessment

    try:
        shown = matrix.show(session, get_assessment(session, year))
    except EsgError:
        return []
    return [
        t["topic"] for t in shown.get("topics", []) if t.get("material") or t.get("double_material")
    ]


# A chapter's element heading claims the same element of each SZSE No. 17 topic its
# materiality topics name (``szse17`` in the assessment), so the index points at it.
SZSE_ELEMENT = {
    "governance": "governance",
    "strategy": "strategy",
    "management": "iro-management",
    "metrics": "metrics-targets",
}


def szse_names(session: Session, year: int) -> dict[str, list[str]]:
    """Materiality topic code → the SZSE No. 17 topics it corresponds to (lower case)."""
    from esgledger.assess.materiality import get_assessment, topics_of

    try:
        assessment = get_assessment(session, year)
    except EsgError:
        return {}
    known = {code.lower() for code in disclosures("szse-17")}  # notes in the field are not topics
    names = szse_names_of(topics_of(session, assessment))
    return {code: [n for n in found if n in known] for code, found in names.items()}


def with_claims(section: Section, chapter: TopicChapter, names: dict[str, list[str]]) -> Section:
    """Each element heading the chapter really writes declares the SZSE elements it holds.

    An element printed as "not reported" claims nothing: the index then states its omission.
    """
    szse = list(dict.fromkeys(n for topic in chapter.topics for n in names.get(topic, [])))
    if not szse:
        return section
    html = section.html
    for element in ELEMENTS:
        span = _element_span(html, chapter.anchor, element)
        if span is None:
            continue
        body = html[html.find("</h3>", span[0]) + len("</h3>") : span[1]]
        if body.lstrip().startswith('<p class="gap">'):
            continue
        claims = "; ".join(f"szse-17:{n}/{SZSE_ELEMENT[element]}" for n in szse)
        heading = f'<h3 id="{element_id(chapter.anchor, element)}"'
        html = html.replace(heading + ">", f'{heading} data-answers="{claims}">', 1)
    return replace(section, html=html)


def _registers(
    session: Session, year: int, lang: str, tables: KpiTables | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The risk register and the year's target progress, formatted for printing."""
    from esgledger.assess import risk
    from esgledger.disclose.chapters import target_rows

    risks = sorted(risk.list_risks(session), key=lambda r: (-r["score"], r["code"]))
    return risks, target_rows(session, year, lang, tables)


def register_html(
    chapter: TopicChapter,
    risks: list[dict[str, Any]],
    targets: list[dict[str, Any]],
    year: int,
    lang: str = "en",
) -> dict[str, str]:
    """Element → the register tables the chapter prints under it."""
    own_risks = [r for r in risks if r["category"] in chapter.risk_categories]
    own_targets = [t for t in targets if t["area"] in chapter.metric_areas]
    template = edition_environment(lang).get_template("topic_registers.html.j2")
    return {
        "management": template.render(risks=own_risks, targets=[], year=year).strip(),
        "metrics": template.render(risks=[], targets=own_targets, year=year).strip(),
    }


def stakeholder_table(session: Session, year: int, lang: str = "en") -> str:
    """The stakeholder groups of the year's assessment, with respondents and responses."""
    from esgledger.assess.materiality import get_assessment, groups_of
    from esgledger.ledger.assess_models import MaterialityResponse, Respondent

    try:
        assessment = get_assessment(session, year)
    except EsgError:
        return ""
    groups = []
    for group in groups_of(session, assessment):
        respondents = session.scalar(
            select(func.count()).select_from(Respondent).where(Respondent.group_id == group.id)
        )
        responses = session.scalar(
            select(func.count())
            .select_from(MaterialityResponse)
            .join(Respondent, Respondent.id == MaterialityResponse.respondent_id)
            .where(Respondent.group_id == group.id)
        )
        groups.append(
            {
                "name": group.name,
                "axis": group.axis,
                "weight": group.weight,
                "respondents": respondents or 0,
                "responses": responses or 0,
            }
        )
    if not groups:
        return ""
    return (
        edition_environment(lang)
        .get_template("stakeholders.html.j2")
        .render(groups=groups, year=year, anchor=STAKEHOLDER_TABLE)
    )


def _element_span(html: str, anchor: str, element: str) -> tuple[int, int] | None:
    """Where an element's body ends in the chapter's HTML: (heading start, body end)."""
    match = re.search(rf'<h3 id="{re.escape(element_id(anchor, element))}">', html)
    if match is None:
        return None
    following = html.find("<h3 ", match.end())
    return match.start(), (following if following != -1 else len(html))


def with_elements(
    section: Section,
    chapter: TopicChapter,
    extra: dict[str, str],
    *,
    required: bool,
    year: int,
    lang: str = "en",
) -> Section:
    """The section with each element's register tables, and missing elements stated."""
    html = section.html
    for element in ELEMENTS:
        span = _element_span(html, chapter.anchor, element)
        addition = extra.get(element, "")
        if span is None:
            if not required and not addition:
                continue
            if not required:
                html += addition
                continue
            title = ELEMENT_TITLES[element] if lang == "en" else ELEMENT_TITLES_ZH[element]
            gap = translate(
                "Not reported for %(year)s: this chapter has no narrative on %(element)s.", lang
            ) % {"year": year, "element": title.lower() if lang == "en" else title}
            html += (
                f'<h3 id="{element_id(chapter.anchor, element)}">{escape(title)}</h3>'
                f'<p class="gap">{escape(gap)}</p>{addition}'
            )
            continue
        end = span[1]
        html = html[:end] + addition + html[end:]
    return replace(section, html=html)


def topic_sections(
    session: Session,
    year: int,
    sections: list[Section],
    lang: str = "en",
    tables: KpiTables | None = None,
) -> list[Section]:
    """The narrative sections with the four elements and registers in each topic chapter,
    plus a generated chapter for each material topic no narrative answers (in ``lang``);
    ``tables``: the report's KPI tables by year, read by the targets' progress."""
    required = {a for a in map(chapter_of_topic, material_topics(session, year)) if a}
    risks, targets = _registers(session, year, lang, tables)
    stakeholders = stakeholder_table(session, year, lang)
    names = szse_names(session, year)
    out: list[Section] = []
    for section in sections:
        chapter = BY_ANCHOR.get(section.id)
        if chapter is None:
            out.append(section)
            continue
        extra = register_html(chapter, risks, targets, year, lang)
        if chapter.anchor == "stakeholder-engagement" and stakeholders:
            extra["strategy"] = stakeholders
        needed = chapter.anchor in required
        shown = with_elements(section, chapter, extra, required=needed, year=year, lang=lang)
        out.append(with_claims(shown, chapter, names))
    present = {s.id for s in out}
    for anchor in sorted(required - present):
        chapter = BY_ANCHOR[anchor]
        title = (
            text("section", anchor, lang) if has_text("section", anchor, lang) else chapter.title
        )
        empty = Section(anchor, title, "", GENERATED)
        extra = register_html(chapter, risks, targets, year, lang)
        out.append(with_elements(empty, chapter, extra, required=True, year=year, lang=lang))
    return out
