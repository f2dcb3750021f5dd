"""Issue #18: the input digest's version 2 hashes the activity rows' columns, not their CSV.

Version 1 printed every row as CSV (at 10⁷ rows 2.4 CPU s of printing and 0.6 of hashing).
Version 2 hashes each column's bytes in the layout ``calc.column_digest`` documents; the
tests below rebuild that layout by hand with ``struct`` from its description, so the text and
the code cannot drift apart. A new run takes version 2 and says so in its stored options;
a run stored before carries no marker and is still checked with version 1, by
`esg calc explain` (its rows recomputed) and by `esg audit verify --deep`, on a workspace
holding runs of both versions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import struct
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from esgledger.calc import runs
from esgledger.calc.column_digest import ColumnDigest
from esgledger.calc.columnar_read import ACTIVITY_SCHEMA, read_activities
from esgledger.calc.lineage import LineageChanged, recomputed_results
from esgledger.calc.options import RunOptions
from esgledger.demo.activity_data import ACTIVITY_HEADER, activity_rows
from esgledger.demo.files import write_csv
from esgledger.demo.org import ENTITY_HEADER, entity_rows
from esgledger.errors import InvalidInput
from esgledger.ledger import activity_store
from esgledger.ledger.audit import canonical_json
from esgledger.ledger.db import Database
from esgledger.ledger.models import CalculationRun
from tests.conftest import Cli

YEAR = 2024


def frame(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=ACTIVITY_SCHEMA, orient="row")


ROWS = [
    (3, "E1", dt.date(2024, 1, 2), "fuel.diesel", 1.5, "t", '{"use":"a,b"}'),
    (7, "E2", dt.date(1969, 12, 31), "electricity.purchased", -0.0, "kWh", ""),
    (9, None, dt.date(2024, 12, 31), "fuel.natural_gas", None, "10^4 m3", None),
    (12, "厂区-1", dt.date(2024, 6, 1), "fuel.gasoline", 5e-324, "L", 'it\'s\n"x"'),
]


def by_hand(rows: list[tuple[Any, ...]]) -> bytes:
    """The version 2 part of ``rows``, built from the layout's description alone."""
    out = [f"rows {len(rows)}\n".encode()]
    kinds = {"id": "i8", "start": "date32", "quantity": "f8"}
    for index, name in enumerate(ACTIVITY_SCHEMA):
        kind = kinds.get(name, "utf8")
        values, lengths, nulls = b"", b"", b""
        for number, row in enumerate(rows):
            value = row[index]
            if value is None:
                nulls += struct.pack("<q", number)
            if kind == "i8":
                values += struct.pack("<q", value or 0)
            elif kind == "date32":
                days = (value - dt.date(1970, 1, 1)).days if value else 0
                values += struct.pack("<i", days)
            elif kind == "f8":
                number_ = 0.0 if value is None else value
                bits = 0x7FF8000000000000 if math.isnan(number_) else None
                values += struct.pack("<Q", bits) if bits else struct.pack("<d", number_)
            else:
                data = (value or "").encode()
                values += data
                lengths += struct.pack("<I", len(data))
        out.append(f"{name} {kind}\n".encode())
        out.append(hashlib.sha256(values).digest())
        if kind == "utf8":
            out.append(hashlib.sha256(lengths).digest())
        out.append(hashlib.sha256(nulls).digest())
    return b"".join(out)


def part(*batches: pl.DataFrame) -> bytes:
    digest = ColumnDigest()
    for batch in batches:
        digest.update(batch)
    return digest.part()


def test_the_column_layout_is_the_documented_one() -> None:
    whole = frame(ROWS)
    assert part(whole) == by_hand(ROWS)
    # batch by batch, sliced or in chunks of their own, the same bytes
    assert part(whole.slice(0, 1), whole.slice(1, 2), whole.slice(3, 1)) == by_hand(ROWS)
    chunked = pl.concat([frame(ROWS[:2]), frame(ROWS[2:])], rechunk=False)
    assert chunked.n_chunks() == 2 and part(chunked) == by_hand(ROWS)
    assert part(frame([])) == by_hand([])


