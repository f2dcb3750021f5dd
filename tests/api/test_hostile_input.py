"""Issue #14 (lower): inputs that used to answer 500. A file name over 255 bytes and a number
out of range (``1e309``) are the client's mistakes: a one-line 422 problem, nothing stored."""

from __future__ import annotations

from sqlalchemy import func, select

from esgledger.ledger.models import Entity
from esgledger.ledger.workflow_models import EvidenceFile
from tests.api.conftest import YEAR, Api, problem

LONG = "é" * 130 + ".csv"  # 264 bytes in UTF-8: over the file system's 255


def test_a_file_name_over_255_bytes_is_refused(api: Api) -> None:
    before = _count(api, Entity)
    body = problem(api.call("ada", "POST", "/imports/entities",
                            files={"file": (LONG, b"id,name\nX,Y\n")}), 422)  # fmt: skip
    assert "255 bytes" in body["detail"]
    assert _count(api, Entity) == before
    issue = {"year": YEAR, "metrics": ["packaging.plastics"], "owner": "olga",
             "due": "2099-03-31", "entities": ["SZ1"]}  # fmt: skip
    (rid,) = api.ok("mia", "POST", "/requests", 201, json=issue)["ids"]
    body = problem(api.call("olga", "POST", f"/requests/{rid}/evidence",
                            files={"file": (LONG, b"reading 123")}), 422)  # fmt: skip
    assert "255 bytes" in body["detail"]
    assert _count(api, EvidenceFile) == 0


def test_a_number_out_of_range_is_refused(api: Api) -> None:
    for raw in (b'{"version": 1, "value": 1e309, "unit": "t"}',
                b'{"version": 1, "value": -1e309, "unit": "t"}'):  # fmt: skip
        got = api.client.post("/api/v1/requests/1/value", content=raw,
                              headers={**api.headers("olga"), "content-type": "application/json"})  # fmt: skip
        body = problem(got, 422)
        assert "value" in body["detail"]


def _count(api: Api, model: type) -> int:
    with api.db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0
