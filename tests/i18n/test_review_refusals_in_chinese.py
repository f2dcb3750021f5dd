"""#19: the request workflow's remaining refusals in the reader's language — lookups of an
entity, a user or a request that does not exist, the review steps (return without a comment,
an empty comment, approving one's own submission, a restatement without a reason) and a
value already recorded in the ledger. Each is posted on a Chinese page (or asked of the API
in Chinese) and worded from the catalog; the English pages keep the services' own lines."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from esgledger.ledger.kpis import import_kpis
from tests.api.conftest import Api, api, problem
from tests.factories import write_csv
from tests.web.test_languages import ZH, english_left
from tests.web.test_workflow_pages import YEAR, issue, login, org, post

__all__ = ["api", "org"]  # the fixtures, imported for pytest


def _refused(answer, status: int, chinese: str, english: str) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == status, answer.text
    assert chinese in answer.text, answer.text
    assert english not in answer.text and english_left(answer.text) == []


def test_review_steps_are_refused_in_chinese(web: TestClient, org: Database) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    token = login(web, org, "olga")
    web.headers.update(ZH)
    assert (
        post(web, f"/requests/{rid}/enter", token, version=1, value="7", unit="t").status_code
        == 303
    )
    assert post(web, f"/requests/{rid}/submit", token, version=2).status_code == 303
    _refused(post(web, f"/requests/{rid}/comment", token, body="  "), 422,
             "意见不能为空", "cannot be empty")  # fmt: skip
    token = login(web, org, "rita")
    _refused(post(web, f"/requests/{rid}/return", token, version=3, comment=" "), 422,
             "请说明退回理由", "a comment is required")  # fmt: skip
    assert post(web, f"/requests/{rid}/approve", token, version=3).status_code == 303
    token = login(web, org, "mia")
    assert post(web, f"/requests/{rid}/lock", token, version=4).status_code == 303
    _refused(post(web, f"/requests/{rid}/restate", token, version=5, value="8", unit="t",
                  reason=" "), 422, "重述须说明理由", "needs a reason")  # fmt: skip
    _refused(post(web, f"/requests/{rid}/restate", token, version=5, value="7", unit="t",
                  reason="typo"), 409, "数值已是 7 t", "the value is already")  # fmt: skip


def test_approving_ones_own_submission_is_refused_in_chinese(
    web: TestClient, org: Database
) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"], owner="ada", reviewer="ada")
    token = login(web, org, "ada")
    web.headers.update(ZH)
    assert (
        post(web, f"/requests/{rid}/enter", token, version=1, value="7", unit="t").status_code
        == 303
    )
    assert post(web, f"/requests/{rid}/submit", token, version=2).status_code == 303
    _refused(post(web, f"/requests/{rid}/approve", token, version=3), 403,
             "须由其他审核人审批", "cannot also approve")  # fmt: skip


def test_a_value_already_in_the_ledger_is_refused_in_chinese(
    web: TestClient, org: Database, tmp_path: Path
) -> None:
    header = ["entity", "year", "metric", "value", "unit"]
    kpis = write_csv(tmp_path / "k.csv", header, [["HQ", YEAR, "packaging.cartons", "12.5", "t"]])
    import_kpis(org, kpis, actor="setup")
    (rid,) = issue(org, ["packaging.cartons"], ["HQ"], owner="mia")
    token = login(web, org, "mia")
    web.headers.update(ZH)
    _refused(post(web, f"/requests/{rid}/enter", token, version=1, value="13", unit="t"), 409,
             "已记录为 12.5 t", "is already recorded")  # fmt: skip


def test_lookups_are_refused_in_chinese(web: TestClient, org: Database) -> None:
    token = login(web, org, "mia")
    data = {"csrf_token": token, "year": str(YEAR), "due": "2030-01-31", "owner": "olga",
            "reviewer": "rita", "metric": ["packaging.plastics"], "entity": ["NOPE"]}  # fmt: skip
    _refused(web.post("/requests/issue", data=data, headers=ZH), 422,
             "未知的实体 &#39;NOPE&#39;", "unknown entity")  # fmt: skip
    nobody = {**data, "entity": ["SZ1"], "owner": "nobody"}
    _refused(web.post("/requests/issue", data=nobody, headers=ZH), 422,
             "未知的用户 &#39;nobody&#39;", "unknown user")  # fmt: skip
    _refused(web.get("/requests/99999", headers=ZH), 404, "没有数据请求 99999",
             "no data request")  # fmt: skip
    english = web.get("/requests/99999")
    assert "no data request 99999" in english.text


def test_the_api_words_lookups_in_chinese(api: Api) -> None:
    zh = api.client.get("/api/v1/requests/99999", headers=api.headers("mia") | ZH)
    assert problem(zh, 404)["detail"] == "没有数据请求 99999"
    en = api.call("mia", "GET", "/requests/99999")
    assert problem(en, 404)["detail"].startswith("no data request 99999")