def test_every_value_and_boundary_moves_the_digest() -> None:
    base = part(frame(ROWS))
    changed = [
        [(4, *ROWS[0][1:]), *ROWS[1:]],  # an id
        [ROWS[0], (7, "E3", *ROWS[1][2:]), *ROWS[2:]],  # an entity
        [(*ROWS[0][:2], dt.date(2024, 1, 3), *ROWS[0][3:]), *ROWS[1:]],  # a day
        [ROWS[0], (*ROWS[1][:4], 0.0, *ROWS[1][5:]), *ROWS[2:]],  # -0.0 → 0.0
        [(*ROWS[0][:4], math.nextafter(1.5, 2), *ROWS[0][5:]), *ROWS[1:]],  # one ulp
        [ROWS[0], ROWS[1], (*ROWS[2][:6], ""), ROWS[3]],  # NULL → ""
        [ROWS[0], ROWS[1], (*ROWS[2][:4], 0.0, *ROWS[2][5:]), ROWS[3]],  # NULL → 0.0
        [(*ROWS[0][:3], "fuel.diesel ", *ROWS[0][4:]), *ROWS[1:]],  # an activity
        [ROWS[1], ROWS[0], *ROWS[2:]],  # the order of the rows
    ]
    digests = [part(frame(rows)) for rows in changed]
    assert base not in digests and len(set(digests)) == len(digests)
    # a string boundary moved between two rows of one column
    assert part(frame([(*ROWS[0][:5], "ab", ""), (*ROWS[1][:5], "c", "")])) != part(
        frame([(*ROWS[0][:5], "a", ""), (*ROWS[1][:5], "bc", "")])
    )


def test_every_nan_is_hashed_as_one() -> None:
    quiet = struct.unpack("<d", struct.pack("<Q", 0x7FF8000000000000))[0]
    payload = struct.unpack("<d", struct.pack("<Q", 0x7FF8000000000123))[0]
    one = frame([(*ROWS[0][:4], quiet, *ROWS[0][5:])])
    other = frame([(*ROWS[0][:4], payload, *ROWS[0][5:])])
    assert one["quantity"].to_numpy().tobytes() != other["quantity"].to_numpy().tobytes()
    assert part(one) == part(other) == by_hand([(*ROWS[0][:4], quiet, *ROWS[0][5:])])


def test_an_unknown_version_is_refused() -> None:
    inputs = runs.RunInputs(None, pl.DataFrame(), frame(ROWS))
    with pytest.raises(InvalidInput, match="input digest version 3"):
        runs.input_digest(inputs, RunOptions(year=YEAR), {}, 3)


@pytest.fixture
def demo_year(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store"))  # needed on PostgreSQL
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, entity_rows())))
    rows = activity_rows(YEAR)
    half = len(rows) // 2
    # half in the ledger, half in the activity store: one id order over both
    cli("import", "activities", str(write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, rows[:half])))
    stored = write_csv(tmp_path / "b.csv", ACTIVITY_HEADER, rows[half:])
    cli("import", "activities", str(stored), "--store")
    return cli


def run(db: Database, version: int | None = None) -> dict[str, Any]:
    extra = {} if version is None else {"digest_version": version}
    return runs.run_calculation(db, RunOptions(year=YEAR), actor="test", **extra)


def stored_run(db: Database, run_id: int) -> tuple[dict[str, Any], str, str]:
    with db.read() as session:
        got = session.get(CalculationRun, run_id)
        assert got is not None
        return json.loads(got.options), got.input_digest, got.totals


