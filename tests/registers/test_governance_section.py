"""#17 the report's governance section: sentences generated from the register figures (board,
integrity commitments and training, whistleblowing, giving), each number linked to its
appendix row; both editions; index rows (data-answers) only for what it discloses.

On SQLite only (#20): the section is a function of the report's KPI series
(``disclose.governance_section``), the same code on either database. The register figures
are read on both databases by the registers' own tests (``test_board_register``,
``test_giving_register``: figures, a total not available), and a report with registers is
rendered on PostgreSQL by ``tests/disclose/test_supply_chain_chapter``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, kpi
from tests.conftest import Cli
from tests.registers.board_files import load as load_board
from tests.registers.test_giving_register import load as load_giving


@pytest.fixture
def cli(sqlite_db: Database) -> Cli:
    """``esg`` on a SQLite workspace (see the module's docstring)."""
    return Cli(sqlite_db)


def _report(cli: Cli, tmp_path: Path, lang: str = "en") -> str:
    out = tmp_path / f"report-{lang}"
    cli("report", "--year", "2025", "--format", "html", "--out", str(out), "--preview",
        "--lang", lang)  # fmt: skip
    (path,) = out.glob("*.html")
    return path.read_text(encoding="utf-8")


def test_sentences_from_the_registers_with_links_and_claims(cli: Cli, tmp_path: Path) -> None:
    ws = Workspace(cli.db, tmp_path)
    ws.kpis(kpi("workforce.headcount", "120", "person"))
    html = _report(cli, tmp_path)
    assert 'id="governance-registers"' not in html  # nothing from a register: no section

    load_board(ws)
    load_giving(ws)
    html = _report(cli, tmp_path)
    section = html[html.index('id="governance-registers"') :].split("</section>")[0]
    # the board of the board register test: 5 directors, 3 independent, 2 women, 80 %
    assert (
        "5</a> directors" in section
        and '3</a> of them were independent (<a href="#kpi-governance-board-independent-share">60.0%</a>)'
        in section
    )
    assert "40.0%" in section and "80.0%" in section
    assert 'href="#kpi-governance-board-size"' in section
    assert 'data-answers="gri-2021:2-9"' in section
    # giving: RMB 1.855 million (1.85 at 2 decimals), 1,120.5 volunteer hours (precision 0)
    assert (
        "1.85</a> million" in section
        and "1,120" in section
        and 'data-answers="gri-2021:413-1"' in section
    )
    # no training or whistleblowing rows: no sentence and no claim for them
    assert "205-2" not in section and "2-26" not in section

    chinese = _report(cli, tmp_path, "zh")
    zh = chinese[chinese.index('id="governance-registers"') :].split("</section>")[0]
    assert "董事会" in zh and "5" in zh and 'href="#kpi-governance-board-size"' in zh


def test_giving_without_a_rate_says_the_total_is_not_counted(cli: Cli, tmp_path: Path) -> None:
    ws = Workspace(cli.db, tmp_path)
    load_giving(ws, rates=[])  # the USD donations cannot be converted
    html = _report(cli, tmp_path)
    section = html[html.index('id="governance-registers"') :].split("</section>")[0]
    assert 'data-answers="gri-2021:413-1"' in section and "1,120" in section
    assert "million" not in section  # no donation total, never a sum short of one
    assert "no imported exchange rate" in section
    chinese = _report(cli, tmp_path, "zh")
    zh = chinese[chinese.index('id="governance-registers"') :].split("</section>")[0]
    assert "汇率" in zh and 'data-answers="gri-2021:413-1"' in zh
