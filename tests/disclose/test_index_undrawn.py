"""`esg index` and `esg index gaps` read their rows off the report's anchors, which no chart
holds: they draw no chart, and their rows are those of the report drawn in full (#20: the
three report charts and the materiality matrix were about half of each index render)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure

from esgledger.disclose.publish import PRINTED_YEARS, prepare_report, printed_indices
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.disclose.test_index import KPI_HEADER
from tests.disclose.test_index_rows import assessed  # noqa: F401  (the fixture)
from tests.factories import write_csv

YEAR = 2025


@pytest.fixture
def charts_saved(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Figure]]:
    """Every matplotlib figure saved (drawn) while the test runs; each is still saved."""
    saved: list[Figure] = []
    real = Figure.savefig

    def saving(self: Figure, *args: Any, **kwargs: Any) -> Any:
        saved.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", saving)
    yield saved


@pytest.fixture
def figures(assessed: Cli, tmp_path: Path) -> Cli:  # noqa: F811
    """The assessed workspace (its matrix drawn in the report) with a KPI row the charts and
    an index row read."""
    rows = [["GRP", YEAR, "air.nox", 12.5, "t", "", "", ""]]
    assessed("import", "kpis", str(write_csv(tmp_path / "k.csv", KPI_HEADER, rows)))
    return assessed


def test_esg_index_and_gaps_draw_no_chart(
    figures: Cli, charts_saved: list[Figure], tmp_path: Path
) -> None:
    index = figures("index", "--year", str(YEAR), "--framework", "gri-2021", "--json")
    assert any(e["code"] == "305-7" for e in json.loads(index.stdout)["entries"])
    figures("index", "gaps", "--year", str(YEAR), "--framework", "szse-17", "--json")
    assert charts_saved == []
    # the report itself still draws its three charts and the matrix
    out = tmp_path / "report"
    figures("report", "--year", str(YEAR), "--preview", "--format", "html", "--out", str(out))
    assert len(charts_saved) == 4


def test_the_undrawn_rows_are_the_drawn_reports_rows(figures: Cli, db: Database) -> None:
    with db.read() as session:
        _model, drawn = prepare_report(session, YEAR, years=PRINTED_YEARS, findings=[])
        undrawn = printed_indices(session, YEAR)
    assert len(drawn) > 1
    assert {i.framework: i.as_dict() for i in drawn} == {f: i.as_dict() for f, i in undrawn.items()}


def test_a_workbook_alone_draws_no_chart_and_is_the_same_workbook(
    figures: Cli, charts_saved: list[Figure], tmp_path: Path
) -> None:
    """The workbooks print no chart: a report asked only for them draws none, and writes
    the bytes a report with its HTML writes."""
    args = ["report", "--year", str(YEAR), "--preview", "--lang", "zh,en", "--json"]
    alone = json.loads(figures(*args, "--format", "xlsx", "--out", str(tmp_path / "a")).stdout)
    assert charts_saved == []
    both = json.loads(figures(*args, "--format", "html,xlsx", "--out", str(tmp_path / "b")).stdout)
    assert len(charts_saved) == 8  # three charts and the matrix in each edition
    assert set(alone["files"]) == {"xlsx", "zh.xlsx"}
    for kind in ("xlsx", "zh.xlsx"):
        workbook = Path(alone["files"][kind]).read_bytes()
        assert workbook == Path(both["files"][kind]).read_bytes(), kind
