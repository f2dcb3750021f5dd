"""#19: every page ``scripts/screenshots.py`` shoots is shot in Chinese too (``SHOTS_ZH``),
because each is fully translated: on the demo, as the user who works on it sees it with
``Accept-Language: zh``, no catalog message is left in English (the check of
``tests/web/test_languages.py``). What stays English is data: names, ids, notes typed in
English."""

from __future__ import annotations

import importlib.util
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from esgledger.demo.team_stage import read_credentials, read_survey_link
from esgledger.ledger.db import Database
from esgledger.server import create_app
from tests.conftest import DemoBuild
from tests.web.conftest import log_in
from tests.web.test_languages import ZH, english_left

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"
# Data equal to a catalog message, printed as the demo's users typed it: a risk owner (the
# "Supply chain" department); the questionnaire's own section title and choice option.
DATA = {"risks": {"Supply chain"}, "supplier-questionnaire": {"Environment", "none"}}
# Interface English still left (#19), by page: none (a formula's partial reason, "from
# Special-operation workers holding valid certificates (…)", is worded since). The list
# only shrinks.
NOT_YET: dict[str, set[str]] = {}


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SHOTS = _script()


class _Pages:
    """The demo's pages, one signed-in client per demo user, on a copy of the demo (signing
    in and minting a questionnaire link write to it)."""

    def __init__(self, demo: Path) -> None:
        self.demo = demo
        self.db = Database(str(demo / "esg.db"))
        self.passwords = {u: p for u, _role, p in read_credentials(demo)}
        self.fill = {
            "request": SHOTS._returned_request(demo),
            "survey": read_survey_link(demo) or "/login",
            "questionnaire": SHOTS._questionnaire_link(demo),
        }
        self.clients: dict[str, TestClient] = {}

    def get(self, user: str, path: str) -> Any:
        if user not in self.clients:
            client = TestClient(
                create_app(self.db.url), raise_server_exceptions=False, follow_redirects=False
            )
            client.__enter__()
            if user:
                log_in(client, user, self.passwords[user])
            self.clients[user] = client
        return self.clients[user].get(path.format(**self.fill), headers=ZH)

    def close(self) -> None:
        for client in self.clients.values():
            client.__exit__(None, None, None)
        self.db.dispose()


@pytest.fixture(scope="module")
def pages(demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Pages]:
    copy = tmp_path_factory.mktemp("demo-zh") / "esg-demo"
    shutil.copytree(demo_build.out, copy, ignore=shutil.ignore_patterns("*.writer-lock"))
    found = _Pages(copy)
    yield found
    found.close()


def test_every_page_is_shot_in_chinese() -> None:
    assert list(SHOTS.SHOTS_ZH) == [name for name, _user, _path in SHOTS.SHOTS]


@pytest.mark.parametrize(("name", "user", "path"), SHOTS.SHOTS, ids=[s[0] for s in SHOTS.SHOTS])
def test_the_page_has_no_english_left(pages: _Pages, name: str, user: str, path: str) -> None:
    page = pages.get(user, path)
    assert page.status_code == 200, (name, page.text[-600:])
    assert '<html lang="zh-Hans">' in page.text
    left = set(english_left(page.text)) - DATA.get(name, set())
    assert left == NOT_YET.get(name, set()), name


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Dates that are data, printed as imported: an exchange rate's source as its file gave it.
DATES_AS_DATA = {"giving": ("CNY/USD",)}


