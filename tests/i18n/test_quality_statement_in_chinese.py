"""#19: the report's data-quality statement words each acknowledged finding in the edition's
language where its check named its message; the reviewer's reason is printed as entered, and
the English edition keeps the check's English explanation."""

from __future__ import annotations

from pathlib import Path

from tests.checks.workspace import Workspace, kpi
from tests.conftest import Cli


def test_acknowledged_findings_are_worded_in_the_chinese_edition(cli: Cli, tmp_path: Path) -> None:
    ws = Workspace(cli.db, tmp_path)
    ws.kpis(kpi("packaging.plastics", "12.50", "t", preliminary="yes"))
    cli("check", "acknowledge", "preliminary.value", "--year", "2025",
        "--subject", "packaging.plastics", "--reason", "审计后更新")  # fmt: skip
    out = tmp_path / "report"
    cli("report", "--year", "2025", "--format", "html", "--lang", "zh,en", "--out", str(out),
        "--preview")  # fmt: skip
    pages = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.html")}
    zh = next(text for name, text in pages.items() if "zh" in name)
    en = next(text for name, text in pages.items() if "zh" not in name)
    statement = zh.split('id="dq-1"')[1].split("</tr>")[0]
    assert "为初步估计值" in statement and "preliminary estimate" not in statement, statement
    assert "审计后更新" in statement
    assert "is a preliminary estimate" in en.split('id="dq-1"')[1].split("</tr>")[0]
