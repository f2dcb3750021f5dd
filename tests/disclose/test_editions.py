"""#19: one ledger, two editions — ``esg report --lang zh,en``.

Both editions are written from the demo's calculated ledger with two narrative sections in
both languages. Read as a reader gets them (HTML, XLSX, the PDF's text and fonts), never from
the model: the same figures as ``esg kpi --json``, the same anchors, the catalog's official
Chinese index titles, Chinese text with an embedded CJK font.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from esgledger.catalog import frameworks
from esgledger.catalog.messages import translate
from esgledger.catalog.translations import text
from esgledger.cli.main import app
from esgledger.demo import build
from esgledger.demo.stages import STAGES
from esgledger.disclose.anchors import rendered_anchors
from esgledger.disclose.framework_titles import GLOSS_NOTE
from esgledger.disclose.report import kpi_anchor
from tests.disclose.test_cjk_typography import _fonts

CJK = re.compile(r"[\u3400-\u9fff]")
HALF_WIDTH_AROUND_CJK = re.compile(r"\([^()\n]*[\u3400-\u9fff][^()\n]*\)")
WATER_EN = """# Water resource management

We withdrew {{kpi:water.withdrawal.total}} of water in 2025.

## Metrics and targets

Our water consumption was {{kpi:water.consumption}}.
"""
WATER_ZH = """# 水资源管理

2025年，我们的取水量为{{kpi:water.withdrawal.total}}。

## 指标与目标

我们的耗水量为{{kpi:water.consumption}}。
"""
CLIMATE_EN = """# Climate change and energy

Scope 1 emissions were {{kpi:ghg.scope1}} ({{change:ghg.scope1}} on 2024).

## Our transition plan

Energy use was {{kpi:energy.total}}.
"""
CLIMATE_ZH = """# 应对气候变化与能源管理

范围一排放量为{{kpi:ghg.scope1}}（较2024年{{change:ghg.scope1}}）。

## 我们的转型计划 {#our-transition-plan}

综合能源消耗量为{{kpi:energy.total}}。
"""


def _sections(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder


def _report(db: Path, out: Path, sections: Path, lang: str, formats: str) -> Any:
    return CliRunner().invoke(
        app,
        [
            "report", "--year", "2025", "--out", str(out), "--sections", str(sections),
            "--db", str(db), "--lang", lang, "--format", formats, "--json", "--preview",
        ],
    )  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's ledger and calculation only (a few CPU seconds): the session demo would
    put this module on the demo group's worker, and its fuller report renders slower (#20)."""
    out = tmp_path_factory.mktemp("editions") / "esg-demo"
    build(out, stages=[s for s in STAGES if s[0] == "calculation"])
    return out


@pytest.fixture(scope="module")
def written(demo: Path) -> dict[str, str]:
    sections = _sections(
        demo / "sections",
        {
            "03-climate-change.md": CLIMATE_EN,
            "03-climate-change.zh.md": CLIMATE_ZH,
            "04-water.md": WATER_EN,
            "04-water.zh.md": WATER_ZH,
        },
    )
    result = _report(demo / "esg.db", demo / "report", sections, "zh,en", "html,pdf,xlsx")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["indices"] == ["gri-2021", "szse-17", "ifrs-s2", "esrs-e1"]
    files: dict[str, str] = printed["files"]
    return files


@pytest.fixture(scope="module")
def kpis(demo: Path) -> dict[str, Any]:
    result = CliRunner().invoke(
        app, ["kpi", "--year", "2025", "--json", "--db", str(demo / "esg.db")]
    )
    data: dict[str, Any] = json.loads(result.stdout)
    return data


