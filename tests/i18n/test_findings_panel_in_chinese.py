"""#19: the dashboard's findings panel words each finding as the findings page does — in the
reader's language where its check named its message — never the English explanation on a
Chinese dashboard."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import Cli
from tests.factories import entities_file, write_csv
from tests.web.conftest import log_in, make_user
from tests.web.test_findings_in_chinese import HEADER, ROWS
from tests.web.test_languages import ZH, english_left


def test_the_dashboards_findings_panel_is_chinese(
    cli: Cli, web: TestClient, tmp_path: Path
) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    cli("import", "kpis", str(write_csv(tmp_path / "k.csv", HEADER, ROWS)))
    make_user(cli.db, "ada", "admin")
    log_in(web, "ada")
    page = web.get("/?year=2025", headers=ZH)
    assert "为初步估计值" in web.get("/findings?year=2025", headers=ZH).text
    assert page.status_code == 200 and 'data-testid="findings"' in page.text
    panel = page.text.split('data-testid="findings"')[1].split("</section>")[0]
    # the five first findings: members without values, index claims without data
    assert "个成员未报告数值" in panel and "内容索引声明已披露" in panel, panel
    assert (
        "is the sum of members" not in panel
        and "The content index claims" not in panel
        and "is a preliminary estimate" not in page.text
    )
    assert english_left(page.text) == []
    english = web.get("/?year=2025").text
    assert "is the sum of members" in english and "The content index claims" in english
