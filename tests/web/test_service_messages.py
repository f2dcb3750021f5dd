"""#19: a service's refusal is shown on a page in the reader's language.

The services raise their errors in English (the CLI's words) and name the message and its
values; the page words it from the catalog (:func:`esgledger.web.page_messages.page_error`),
never by matching the English text. Checked on the refusals users meet most: a request step
from the wrong state, a submit without a value, and a workbook refused whole.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from tests.web.test_workflow_pages import YEAR, _fill, issue, login, post, state
from tests.web.test_workflow_pages import org as org  # the same small organisation

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_request_step_refusals_are_chinese_on_a_chinese_page(
    web: TestClient, org: Database
) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    token = login(web, org, "olga")
    web.headers.update(ZH)
    early = post(web, f"/requests/{rid}/submit", token, version=1)
    assert early.status_code == 409
    assert f"无法提交数据请求 {rid}：尚未填写数值；请先填写数值" in early.text
    assert "no value yet" not in early.text
    assert (
        post(web, f"/requests/{rid}/enter", token, version=1, value="7", unit="t").status_code
        == 303
    )
    assert post(web, f"/requests/{rid}/submit", token, version=2).status_code == 303
    again = post(web, f"/requests/{rid}/submit", token, version=3)
    assert again.status_code == 409
    assert f"无法提交数据请求 {rid}：当前状态为已提交；该请求已在等待审核" in again.text
    assert "already awaits review" not in again.text
    assert state(org, rid)["state"] == "submitted"


def test_a_refused_workbook_is_summed_up_in_chinese(web: TestClient, org: Database) -> None:
    issue(org, ["packaging.plastics"], ["HQ", "SZ1"])
    token = login(web, org, "olga")
    web.headers.update(ZH)
    template = web.get(f"/template?year={YEAR}")
    bad = _fill(template.content, {"HQ": "lots", "SZ1": -2})
    answer = web.post("/upload", data={"csrf_token": token},
                      files={"file": ("olga.xlsx", bad, "application/octet-stream")})  # fmt: skip
    assert answer.status_code == 422
    assert "olga.xlsx：已拒绝，共 2 个问题，未存储任何数据" in answer.text
    assert "第 2 行" in answer.text and "refused" not in answer.text
    # the cells' own reasons too (#19: the file checks name their messages)
    assert "&#39;lots&#39; 不是数字" in answer.text and "数值为负数" in answer.text
    assert "is not a number" not in answer.text and "is negative" not in answer.text


def test_a_refused_workbooks_row_reasons_are_chinese(web: TestClient, org: Database) -> None:
    """The rows' own reasons too: a request moved on, or changed since the template."""
    hq, sz1 = issue(org, ["packaging.plastics"], ["HQ", "SZ1"])
    token = login(web, org, "olga")
    web.headers.update(ZH)
    template = web.get(f"/template?year={YEAR}")
    assert (
        post(web, f"/requests/{hq}/enter", token, version=1, value="7", unit="t").status_code == 303
    )
    assert (
        post(web, f"/requests/{sz1}/enter", token, version=1, value="7", unit="t").status_code
        == 303
    )
    assert post(web, f"/requests/{sz1}/submit", token, version=2).status_code == 303
    answer = web.post("/upload", data={"csrf_token": token},
                      files={"file": ("olga.xlsx", _fill(template.content, {"HQ": 5, "SZ1": 6}),
                                      "application/octet-stream")})  # fmt: skip
    assert answer.status_code == 422
    assert f"无法填写数据请求 {sz1}：当前状态为已提交" in answer.text
    assert f"数据请求 {hq} 在此模板生成后已被 olga 修改" in answer.text
    assert "cannot enter" not in answer.text and "was changed by" not in answer.text
