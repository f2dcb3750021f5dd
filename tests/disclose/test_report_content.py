"""Issue 12, report content: what the demo's published report says to a reader.

Read from the demo as ``esg demo`` publishes it (HTML and the PDF's text), never from the
model: a reader sees the files.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from esgledger.catalog import metrics
from esgledger.disclose.headings import (
    ASSURANCE,
    ELEMENTS,
    FIXED,
    STAKEHOLDER_TABLE,
    element_id,
)
from esgledger.disclose.topics import chapter_of_topic
from esgledger.ledger.db import Database
from esgledger.ledger.report_models import PublishedReport
from tests.conftest import DemoBuild


def _html(demo_build: DemoBuild) -> str:
    return next((demo_build.out / "report").glob("esg-report-????.html")).read_text(
        encoding="utf-8"
    )


@pytest.fixture(scope="module")
def pdf_text(demo_pdf_pages: tuple[str, ...]) -> str:
    """The demo's English PDF as text (:func:`tests.conftest.demo_pdf_pages`)."""
    return "\n".join(text or "" for text in demo_pdf_pages)


def _flat(text: str) -> str:
    """Text without markup or line breaks, spaces collapsed: how a phrase reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def test_no_catalog_note_is_printed(demo_build: DemoBuild, pdf_text: str) -> None:
    html = _flat(_html(demo_build))
    pdf = _flat(pdf_text)
    notes = {m.notes for m in metrics().values() if m.notes}
    assert len(notes) > 50
    for note in notes:
        probe = _flat(note)[:60]
        assert probe not in html, note
        assert probe not in pdf, note
    assert "esgledger.units" not in html and "CO2-only" not in html


def test_the_methodology_says_what_the_run_used(demo_build: DemoBuild) -> None:
    html = _html(demo_build)
    start = html.index('id="methodology"')
    chapter = _flat(html[start : html.index("</section>", start)])
    for phrase in (
        "GRI",  # the standards the indices follow, with their citations
        "IPCC AR5",  # the GWP set of the demo's runs
        "operational control",
        "No base year is set",
        "Energy and greenhouse gases, 2024 → 2025:",  # the boundary change
        "Estimated or preliminary figures (2025)",
        "Data-quality statement",
    ):
        assert phrase in chapter, phrase
    assert "GB/T 2589" in chapter  # a factor edition with its citation


def test_the_demo_is_published_through_the_gate_and_says_so(demo_build: DemoBuild) -> None:
    html = _flat(_html(demo_build))
    statement = html[html.index("Data-quality statement") :]
    assert "0 open error findings" in statement
    assert "Planted demo defect (the age-band breakdown is 120 people short" in statement
    assert "reviewed and acknowledged" in statement
    db = Database(str(demo_build.db_path))
    try:
        with db.read() as session:
            years = set(session.scalars(select(PublishedReport.year)))
    finally:
        db.dispose()
    assert 2025 in years  # kept in the ledger: published, not previewed


def test_narrative_figures_read_like_an_editor_wrote_them(demo_build: DemoBuild) -> None:
    html = _flat(_html(demo_build))
    for wrong in ("person people", "piece new patents", "case serious", ".00 tce", ".00 tCO2e"):
        assert wrong not in html, wrong
    assert re.search(r"employed \d{2},\d{3} (Q\d+ )?people worldwide", html)  # Q: acknowledged
    assert re.search(r"a change of \+\d+\.\d% \(boundary changed; like-for-like [−+]\d", html)


def test_tiles_give_like_for_like_change_when_the_boundary_changed(demo_build: DemoBuild) -> None:
    html = _flat(_html(demo_build))
    tiles = html[html.index("2025 at a glance") :]
    assert "like-for-like;" in tiles and "on the changed boundary" in tiles


def _material_topics(demo_build: DemoBuild) -> list[str]:
    from esgledger.assess import matrix
    from esgledger.assess.materiality import get_assessment

    db = Database(str(demo_build.db_path))
    try:
        with db.read() as session:
            shown = matrix.show(session, get_assessment(session, 2025))
    finally:
        db.dispose()
    return [t["topic"] for t in shown["topics"] if t["material"] or t["double_material"]]


def _part(html: str, anchor: str) -> str:
    """The HTML of the section with id ``anchor``, up to the next section."""
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


def test_every_material_topic_has_a_chapter_with_the_four_elements(demo_build: DemoBuild) -> None:
    html = _html(demo_build)
    topics = _material_topics(demo_build)
    assert {"climate-change", "cybersecurity-data-protection"} <= set(topics)
    for topic in topics:
        anchor = chapter_of_topic(topic)
        assert anchor is not None, topic
        chapter = _part(html, anchor)
        for element in ELEMENTS:
            assert f'id="{element_id(anchor, element)}"' in chapter, (topic, element)
    security = _flat(_part(html, "data-security"))
    assert "Ransomware attack on production systems" in security  # from the risk register
    climate = _flat(_part(html, "climate-change"))
    assert "GHG-INT" in climate  # the target register's climate target


def test_the_new_chapters_and_the_stakeholder_table(demo_build: DemoBuild) -> None:
    html = _html(demo_build)
    for anchor in ("stakeholder-engagement", "human-rights", "product-quality", "data-security"):
        assert f'<h2 id="{anchor}"' in html, anchor
    table = _flat(_part(html, STAKEHOLDER_TABLE))
    assert "Stakeholder group" in table and "Respondents" in table and "Responses" in table
    assert re.search(r"Customers [^|]*?\d", table)


def test_climate_risks_have_impact_horizon_financial_effect_and_response(
    demo_build: DemoBuild,
) -> None:
    table = _flat(_part(_html(demo_build), "climate-risks"))
    for column in ("Impact", "Horizon and level", "Financial effect", "Response"):
        assert column in table, column
    # the carbon-price risk carries its quantified exposure, the others say they are not
    assert re.search(r"Rising price of GHG emissions .*? up to [\d,]+ \w+ a year", table)
    assert "not quantified" in table


def test_assurance_and_a_signed_dated_letter(demo_build: DemoBuild, pdf_text: str) -> None:
    html = _flat(_html(demo_build))
    assurance = _flat(_part(_html(demo_build), ASSURANCE))
    # the demo's engagement (#17): its placeholder provider, standard, level and statement
    assert "gave limited assurance under ISAE 3410" in assurance
    assert "Demo Assurance Provider (placeholder)" in assurance
    assert "assurance-statement-2025.md" in assurance and "not externally assured" not in html
    scope1 = _html(demo_build).split('id="kpi-ghg-scope1"')[1].split("</tr>")[0]
    assert 'class="assured"' in scope1  # in the engagement's scope: the mark A
    letter = _flat(_part(_html(demo_build), "message"))
    assert "Li Wei" in letter and "Chair of the Board" in letter and "28 March 2026" in letter
    assert "Li Wei" in _flat(pdf_text) and "ISAE 3410" in _flat(pdf_text)


def test_every_registered_heading_id_is_printed(demo_build: DemoBuild) -> None:
    html = _html(demo_build)
    missing = [anchor for anchor in FIXED if f'id="{anchor}"' not in html]
    assert missing == []


def test_topic_element_headings_answer_their_szse_elements(demo_build: DemoBuild) -> None:
    html = _html(demo_build)
    heading = re.search(r'<h3 id="climate-change--governance" data-answers="([^"]*)"', html)
    assert heading, "the climate chapter's governance heading claims no SZSE element"
    claims = [c.strip() for c in heading.group(1).split(";")]
    assert "szse-17:response to climate change/governance" in claims
    assert all(c.startswith("szse-17:") and "(" not in c for c in claims), claims
    # the SZSE index row of that element points at the heading
    assert 'href="#climate-change--governance"' in html