class Rows(HTMLParser):
    """The appendix rows (``tr`` id → cell texts, without the note markers after a figure:
    ``marks``, ``tr`` id → the ``<sup>`` texts) and the index rows of one edition."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.marks: dict[str, list[str]] = {}
        self.index_titles: dict[str, dict[str, str]] = {}
        self._row: str | None = None
        self._index: str | None = None
        self._code: str | None = None
        self._cells: list[str] = []
        self._in_td = False
        self._in_sup = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "h2" and a.get("id", "").startswith("content-index-"):
            self._index = a["id"].removeprefix("content-index-")
        if tag == "tr" and (a.get("id", "").startswith("kpi-") or "data-code" in a):
            self._row, self._code, self._cells = a.get("id"), a.get("data-code"), []
        if tag == "td" and (self._row or self._code):
            self._in_td = True
            self._cells.append("")
        self._in_sup = self._in_sup or tag == "sup"

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_td = False
        if tag == "sup":
            self._in_sup = False
        if tag == "tr" and self._code and self._index:
            self.index_titles.setdefault(self._index, {})[self._code] = self._cells[1].strip()
        elif tag == "tr" and self._row:
            self.rows[self._row] = self._cells
        if tag == "tr":
            self._row = self._code = None

    def handle_data(self, data: str) -> None:
        if self._in_td and self._in_sup and self._row:
            self.marks.setdefault(self._row, []).append(data)
        elif self._in_td:
            self._cells[-1] += data


def _parsed(path: str) -> Rows:
    parser = Rows()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser


def test_both_editions_are_written_side_by_side(written: dict[str, str]) -> None:
    names = sorted(Path(p).name for p in written.values())
    assert names == [
        "esg-report-2025.html", "esg-report-2025.pdf", "esg-report-2025.xlsx",
        "esg-report-2025.zh.html", "esg-report-2025.zh.pdf", "esg-report-2025.zh.xlsx",
    ]  # fmt: skip
    assert '<html lang="zh-Hans">' in Path(written["zh.html"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("edition", ["html", "zh.html"])
def test_every_appendix_figure_equals_esg_kpi(
    written: dict[str, str], kpis: dict[str, Any], edition: str
) -> None:
    rows = _parsed(written[edition]).rows
    checked = 0
    for row in kpis["kpis"]:
        cells = rows.get(kpi_anchor(row["metric"], row["dims"]))
        if cells is None:
            continue
        for year, printed in zip(kpis["years"], cells[2:], strict=True):
            value = row["values"][str(year)]
            if value is None:
                assert printed.strip() in ("—", "/", "n.a.", "不适用")
                continue
            number = re.sub(r"[^\d.\-]", "", printed.split("(")[0])
            assert float(number) == pytest.approx(
                round(value, row["precision"]), abs=10 ** -row["precision"] / 2
            ), (row["metric"], year)
            checked += 1
    assert checked > 300


def test_both_editions_print_the_same_rows_and_cells(written: dict[str, str]) -> None:
    english_html, chinese_html = _parsed(written["html"]), _parsed(written["zh.html"])
    english, chinese = english_html.rows, chinese_html.rows
    assert english.keys() == chinese.keys()
    assert english_html.marks == chinese_html.marks, "the same note markers on the same figures"
    differing = [
        anchor
        for anchor in english
        if [c.replace("n.a.", "不适用") for c in english[anchor][2:]] != chinese[anchor][2:]
    ]
    assert differing == []
    scope1 = chinese[kpi_anchor("ghg.scope1", {})]
    assert scope1[0].startswith(text("metric", "ghg.scope1", "zh"))
    assert scope1[1] == text("unit", "tCO2e", "zh")


def test_workbooks_hold_the_same_figures_under_chinese_sheets(
    written: dict[str, str], kpis: dict[str, Any]
) -> None:
    english = load_workbook(written["xlsx"], read_only=True)
    chinese = load_workbook(written["zh.xlsx"], read_only=True)
    assert chinese.sheetnames[0] == "目录" and "KPI 温室气体排放" in chinese.sheetnames
    assert len(chinese.sheetnames) == len(english.sheetnames)
    rows = list(chinese["KPI 温室气体排放"].iter_rows(values_only=True))
    assert rows[0][:6] == ("指标代码", "指标", "单位", 2023, 2024, 2025)
    by_metric = {r[0]: r for r in rows[1:]}
    scope1 = next(r for r in kpis["kpis"] if r["metric"] == "ghg.scope1")
    assert by_metric["ghg.scope1"][3:6] == pytest.approx(
        tuple(scope1["values"][str(y)] for y in kpis["years"]), rel=1e-14
    )
    same = list(english["KPI Greenhouse gas emissions"].iter_rows(values_only=True))
    # the same cells; only "not applicable" is written in each edition's words
    in_english = {"不适用": "n.a."}
    assert [r[3:6] for r in same[1:]] == [
        tuple(in_english.get(c, c) if isinstance(c, str) else c for c in r[3:6]) for r in rows[1:]
    ]
    assert any("不适用" in r[3:6] for r in rows[1:]), "excluded Scope 3 categories say so"


def test_the_chinese_workbooks_index_prints_szse_topics_in_chinese_beside_their_ids(
    written: dict[str, str],
) -> None:
    """The index sheets keep the disclosure's id in their first column (scripts read it, the
    same in both workbooks); the Chinese workbook prints beside it the code as the Chinese
    HTML and PDF do: an SZSE topic's Chinese name, 治理/战略/… for its elements."""
    english = load_workbook(written["xlsx"], read_only=True)
    chinese = load_workbook(written["zh.xlsx"], read_only=True)
    en_sheet = next(n for n in english.sheetnames if "szse-17" in n)
    zh_sheet = next(n for n in chinese.sheetnames if "szse-17" in n)
    en_rows = list(english[en_sheet].iter_rows(values_only=True))
    zh_rows = list(chinese[zh_sheet].iter_rows(values_only=True))
    assert en_rows[0] == ("Disclosure", "Title", "Where answered", "Omission")
    assert zh_rows[0][1] == "报告中列示为" and len(zh_rows[0]) == 5
    assert [r[0] for r in zh_rows][1:] == [r[0] for r in en_rows][1:]  # the ids, as English
    szse = frameworks.disclosures("szse-17")
    printed = {r[0]: r[1] for r in zh_rows[1:]}
    topics = [code for code in printed if "/" not in code]
    assert topics and all(printed[code] == szse[code].title_zh for code in topics)
    elements = {printed[code] for code in printed if "/" in code}
    assert elements <= {"治理", "战略", "影响、风险和机遇管理", "指标与目标"}
    assert not any(re.search(r"[A-Za-z]", str(v)) for v in printed.values())


