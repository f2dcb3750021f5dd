"""Template-shaped CMRT/EMRT workbooks for tests (the writer is the demo's,
:mod:`esgledger.demo.cmrt_files`), and the rules' verdict on one of them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from esgledger.demo.cmrt_files import (
    CMRT_METALS,
    SMELTER_HEADER,
    Cmrt,
    cmrt_file,
    company,
    smelter,
)

__all__ = ["CMRT_METALS", "SMELTER_HEADER", "TODAY", "Cmrt", "checked", "cmrt_file", "company",
           "lines", "smelter"]  # fmt: skip

TODAY = dt.date(2026, 6, 30)


def checked(tmp_path: Path, spec: Cmrt | None = None, name: str = "s.xlsx") -> Any:
    """The rules' verdict on a written test file (``esgledger.ingest.cmrt_rules.Checked``)."""
    from esgledger.ingest.cmrt_rules import check
    from esgledger.ingest.cmrt_workbook import read_workbook

    return check(read_workbook(cmrt_file(tmp_path / name, spec)), TODAY)


def lines(problems: list[Any]) -> list[str]:
    return [p.format("s.xlsx") for p in problems]
