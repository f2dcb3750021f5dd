"""#19: the pages in English and Chinese — the language chosen per request (the page's
switch, the user's stored preference, ``Accept-Language``, else English), every string of a
translated page from the catalog, forms and CSRF unchanged."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from esgledger.assess.materiality import add_topic, create_assessment
from esgledger.assess.respondents import add_respondent, issue_tokens
from esgledger.auth.users import principal
from esgledger.catalog import translations
from esgledger.catalog.messages import chinese
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.models import AuditEvent
from esgledger.registers import whistle
from esgledger.suppliers import saq
from esgledger.web.language import from_accept_language
from tests.conftest import Cli
from tests.factories import entities_file
from tests.suppliers.saq_files import saq_workspace
from tests.web.conftest import csrf_of, log_in, make_user
from tests.web.test_workflow_pages import issue, login, org

__all__ = ["org"]  # the fixture, imported for pytest

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


class _Text(HTMLParser):
    """The visible text of a page (each text node, stripped) and its attribute texts a user
    reads (title, placeholder, aria-label); data marked ``translate="no"`` is skipped."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self._skip = 0
        self._data: list[str] = []  # open elements marked translate="no" (a username)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if ("translate", "no") in attrs:
            self._data.append(tag)
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label") and value:
                self.nodes.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if self._data and self._data[-1] == tag:
            self._data.pop()
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.nodes.append(" ".join(data.split()))


def english_left(html: str) -> list[str]:
    """Catalog messages (English ids whose Chinese differs) still printed in English: a text
    node equal to one, or a long one anywhere in the text."""
    parser = _Text()
    parser.feed(html)
    nodes = set(parser.nodes)
    text = " ".join(parser.nodes)
    left = []
    for message, translated in chinese().items():
        if message == translated or "<" in message or "%(" in message:
            continue
        if message in nodes or (len(message) > 24 and message in text):
            left.append(message)
    return left


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("zh", "zh"),
        ("zh-Hans", "zh"),
        ("zh-Hans-CN", "zh"),
        ("ZH-tw", "zh"),
        ("en-GB,en;q=0.9", "en"),
        ("en;q=0.5, zh;q=0.6", "zh"),
        ("zh;q=0.5, en;q=0.6", "en"),
        ("fr-FR, zh;q=0.1", "zh"),
        ("zh;q=0, en;q=0.1", "en"),  # q=0: not acceptable at all
        ("zh;q=abc", None),  # a malformed weight is not a yes
        ("de, fr", None),
        ("*", None),
        ("", None),
        (None, None),
        ("zh;q=2", None),  # outside 0..1
        ("en, zh", "en"),  # equal weights: the first listed
        ("," * 10_000 + "zh", None),  # past the bound, nothing is read
    ],
)
def test_accept_language_is_read_by_its_q_values(header: str | None, lang: str | None) -> None:
    assert from_accept_language(header) == lang


def test_the_login_page_follows_accept_language_and_sets_html_lang(web: TestClient) -> None:
    zh = web.get("/login", headers=ZH)
    assert zh.status_code == 200
    assert '<html lang="zh-Hans">' in zh.text and zh.headers["content-language"] == "zh-Hans"
    assert "登录" in zh.text and english_left(zh.text) == []
    en = web.get("/login", headers=EN)
    assert '<html lang="en">' in en.text and "Log in" in en.text and "登录" not in en.text
    assert '<html lang="en">' in web.get("/login").text  # no header: English
    assert "Accept-Language" in zh.headers["vary"]


