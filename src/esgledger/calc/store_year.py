"""A year kept in the Parquet activity store alone, read from its files without a spill.

A chunked run sets a year's rows down by chunk in temporary Parquet (``calc.spill``) because
the ledger gives its rows in id order only, and a chunk needs its entities' rows. The store's
files are by entity already, and an import batch's files cover one id range: so when no
ledger row starts in the year and no import batch of the year holds more rows than a chunk,
each chunk reads its entities' files and the input digest's pass reads the files a batch at a
time in id order, every file checked against its registered SHA-256 on each read. Writing
every row to temporary files and reading it back twice cost more than reading the store's
files twice (#15: 10⁷ purchase lines).
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
from sqlalchemy.orm import Session

from esgledger.calc.columnar_read import ACTIVITY_SCHEMA, ledger_rows_per_entity
from esgledger.calc.instruments import ClaimTally
from esgledger.ledger import activity_store
from esgledger.ledger.claim_holders import instrument_batches


class StoreYear:
    """The rows of a store-only year as :class:`calc.spill.SpilledYear` gives them: a chunk of
    whole entities in id order, and every row again a batch at a time in id order."""

    def __init__(self, session: Session, year: int, batch_rows: int) -> None:
        self.session = session
        self.year = year
        self.batch_rows = batch_rows

    @staticmethod
    def fits(session: Session, year: int, batch_rows: int) -> bool:
        """Whether the year can be read this way: no ledger row in it, and no import batch
        of it holding more than ``batch_rows`` rows (the digest's pass holds one batch)."""
        if ledger_rows_per_entity(session, year):
            return False
        return 0 < activity_store.largest_batch(session, year) <= batch_rows

    def count_claims(self, claims: ClaimTally) -> None:
        """Criterion 2's count over the year before any chunk is reviewed: only the files of
        batches whose import lists an instrument activity, only three of their columns."""
        files = activity_store.year_files(self.session, self.year)
        wanted = instrument_batches(self.session, {f.batch_id for f in files})
        if not wanted:
            return
        root = activity_store.required_root(self.session)
        columns = ["entity_id", "activity", "attributes"]
        for file in files:
            if file.batch_id in wanted:
                for _ in claims.watch([activity_store.read_file(root, file, columns)]):
                    pass  # counted as it passes

    def chunk(self, entities: list[str]) -> pl.DataFrame:
        """The rows of ``entities``, in id order."""
        columns = list(ACTIVITY_SCHEMA)
        return activity_store.read_store(
            self.session, self.year, entities=entities, columns=columns
        )

    def batches(self) -> Iterator[pl.DataFrame]:
        """Every row of the year, a slice at a time in id order (the input digest's pass)."""
        columns = list(ACTIVITY_SCHEMA)
        for batch in activity_store.store_batches(self.session, self.year, self.batch_rows):
            yield batch.select(columns)
