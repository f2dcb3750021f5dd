"""bench/cmrt_rounds.py: the demo's earlier CMRT rounds taken in, the refused files left out,
the dump holding every accepted file's rows and the deep audit check clean (no time is
asserted)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "cmrt_rounds.py"


def test_the_earlier_rounds_give_a_result_line_and_a_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("bench_cmrt_rounds", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_cmrt_rounds", module)
    spec.loader.exec_module(module)
    dump = tmp_path / "rows.json"
    assert module.main(["--files", str(tmp_path / "cmrt"), "--dump", str(dump)]) == 0
    result = capsys.readouterr().out.strip().splitlines()[-1]
    fields = dict(part.split("=") for part in result.removeprefix("RESULT ").split())
    assert fields["deep_ok"] == "True" and fields["files"] == "270"
    accepted = int(fields["accepted"])
    assert 0 < accepted < 270  # some files of the rounds are refused row by row
    rows = json.loads(dump.read_text(encoding="utf-8"))
    assert len(rows["mineral_declarations"]) == accepted
    cmrt_events = [e for e in rows["audit_events"] if e["action"] == "import.suppliers.cmrt"]
    assert len(cmrt_events) == accepted and len(rows["mineral_smelters"]) > accepted