def test_the_preference_wins_over_the_header_and_the_form_needs_its_csrf_token(
    db: Database, web: TestClient
) -> None:
    make_user(db, "olga", "admin")
    csrf = log_in(web, "olga")
    assert "退出登录" in web.get("/", headers=ZH).text  # no preference: the header decides
    refused = web.post("/account/language", data={"lang": "zh"}, headers=EN)
    assert refused.status_code == 403
    bad = web.post("/account/language", data={"lang": "fr", "csrf_token": csrf}, headers=EN)
    assert bad.status_code == 422 and "nothing was changed" in bad.text
    saved = web.post("/account/language", data={"lang": "zh", "csrf_token": csrf}, headers=EN)
    assert saved.status_code == 303
    page = web.get("/account/language?saved=1", headers=EN)
    assert '<html lang="zh-Hans">' in page.text and "已保存" in page.text
    assert english_left(page.text) == []
    dashboard = web.get("/", headers=EN)
    assert "退出登录" in dashboard.text and "Log out" not in dashboard.text
    assert english_left(dashboard.text) == []
    web.post("/account/language", data={"lang": "en", "csrf_token": csrf}, headers=ZH)
    assert "Log out" in web.get("/", headers=ZH).text  # English chosen: wins over zh
    web.post("/account/language", data={"lang": "", "csrf_token": csrf}, headers=ZH)
    assert "退出登录" in web.get("/", headers=ZH).text  # no preference again: the header
    with db.read() as s:
        changes = s.scalars(
            select(AuditEvent.payload)
            .where(AuditEvent.action == "user.language")
            .order_by(AuditEvent.id)
        ).all()
    assert [json.loads(p) for p in changes] == [
        {"from": "", "to": "zh"},
        {"from": "zh", "to": "en"},
        {"from": "en", "to": ""},
    ]


def _survey(db: Database) -> str:
    with db.write() as s:
        a = create_assessment(s, year=2025, mode="single", library="none", actor="test")
        for i in range(3):
            add_topic(s, a, code=f"T{i}", name=f"Own topic {i}", actor="test")
        english = translations.text("topic", "climate-change", "en")
        add_topic(s, a, code="climate-change", name=english, actor="test")
        add_respondent(s, a, group="customers", name="C-1", actor="test")
        (token,) = issue_tokens(s, a, actor="test")
    return str(token["token"])


def test_a_questionnaire_in_chinese_is_answered_end_to_end(db: Database, web: TestClient) -> None:
    token = _survey(db)
    page = web.get(f"/survey/{token}", headers=ZH)
    assert page.status_code == 200 and english_left(page.text) == []
    assert "请为每个议题评分" in page.text and 'data-testid="lang-switch"' in page.text
    assert "应对气候变化" in page.text  # a catalog topic by its Chinese name
    assert "Own topic 0" in page.text  # a topic the organisation named: its own words
    refused = web.post(
        f"/survey/{token}", data={"csrf_token": csrf_of(page.text), "score.0": "4"}, headers=ZH
    )
    assert refused.status_code == 422 and "请在 4 个议题中至少评价 2 个" in refused.text
    two = {"score.0": "4", "score.1": "2"}
    check = web.post(f"/survey/{token}", data={**two, "csrf_token": csrf_of(refused.text)},
                     headers=ZH)  # fmt: skip
    assert check.status_code == 200 and 'data-testid="survey-confirm"' in check.text
    assert english_left(check.text) == []
    sent = web.post(
        f"/survey/{token}",
        data={**two, "csrf_token": csrf_of(check.text), "confirmed": "1"},
        headers=ZH,
    )
    assert sent.status_code == 303
    done = web.get(sent.headers["location"], headers=ZH)
    assert "谢谢：您的答案已记录。" in done.text and english_left(done.text) == []


def test_the_switch_on_an_anonymous_page_overrides_the_header(
    db: Database, web: TestClient, tmp_path: Path
) -> None:
    import_entities(db, entities_file(tmp_path), actor="setup")
    make_user(db, "cora", "compliance_officer")
    with db.write() as s:
        (token,) = whistle.issue_links(s, principal(s, "cora"), entity="SZ1")
    english = web.get(f"/speak-up/{token}", headers=ZH | {"Accept-Language": "en"})
    assert "Report a concern" in english.text
    assert f'href="http://testserver/speak-up/{token}?lang=zh"' in english.text
    page = web.get(f"/speak-up/{token}?lang=zh", headers={"Accept-Language": "en"})
    assert "举报问题" in page.text and "腐败或贿赂" in page.text
    assert english_left(page.text) == []
    assert 'value="corruption"' in page.text  # the submitted value stays the code
    form = {"csrf_token": csrf_of(page.text), "type": "fraud", "report": "发票金额被篡改"}
    receipt = web.post(f"/speak-up/{token}?lang=zh", data=form)
    assert receipt.status_code == 200 and "您的举报已收到" in receipt.text
    assert english_left(receipt.text) == []
    follow = web.get("/speak-up/follow-up", headers=ZH)
    assert "跟进举报" in follow.text and english_left(follow.text) == []
    missing = web.get("/no-such-page", headers=ZH)
    assert missing.status_code == 404


