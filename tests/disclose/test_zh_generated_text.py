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
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from esgledger.catalog.translations import has_text
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
        rows = list(book[sheet].iter_rows(values_only=True))
        where = rows[0].index("披露位置" if ".zh." in name else "Where answered")
        cells[name] = [r[where] or "" for r in rows[1:]]
    assert any("; " in c for c in cells["esg-report-2025.xlsx"])
    chinese = cells["esg-report-2025.zh.xlsx"]
    assert any("；" in c for c in chinese) and not any("; " in c for c in chinese)


def _methods_table(html: str) -> str:
    """The methodology's factor-edition table (its rows of title, edition, citation)."""
    start = html.index('id="methodology"')
    chapter = html[start : html.index("</section>", start)]
    table = re.search(r"<table[^>]*>.*?demo-nanshan-cooling-cop.*?</table>", chapter, re.S)
    assert table is not None, "no factor table naming the demo's own edition"
    return table.group(0)


def test_a_user_imported_factor_edition_is_printed_with_its_title_and_source(
    demo_build: DemoBuild,
) -> None:
    """The demo's own edition (the cooling supplier's COP, imported as a user edition) is
    cited with the title and citation it was imported with, in both editions — a factor
    value carries its source."""
    from esgledger.demo.supplier_factors import COOLING_COP

    out = demo_build.out / "report"
    for name in ("esg-report-2025.html", "esg-report-2025.zh.html"):
        table = _methods_table((out / name).read_text(encoding="utf-8"))
        row = re.search(r"<tr>(?:(?!</tr>).)*demo-nanshan-cooling-cop.*?</tr>", table, re.S)
        assert row is not None, name
        said = " ".join(unescape(re.sub(r"<[^>]+>", " ", row.group(0))).split())
        assert "workspace edition" not in said, name
        assert COOLING_COP.title in said, (name, said)
        assert " ".join(COOLING_COP.citation.split()) in said, (name, said)
        assert "values marked unverified" in said or "未核实" in said, said


def test_the_chinese_index_names_an_szse_topics_elements_in_chinese(demo_build: DemoBuild) -> None:
    """The SZSE index's code column prints a topic (coded by its English name) as its Chinese
    name and a topic's element row as the element (治理 …), not as English words ("response
    to climate change", "governance"); the English edition keeps the codes."""
    out = demo_build.out / "report"
    cell = re.compile(r'<tr data-code="[^"]*/([a-z-]+)" class="element"><td class="code">([^<]*)')
    zh = dict(cell.findall((out / "esg-report-2025.zh.html").read_text(encoding="utf-8")))
    en = dict(cell.findall((out / "esg-report-2025.html").read_text(encoding="utf-8")))
    assert set(zh) == set(en) == {"governance", "strategy", "iro-management", "metrics-targets"}
    assert en == {key: key.replace("-", " ") for key in en}
    assert zh == {
        "governance": "治理",
        "strategy": "战略",
        "iro-management": "影响、风险和机遇管理",
        "metrics-targets": "指标与目标",
    }
    from esgledger.catalog.frameworks import disclosures

    topic = re.compile(r'<tr data-code="([^"/]*)"><td class="code">([^<]*)</td>')
    szse = disclosures("szse-17")
    parts = {}
    for name in ("esg-report-2025.html", "esg-report-2025.zh.html"):
        html = unescape((out / name).read_text(encoding="utf-8"))
        start = html.index('id="content-index-szse-17"')
        parts[name] = dict(topic.findall(html[start : html.index("</table>", start)]))
    assert len(parts["esg-report-2025.html"]) == len(szse) == 21
    assert all(code == shown for code, shown in parts["esg-report-2025.html"].items())
    zh_topics = parts["esg-report-2025.zh.html"]
    assert zh_topics == {code: szse[code].title_zh for code in szse}