def test_runs_of_both_versions_verify_each_their_own_way(
    demo_year: Cli, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_CALC_LINEAGE_ROWS", "100")  # no result rows: explain recomputes
    old, new = run(db, 1), run(db)
    old_options, old_digest, old_totals = stored_run(db, old["run_id"])
    new_options, new_digest, new_totals = stored_run(db, new["run_id"])
    # a version 1 run is stored as runs were before versions: no marker in its options
    assert runs.DIGEST_VERSION_KEY not in old_options
    assert new_options == {**old_options, runs.DIGEST_VERSION_KEY: 2}
    assert old_totals == new_totals and old_digest != new_digest
    with db.read() as session:
        inputs = runs.load_inputs(session, RunOptions(year=YEAR))
        editions = new["editions"]
        assert inputs.activities.equals(read_activities(session, YEAR))
        assert activity_store.has_files(session)
        # version 1 is the CSV of every row in id order, as it always was
        csv = [inputs.activities.write_csv().encode()]
        assert runs.digest_over(inputs, RunOptions(year=YEAR), editions, csv, 1) == old_digest
        assert runs.input_digest(inputs, RunOptions(year=YEAR), editions, 2) == new_digest
        # each run's rows recomputed and checked with its own version: the same rows
        rows = {
            r: recomputed_results(session, session.get(CalculationRun, r))
            for r in (old["run_id"], new["run_id"])
        }
    assert rows[old["run_id"]].height > 1000
    assert_frame_equal(rows[old["run_id"]], rows[new["run_id"]], check_exact=True)
    assert demo_year("audit", "verify", "--deep").exit_code == 0
    for run_id in (old["run_id"], new["run_id"]):
        explained = demo_year("calc", "explain", "--run", str(run_id), "--metric", "ghg.scope1")
        assert explained.exit_code == 0
    # an input changed: both versions see it
    demo_year("activities", "void", "--id", "3", "--reason", "test: changed after the runs")
    with db.read() as session:
        for run_id in (old["run_id"], new["run_id"]):
            with pytest.raises(LineageChanged):
                recomputed_results(session, session.get(CalculationRun, run_id))


def test_a_chunked_run_digests_as_the_in_memory_run_in_each_version(
    demo_year: Cli, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "0")
    whole = {version: run(db, version) for version in (1, 2)}
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "150")
    chunked = {version: run(db, version) for version in (1, 2)}
    for version in (1, 2):
        assert chunked[version]["input_digest"] == whole[version]["input_digest"]
        assert chunked[version]["totals"] == whole[version]["totals"]
    assert whole[1]["input_digest"] != whole[2]["input_digest"]
    assert whole[2]["options"][runs.DIGEST_VERSION_KEY] == 2
    assert runs.DIGEST_VERSION_KEY not in whole[1]["options"]


def test_the_header_of_version_2_names_it() -> None:
    """The line before the rest: a version 2 digest can never equal a version 1 one of the
    same inputs, even where the activity parts' bytes happened to agree."""
    inputs = runs.RunInputs(None, pl.DataFrame(schema={"entity_id": pl.Utf8}), frame([]))
    options = RunOptions(year=YEAR)
    h = hashlib.sha256(b"esgledger input digest 2\n")
    h.update(
        canonical_json({"options": options.as_dict(), "editions": {}, "boundary": None}).encode()
    )
    h.update(inputs.entities.sort("entity_id").write_csv().encode())
    h.update(by_hand([]))
    assert runs.input_digest(inputs, options, {}, 2) == h.hexdigest()


def test_columns_hashed_on_threads_give_the_same_part() -> None:
    """The columns' streams are independent: hashed a column per thread, the part is the
    layout's, batch by batch and in chunks as on one thread."""
    whole = frame(ROWS)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for batches in ((whole,), (whole.slice(0, 1), whole.slice(1, 2), whole.slice(3, 1))):
            digest = ColumnDigest(pool=pool)
            for batch in batches:
                digest.update(batch)
            assert digest.part() == by_hand(ROWS)
        empty = ColumnDigest(pool=pool)
        empty.update(frame([]))
        assert empty.part() == by_hand([])
