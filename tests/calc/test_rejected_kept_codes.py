"""#18 at 10⁸ rows: a chunked run keeps every chunk's rejected instruments until it stores
them, each with its failed criteria as JSON text (548 bytes a row in ``bench/calc.py``'s
year, about 2.7 GB at 10⁸). Kept with their texts as categorical codes they cost a few
bytes a row; what the run stores and shows of them (groups, counts, first page) is the
in-memory review's."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from esgledger.calc.chunked import entity_chunks
from esgledger.calc.instruments import ClaimTally, InstrumentReview, review_instruments
from esgledger.calc.rejected_groups import grouped_rejections
from esgledger.calc.rejected_instruments import first_page, rejected_counts
from tests.calc.test_instrument_review_columns import ENTITIES, rows
from tests.calc.test_instruments import CERT


def test_rejected_rows_kept_between_chunks_cost_codes_not_texts() -> None:
    activities = rows(30_000)
    _, whole = review_instruments(activities, ENTITIES, 2024)
    claims = ClaimTally()
    claims.add(activities.filter(pl.col("activity") == CERT))
    kept = InstrumentReview(claims=claims)
    counts = dict(activities.group_by("entity_id").len().iter_rows())
    chunks = entity_chunks(counts, max(counts.values()))
    assert len(chunks) == 3  # an entity a chunk: its rows, as a chunked run reads them
    for ids in chunks:
        chunk = activities.filter(pl.col("entity_id").is_in(ids))
        _, found = review_instruments(chunk, ENTITIES, 2024, kept.claims)
        kept.extend(found)
    assert kept.rejected.height == whole.rejected.height > 10_000
    as_text = whole.rejected.estimated_size() / whole.rejected.height
    assert as_text > 200  # each row's findings as text
    assert kept.rejected.estimated_size() / kept.rejected.height < 48
    # what a run stores and shows of them is the in-memory review's
    assert_frame_equal(grouped_rejections(kept.rejected, 1), grouped_rejections(whole.rejected, 1))
    assert rejected_counts(kept.rejected) == rejected_counts(whole.rejected)
    assert first_page(kept.rejected) == first_page(whole.rejected)
    assert kept.stored() == whole.stored()