# The test questionnaire's (tests/suppliers/saq_files.py) texts that are catalog messages too.
DATA_WORDS = {"Environment", "none"}


def test_the_supplier_questionnaire_is_in_chinese(
    db: Database, web: TestClient, cli: Cli, tmp_path: Path
) -> None:
    saq_workspace(cli, tmp_path)
    with db.write() as s:
        (issued,) = saq.send(s, "SAQ 2025", ["S001"], days=30, actor="t")
    page = web.get(f"/supplier-questionnaire/{issued['token']}", headers=ZH)
    assert page.status_code == 200 and '<html lang="zh-Hans">' in page.text
    assert "<title>供应商自评问卷" in page.text and "提交答卷" in page.text
    assert 'data-testid="lang-switch"' in page.text and 'value="yes"> 是<' in page.text
    # What stays English is data: the supplier's name and the questionnaire's own words (a
    # section title, a choice option), configured in English by the organisation.
    assert set(english_left(page.text)) == DATA_WORDS and "Pearl River Castings" in page.text
    answer = {"answer.env.iso14001": "yes", "answer.env.targets": "absolute",
              "answer.soc.child_labour_policy": "no", "answer.soc.notes": "年度报告"}  # fmt: skip
    refused = web.post(f"/supplier-questionnaire/{issued['token']}",
                       data={"csrf_token": csrf_of(page.text), **answer}, headers=ZH)  # fmt: skip
    assert refused.status_code == 422 and "请检查您的答案——" in refused.text
    assert set(english_left(refused.text)) == DATA_WORDS
    english = web.get(f"/supplier-questionnaire/{issued['token']}?lang=en", headers=ZH)
    assert "<title>Supplier questionnaire" in english.text


TRANSLATED = ("/", "/requests", "/requests/overdue", "/reports", "/risks", "/risks?closed=1",
              "/targets", "/audit", "/kpis", "/findings", "/materiality", "/review", "/emissions",
              "/requests/issue", "/upload", "/registers/whistleblowing", "/suppliers", "/suppliers/tiers",
              "/suppliers/findings", "/suppliers/smelters", "/suppliers/audits", "/registers",
              "/registers/complaints", "/registers/vulnerabilities", "/registers/board",
              "/registers/training", "/registers/certifications", "/registers/assurance",
              "/registers/giving")  # fmt: skip


@pytest.mark.parametrize("path", TRANSLATED)
def test_translated_pages_print_no_catalog_english(
    db: Database, web: TestClient, path: str
) -> None:
    make_user(db, "ada", "admin")
    log_in(web, "ada")
    page = web.get(path, headers=ZH)
    assert page.status_code == 200 and '<html lang="zh-Hans">' in page.text
    assert english_left(page.text) == []


def test_a_request_is_worked_on_in_chinese(web: TestClient, org: Database) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    token = login(web, org, "olga")
    page = web.get(f"/requests/{rid}", headers=ZH)
    assert page.status_code == 200 and english_left(page.text) == []
    assert "保存数值" in page.text and ">草稿<" in page.text  # the state's label, not its code
    form = {"csrf_token": token, "version": "1", "value": "4.5", "unit": "t"}
    saved = web.post(f"/requests/{rid}/enter", data=form, headers=ZH)
    assert saved.status_code == 303
    after = web.get(saved.headers["location"], headers=ZH)
    assert "数值已保存。" in after.text and english_left(after.text) == []
    assert web.post(f"/requests/{rid}/enter", data={**form, "csrf_token": "forged"},
                    headers=ZH).status_code == 403  # fmt: skip