class _PageText(HTMLParser):
    """A page's visible text, without what holds data verbatim: form fields (inputs carry
    attributes only; text areas), scripts, styles and an audit event's JSON (``<pre>``).
    Attributes — ids, ``<time datetime>``, links — are never text."""

    SKIP = frozenset({"script", "style", "textarea", "pre"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.nodes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("input", "br", "meta", "link", "img", "hr", "col", "source"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self.SKIP.intersection(self.open) and data.strip():
            self.nodes.append(data.strip())


def iso_dates_shown(html: str, data: tuple[str, ...] = ()) -> list[str]:
    parser = _PageText()
    parser.feed(html)
    return [
        node
        for node in parser.nodes
        if ISO_DAY.search(node) and not any(mark in node for mark in data)
    ]


@pytest.mark.parametrize(("name", "user", "path"), SHOTS.SHOTS, ids=[s[0] for s in SHOTS.SHOTS])
def test_the_page_writes_its_dates_in_chinese(
    pages: _Pages, name: str, user: str, path: str
) -> None:
    """Dates as 2027年1月4日 (the supplier questionnaire printed "有效期至 2027-01-04（UTC）"),
    on every page; form fields, attributes and an audit event's stored JSON keep ISO."""
    page = pages.get(user, path)
    assert page.status_code == 200, name
    assert iso_dates_shown(page.text, DATES_AS_DATA.get(name, ())) == [], name


def test_a_chinese_page_prints_a_date_and_units_in_chinese(pages: _Pages) -> None:
    """The KPI table's units (tCO2e, a metric's t) in the catalog's Chinese; a request's due
    day and unit; the same pages in English unchanged: ISO days and the units as stored."""
    kpis = pages.get("manager", "/kpis").text
    assert "<td>吨二氧化碳当量</td>" in kpis and "<td>吨</td>" in kpis
    assert "<td>tCO2e</td>" not in kpis and "<td>t</td>" not in kpis and "<td>MWh</td>" not in kpis
    request = pages.get("owner.sz", "/requests/{request}").text
    assert re.search(r"<td>\d{4}年\d{1,2}月\d{1,2}日", request), "the due day"
    english = pages.clients["manager"].get("/kpis", headers={"Accept-Language": "en"}).text
    assert "<td>tCO2e</td>" in english and "吨" not in english
    english = (
        pages.clients["owner.sz"]
        .get("/requests/{request}".format(**pages.fill), headers={"Accept-Language": "en"})
        .text
    )
    assert re.search(r"<th>Due</th><td>\d{4}-\d{2}-\d{2}", english)
    assert not re.search(r"\d{4}年", english)


def _texts(html: str) -> list[str]:
    parser = _PageText()
    parser.feed(html)
    return parser.nodes


QUANTITY_CODES = ("scope1", "scope2 market", "scope2 location", "scope3", "energy direct")


def test_the_emissions_breakdown_names_its_figures_in_chinese(pages: _Pages) -> None:
    """The by-gas table and an entity's breakdown printed the run's quantity codes ("scope1",
    "scope2 market") on the Chinese page; they read 范围一, 范围二（基于市场）… The English page
    prints them as before (its tests select on "scope2 market")."""
    whole = pages.get("manager", "/emissions").text
    one = pages.get("manager", "/emissions?entity=SZ-BA").text
    assert one.count("<tr data-figure=") >= 6, one[-600:]
    for page in (whole, one):
        assert not set(_texts(page)) & set(QUANTITY_CODES)
    assert "<td>范围二（基于市场）</td>" in one and "<td>直接能源</td>" in one
    assert '<th class="num">范围一</th>' in one
    assert "<td>范围一</td>" in whole  # the by-gas table's scope
    english = pages.clients["manager"].get(
        "/emissions?entity=SZ-BA", headers={"Accept-Language": "en"}
    )
    assert "<td>scope2 market</td>" in english.text and "范围" not in english.text


ROLES = {
    "manager": "ESG 经理",
    "owner.sz": "数据负责人",
}


@pytest.mark.parametrize(("user", "role"), ROLES.items())
def test_the_header_names_the_role_in_chinese(pages: _Pages, user: str, role: str) -> None:
    """The header printed "owner.sz · data owner" on a Chinese page: the role now reads in
    Chinese; the username is data, marked ``translate="no"`` so the English-left check skips it
    (and a browser's translator leaves it)."""
    page = pages.get(user, "/").text
    who = re.search(
        r'data-testid="whoami">(<span translate="no">[^<]*</span> · [^<]*)</span>', page
    )
    assert who, page[:2000]
    assert f'<span translate="no">{user}</span> · {role}' == who.group(1)
    english = pages.clients[user].get("/", headers={"Accept-Language": "en"}).text
    assert (
        f'<span translate="no">{user}</span> · '
        + ("esg manager" if user == "manager" else "data owner")
        in english
    )


def test_a_finding_sentence_names_its_unit_in_chinese(pages: _Pages) -> None:
    """A restatement's finding read "由 94,796.27 RMB million 重述为 …" on a Chinese page: its
    values' unit is worded where the page renders the finding (the stored text keeps the
    unit as stored); the English page unchanged."""
    page = pages.get("manager", "/findings").text
    restated = [t for t in _texts(page) if "重述为" in t]
    assert restated, "the demo's restatement"
    assert not [t for t in restated if "RMB million" in t or "tCO2e" in t], restated
    assert any("百万元" in t or "吨" in t for t in restated), restated
    english = pages.clients["manager"].get("/findings", headers={"Accept-Language": "en"}).text
    assert re.search(r"was restated from [\d,.]+ [A-Za-z]", english)
