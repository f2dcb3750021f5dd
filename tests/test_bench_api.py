"""bench/api.py's check that nothing acknowledged was lost (issue #14): a write whose answer
was never read (in flight when wrk stopped, or timed out) may or may not have landed, in any
phase after the last acknowledged one, and is neither a loss nor a phantom; a stored value
older than the last acknowledged one is a loss."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

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
