"""Issue #14, the write mix's server CPU: a value entry's answer is shaped from what the write
itself holds (the request as changed, the value it stored or kept), so after the commit only
the people's names are read: the request and its current value were read again after every
entry, a third of a write's CPU. Still nothing is shaped inside the write (the writer's
lock is held for the write alone), and the answer is what a read right after gives."""

from __future__ import annotations

import pytest

from tests.api.conftest import YEAR, Api
from tests.api.test_write_answer_after_commit import DETAIL_ONLY, statements

pytestmark = pytest.mark.usefixtures("one_recheck_window")


def _issue(api: Api, reviewer: str | None = "rita") -> int:
    body = {"year": YEAR, "metrics": ["packaging.plastics"], "owner": "olga",
            "due": "2099-03-31", "entities": ["HQ"]}  # fmt: skip
    if reviewer:
        body["reviewer"] = reviewer
    (rid,) = api.ok("mia", "POST", "/requests", 201, json=body)["ids"]
    return int(rid)


def _entered(api: Api, rid: int, body: dict[str, object]) -> dict[str, object]:
    """Enter ``body`` and check the answer against a read right after; the SQL after the
    commit must read neither the request nor a value."""
    with statements(api) as seen:
        answer = api.ok("olga", "POST", f"/requests/{rid}/value", json=body)
    after = " ".join(seen.outside).lower()
    assert "from data_requests" not in after and "from kpi_values" not in after, seen.outside
    assert any("from users" in s.lower() for s in seen.outside), seen.outside
    assert not any("from users" in s.lower() for s in seen.in_write[-1:]), seen.in_write
    shown = api.ok("aldo", "GET", f"/requests/{rid}")
    assert answer == {k: v for k, v in shown.items() if k not in DETAIL_ONLY}
    return answer


def test_a_value_entry_answers_from_what_it_wrote(api: Api) -> None:
    rid = _issue(api)
    first = _entered(api, rid, {"version": 1, "value": 4.25, "unit": "t", "note": "meter"})
    assert (first["value"], first["version"], first["note"]) == (4.25, 2, "meter")
    assert (first["owner"], first["reviewer"]) == ("olga", "rita")
    again = _entered(api, rid, {"version": 2, "value": 7, "unit": "t"})  # changed in place
    assert (again["value"], again["version"], again["value_id"]) == (7, 3, first["value_id"])
    same = _entered(api, rid, {"version": 3, "value": 7, "unit": "t"})  # unchanged
    assert (same["value"], same["version"]) == (7, 3)
    status = _entered(api, rid, {"version": 3, "value": "n.a.", "unit": "t"})
    assert (status["value"], status["status"]) == (None, "not_applicable")


def test_a_request_without_reviewer_answers_the_same(api: Api) -> None:
    rid = _issue(api, reviewer=None)
    answer = _entered(api, rid, {"version": 1, "value": 0.5, "unit": "t"})
    assert answer["reviewer"] is None and answer["value"] == 0.5
