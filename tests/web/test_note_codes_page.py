"""#19: the Chinese KPI page words a supplier register figure's note from its codes
(``note_why``), not the English note."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.kpi.registered import register_table
from esgledger.kpi.scope import Scopes
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.suppliers.test_note_codes import _chinese, _register
from tests.web.conftest import log_in, make_user
from tests.web.test_languages import ZH


def test_the_chinese_kpi_page_words_a_register_note_from_its_codes(
    cli: Cli, db: Database, web: TestClient, tmp_path: Path
) -> None:
    _register(cli, tmp_path)
    with cli.db.read() as session:
        table = register_table(session, 2024, Scopes(session, 2024))
    coded = [f for f in table.values() if f.note_why]
    assert coded
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    page = html.unescape(web.get("/kpis?year=2024&all=1", headers=ZH).text)
    shown = [f for f in coded if f'data-metric="{f.metric}"' in page]
    assert shown
    for f in shown:
        assert "；".join(_chinese(w) for w in f.note_why) in page, f.note  # zh joins so
        assert f.note not in page