def test_the_chinese_workbooks_data_sheet_is_headed_and_worded_in_chinese(
    demo_build: DemoBuild,
) -> None:
    """The long Data table of the Chinese workbook: Chinese column names, metric names, units,
    statuses and breakdown members; ids (metric ids, boundary codes) and numbers as in the
    English workbook, row for row."""
    out = demo_build.out / "report"
    en_book = load_workbook(out / "esg-report-2025.xlsx", read_only=True)
    zh_book = load_workbook(out / "esg-report-2025.zh.xlsx", read_only=True)
    en = list(en_book["Data"].iter_rows(values_only=True))
    (name,) = [n for n in zh_book.sheetnames if n in ("Data", "数据")]
    zh = list(zh_book[name].iter_rows(values_only=True))
    assert name == "数据"
    assert len(en) == len(zh) > 1000
    assert en[0][:4] == ("Entity", "Boundary", "Metric id", "Metric")
    left = english([str(h) for h in zh[0]])
    assert not left, f"English column names: {left}"
    col = {h: i for i, h in enumerate(en[0])}
    for column in ("Metric", "Unit", "Status", "Qualifier"):
        left = english([str(r[col[column]]) for r in zh[1:] if r[col[column]]])
        assert not left, f"{len(left)} English words in {column}: {left[:8]}"
    notes = [
        (e[col["Note"]] or "", z[col["Note"]] or "") for e, z in zip(en[1:], zh[1:], strict=True)
    ]
    assert any(e.startswith("partial: the register does not cover") for e, _ in notes)
    for e, z in notes:  # a coded part worded, what was typed as stored
        if e.startswith("partial: the register does not cover"):
            assert z.startswith("部分：登记册未覆盖"), z
        if e == "nothing recorded or computed for this year":
            assert z == "本年度无记录或计算结果"
        if e.startswith("= ") and ";" not in e:  # a formula alone: metric ids
            assert z == e, (e, z)
    breakdown = range(col["Metric"] + 1, col["Year"])
    members = {r[i] for r in zh[1:] for i in breakdown if r[i]}
    assert members and not {m for m in members if has_text("member", str(m), "zh")}
    for column in ("Boundary", "Metric id", "Year", "Value", "Restated", "Decimals"):
        assert [r[col[column]] for r in en[1:]] == [r[col[column]] for r in zh[1:]], column
    statuses = {r[col["Status"]] for r in zh[1:]}
    assert "已报告" in statuses and not statuses & {"reported", "not available", "partial"}


def test_the_frameworks_editions_and_citations_are_cited_in_chinese_where_a_source_has_it(
    demo_build: DemoBuild,
) -> None:
    """The methodology's list of standards: SZSE No. 17's name, edition and notice in its own
    Chinese; a framework without a Chinese text the catalog cites (GRI, IFRS S2, TCFD,
    ESRS E1) keeps its English name, edition and citation, its name glossed in full-width
    parentheses and the gloss said to be ours; editions bracketed full-width. English
    unchanged."""
    from esgledger.catalog.frameworks import frameworks
    from esgledger.disclose.methodology import standards

    known = frameworks()
    zh = {s["title_en"] or s["name"]: s for s in standards(tuple(known), "zh")}
    en = standards(tuple(known), "en")
    assert [(s["name"], s["edition"], s["citation"]) for s in en] == [
        (f.name, f.edition, f.citation) for f in known.values()
    ]
    szse = zh[known["szse-17"].name_zh]
    assert szse["edition"] == "2024年（试行）" and not szse["gloss"]
    assert "2024年4月12日" in szse["citation"] and "SZSE notice" not in szse["citation"]
    for fid in ("gri-2021", "ifrs-s2", "esrs-e1"):
        cited = zh[known[fid].name]
        assert (cited["edition"], cited["citation"]) == (known[fid].edition, known[fid].citation)
        assert cited["name"] == f"{known[fid].name}（{known[fid].name_zh}）", fid
    html = (demo_build.out / "report" / "esg-report-2025.zh.html").read_text(encoding="utf-8")
    start = html.index('id="methodology"')
    chapter = html[start : html.index("</section>", start)]
    assert "2024 (Trial)" not in chapter and "SZSE notice" not in chapter
    assert "（2024年（试行））" in chapter and "(2024年" not in chapter
    assert "译名仅供参考" in chapter


def test_a_typed_sentence_ending_in_a_full_stop_gets_no_second_one(demo_build: DemoBuild) -> None:
    """The materiality approval quotes the board's typed resolution, which ends in "."; the
    sentence around it adds no "。" (or ".") after it."""
    out = demo_build.out / "report"
    zh = (out / "esg-report-2025.zh.html").read_text(encoding="utf-8")
    en = (out / "esg-report-2025.html").read_text(encoding="utf-8")
    approved = re.search(r"Approved by [^<]*topics\.+</p>", en)
    assert approved is not None and approved.group(0).endswith("topics.</p>"), approved
    assert not re.search(r"[.。!?！？](</span>)?。", zh), re.findall(
        r".{40}[.。](?:</span>)?。", zh
    )


CLOSING = "。，、；：）」』！？"


def test_no_line_of_the_chinese_pdf_starts_with_closing_punctuation(demo_build: DemoBuild) -> None:
    """Chinese line breaking (kinsoku): WeasyPrint (Pango) never starts a line with 。，、；：）
    」』！？ — each page's text lines as pdfium reads them, over the whole Chinese PDF."""
    import pypdfium2 as pdfium  # a test dependency (the docs' screenshots)

    document = pdfium.PdfDocument(str(demo_build.out / "report" / "esg-report-2025.zh.pdf"))
    lines = [
        line for page in document for line in page.get_textpage().get_text_range().splitlines()
    ]
    chinese = [line for line in lines if re.search(r"[\u4e00-\u9fff]", line)]
    assert len(document) > 40 and len(chinese) > 1000
    starting = [line for line in lines if line.lstrip()[:1] in CLOSING and line.strip()]
    assert starting == [], starting[:10]
