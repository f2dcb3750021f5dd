"""#19: the Chinese edition's generated chapters speak Chinese.

The demo's Chinese report is read as a reader gets it (its HTML text) and each generated
part — the materiality, risk and targets chapters, the Scope 3 section, the methodology, the
caveat notes, the statement of use and the reasons for omission — is scanned for English
words. Allowed are codes, units, acronyms and proper names (:data:`ALLOWED`), and text the
edition marks as English (``lang="en"``): what users typed into the ledger in English (a
risk's title, a boundary's note) and the titles of English-language sources, which the
edition quotes as they are rather than translating them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import DemoBuild

# Units, symbols and proper names a Chinese report prints as they are (acronyms and codes,
# all in capitals, are allowed as such).
ALLOWED = {
    "tce", "tCO", "CO", "CH", "HFCs", "PFCs", "SF", "NF", "kg", "km", "kWh", "MWh", "GJ", "TJ",
    "RMB", "USD", "CNY", "EUR", "GRI", "SZSE", "IFRS", "ESRS", "TCFD", "ISSB", "GHG", "ESG",
    "IPCC", "AR", "NZE", "STEPS", "APS", "IEA", "NGFS", "Q", "PV", "ppm", "mg", "L", "m",
    "Protocol", "Ember", "NOx", "SOx", "VOCs", "RoHS", "p", "PDF", "XLSX", "HTML", "ISO", "OHS",
    "RSK", "GHG-INT", "Scope", "esg",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
CODE = re.compile(r"[\w.\-/]*\d[\w.\-/]*")  # a token with a digit: 2025-ghg, tCO2e, cat11


class Regions(HTMLParser):
    """The text of the document by chapter (``h2`` id) and by ``h3`` id, leaving out what is
    marked as another language (``lang="en"``), code and styles; charts' text only when
    ``charts`` (their labels are checked on their own)."""

    def __init__(self, charts: bool = False) -> None:
        super().__init__()
        self.SKIP = {"style", "script", "code", "metadata"} | (set() if charts else {"svg"})
        self.text: dict[str, list[str]] = defaultdict(list)
        self._chapter = "front"
        self._section = ""
        self._stack: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "h2" and a.get("id"):
            self._chapter, self._section = a["id"], ""
        if tag == "h3" and a.get("id"):
            self._section = a["id"]
        if tag in ("br", "img", "meta", "link", "hr", "input", "col", "wbr"):
            return
        skip = (
            tag in self.SKIP
            or a.get("lang", "").startswith("en")
            or "code" in a.get("class", "").split()
        )
        self._stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.text[self._chapter].append(data)
            if self._section:
                self.text[self._section].append(data)


def english(texts: list[str]) -> list[str]:
    """The English words of ``texts``, each with a little context, allow-list left out."""
    found = []
    for said in texts:
        text = CODE.sub(" ", said)
        for match in WORD.finditer(text):
            word = match.group(0)
            if word in ALLOWED or word.isupper():  # an acronym or a code (RSK-01, GRI)
                continue
            found.append(text[max(0, match.start() - 20) : match.end() + 20].strip())
    return found


@pytest.fixture(scope="module")
def zh_text(demo_build: DemoBuild) -> dict[str, list[str]]:
    parser = Regions()
    html = Path(demo_build.out / "report" / "esg-report-2025.zh.html")
    parser.feed(html.read_text(encoding="utf-8"))
    return parser.text


@pytest.mark.parametrize(
    "chapter",
    [
        "materiality",
        "risk-management",
        "targets",
        "scope3",
        "methodology",
        "social-registers",
        "supply-chain-register",
        "governance-registers",
    ],
)
def test_the_generated_chapters_have_no_english(
    zh_text: dict[str, list[str]], chapter: str
) -> None:
    assert zh_text[chapter], f"the demo's Chinese edition has no {chapter} chapter"
    left = english(zh_text[chapter])
    assert not left, f"{len(left)} English words in {chapter}: {left[:12]}"


def test_the_topic_chapters_registers_and_missing_elements_are_chinese(
    zh_text: dict[str, list[str]],
) -> None:
    """A topic chapter's generated parts: its register tables and a "not reported" element."""
    regions = [k for k in zh_text if k.endswith(("--management", "--metrics", "--strategy"))]
    assert regions
    left = [w for k in regions for w in english(zh_text[k])]
    assert not left, f"{len(left)} English words in topic chapters: {left[:12]}"