def test_index_titles_are_official_chinese_or_the_english_original(
    written: dict[str, str],
) -> None:
    """A title the Chinese edition prints as a framework's is its own Chinese only where the
    catalog cites the framework's Chinese text (SZSE No. 17); every other framework's is its
    English original, as the English edition prints it, with our gloss after it in full-width
    parentheses under a note saying the gloss is ours (译名仅供参考). GRI's Chinese titles
    were never compared with a GRI-published Chinese text, so they are glosses."""
    html = Path(written["zh.html"]).read_text(encoding="utf-8")
    titles = _parsed(written["zh.html"]).index_titles
    english = _parsed(written["html"]).index_titles
    assert titles["szse-17"] and titles["gri-2021"] and titles["ifrs-s2"]
    glossed = 0
    for fid, rows in titles.items():
        fw = frameworks.framework(fid)
        items = frameworks.disclosures(fid)
        for code, title in rows.items():
            if fw.official_zh:
                assert title.startswith(items[code.split("/")[0]].title_zh), code
                continue
            original, _, gloss = title.partition("（")
            assert original == english[fid][code] and not CJK.search(original), (fid, code)
            if gloss:
                assert gloss == items[code].title_zh + "）", (fid, code)
                glossed += 1
        name = fw.name_zh if fw.official_zh else fw.name
        assert f'<h2 id="content-index-{fid}">' in html
        heading = html.split(f'<h2 id="content-index-{fid}">', 1)[1].split("</h2>", 1)[0]
        assert re.sub(r"<[^>]+>", "", heading).startswith(name), (fid, heading)
        if not fw.official_zh:
            assert "译名仅供参考" in translate(GLOSS_NOTE, "zh")
            named = Markup('<span lang="en">{}</span>').format(fw.name)
            assert Markup(translate(GLOSS_NOTE, "zh")) % {"framework": named} in html, fid
    assert glossed == len(titles["gri-2021"])  # every GRI title glossed, none shown as GRI's
    assert "GRI 1: Foundation 2021" in html and "基础 2021" not in html


def test_a_framework_titled_in_chinese_cites_its_chinese_text() -> None:
    official = [f for f in frameworks.frameworks().values() if f.official_zh]
    assert [f.id for f in official] == ["szse-17"]
    for fw in official:
        assert "http" in fw.zh_source and fw.name_zh and fw.citation_zh


