"""The report of the demo year: appendix = `esg kpi --json`, anchors resolve, PDF and XLSX hold
what they should.

Read from the report the demo published (rendered once per run by its last stage, the
``demo_report`` fixture), not rendered again here (#20)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from esgledger.cli.main import app
from esgledger.disclose.narrative import bind, format_value
from esgledger.disclose.report import kpi_anchor
from esgledger.errors import InvalidInput
from esgledger.kpi.figures import KpiFigure
from tests.conftest import DemoBuild


@pytest.fixture(scope="module")
def written(demo_report: dict[str, Path]) -> dict[str, Path]:
    return demo_report


@pytest.fixture(scope="module")
def kpis(demo_build: DemoBuild) -> dict:
    result = CliRunner().invoke(
        app, ["kpi", "--year", "2025", "--json", "--db", str(demo_build.db_path)]
    )
    return json.loads(result.stdout)


class Anchors(HTMLParser):
    """Ids, in-page links, and the appendix rows' cell texts without their note markers (a
    ``<sup>`` after a figure, ``Q5`` or ``1``, points at a note; it is not part of it)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.rows: dict[str, list[str]] = {}
        self._row: str | None = None
        self._cells: list[str] = []
        self._in_td = False
        self._in_sup = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.links.append((a["href"] or "")[1:])
        if tag == "tr" and (a.get("id") or "").startswith("kpi-"):
            self._row, self._cells = a["id"], []
        if tag == "td" and self._row:
            self._in_td = True
            self._cells.append("")
        self._in_sup = self._in_sup or tag == "sup"

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_td = False
        if tag == "sup":
            self._in_sup = False
        if tag == "tr" and self._row:
            self.rows[self._row] = self._cells
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_td and self._row and not self._in_sup:
            self._cells[-1] += data


def test_every_appendix_value_equals_esg_kpi(written: dict[str, Path], kpis: dict) -> None:
    html = Path(written["html"]).read_text(encoding="utf-8")
    parser = Anchors()
    parser.feed(html)
    checked = 0
    for row in kpis["kpis"]:
        cells = parser.rows.get(kpi_anchor(row["metric"], row["dims"]))
        if cells is None:
            # left out only when no year has a value or a stated status ("/", "n.a."): e.g. a
            # per-gas refrigerant line of a gas the group never used
            assert all(
                row["figures"][y] is None
                or (row["figures"][y]["value"] is None and row["figures"][y]["status"] == "missing")
                for y in row["figures"]
            ), row["metric"]
            continue
        for year, printed in zip(kpis["years"], cells[2:], strict=True):
            value = row["values"][str(year)]
            if value is None:
                assert printed.strip() in ("—", "/", "n.a.")
                continue
            number = re.sub(r"[^\d.\-]", "", printed.split("(")[0])
            assert float(number) == pytest.approx(
                round(value, row["precision"]), abs=10 ** -row["precision"] / 2
            ), (row["metric"], year)
            checked += 1
    assert checked > 300


def test_content_indices_are_printed(written: dict[str, Path]) -> None:
    html = Path(written["html"]).read_text(encoding="utf-8")
    # the order `esg report --json` lists them in is held in tests/disclose/test_editions.py
    printed = re.findall(r'<h2[^>]*\bid="content-index-([^"]+)"', html)
    assert printed == ["gri-2021", "szse-17", "ifrs-s2", "esrs-e1"]
    assert 'id="content-index-gri-2021"' in html and ">305-1<" in html and ">2-1<" in html


def test_every_link_points_to_an_anchor_that_exists(written: dict[str, Path]) -> None:
    parser = Anchors()
    parser.feed(Path(written["html"]).read_text(encoding="utf-8"))
    missing = sorted(set(parser.links) - parser.ids)
    assert missing == []
    assert len(parser.links) > 20


def test_narrative_numbers_are_the_ledger_values(written: dict[str, Path], kpis: dict) -> None:
    html = Path(written["html"]).read_text(encoding="utf-8")
    scope1 = next(r for r in kpis["kpis"] if r["metric"] == "ghg.scope1")
    # prose rounds figures of 100 or more to whole numbers (the appendix keeps its decimals)
    assert f"Scope 1) emissions were {format_value(scope1['values']['2025'], 0, 'tCO2e')}" in html
    assert "{{kpi:" not in html


def test_pdf_holds_the_expected_sections(demo_pdf_pages: tuple[str, ...]) -> None:
    text = "\n".join(page or "" for page in demo_pdf_pages)  # the demo report's PDF
    for heading in (
        "About this report",
        "2025 at a glance",
        "Climate change and energy",
        "Key performance indicators",
        "Greenhouse gas emissions",
        "Verification",
    ):
        assert heading in text, heading
    assert "Pengcheng Smart Devices" in text


def test_xlsx_has_the_appendix_sheets_and_values(written: dict[str, Path], kpis: dict) -> None:
    wb = load_workbook(written["xlsx"], read_only=True)
    assert "KPI Greenhouse gas emissions" in wb.sheetnames
    assert "Notes" in wb.sheetnames
    rows = list(wb["KPI Greenhouse gas emissions"].iter_rows(values_only=True))
    assert rows[0][:6] == ("Metric id", "Indicator", "Unit", 2023, 2024, 2025)
    by_metric = {r[0]: r for r in rows[1:]}
    scope1 = next(r for r in kpis["kpis"] if r["metric"] == "ghg.scope1")
    # Excel keeps 15 significant digits
    assert by_metric["ghg.scope1"][3:6] == pytest.approx(
        tuple(scope1["values"][str(y)] for y in kpis["years"]), rel=1e-14
    )


def test_bad_tags_and_formats_are_refused(demo_build: DemoBuild) -> None:
    def lookup(metric: str, year: int, dims: str) -> KpiFigure | None:
        return (
            KpiFigure(metric=metric, year=year, value=1.0, unit="t", source="reported")
            if metric == "ghg.scope1"
            else None
        )

    with pytest.raises(InvalidInput, match=r"s.md, line 2: unknown metric 'ghg.scope9'"):
        bind("x\n{{kpi:ghg.scope9}}", year=2025, lookup=lookup, source="s.md")
    with pytest.raises(InvalidInput, match=r"s.md, line 1: cannot read tag \{\{kpi:GHG\}\}"):
        bind("{{kpi:GHG}}", year=2025, lookup=lookup, source="s.md")
    assert (
        bind(
            "{{kpi:ghg.scope1}} and {{kpi:ghg.scope1:2024}}",
            year=2025,
            lookup=lookup,
            source="s.md",
        )
        == "1.00 tCO2e and 1.00 tCO2e"
    )
    with pytest.raises(InvalidInput, match=r"no 2025 value for energy\.total"):
        bind("{{kpi:energy.total}}", year=2025, lookup=lookup, source="s.md")
    result = CliRunner().invoke(
        app, ["report", "--year", "2025", "--format", "docx", "--db", str(demo_build.db_path)]
    )
    assert result.exit_code == 2 and "use html, pdf and/or xlsx" in result.output
