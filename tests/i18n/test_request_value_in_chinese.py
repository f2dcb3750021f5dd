"""#19: the data-request page refuses a bad value in the reader's language — a value that is
not a number, a negative one, one no float can hold — each reason worded
from the import's own message; the English page keeps the import's line. Nothing is stored."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from tests.web.test_languages import ZH, english_left
from tests.web.test_workflow_pages import issue, login, org, post

__all__ = ["org"]  # the fixture, imported for pytest


def test_a_bad_value_is_refused_in_chinese(web: TestClient, org: Database) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    token = login(web, org, "olga")
    for value, english in (
        ("abc", "'abc' is not a number"),
        ("-5", "value is negative"),
        ("1e400", "'1e400' is not a number"),
    ):
        web.headers.update(ZH)
        answer = post(web, f"/requests/{rid}/enter", token, version=1, value=value, unit="t")
        del web.headers["Accept-Language"]
        assert answer.status_code == 422, (value, answer.text[:300])
        text = html.unescape(answer.text)
        assert f"数据请求{rid}：value：" in text and english not in text, (value, text)
        assert english_left(answer.text) == [], value
        in_english = post(web, f"/requests/{rid}/enter", token, version=1, value=value, unit="t")
        assert in_english.status_code == 422, value
        assert f"request {rid}: value: {english}" in html.unescape(in_english.text), value
    # nothing was stored: the request is still at the version the refused posts saw
    assert (
        post(web, f"/requests/{rid}/enter", token, version=1, value="7", unit="t").status_code
        == 303
    )