def test_no_half_width_brackets_around_chinese_in_the_chinese_edition(
    written: dict[str, str],
) -> None:
    """Chinese prose brackets with full-width parentheses: "2024年（试行）", "4（差）", never
    "(2024年（试行）)" — in the HTML's text and in the PDF's."""
    html = Path(written["zh.html"]).read_text(encoding="utf-8")
    text = re.sub(r"<(style|script)\b.*?</\1>|<[^>]+>", "", html, flags=re.S)
    pdf = "\n".join(page.extract_text() or "" for page in PdfReader(written["zh.pdf"]).pages)
    for where, found in (("html", text), ("pdf", pdf)):
        assert HALF_WIDTH_AROUND_CJK.findall(found) == [], where
    assert "（" in text


def test_both_editions_link_to_the_same_anchors(written: dict[str, str]) -> None:
    english = rendered_anchors(Path(written["html"]).read_text(encoding="utf-8"))
    chinese_html = Path(written["zh.html"]).read_text(encoding="utf-8")
    chinese = rendered_anchors(chinese_html)
    assert english.ids == chinese.ids
    assert english.claims == chinese.claims
    links = set(re.findall(r'href="#([^"]+)"', chinese_html))
    assert links and links <= chinese.ids
    assert chinese.title("climate-change--our-transition-plan") == "我们的转型计划"
    assert chinese.title("water--metrics") == "指标与目标"


def test_the_chinese_pdf_extracts_as_chinese_with_an_embedded_cjk_font(
    written: dict[str, str],
) -> None:
    reader = PdfReader(written["zh.pdf"])
    fonts = _fonts(reader)
    assert any("NotoSansCJK" in f["name"].replace("-", "") for f in fonts), fonts
    assert all(f["embedded"] for f in fonts), fonts
    pages = [page.extract_text() or "" for page in reader.pages]
    flat = re.sub(r"\s+", "", "".join(pages))
    for phrase in (
        "目录",
        "关于本报告",
        "编制方法",
        "关键绩效指标",
        "水资源管理",
        "核验",
        "独立鉴证",
    ):
        assert phrase in flat, phrase
    assert "\ufffd" not in flat and ".notdef" not in flat
    assert "2025年12月31日" in flat
    # the contents' page numbers are the pages the headings are on
    contents = next(p for p in pages if "目录" in p)
    listed = int(re.search(r"关键绩效指标\s*(\d+)", contents).group(1))  # type: ignore[union-attr]
    assert "关键绩效指标" in pages[listed - 1]


def test_a_missing_chinese_section_is_refused_and_nothing_is_written(demo: Path) -> None:
    sections = _sections(demo / "half", {"04-water.md": WATER_EN})
    result = _report(demo / "esg.db", demo / "half-out", sections, "zh", "html")
    assert result.exit_code == 2, result.output
    assert "04-water.zh.md: no zh narrative for this section" in result.output
    assert not (demo / "half-out").exists() or not list((demo / "half-out").glob("*.html"))


def test_a_chinese_heading_without_its_english_anchor_is_refused(demo: Path) -> None:
    drifted = CLIMATE_ZH.replace(" {#our-transition-plan}", "")
    sections = _sections(
        demo / "drift", {"03-climate-change.md": CLIMATE_EN, "03-climate-change.zh.md": drifted}
    )
    result = _report(demo / "esg.db", demo / "drift-out", sections, "zh", "html")
    assert result.exit_code == 2, result.output
    assert "climate-change--our-transition-plan" in result.output
    assert "{#id}" in result.output


def test_an_unknown_language_is_refused(demo: Path) -> None:
    result = _report(demo / "esg.db", demo / "x", demo, "fr", "html")
    assert result.exit_code == 2
    assert "--lang 'fr': use en, zh or zh,en" in result.output


def test_the_tiles_print_the_same_figures_with_chinese_units(written: dict[str, str]) -> None:
    def tiles(path: str) -> list[str]:
        html = Path(path).read_text(encoding="utf-8")
        return re.findall(r'<p class="tile-value">([^<]*)', html)

    english, chinese = tiles(written["html"]), tiles(written["zh.html"])
    assert len(english) == len(chinese) >= 4

    def number(tile: str) -> str:
        return tile.split()[0]

    assert [number(t) for t in english] == [number(t) for t in chinese]
    assert any(t.endswith("吨二氧化碳当量") for t in chinese)
    assert not any(re.search(r"[A-Za-z]{3,}", t) for t in chinese), chinese
