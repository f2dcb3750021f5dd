"""Issue #18: a run reads the year's text columns once, as Categorical codes.

At 10⁷ rows the four text columns were held as 16-byte string views, gathered into id order,
then coded again by the instrument review, the Scope 1/2 coding and Scope 3, and copied to
Arrow by the input digest. ``read_activities(coded=True)`` gives them as codes; the input
digest of coded rows must be the bytes the documented layout gives for their texts (built
by hand here), and the rows the values read as text.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from esgledger.calc import runs
from esgledger.calc.column_digest import ColumnDigest
from esgledger.calc.columnar_read import TEXT_COLUMNS, coded_text, read_activities
from esgledger.calc.options import RunOptions
from esgledger.ledger.db import Database
from tests.calc.test_input_digest_versions import ROWS, by_hand, frame
from tests.conftest import Cli
from tests.factories import ENTITY_HEADER, write_csv

YEAR = 2024


def part(*batches: pl.DataFrame, pool: ThreadPoolExecutor | None = None) -> bytes:
    digest = ColumnDigest(pool=pool)
    for batch in batches:
        digest.update(batch)
    return digest.part()


def test_coded_rows_keep_their_values() -> None:
    plain = frame(ROWS)
    coded = coded_text(plain)
    assert all(coded.schema[name] == pl.Categorical for name in TEXT_COLUMNS)
    assert_frame_equal(coded.with_columns(pl.col(TEXT_COLUMNS).cast(pl.Utf8)), plain)


@pytest.mark.parametrize(
    "rows",
    [
        [],  # an empty year
        ROWS[:1],  # one row
        ROWS,  # a NULL entity and quantity, empty and Chinese texts, NULL attributes
        [ROWS[2]],  # only NULLs in two text columns
        [(1, "", dt.date(2024, 1, 1), "", 0.0, "", "")] * 3,  # only empty texts
    ],
)
def test_the_digest_of_codes_is_the_layout_of_their_texts(rows: list[tuple[object, ...]]) -> None:
    assert part(coded_text(frame(rows))) == by_hand(rows)


def test_the_digest_of_codes_batch_by_batch_and_on_threads() -> None:
    """A value present in one batch (one file) only; codes made in two separate casts."""
    first, second = coded_text(frame(ROWS[:2])), coded_text(frame(ROWS[2:]))
    assert part(first, second) == by_hand(ROWS)
    joined = pl.concat([first, second], rechunk=False)
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert part(joined, pool=pool) == by_hand(ROWS)
    assert part(joined.slice(1, 2), joined.slice(3, 1)) == by_hand(ROWS[1:])


ENTITIES = [["S1", "站点一", "", "CN", "CN-GD", "site"], ["S2", "Site 2", "", "CN", "", "site"]]
HEADER = ["entity", "start", "end", "activity", "quantity", "unit", "use", "volume_basis"]


def test_a_year_read_as_codes_is_the_year_read_as_text(
    cli: Cli, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ledger rows and store rows in one id order; a unit and a use present in one store
    file only; mixed units; the coded read's digest and run identical to the text read's."""
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store"))  # needed on PostgreSQL
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, ENTITIES)))
    ledger = [
        ["S1", "2024-01-01", "2024-01-31", "electricity.purchased", "10", "kWh", "", ""],
        ["S2", "2024-02-01", "2024-02-28", "fuel.diesel", "3", "L", "stationary", ""],
    ]
    stored = [
        ["S1", "2024-03-01", "2024-03-31", "electricity.purchased", "2", "MWh", "", ""],
        ["S2", "2024-03-01", "2024-03-31", "fuel.diesel", "1.5", "kL", "mobile", ""],
        ["S1", "2024-04-01", "2024-04-30", "electricity.purchased", "7", "kWh", "", ""],
    ]
    cli("import", "activities", str(write_csv(tmp_path / "a.csv", HEADER, ledger[:1])))
    cli("import", "activities", str(write_csv(tmp_path / "b.csv", HEADER, stored)), "--store")
    cli("import", "activities", str(write_csv(tmp_path / "c.csv", HEADER, ledger[1:])))
    with db.read() as session:
        text = read_activities(session, YEAR)
        coded = read_activities(session, YEAR, coded=True)
        inputs = runs.load_inputs(session, RunOptions(year=YEAR))
    assert text.height == 5 and text["id"].is_sorted()
    assert all(coded.schema[name] == pl.Categorical for name in TEXT_COLUMNS)
    assert_frame_equal(coded.with_columns(pl.col(TEXT_COLUMNS).cast(pl.Utf8)), text)
    assert all(inputs.activities.schema[name] == pl.Categorical for name in TEXT_COLUMNS)
    options, editions = RunOptions(year=YEAR), {"e": "d"}
    as_text = runs.RunInputs(inputs.boundary, inputs.entities, text)
    as_codes = runs.RunInputs(inputs.boundary, inputs.entities, coded)
    assert runs.input_digest(as_codes, options, editions) == runs.input_digest(
        as_text, options, editions
    )
    assert part(coded) == part(text)


@pytest.mark.parametrize("bound", ["MAX_TABLE_CODES", "MAX_TABLE_BYTES"])
def test_codes_beyond_the_table_bound_hash_their_texts(
    monkeypatch: pytest.MonkeyPatch, bound: str
) -> None:
    from esgledger.calc import column_digest

    monkeypatch.setattr(column_digest, bound, 0)
    assert part(coded_text(frame(ROWS))) == by_hand(ROWS)


def test_one_length_columns_and_varying_ones_give_the_layout() -> None:
    rows = [
        (i, f"E{i % 3}", dt.date(2024, 1, 1), "a" * (i % 4), 1.0, "kWh", None) for i in range(9)
    ]
    assert part(coded_text(frame(rows))) == by_hand(rows)


@pytest.mark.parametrize("block", [1, 2, 3, 1000])
def test_values_written_over_the_last_ones_padding_give_the_layout(
    monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """The values of varying lengths are each written whole (padded to the longest) where
    the last one ended, the next one over its padding: long, short, empty, NULL and Chinese
    texts in turn, across blocks of rows of every size."""
    from esgledger.calc import column_digest

    monkeypatch.setattr(column_digest, "GATHER_ROWS", block)
    texts = ["certificate.renewable", "a", "", None, "电力.外购", "ab", "certificate.renewable"]
    rows = [
        (i, texts[i % 7], dt.date(2024, 1, 1), texts[(i * 3) % 7], 1.0, "t", texts[(i + 1) % 7])
        for i in range(23)
    ]
    assert part(coded_text(frame(rows))) == by_hand(rows)
    assert part(*(coded_text(frame(rows[i : i + 5])) for i in range(0, 23, 5))) == by_hand(rows)
