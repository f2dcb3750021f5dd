"""Issue #18 (out of core): the chunked engine holds one chunk of whole entities at a time
and gives the in-memory run's figures to the bit, on the demo's 2024 rows read from each
backend, with a chunk size far below the year's rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from esgledger.calc.chunked import compute_chunked, entity_chunks
from esgledger.calc.engine import compute
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.runs import load_inputs
from esgledger.demo.activity_data import ACTIVITY_HEADER, activity_rows
from esgledger.demo.files import write_csv
from esgledger.demo.org import ENTITY_HEADER, entity_rows
from esgledger.ledger.db import Database
from tests.conftest import Cli

YEAR = 2024
CHUNK_ROWS = 150


def test_entity_chunks_keep_entities_whole_and_under_the_bound() -> None:
    counts = {"A": 100, "B": 60, "C": 40, "D": 500, "E": 10}
    assert entity_chunks(counts, 150) == [["A"], ["B", "C"], ["D"], ["E"]]
    assert entity_chunks({}, 150) == []


def test_chunked_run_is_the_in_memory_run_to_the_bit(
    cli: Cli, db: Database, tmp_path: Path
) -> None:
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, entity_rows())))
    cli(
        "import",
        "activities",
        str(write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, activity_rows(YEAR))),
    )
    options = RunOptions(year=YEAR)
    with db.read() as session:
        inputs = load_inputs(session, options)
        library = FactorLibrary.load(session)
    rows = inputs.activities
    counts = dict(rows.group_by("entity_id").len().iter_rows())
    largest = max(counts.values())
    assert rows.height > 2000 and rows.height > 10 * CHUNK_ROWS
    held: list[int] = []

    def read_chunk(ids: list[str]) -> pl.DataFrame:
        chunk = rows.filter(pl.col("entity_id").is_in(ids))
        held.append(chunk.height)
        return chunk

    whole = compute(rows, inputs.entities, library, options)
    chunked = compute_chunked(read_chunk, counts, CHUNK_ROWS, inputs.entities, library, options)
    assert len(held) > 5 and max(held) <= max(CHUNK_ROWS, largest) and sum(held) == rows.height
    assert chunked.totals == whole.totals  # == on floats: the same bits
    assert chunked.by_entity == whole.by_entity
    assert chunked.by_gas == whole.by_gas and chunked.by_activity == whole.by_activity
    assert chunked.factors_used == whole.factors_used
    assert chunked.excess_instruments == whole.excess_instruments
    assert_frame_equal(chunked.coefficients, whole.coefficients, check_exact=True)
    assert_frame_equal(chunked.unresolved, whole.unresolved, check_exact=True)
    assert chunked.unresolved.height > 0
    # each entity's figures are those of an in-memory run over its chunk alone
    for ids in entity_chunks(counts, CHUNK_ROWS)[:3]:
        alone = compute(read_chunk(ids), inputs.entities, library, options)
        assert {e: chunked.by_entity[e] for e in alone.by_entity} == alone.by_entity


def test_a_partition_keys_only_the_rows_scope_1_and_2_use() -> None:
    """A purchase line (Scope 3, its own engine) costs the Scope 1/2 partition no key record:
    the coefficient table is worked out from Scope 1/2 keys alone, so the figures and the
    coefficients stay the in-memory run's."""
    import datetime as dt

    from esgledger.calc.partitioned import KEY, partition_records

    entities = pl.DataFrame(
        {
            "entity_id": ["A", "B"],
            "country": ["CN", "CN"],
            "subdivision": ["CN-GD", "CN-SC"],
            "share": [1.0, 1.0],
        }
    )
    lines = [("A", "spend.purchased_goods", 100.0 + i, "USD", f'{{"naics":"{327310 + i}"}}')
             for i in range(5)]  # fmt: skip
    rows = pl.DataFrame(
        [
            ("A", "electricity.purchased", 1000.0, "MWh", ""),
            ("B", "fuel.diesel", 10.0, "t", '{"use":"stationary"}'),
            *lines,
        ],
        schema=["entity_id", "activity", "quantity", "unit", "attributes"],
        orient="row",
    ).select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("id"),
        "entity_id",
        pl.lit(dt.date(YEAR, 1, 1)).alias("start"),
        "activity",
        "quantity",
        "unit",
        "attributes",
    )
    library, options = FactorLibrary.load(), RunOptions(year=YEAR)
    records = pl.DataFrame(pl.from_arrow(partition_records(rows, entities, library, options)))
    keyed = records.filter(pl.col("kind") == KEY)["activity"].to_list()
    assert sorted(keyed) == ["electricity.purchased", "fuel.diesel"]
    whole = compute(rows, entities, library, options)
    counts = dict(rows.group_by("entity_id").len().iter_rows())
    chunked = compute_chunked(
        lambda ids: rows.filter(pl.col("entity_id").is_in(ids)), counts, 1, entities, library,
        options,
    )  # fmt: skip
    assert chunked.totals == whole.totals and chunked.by_entity == whole.by_entity
    assert_frame_equal(chunked.coefficients, whole.coefficients, check_exact=True)


