"""#18: the input digest prints the activity rows as CSV a million rows at a time, not as one
text of every row (770 MB at 10⁷ rows, and as much again encoded): the parts must be the
bytes of the one CSV, so every run's input digest stays what it was."""

from __future__ import annotations

import datetime as dt

import polars as pl

from esgledger.calc.chunked import streamed_csv
from esgledger.calc.columnar_read import ACTIVITY_SCHEMA
from esgledger.calc.runs import csv_parts


def test_the_parts_are_the_bytes_of_one_csv() -> None:
    rows = pl.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "entity_id": ["SZ", "CD", 'A "quoted", id', "VN1", "SZ"],
            "start": [dt.date(2024, 1, d) for d in range(1, 6)],
            "activity": ["fuel.diesel"] * 5,
            "quantity": [0.1 + 0.2, 1e-300, 123456789.123456789, -0.0, 5.0],
            "unit": ["t", "t", "t", "kWh", "10^4 m3"],
            "attributes": ['{"use":"stationary"}', "", None, "line\nbreak", "a,b"],
        },
        schema=ACTIVITY_SCHEMA,
    )
    whole = rows.write_csv(float_precision=None).encode()
    for batch_rows in (1, 2, 5, 10):
        assert b"".join(csv_parts(rows, batch_rows)) == whole
    empty = rows.clear()
    assert b"".join(csv_parts(empty, 2)) == empty.write_csv(float_precision=None).encode()


def test_a_chunked_runs_streamed_parts_are_the_bytes_of_one_csv_of_its_members() -> None:
    """The chunked path's pass (``streamed_csv``, batches in id order, rows of entities
    outside the run left out) writes each batch straight to bytes: the same bytes as one CSV
    of the members' rows, whatever the values hold."""
    rows = pl.DataFrame(
        {
            "id": [1, 2, 3, 4, 5, 6],
            "entity_id": ["SZ", "CD", 'A "quoted", id', "VN1", "SZ", "OUT"],
            "start": [dt.date(2024, 1, d) for d in range(1, 7)],
            "activity": ["fuel.diesel"] * 6,
            "quantity": [0.1 + 0.2, 1e-300, 123456789.123456789, -0.0, 5.0, 7.0],
            "unit": ["t", "t", "t", "kWh", "10^4 m3", "t"],
            "attributes": ['{"use":"stationary"}', "", None, "line\nbreak", "a,b", "汉字"],
        },
        schema=ACTIVITY_SCHEMA,
    )
    members = {"SZ", "CD", 'A "quoted", id', "VN1"}
    whole = rows.filter(pl.col("entity_id") != "OUT").write_csv(float_precision=None).encode()
    for size in (1, 2, 6):
        batches = [rows.slice(i, size) for i in range(0, rows.height, size)]
        assert b"".join(streamed_csv(batches, members)) == whole
    assert b"".join(streamed_csv([], members)) == rows.clear().write_csv().encode()
