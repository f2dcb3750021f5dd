"""#19: the smelter roll-up's data words in the Chinese edition — a metal's code (tin,
tantalum, tungsten, gold … 锡, 钽, 钨, 金) and a status of the imported RMI list (Conformant,
Active) are worded from the known vocabulary; a status the user typed otherwise is shown
as stored, and English is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from esgledger.catalog.minerals import metal_word, smelter_status_word
from esgledger.ingest.cmrt_templates import TEMPLATES
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.factories import write_csv
from tests.filled import filled_db
from tests.suppliers.cmrt_files import cmrt_file
from tests.suppliers.factories import tiered_register
from tests.web.conftest import log_in, make_user

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


@pytest.mark.parametrize(
    ("code", "zh"), [("tin", "锡"), ("tantalum", "钽"), ("tungsten", "钨"), ("gold", "金")]
)
def test_the_3tg_metals_are_worded_in_chinese(code: str, zh: str) -> None:
    assert metal_word(code, "zh") == zh
    assert metal_word(code, "en") == code  # English as stored


def test_every_template_metal_has_a_chinese_word() -> None:
    for metal in {m for t in TEMPLATES.values() for m in t.metals}:
        said = metal_word(metal, "zh")
        assert said != metal and not any(c.isascii() and c.isalpha() for c in said), metal


def test_rmi_statuses_are_worded_whatever_their_case() -> None:
    assert smelter_status_word("Conformant", "zh") == smelter_status_word("CONFORMANT", "zh")
    for status in ("Conformant", "Active", "conformant", "active "):
        said = smelter_status_word(status, "zh")
        assert said != status and not any(c.isascii() and c.isalpha() for c in said), status
    assert smelter_status_word("Conformant", "en") == "Conformant"  # English as stored
    assert smelter_status_word("awaiting our audit", "zh") == "awaiting our audit"  # typed
    assert metal_word("unobtainium", "zh") == "unobtainium"


@pytest.fixture(params=["sqlite"])  # the words do not depend on the database
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    yield from filled_db(request, tmp_path, "i18n_smelters", tiered_register)


def test_the_chinese_smelter_page_words_metals_and_statuses(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    cli = Cli(db)
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    cli("suppliers", "cmrt", "import", "S001", str(cmrt_file(tmp_path / "s001.xlsx")))
    listing = write_csv(
        tmp_path / "conformant.csv",
        ["smelter_id", "metal", "status", "assessed_on"],
        [["CID000001", "tin", "Conformant", "2026-03-01"],
         ["CID000002", "gold", "Active", "2026-03-01"]],
    )  # fmt: skip
    cli("suppliers", "cmrt", "conformant", str(listing))
    zh = web.get("/suppliers/smelters", headers=ZH)
    assert zh.status_code == 200 and '<html lang="zh-Hans">' in zh.text
    table = zh.text[zh.text.index('data-testid="smelters"') :]
    for english in (">tin<", ">gold<", ">Conformant<", ">Active<"):
        assert english not in zh.text, english
    assert "<td>锡</td>" in table and "<td>金</td>" in table
    assert f"<td>{smelter_status_word('Conformant', 'zh')}</td>" in table
    assert '<option value="tin">锡</option>' in zh.text  # the filter submits the code
    en = web.get("/suppliers/smelters", headers={"Accept-Language": "en"})
    assert "<td>tin</td>" in en.text and "<td>Conformant</td>" in en.text  # as before
    only = web.get("/suppliers/smelters", params={"metal": "tin"}, headers=ZH)
    assert only.text.count("data-smelter=") == 1
