"""#15: the report's Scope 3 section, read from the rendered report: the 15 categories with
figure, status, method, share and data quality; exclusions with their reasons; relevant
categories without data "not available"; the GRI 305-3 index row points at the section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.calc.scope3.workspace import row, scope3_runner
from tests.conftest import Cli
from tests.factories import write_csv
from tests.scope3.screening_files import HEADER, screening_rows, write_screening

CEMENT = 3.924  # EPA v1.3 NAICS 327310, SEF+MEF, kg CO2e per 2022 USD


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


def _element(html: str, start: str, end: str) -> str:
    at = html.index(start)
    return html[at : html.index(end, at)]


@pytest.fixture
def html(cli: Cli, tmp_path: Path) -> str:
    calc = scope3_runner(cli, tmp_path)
    path = write_screening(tmp_path, screening_rows({1: "spend_based", 7: "distance_based"}))
    cli("scope3", "screening", "import", str(path), "--year", "2022")
    rows = [row("SZ", 2022, "spend.purchased_goods", 10000, "USD", naics="327310")]
    calc(rows, 2022, "--allow-incomplete")
    out = tmp_path / "report"
    cli("report", "--year", "2022", "--format", "html", "--out", str(out), "--preview")
    return (out / "esg-report-2022.html").read_text(encoding="utf-8")


def test_the_scope3_section_prints_each_category(html: str) -> None:
    section = _element(html, '<h2 id="scope3"', "</section>")
    assert 'data-answers="gri-2021:305-3;ifrs-s2:29(a);esrs-e1:E1-6"' in section
    text = _flat(section)
    assert f"{10000 * CEMENT / 1000:,.1f} tCO2e" in text and "(incomplete:" in text
    cat1 = _flat(_element(section, '<tr id="scope3-cat1"', "</tr>"))
    assert cat1.endswith(
        "1. Purchased goods and services 39.2 calculated spend based 100.0 % 3 (fair)"
    )
    cat7 = _flat(_element(section, '<tr id="scope3-cat7"', "</tr>"))
    assert "not available" in cat7 and "0.0" not in cat7
    cat14 = _flat(_element(section, '<tr id="scope3-cat14"', "</tr>"))
    assert cat14 == "14. Franchises not available excluded — —"
    excluded = _flat(_element(section, '<h3 id="scope3-exclusions"', "</ul>"))
    assert "14. Franchises: no_activity: no category 14 activity" in excluded
    gaps = _flat(_element(section, '<h3 id="scope3-not-available"', "</ul>"))
    assert "7. Employee commuting: not available: screened relevant (size" in gaps
    assert len(re.findall(r'id="scope3-cat\d+"', section)) == 15


def test_the_gri_index_row_of_scope3_points_at_the_section(html: str) -> None:
    index_row = _element(html, '<tr data-code="305-3"', "</tr>")
    assert 'href="#scope3"' in index_row


def test_a_part_left_out_by_the_screening_is_printed_with_its_note(
    cli: Cli, tmp_path: Path
) -> None:
    calc = scope3_runner(cli, tmp_path)
    note = "no cited transmission-loss factor for the Chinese grid"
    rows = [
        [*r, "electricity.purchased"] if r[0] == "cat3" else [*r, ""]
        for r in screening_rows({1: "spend_based", 3: "average_data"})
    ]
    rows = [[*r[:3], note, *r[4:]] if r[0] == "cat3" else r for r in rows]
    path = write_csv(tmp_path / "screening.csv", [*HEADER, "excluded_activities"], rows)
    cli("scope3", "screening", "import", str(path), "--year", "2025")
    calc(
        [
            row("SZ", 2025, "fuel.diesel", 10, "t"),
            row("SZ", 2025, "electricity.purchased", 100, "MWh"),
            row("SZ", 2025, "spend.purchased_goods", 10, "USD", naics="327310", price_year="2022"),
        ],
        2025,
    )
    out = tmp_path / "report"
    cli("report", "--year", "2025", "--format", "html", "--out", str(out), "--preview")
    html = (out / "esg-report-2025.html").read_text(encoding="utf-8")
    left = _flat(_element(html, '<h3 id="scope3-left-out"', "</ul>"))
    assert left == (
        "Parts left out by the screening 3. Fuel- and energy-related activities: left out by "
        f"the screening: electricity.purchased (1 rows); size: {note}"
    )
    cat3 = _flat(_element(html, '<tr id="scope3-cat3"', "</tr>"))
    assert f"{10 * 752.0276 / 1000:,.1f} calculated" in cat3 and "incomplete" not in cat3
