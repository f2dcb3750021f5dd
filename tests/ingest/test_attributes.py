"""The column-wise attribute encoding equals json.dumps on every input (property test)."""

from __future__ import annotations

import json

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from esgledger.ingest.activities import _with_attributes

cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cells, cells), min_size=1, max_size=20))
def test_attribute_json_is_canonical(rows: list[tuple[str, str]]) -> None:
    frame = pl.DataFrame(
        {"use": [r[0] for r in rows], "meter": [r[1] for r in rows]},
        schema={"use": pl.Utf8, "meter": pl.Utf8},
    )
    got = _with_attributes(frame, ["use", "meter"])["attributes"].to_list()
    trimmed = frame.select(
        pl.all().str.strip_chars()
    )  # cells are trimmed as every import trims them
    for (use, meter), text in zip(trimmed.rows(), got, strict=True):
        kept = {k: v for k, v in {"use": use, "meter": meter}.items() if v}
        expected = (
            json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            if kept
            else ""
        )
        assert text == expected
