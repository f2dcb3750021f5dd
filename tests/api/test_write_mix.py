"""Issue 14, the 20 %-write mix: writers and readers at once against the real server process,
on SQLite and PostgreSQL. Every acknowledged write must be stored (one `request.enter` event
each, and each request holding the last value acknowledged), every read answered. SQLite
writers of the process take turns on an in-process lock instead of each holding a pooled
connection in `BEGIN IMMEDIATE`; this holds that nothing is lost or refused on the way."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.workflow.requests import current_value, get_request
from tests.api.conftest import YEAR
from tests.api.test_concurrency import served  # noqa: F401 - the fixture

METRICS = ["packaging.plastics", "packaging.cartons", "packaging.wood", "packaging.metal"]
ENTITIES = ["HQ", "SZ1", "WH1", "VN1"]
WRITERS, READERS, WRITES_EACH, READS_EACH = 8, 32, 4, 4


def _call(url: str, token: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {"detail": exc.read().decode(errors="replace")}


def test_concurrent_writes_all_land_beside_readers(
    served: tuple[str, dict[str, str]],  # noqa: F811
    db: Database,
) -> None:
    url, tokens = served
    api, mia = f"{url}/api/v1", tokens["mia"]
    status, issued = _call(f"{api}/requests", mia, "POST", {
        "year": YEAR, "metrics": METRICS, "owner": "mia", "due": "2099-03-31",
        "entities": ENTITIES})  # fmt: skip
    assert status == 201, issued
    ids: list[int] = issued["ids"]
    assert len(ids) == WRITERS * 2
    start = threading.Barrier(WRITERS + READERS)
    acked: dict[int, list[float]] = {}

    def write(n: int) -> list[int]:
        mine, statuses = ids[n::WRITERS], []
        versions = {rid: 1 for rid in mine}
        start.wait()
        for turn in range(WRITES_EACH):
            rid = mine[turn % len(mine)]
            value = float(100 * n + turn)
            code, body = _call(f"{api}/requests/{rid}/value", mia, "POST",
                               {"version": versions[rid], "value": value, "unit": "t"})  # fmt: skip
            statuses.append(code)
            if code == 200:
                versions[rid] = body["version"]
                acked.setdefault(rid, []).append(value)
        return statuses

    def read(n: int) -> list[int]:
        start.wait()
        return [_call(f"{api}/kpis?year={YEAR}", mia)[0] for _ in range(READS_EACH)]

    with ThreadPoolExecutor(max_workers=WRITERS + READERS) as pool:
        writes = [pool.submit(write, n) for n in range(WRITERS)]
        reads = [pool.submit(read, n) for n in range(READERS)]
        write_codes = Counter(c for f in writes for c in f.result())
        read_codes = Counter(c for f in reads for c in f.result())
    assert write_codes == {200: WRITERS * WRITES_EACH}, write_codes
    assert read_codes == {200: READERS * READS_EACH}, read_codes

    with db.read() as session:
        entered = Counter(session.scalars(
            select(AuditEvent.subject).where(AuditEvent.action == "request.enter")))  # fmt: skip
        for rid, values in acked.items():
            assert entered[f"request:{rid}"] == len(values)
            assert current_value(session, get_request(session, rid)).value == values[-1]
    assert sum(entered.values()) == WRITERS * WRITES_EACH