def test_the_caveat_notes_are_chinese(zh_text: dict[str, list[str]]) -> None:
    """The appendix's notes and the chapters' notes on restated, estimated, preliminary,
    partial and incomplete figures and boundary changes."""
    notes = zh_text["kpi-appendix"]
    left = english(notes)
    assert not left, f"{len(left)} English words in the appendix: {left[:12]}"


def test_the_statement_of_use_and_reasons_for_omission_are_chinese(
    zh_text: dict[str, list[str]],
) -> None:
    indices = [k for k in zh_text if k.startswith("content-index-")]
    assert "content-index-gri-2021" in indices
    left = [w for k in indices for w in english(zh_text[k])]
    assert not left, f"{len(left)} English words in the content indices: {left[:12]}"


def test_the_charts_are_labelled_in_chinese_in_the_cjk_font(demo_build: DemoBuild) -> None:
    """The at-a-glance charts: titles, axes, legends and text alternatives in Chinese, drawn
    in the CJK font first (no empty boxes where a Latin font lacks the glyphs)."""
    html = (demo_build.out / "report" / "esg-report-2025.zh.html").read_text(encoding="utf-8")
    parser = Regions(charts=True)
    parser.feed(html)
    left = english(parser.text["highlights"])
    assert not left, f"{len(left)} English words in the charts: {left[:12]}"
    glance = html[html.index('<h2 id="highlights"') :]
    charts = re.findall(r"<svg.*?</svg>", glance[: glance.index("</section>")], re.S)
    assert len(charts) == 3
    for svg in charts:
        families = set(re.findall(r"font-family: ([^;\"]+)", svg))
        assert families == {"'Noto Sans CJK SC', 'DejaVu Sans'"}, families
        assert re.search(r"<text[^>]*>[^<]*[\u4e00-\u9fff]", svg), "no Chinese label drawn"


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_dates_are_written_the_chinese_way(zh_text: dict[str, list[str]]) -> None:
    """A date the edition prints (an acknowledged finding's day, an assurance statement's
    signing) reads 2026年3月20日, not 2026-03-20; typed text marked English is left out."""
    printed = [d for texts in zh_text.values() for said in texts for d in ISO_DATE.findall(said)]
    assert printed == [], printed[:12]


def test_lists_are_joined_with_chinese_punctuation(demo_build: DemoBuild) -> None:
    """An index row's headings and an engagement's metrics are joined with "；", as the
    Chinese notes are; the English edition keeps "; "."""
    out = demo_build.out / "report"
    zh = (out / "esg-report-2025.zh.html").read_text(encoding="utf-8")
    en = (out / "esg-report-2025.html").read_text(encoding="utf-8")
    between_refs = re.compile(r'</a>(\S*)\s*<a class="ref"')
    assert set(between_refs.findall(zh)) == {"；"}
    assert set(between_refs.findall(en)) == {";"}
    engagement = re.search(r'<p class="engagement".*?</p>', zh, re.S)
    assert engagement is not None
    assert "; " not in engagement.group(0) and "；" in engagement.group(0)


def test_the_consolidation_approach_is_named_once(zh_text: dict[str, list[str]]) -> None:
    """The approach's own word ends in 法 (运营控制权法): the sentence does not add another."""
    said = "".join(zh_text["methodology"])
    assert "合并" in said and "法法" not in said


def test_a_partial_figures_coded_reason_is_worded(demo_build: DemoBuild) -> None:
    """An appendix note on a partial figure words the figure's coded "partial: …" part (a
    register that does not cover every member) instead of quoting its English."""
    out = demo_build.out / "report"
    zh = (out / "esg-report-2025.zh.html").read_text(encoding="utf-8")
    en = (out / "esg-report-2025.html").read_text(encoding="utf-8")
    assert "is partial: the register does not cover" in en
    assert "the register does not cover" not in zh
    assert "仅为部分数据：登记册未覆盖" in zh


def test_the_chinese_workbooks_index_joins_headings_with_chinese_punctuation(
    demo_build: DemoBuild,
) -> None:
    """The GRI index sheet's "where answered" cells, as the HTML's: "；" in Chinese."""
    out = demo_build.out / "report"
    cells = {}
    for name in ("esg-report-2025.xlsx", "esg-report-2025.zh.xlsx"):
        book = load_workbook(out / name, read_only=True)
        (sheet,) = [n for n in book.sheetnames if n.endswith(" gri-2021")]
        cells[name] = [r[2] or "" for r in list(book[sheet].iter_rows(values_only=True))[1:]]
    assert any("; " in c for c in cells["esg-report-2025.xlsx"])
    chinese = cells["esg-report-2025.zh.xlsx"]
    assert any("；" in c for c in chinese) and not any("; " in c for c in chinese)
