"""#19: a questionnaire's answer checks (``validate_responses``) in the respondent's language —
a score outside 1 to 5 posted on the Chinese questionnaire is refused in Chinese, worded from
the catalog; the English page keeps the check's own line."""

from __future__ import annotations

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from tests.web.conftest import csrf_of
from tests.web.test_languages import EN, ZH, _survey, english_left


def _post(web: TestClient, token: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    page = web.get(f"/survey/{token}", headers=headers)
    form = {"csrf_token": csrf_of(page.text), "score.0": "9", "score.1": "2"}
    return web.post(f"/survey/{token}", data=form, headers=headers)


def test_an_out_of_range_score_is_refused_in_chinese(db: Database, web: TestClient) -> None:
    token = _survey(db)
    zh = _post(web, token, ZH)
    assert zh.status_code == 422, zh.text
    assert "不是 1 至 5 之间的评分" in zh.text, zh.text
    assert "is not a score" not in zh.text and english_left(zh.text) == []
    en = _post(web, token, EN)
    assert en.status_code == 422 and "is not a score from 1 to 5" in en.text
