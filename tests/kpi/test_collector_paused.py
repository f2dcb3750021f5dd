"""The KPI series, tables and the checks' reads run with the cycle collector paused (#18).

At 10,000 entities the collector's passes over the millions of containers a series builds
cost about 1 CPU s of ``esg kpi`` (0.5 of ``esg check``) and found nothing. Each of these
builds must find the collector off at every call into esgledger's code, give what it gives
with the collector off all along, and leave the collector as it found it.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import esgledger
from esgledger.checks.rule_rows import read_rule_rows
from esgledger.kpi.calculated import activity_sums_by_year
from esgledger.kpi.collector import collector_paused
from esgledger.kpi.member_groups import read_grouped
from esgledger.kpi.series import kpi_series_and_tables
from esgledger.kpi.values import kpi_table
from esgledger.ledger.db import Database
from tests.checks.workspace import ROOT, Workspace
from tests.kpi.three_entities import three_entities

SOURCE = str(Path(esgledger.__file__).parent)

YEAR = 2025


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return three_entities(db, tmp_path, (YEAR - 1, YEAR), electricity=("SZ1", "WH1"))


def collector_states(build: Callable[[], object]) -> tuple[object, set[bool]]:
    """What ``build`` gives, and whether the collector was on at each call into
    esgledger's own code (the pause itself aside) while it ran."""
    states: set[bool] = set()

    def seen(frame: FrameType, event: str, arg: object) -> None:
        name = frame.f_code.co_filename
        if event == "call" and name.startswith(SOURCE) and not name.endswith("collector.py"):
            states.add(gc.isenabled())

    sys.setprofile(seen)
    try:
        out = build()
    finally:
        sys.setprofile(None)
    return out, states


def _builds(session: Any) -> dict[str, Callable[[], object]]:
    return {
        "series": lambda: kpi_series_and_tables(session, YEAR, years=2)[0],
        "table": lambda: kpi_table(session, YEAR),
        "activity sums": lambda: activity_sums_by_year(session, [YEAR - 1, YEAR]),
        "grouped": lambda: read_grouped(session, YEAR - 1, YEAR, ROOT).sums,
        "rule rows": lambda: read_rule_rows(session, YEAR - 1, YEAR, ROOT),
    }


def test_each_build_runs_with_the_collector_off_and_gives_the_same(ws: Workspace) -> None:
    with ws.db.read() as session:
        for name, build in _builds(session).items():
            gc.disable()
            try:
                plain = build()  # the collector off all along
            finally:
                gc.enable()
            paused, states = collector_states(build)
            assert states == {False}, name
            assert gc.isenabled(), name
            assert paused == plain, name


def test_a_pause_inside_a_pause_leaves_the_collector_off() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()


def test_cycles_made_while_paused_are_collected_after() -> None:
    class Node:
        other: Any = None

    made = []
    with collector_paused():
        for _ in range(100):
            a, b = Node(), Node()
            a.other, b.other = b, a
            made.append(id(a))
        del a, b
    found = gc.collect()
    assert found >= 200
