"""bench/api.py's check that nothing acknowledged was lost (issue #14): a write whose answer
was never read (in flight when wrk stopped, or timed out) may or may not have landed, in any
phase after the last acknowledged one, and is neither a loss nor a phantom; a stored value
older than the last acknowledged one is a loss."""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

BENCH = Path(__file__).resolve().parent.parent / "bench" / "api.py"


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_api", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_api", module)
    spec.loader.exec_module(module)
    return module


def phase(acked: dict[str, list[int]], unanswered: dict[str, list[int]]) -> dict[str, object]:
    return {"acked": acked, "unanswered": unanswered}


# the last session's run: request 6 acknowledged twice in the mix (last 3005000004), a third
# write (3005000007) sent before the mix stopped landed unanswered; the load phase's only
# write to it (4005000001) was in flight when the server stopped and never landed
MIX = phase({"6": [2, 3005000004]}, {"6": [3005000007]})
LOAD = phase({}, {"6": [4005000001]})


def test_a_write_left_unanswered_in_an_earlier_phase_is_not_a_loss() -> None:
    api = bench()
    expected = api.expected_writes([MIX, LOAD])
    assert api.lost_writes(expected, {6: 3}, {6: 3005000007.0}) == []


def test_an_acknowledged_value_overwritten_by_an_older_one_is_a_loss() -> None:
    api = bench()
    expected = api.expected_writes([MIX, LOAD])
    lost = api.lost_writes(expected, {6: 3}, {6: 3005000003.0})
    assert len(lost) == 1 and "request 6" in lost[0] and "3005000003" in lost[0]


def test_fewer_stored_changes_than_acknowledgements_is_a_loss() -> None:
    api = bench()
    expected = api.expected_writes([MIX, LOAD])
    assert len(api.lost_writes(expected, {6: 1}, {6: 3005000004.0})) == 1


def test_an_unanswered_write_before_a_later_acknowledgement_cannot_be_the_final_value() -> None:
    api = bench()
    later = phase({"6": [1, 4005000002]}, {})
    expected = api.expected_writes([MIX, later])
    assert api.lost_writes(expected, {6: 4}, {6: 4005000002.0}) == []
    assert len(api.lost_writes(expected, {6: 4}, {6: 3005000007.0})) == 1


class _Answers(BaseHTTPRequestHandler):
    """A fixed answer of ``size`` bytes with ``status`` to every GET."""

    status, size = 200, 300_000

    def do_GET(self) -> None:
        body = b"x" * self.size
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _read_only_phase(status: int) -> Any:
    """bench/api.py's read-only phase (no writes, so no Lua response callback) for one second
    against a local server answering ``status``."""
    api = bench()
    handler = type("Answers", (_Answers,), {"status": status})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        target = SimpleNamespace(
            base=f"http://127.0.0.1:{server.server_address[1]}",
            proc=SimpleNamespace(pid=os.getpid()),
        )
        return api.drive(target, "t", "reads", connections=2, seconds=1, path="/kpis")
    finally:
        server.shutdown()
        server.server_close()


def test_a_read_only_phase_is_timed_by_wrk_without_a_response_callback() -> None:
    """Reads only: wrk's own histogram times them, every answer counted (issue #14: the Lua
    callback copying each 326 KB body cost the client more CPU than the server)."""
    phase = _read_only_phase(200)
    assert phase.result["read"]["n"] > 0
    assert phase.result["read"]["n"] == phase.result["requests"]
    assert 0 < phase.p("read", "p50") <= phase.p("read", "p99")
    assert phase.errors == 0 and phase.result["write"]["n"] == 0


def test_failed_reads_of_a_read_only_phase_are_errors() -> None:
    phase = _read_only_phase(503)
    assert phase.result["read"]["n"] == 0
    assert phase.errors == phase.result["requests"] > 0
