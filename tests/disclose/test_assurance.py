"""Issue 12: the assurance section prints the provider's statement as given, or says the
report is not externally assured; a bad statement file is refused in one line."""

from __future__ import annotations

from pathlib import Path

from tests.checks.workspace import Workspace, kpi
from tests.conftest import Cli


def test_assurance_statement_or_not_externally_assured(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path).kpis(kpi("workforce.headcount", "120", "person"))
    out = tmp_path / "report"
    base = ("report", "--year", "2025", "--format", "html", "--out", str(out), "--preview")

    cli(*base)
    html = (out / "esg-report-2025.html").read_text(encoding="utf-8")
    assert 'id="assurance"' in html and "not externally assured" in html

    statement = tmp_path / "assurance.md"
    statement.write_text(
        "# Independent limited assurance report\n\nWe performed limited assurance "
        "under ISAE 3000 (Revised).\n\n<script>alert(1)</script>\n",
        encoding="utf-8",
    )
    cli(*base, "--assurance", str(statement))
    html = (out / "esg-report-2025.html").read_text(encoding="utf-8")
    assert "We performed limited assurance under ISAE 3000 (Revised)." in html
    assert "not externally assured" not in html
    assert "<script>alert(1)</script>" not in html  # raw HTML from outside is not rendered

    for bad, says in (
        (tmp_path / "missing.md", "does not exist"),
        (tmp_path / "statement.pdf", "Markdown or text"),
    ):
        refused = cli(*base, "--assurance", str(bad), expect=2)
        assert says in refused.stderr and refused.stderr.count("\n") == 1
