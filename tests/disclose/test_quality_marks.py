"""Issue 12: a figure an acknowledged finding is about carries a marker to the finding's entry
in the data-quality statement — in the tiles, the narrative and the appendix, in HTML and PDF.

Read off the demo's published report: its planted defects are acknowledged (the age-band
breakdown 120 people short of the headcount, among others).
"""

from __future__ import annotations

import re

from pypdf import PdfReader

from esgledger.disclose.footnotes import link_marks, quality_mark, strip_marks
from tests.disclose.test_report_pdf import (  # noqa: F401
    destination_pages,
    html,
    pdf,
    report_dir,
    squeeze,
    texts,
)

MARKER = re.compile(r'<sup class="fn dq"><a href="#dq-(\d+)">Q(\d+)</a></sup>')


def _entries(html: str) -> dict[str, str]:  # noqa: F811
    """Entry number → its row text in the data-quality statement."""
    rows = re.findall(r'<tr id="dq-(\d+)">(.*?)</tr>', html, re.S)
    return {n: re.sub(r"<[^>]+>", " ", row) for n, row in rows}


def test_every_acknowledged_entry_has_an_anchor_and_markers_point_at_them(html: str) -> None:  # noqa: F811
    entries = _entries(html)
    assert entries and all(f"Q{n}" in text for n, text in entries.items())
    markers = MARKER.findall(html)
    assert markers, "the demo's acknowledged headcount finding is about printed figures"
    assert all(a == b and a in entries for a, b in markers)


def test_appendix_cells_tiles_and_narrative_carry_the_marker(html: str) -> None:  # noqa: F811
    cells = re.findall(r'<td class="num">[^<]*(<sup class="fn dq">.*?</sup>)+</td>', html)
    assert cells, "an appendix cell of an acknowledged figure"
    tiles = re.findall(r'<p class="tile-value">[^<]*<sup class="fn dq">', html)
    narrative = re.findall(r"\d[\d,.]* people[^<]{0,3}<sup class=\"fn dq\">", html)
    assert tiles or narrative, "the headcount is printed in a tile or the narrative"
    employees = next(n for n, text in _entries(html).items() if "age-band" in text)
    assert f'href="#dq-{employees}"' in html


def test_the_pdf_prints_the_markers_and_links_them_to_their_entries(
    pdf: PdfReader,  # noqa: F811
    texts: list[str],  # noqa: F811
    html: str,  # noqa: F811
) -> None:
    pages = destination_pages(pdf)
    for number in sorted({n for n, _ in MARKER.findall(html)}):
        statement_page = pages[f"dq-{number}"]
        assert f"q{number}" in squeeze(texts[statement_page - 1])
        elsewhere = [i + 1 for i, t in enumerate(texts) if f"q{number}" in squeeze(t)]
        assert set(elsewhere) - {statement_page}, f"Q{number} marks a figure on another page"


def test_the_marker_placeholder_has_no_digits_for_the_lint_and_links_after() -> None:
    text = f"employed 55,780 people{quality_mark(12)}."
    assert strip_marks(text) == "employed 55,780 people."
    assert not re.search(r"\d", text.replace("55,780", ""))
    assert link_marks(text, "letter") == (
        'employed 55,780 people<sup class="fn dq"><a href="#dq-12">Q12</a></sup>.'
    )
