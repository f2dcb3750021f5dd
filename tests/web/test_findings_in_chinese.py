"""#19: a finding's explanation named by its message at the source, so the findings page
words it in the reader's language; ``esg check --json`` keeps its English text."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import Cli
from tests.factories import entities_file, write_csv
from tests.web.conftest import log_in, make_user
from tests.web.test_languages import ZH, english_left

HEADER = ["entity", "year", "metric", "value", "unit", "status", "preliminary"]
ROWS = [["HQ", 2025, "packaging.plastics", "12.5", "t", "", "yes"],
        ["HQ", 2025, "packaging.cartons", "", "t", "not_disclosed", ""]]  # fmt: skip


def test_findings_are_explained_in_chinese(cli: Cli, web: TestClient, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    cli("import", "kpis", str(write_csv(tmp_path / "k.csv", HEADER, ROWS)))
    make_user(cli.db, "ada", "admin")
    log_in(web, "ada")
    page = web.get("/findings?year=2025", headers=ZH)
    assert page.status_code == 200 and english_left(page.text) == []
    assert "为初步估计值" in page.text and "is a preliminary estimate" not in page.text
    assert "报告中将只显示标签而无数值" in page.text and "without a value" not in page.text
    english = web.get("/findings?year=2025").text
    assert "is a preliminary estimate" in english and "without a value" in english
    checked = cli("check", "--year", "2025", "--json", expect=None)
    assert "is a preliminary estimate" in checked.stdout and "message_id" not in checked.stdout