def test_a_partition_records_its_rows_without_loading_pandas() -> None:
    """#18: each chunk's records were built as a dict per record and handed to Arrow's
    ``from_pylist``, which loads pandas (0.7 CPU s per chunked run) and costs a Python
    object per unresolved row (1.2 M at 10⁷ rows). The records are built as columns now."""
    import subprocess
    import sys

    probe = (
        "import datetime as dt, sys, polars as pl\n"
        "from esgledger.calc.library import FactorLibrary\n"
        "from esgledger.calc.options import RunOptions\n"
        "from esgledger.calc.partitioned import partition_records\n"
        "ents = pl.DataFrame({'entity_id': ['A'], 'country': ['CN'],"
        " 'subdivision': ['CN-GD'], 'share': [1.0]})\n"
        "rows = pl.DataFrame({'id': [1, 2], 'entity_id': ['A', 'A'],"
        " 'start': [dt.date(2024, 1, 1)] * 2, 'activity': ['electricity.purchased'] * 2,"
        " 'quantity': [1.0, 2.0], 'unit': ['MWh', 'furlong'], 'attributes': ['', '']})\n"
        "batch = partition_records(rows, ents, FactorLibrary.load(), RunOptions(year=2024))\n"
        "assert batch.num_rows > 2, batch.num_rows\n"
        "sys.stderr.write(str('pandas' in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith("False"), done.stderr


def test_a_partition_of_purchase_lines_only_runs_no_scope_1_and_2_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """#15: a chunk of entities with no Scope 1/2 row (10⁷ purchase lines are ten such
    chunks) cost the Scope 1/2 engine a whole pass over nothing each; it now runs only for
    the chunks that hold a Scope 1/2 row, and the figures stay the in-memory run's."""
    import datetime as dt

    from esgledger.calc import partitioned

    entities = pl.DataFrame(
        {
            "entity_id": ["A", "B", "C"],
            "country": ["CN", "CN", "CN"],
            "subdivision": ["CN-GD", "CN-SC", "CN-GD"],
            "share": [1.0, 0.5, 1.0],
        }
    )
    lines = [(e, "spend.purchased_goods", 100.0 + i, "USD", f'{{"naics":"{327310 + i}"}}')
             for i in range(4) for e in ("B", "C")]  # fmt: skip
    rows = pl.DataFrame(
        [("A", "electricity.purchased", 1000.0, "MWh", ""), *lines],
        schema=["entity_id", "activity", "quantity", "unit", "attributes"],
        orient="row",
    ).select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("id"),
        "entity_id",
        pl.lit(dt.date(YEAR, 1, 1)).alias("start"),
        "activity",
        "quantity",
        "unit",
        "attributes",
    )
    library, options = FactorLibrary.load(), RunOptions(year=YEAR)
    whole = compute(rows, entities, library, options)
    passes: list[int] = []
    real = partitioned.compute

    def counted(activities: pl.DataFrame, *args: object, **kwargs: object) -> object:
        passes.append(activities.height)
        return real(activities, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(partitioned, "compute", counted)
    counts = dict(rows.group_by("entity_id").len().iter_rows())
    chunked = compute_chunked(
        lambda ids: rows.filter(pl.col("entity_id").is_in(ids)), counts, 1, entities, library,
        options,
    )  # fmt: skip
    # A's chunk, then the merge's one row per key: B's and C's chunks none
    assert passes == [1, 1]
    assert chunked.totals == whole.totals and chunked.by_entity == whole.by_entity
    assert chunked.by_gas == whole.by_gas and chunked.by_activity == whole.by_activity
    assert chunked.factors_used == whole.factors_used
    assert_frame_equal(chunked.coefficients, whole.coefficients, check_exact=True)
    assert_frame_equal(chunked.unresolved, whole.unresolved, check_exact=True)


def _unresolved_rows(entities: list[str], per_entity: int) -> pl.DataFrame:
    """Rows in ``furlong`` (no factor: three unresolved quantities each) and in MWh, ids
    interleaved across entities so an entity's rows lie all over the id range."""
    import datetime as dt

    count = len(entities) * per_entity
    return pl.DataFrame(
        {
            "id": pl.int_range(1, count + 1, dtype=pl.Int64, eager=True),
            "entity_id": [entities[i % len(entities)] for i in range(count)],
            "start": [dt.date(YEAR, 1, 1)] * count,
            "activity": ["electricity.purchased"] * count,
            "quantity": [float(i % 97) + 0.5 for i in range(count)],
            "unit": ["furlong" if i % 3 else "MWh" for i in range(count)],
            "attributes": [""] * count,
        }
    )


def test_unresolved_rows_kept_between_chunks_cost_codes_not_texts() -> None:
    """#18 at 10⁸ rows: every chunk's unresolved rows (12 % of the rows, three quantities
    each) are kept until the merge; as text records they took 186 bytes each (1.2·10⁷ rows,
    2.2 GB at 10⁸, then copied by the merge's filter and sort). Kept with their texts as
    categorical codes they take under 48; the merged run is still the in-memory run's."""
    from esgledger.calc.chunked import KeptRecords

    names = [f"E{i:02d}" for i in range(6)]
    entities = pl.DataFrame(
        {"entity_id": names, "country": ["CN"] * 6, "subdivision": ["CN-GD"] * 6,
         "share": [1.0, 0.5, 1.0, 1.0, 0.25, 1.0]}
    )  # fmt: skip
    rows = _unresolved_rows(names, 400)
    library, options = FactorLibrary.load(), RunOptions(year=YEAR)
    whole = compute(rows, entities, library, options)
    kept = KeptRecords()
    from esgledger.calc.partitioned import partition_frame

    for ids in entity_chunks(dict(rows.group_by("entity_id").len().iter_rows()), 900):
        kept.add(partition_frame(rows.filter(pl.col("entity_id").is_in(ids)), entities,
                                 library, options))  # fmt: skip
    assert kept.unresolved_rows() == whole.unresolved.height > 2000
    assert kept.unresolved_bytes() / kept.unresolved_rows() < 48
    merged = kept.merged(entities, library, options)
    assert_frame_equal(merged.unresolved, whole.unresolved, check_exact=True)
    assert merged.totals == whole.totals and merged.by_entity == whole.by_entity
    assert merged.by_gas == whole.by_gas
