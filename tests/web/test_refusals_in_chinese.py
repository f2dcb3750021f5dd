"""#19: the services' refusals in the reader's language — evidence, issuing requests, the
whistleblowing intake and follow-up, the survey, the error page, and the API's problem details
when the client asks for Chinese (``Accept-Language``). Each refused form is posted on a
Chinese page: the refusal is worded from the catalog, never the service's English line."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from esgledger.auth.users import principal
from esgledger.ledger.db import Database
from esgledger.registers import whistle
from tests.api.conftest import Api, api, problem
from tests.web.conftest import csrf_of
from tests.web.test_languages import ZH, english_left
from tests.web.test_workflow_pages import YEAR, issue, login, org

__all__ = ["api", "org"]  # the fixtures, imported for pytest


def test_evidence_refusals_are_in_chinese(web: TestClient, org: Database) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    token = login(web, org, "olga")
    url = f"/requests/{rid}/evidence"
    empty = web.post(url, data={"csrf_token": token}, files={"file": ("a.pdf", b"")}, headers=ZH)
    assert empty.status_code == 422 and "证据文件 &#39;a.pdf&#39; 为空" in empty.text
    assert "is empty" not in empty.text and english_left(empty.text) == []
    none = web.post(url, data={"csrf_token": token}, headers=ZH)
    assert none.status_code == 422 and "请选择要附加的文件" in none.text
    form = {"csrf_token": token, "version": "1", "value": "4.5", "unit": "t"}
    assert web.post(f"/requests/{rid}/enter", data=form, headers=ZH).status_code == 303
    web.post(f"/requests/{rid}/submit", data={"csrf_token": token, "version": "2"}, headers=ZH)
    late = web.post(url, data={"csrf_token": token}, files={"file": ("a.pdf", b"%PDF")},
                    headers=ZH)  # fmt: skip
    assert late.status_code == 409 and "无法向请求" in late.text, late.text
    assert "cannot add evidence" not in late.text and english_left(late.text) == []


def test_issuing_refusals_are_in_chinese(web: TestClient, org: Database) -> None:
    token = login(web, org, "mia")
    due = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    data = {"csrf_token": token, "year": str(YEAR), "due": due, "owner": "olga",
            "reviewer": "rita", "metric": ["packaging.plastics"], "entity": ["WH1"]}  # fmt: skip
    outside = web.post("/requests/issue", data=data, headers=ZH)
    assert outside.status_code == 422 and "olga 在 WH1 上没有授权" in outside.text
    assert "has no grant" not in outside.text and english_left(outside.text) == []
    cases = [
        ({"metric": []}, "未指定指标"),
        ({"entity": []}, "未指定实体"),
        ({"metric": ["energy.electricity.renewable"]}, "由其他指标推导"),
        ({"owner": "rita"}, "不能负责填报请求"),
        ({"reviewer": "olga"}, "不能审核"),
        ({"due": "2001-01-01"}, "截止日期"),
    ]
    for change, words in cases:
        refused = web.post("/requests/issue", data={**data, "entity": ["SZ1"], **change},
                           headers=ZH)  # fmt: skip
        assert refused.status_code == 422 and words in refused.text, (change, refused.text)
        assert english_left(refused.text) == []


def test_whistleblowing_refusals_are_in_chinese(
    web: TestClient, org: Database, tmp_path: object
) -> None:
    with org.write() as s:
        from esgledger.auth.users import add_user

        add_user(s, username="cora", role="compliance_officer", actor="setup")
        (token,) = whistle.issue_links(s, principal(s, "cora"), entity="SZ1")
    page = web.get(f"/speak-up/{token}", headers=ZH)
    form = {"csrf_token": csrf_of(page.text), "type": "fraud", "report": "  "}
    empty = web.post(f"/speak-up/{token}", data=form, headers=ZH)
    assert empty.status_code == 422 and "举报内容为空" in empty.text
    assert "is empty" not in empty.text and english_left(empty.text) == []
    form["csrf_token"] = csrf_of(empty.text)
    sent = web.post(f"/speak-up/{token}", data={**form, "report": "发票金额被篡改"}, headers=ZH)
    assert sent.status_code == 200, sent.text
    used = web.get(f"/speak-up/{token}", headers=ZH)  # the error page
    assert used.status_code == 409 and "此举报链接已被使用" in used.text
    assert "was used already" not in used.text and english_left(used.text) == []
    follow = web.get("/speak-up/follow-up", headers=ZH)
    wrong = web.post("/speak-up/follow-up", headers=ZH,
                     data={"csrf_token": csrf_of(follow.text), "code": "ABCD-EFGH",
                           "passphrase": "nope"})  # fmt: skip
    assert wrong.status_code == 401 and "案件编号或口令错误" in wrong.text
    assert "passphrase is wrong" not in wrong.text and english_left(wrong.text) == []


def test_the_error_page_words_a_refusal_in_chinese(web: TestClient, db: Database) -> None:
    gone = web.get("/survey/no-such-token", headers=ZH)
    assert gone.status_code == 404 and "未知的问卷链接" in gone.text
    assert "unknown survey link" not in gone.text and english_left(gone.text) == []
    english = web.get("/survey/no-such-token")
    assert "unknown survey link" in english.text


def test_the_api_words_its_problem_in_chinese_when_asked(api: Api) -> None:
    url = "/registers/whistleblowing/cases/NOPE-NOPE/move"
    body = {"version": 1, "state": "triaged"}
    zh = api.client.post("/api/v1" + url, json=body, headers=api.headers("cora") | ZH)
    detail = problem(zh, 404)["detail"]
    assert (
        detail == "举报登记册中没有案件 'NOPE-NOPE'" and zh.headers["content-language"] == "zh-Hans"
    )
    en = api.call("cora", "POST", url, json=body)
    assert problem(en, 404)["detail"] == "whistleblowing: no case 'NOPE-NOPE'"
    assert "content-language" not in en.headers
