"""#19: a supplier finding's page and its move over the API left two things English in
Chinese: the 404 for an unknown finding, and the field ids (``root_cause`` …) in the "plan
fields missing" refusal. Both are worded in the reader's language; the English lines (CLI,
API without a language) are unchanged word for word."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from esgledger.api.app import PREFIX
from esgledger.ledger.db import Database
from tests.api.conftest import Api, api, problem
from tests.web.conftest import csrf_of, log_in, make_user
from tests.web.test_supplier_finding_move_page import ZH, _finding, _row
from tests.web.test_supplier_pages import db

__all__ = ["api", "db"]  # the fixtures (db: the filled supplier register), for pytest

FIELD_IDS = ("root_cause", "corrective", "preventive", "planned_completion")
FIELD_WORDS = ("根本原因", "纠正措施", "预防措施", "计划完成日期")


def test_an_unknown_finding_page_is_a_chinese_404(web: TestClient, db: Database) -> None:
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    zh = web.get("/suppliers/findings/987654", headers=ZH)
    assert zh.status_code == 404
    assert "987654" in zh.text and "unknown audit finding" not in zh.text, zh.text
    assert "审计问题" in zh.text
    en = web.get("/suppliers/findings/987654")
    assert en.status_code == 404 and "unknown audit finding 987654" in en.text


def test_the_missing_plan_fields_are_named_in_chinese(web: TestClient, db: Database) -> None:
    fid = _finding(db)
    v0 = _row(db, fid)[1]
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    page = web.get(f"/suppliers/findings/{fid}", headers=ZH).text
    data = {"csrf_token": csrf_of(page), "version": str(v0), "state": "plan_submitted"}
    short = web.post(f"/suppliers/findings/{fid}/move", headers=ZH, data=data)
    assert short.status_code == 422
    said = re.search(r"整改计划缺少[^<]*", short.text)
    assert said, short.text
    assert said.group() == "整改计划缺少 " + "、".join(FIELD_WORDS)
    flash = re.search(r'class="flash error" role="status">([^<]*)<', short.text)
    assert flash and not any(f in flash.group(1) for f in FIELD_IDS), flash
    english = web.post(f"/suppliers/findings/{fid}/move", data=data)
    assert "a corrective-action plan needs " + ", ".join(FIELD_IDS) in english.text


def test_the_api_words_both_in_chinese(api: Api) -> None:
    fid = _finding(api.db)
    zh = api.headers("sam") | {"Accept-Language": "zh"}
    unknown = problem(
        api.client.post(PREFIX + "/supplier-findings/987654/move", headers=zh,
                        json={"state": "plan_submitted", "version": 1}), 404,
    )  # fmt: skip
    assert "987654" in unknown["detail"] and "审计问题" in unknown["detail"], unknown
    assert not re.search(r"\b[a-z]{3,}\b", unknown["detail"].replace("esg suppliers findings", ""))
    english = problem(
        api.call(
            "sam",
            "POST",
            "/supplier-findings/987654/move",
            json={"state": "plan_approved", "version": 1},
        ),
        404,
    )
    assert english["detail"] == (
        "unknown audit finding 987654; `esg suppliers findings` lists them"
    )
    short = problem(
        api.client.post(PREFIX + f"/supplier-findings/{fid}/move", headers=zh,
                        json={"state": "plan_submitted", "root_cause": "no drill",
                              "version": _row(api.db, fid)[1]}), 422,
    )  # fmt: skip
    assert short["detail"].endswith("整改计划缺少 " + "、".join(FIELD_WORDS[1:])), short
    assert not any(f in short["detail"] for f in FIELD_IDS)
