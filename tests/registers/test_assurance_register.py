"""#17 assurance register: engagements refused whole naming row and column, restated by
ref, their statement kept by digest; the report's assurance section names what the register
holds and marks in the appendix only the figures an engagement over the whole boundary
holds in scope."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from esgledger.errors import ImportRejected
from esgledger.ledger.db import Database
from esgledger.registers.assurance import import_engagements, year_engagements
from tests.checks.workspace import ACTOR, Workspace, kpi
from tests.conftest import Cli
from tests.factories import write_csv

HEADER = ["ref", "year", "provider", "standard", "level", "metrics", "entities", "signed_on", "statement"]  # fmt: skip
ENGAGEMENTS = [
    [
        "AS25",
        2025,
        "Example Assurance LLP",
        "ISAE_3000",
        "limited",
        "workforce.headcount; ghg.scope1",
        "",
        "2026-03-20",
        "statement.md",
    ],
    [
        "GHG25",
        2025,
        "Example Assurance LLP",
        "isae_3410",
        "reasonable",
        "ghg.scope2_market",
        "SZ1",
        "2026-03-20",
        "statement.md",
    ],
]


def engagements_file(tmp: Path, rows: list[list[object]], name: str = "eng.csv") -> Path:
    (tmp / "statement.md").write_text("# Limited assurance report\n\nWe conclude …\n")
    return write_csv(tmp / name, HEADER, rows)


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def test_a_bad_file_is_refused_whole_naming_row_and_column(ws: Workspace) -> None:
    path = engagements_file(
        ws.tmp,
        [
            ENGAGEMENTS[0],
            [
                "X1",
                "20x5",
                "",
                "isae_9999",
                "total",
                "ghg.nothing",
                "XX9",
                "2026-13-01",
                "nope.md",
            ],
            ["X2", 2025, "P", "aa1000as_v3", "limited", "", "", "2024-12-31", "../etc.md"],
            ["X3", 2025, "P", "isae_3000", "reasonable", "ghg.scope1", "", "2026-01-05", "s.exe"],
            ENGAGEMENTS[0],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        import_engagements(ws.db, path, actor=ACTOR)
    text = str(caught.value)
    for expected in (
        "row 3, column 'year': '20x5' is not a year",
        "row 3, column 'provider': provider is empty",
        "row 3, column 'standard': 'isae_9999' is not one of isae_3000, isae_3410, aa1000as_v3",
        "row 3, column 'metrics': unknown metric 'ghg.nothing'",
        "row 3, column 'entities': unknown entity 'XX9'",
        "row 3, column 'signed_on': '2026-13-01' is not a date",
        "row 3, column 'statement': 'nope.md' does not exist beside the engagements file",
        "row 4, column 'level': 'limited' is not a level of aa1000as_v3: moderate, high",
        "row 4, column 'metrics': metrics is empty",
        "row 4, column 'signed_on': signed on 2024-12-31, before the year it assures ended",
        "row 4, column 'statement': '../etc.md' must be a file name beside the engagements file",
        "row 5, column 'statement': 's.exe' is not one of .pdf, .md, .txt",
        "row 6, column 'ref': duplicate of row 2",
    ):
        assert expected in text, text
    with ws.db.read() as session:
        assert year_engagements(session) == []


def test_engagements_are_kept_with_the_statement_digest_and_restated(ws: Workspace) -> None:
    path = engagements_file(ws.tmp, ENGAGEMENTS)
    done = import_engagements(ws.db, path, actor=ACTOR)
    assert (done.added, done.replaced) == (2, 0)
    digest = hashlib.sha256((ws.tmp / "statement.md").read_bytes()).hexdigest()
    with ws.db.read() as session:
        (first, second) = year_engagements(session, 2025)
    assert (first["ref"], first["standard"], first["level"]) == ("AS25", "isae_3000", "limited")
    assert first["metrics"] == ["workforce.headcount", "ghg.scope1"]
    assert second["entities"] == ["SZ1"] and second["statement_sha256"] == digest
    again = [[*ENGAGEMENTS[0][:4], "reasonable", *ENGAGEMENTS[0][5:]]]
    done = import_engagements(ws.db, engagements_file(ws.tmp, again, "again.csv"), actor=ACTOR)
    assert (done.added, done.replaced) == (0, 1)
    with ws.db.read() as session:
        assert year_engagements(session, 2025)[0]["level"] == "reasonable"
        assert year_engagements(session, 2024) == []


def test_the_report_says_what_the_register_holds(cli: Cli, tmp_path: Path) -> None:
    ws = Workspace(cli.db, tmp_path)
    ws.kpis(
        kpi("workforce.headcount", "120", "person"),
        kpi("ghg.scope2_market", "50", "tCO2e"),
    )
    out = tmp_path / "report"
    base = ("report", "--year", "2025", "--format", "html", "--out", str(out), "--preview")
    cli(*base)
    html = (out / "esg-report-2025.html").read_text(encoding="utf-8")
    assert "not externally assured" in html and 'class="assured"' not in html

    import_engagements(cli.db, engagements_file(tmp_path, ENGAGEMENTS), actor=ACTOR)
    cli(*base)
    html = (out / "esg-report-2025.html").read_text(encoding="utf-8")
    assert "not externally assured" not in html
    section = html[html.index('id="assurance"') :]
    assert "Example Assurance LLP" in section and "ISAE 3000 (Revised)" in section
    assert "limited assurance" in section and "reasonable assurance" in section
    assert "Worldwide workforce" in section
    assert "statement.md" in section
    # the headcount is in the scope of the whole-boundary engagement; Scope 2 only at SZ1
    headcount = html[html.index('id="kpi-workforce-headcount"') :].split("</tr>")[0]
    scope2 = html[html.index('id="kpi-ghg-scope2-market"') :].split("</tr>")[0]
    assert 'class="assured"' in headcount and 'class="assured"' not in scope2


def test_import_and_list_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path)
    path = engagements_file(tmp_path, ENGAGEMENTS)
    assert "2 added, 0 restated" in cli("register", "assurance", "import", str(path)).output
    listed = cli("register", "assurance", "list", "--year", "2025").output
    assert "2 engagements" in listed and "ISAE 3410" in listed
    bad = engagements_file(tmp_path, [[*ENGAGEMENTS[0][:8], "gone.pdf"]], "bad.csv")
    result = cli("register", "assurance", "import", str(bad), expect=2)
    assert "bad.csv, row 2, column 'statement': 'gone.pdf' does not exist" in result.output
