"""Issue #18 (10⁸ rows out of core): a chunked `esg calc` run's stored figures are, to the
bit, the in-memory runs over its chunks added up (``calc.chunk_sums``) — the check
``bench/calc.py --verify-chunks`` makes where no in-memory run over the year fits. Small
data: a year imported to the activity store in two files, chunks of 25 rows with a chunk
ending exactly at an entity's edge, one entity larger than a chunk, a chunk that reads no
row, and unresolved rows in every chunk."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from pathlib import Path

import polars as pl
import pytest

from esgledger.calc.chunk_sums import differences, summed_chunk_runs
from esgledger.calc.chunked import entity_chunks
from esgledger.calc.columnar_read import read_activities, rows_per_entity
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.runs import load_inputs
from esgledger.ledger.db import Database
from esgledger.ledger.models import CalculationRun
from esgledger.ledger.run_totals import stored_totals
from tests.conftest import Cli

YEAR = 2024
CHUNK = 25
# rows per entity: A alone is more than a chunk; B and C fill one exactly
SIZES = {"A": 40, "B": 10, "C": 15, "D": 5}
PLACE = {"B": "CN,CN-GD"}  # the others in Viet Nam
KINDS = [
    ("electricity.purchased", "MWh", ""),
    ("fuel.diesel", "t", ""),
    ("fuel.natural_gas", "10^4 m3", "stationary_commercial"),  # no factor in VN: unresolved
    ("fuel.gasoline", "t", "mobile_ldv_1995_or_later"),
    # an instrument with no certificate: rejected, its type's total 0.0 (no figure: none)
    ("certificate.renewable_electricity", "kWh", ""),
]


def write_year(folder: Path) -> tuple[Path, list[Path]]:
    entities = folder / "entities.csv"
    entities.write_text(
        "id,name,parent,country,subdivision,kind\nGRP,Group,,CN,CN-GD,group\n"
        + "".join(f"{e},Site {e},GRP,{PLACE.get(e, 'VN,VN-HN')},site\n" for e in [*SIZES, "E"])
    )
    lines = []
    for entity, count in SIZES.items():
        for i in range(count):
            activity, unit, use = KINDS[i % len(KINDS)]
            start = dt.date(YEAR, 1, 1) + dt.timedelta(days=i)
            lines.append(f"{entity},{start},{start},{activity},{10.5 + i * 1.25},{unit},{use}\n")
    header = "entity,start,end,activity,quantity,unit,use\n"
    files = [folder / "a1.csv", folder / "a2.csv"]
    for n, path in enumerate(files):
        path.write_text(header + "".join(lines[n::2]))  # each file holds part of every entity
    return entities, files


@pytest.fixture
def chunked_run(sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    cli = Cli(sqlite_db)
    entities, files = write_year(tmp_path)
    cli("import", "entities", str(entities))
    for path in files:
        cli("import", "activities", "--store", str(path))
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", str(CHUNK))
    out = json.loads(cli("calc", "--year", str(YEAR), "--json", expect=None).stdout)
    return int(out["run_id"])


def summed(db: Database, chunks: list[list[str]]):  # type: ignore[no-untyped-def]
    options = RunOptions(year=YEAR)
    with db.read() as session:
        inputs = load_inputs(session, options, with_rows=False)
        library = FactorLibrary.load(session)
        year = read_activities(session, YEAR)
    parts = [year.filter(pl.col("entity_id").is_in(ids)).sort("id") for ids in chunks]
    return summed_chunk_runs(inputs, parts, library, options)


def stored_run(db: Database, run_id: int) -> tuple[dict, int]:  # type: ignore[type-arg]
    with db.read() as session:
        run = session.get(CalculationRun, run_id)
        assert run is not None
        return stored_totals(run.totals), run.unresolved


def test_a_chunked_run_is_its_chunks_in_memory_runs_added_up(
    sqlite_db: Database, chunked_run: int
) -> None:
    with sqlite_db.read() as session:
        counts = rows_per_entity(session, YEAR)
    chunks = entity_chunks(counts, CHUNK)
    assert chunks == [["A"], ["B", "C"], ["D"]]  # A over a chunk; B + C exactly one
    totals, unresolved = stored_run(sqlite_db, chunked_run)
    sums = summed(sqlite_db, [*chunks, ["E"]])  # E has no row: a chunk that reads none
    assert sums.chunks == 4 and sums.rows == sum(SIZES.values())
    assert differences(sums, totals) == []
    # unresolved rows in every chunk, counted as the run counted them
    assert sums.unresolved_rows == unresolved > len(chunks)
    assert set(sums.by_entity) == set(SIZES)
    assert sums.totals["scope1_tco2e"] and sums.by_gas


def test_a_figure_one_bit_off_is_named(sqlite_db: Database, chunked_run: int) -> None:
    with sqlite_db.read() as session:
        chunks = entity_chunks(rows_per_entity(session, YEAR), CHUNK)
    totals = copy.deepcopy(stored_run(sqlite_db, chunked_run)[0])  # the parse is cached
    sums = summed(sqlite_db, chunks)
    gas = next(iter(sums.by_gas))
    totals["by_gas"][gas] = math.nextafter(totals["by_gas"][gas], math.inf)
    totals["by_entity"]["B"]["scope1_tco2e"] += 1.0
    found = differences(sums, totals)
    assert len(found) == 2
    assert found[0].startswith(f"by_gas {gas}: chunks 0x") and "entity B scope1_tco2e" in found[1]
    # chunks cut elsewhere than the run's are still whole entities: the same sums
    cut = summed(sqlite_db, [["A", "B"], ["C", "D"]])
    assert differences(cut, stored_run(sqlite_db, chunked_run)[0]) == []
