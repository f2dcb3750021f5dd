"""bench/cmrt.py on ten files: the broken one is refused, the others stored and rolled up,
and the RESULT line carries the ratio against openpyxl (no time is asserted)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "cmrt.py"


def test_ten_files_give_a_result_line(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_cmrt", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_cmrt", module)
    spec.loader.exec_module(module)
    assert module.main(["10"]) == 0
    result = capsys.readouterr().out.strip().splitlines()[-1]
    fields = dict(part.split("=") for part in result.removeprefix("RESULT ").split())
    assert (fields["rows"], fields["accepted"], fields["refused"]) == ("10", "9", "1")
    assert float(fields["cpu_ratio_vs_openpyxl"]) > 0 and int(fields["smelters"]) > 100
