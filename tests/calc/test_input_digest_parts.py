"""#18: the input digest prints the activity rows as CSV a million rows at a time, not as one
text of every row (770 MB at 10⁷ rows, and as much again encoded): the parts must be the
bytes of the one CSV, so every run's input digest stays what it was."""

from __future__ import annotations

import datetime as dt

import polars as pl

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
