"""The rows of a file whose natural key a row of the activity store holds, found a part of
the year's stored files at a time: an import's memory is set by its file and the largest
part, not by the rows the year already holds (#18: a 10⁷-row file into a year holding 2·10⁷
rows peaked at 8.6 GB when the year's stored keys were held at once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl
from sqlalchemy.orm import Session

from esgledger.ingest.activities import KEY
from esgledger.ledger import activity_store
from esgledger.ledger.activity_store import STORE_SCHEMA

# stored keys compared at once, at most (or one file, when larger): 10⁷ of them took about
# 1.5 GB as text, beside the file's own validation
PART_ROWS = 1_000_000


def store_clashes(session: Session, keys: pl.DataFrame) -> pl.DataFrame | None:
    """The stored keys (``KEY`` with ``batch_id`` and ``id``) equal to some of ``keys`` (a
    file's typed ``KEY`` columns), or None. The file's key hashes are sorted once; each part
    of stored files (at most ``PART_ROWS`` and the file's rows, or one file) is probed by
    binary search, and only the hash matches are compared on the keys themselves."""
    first, last = keys["start"].min(), keys["start"].max()
    if not isinstance(first, dt.date) or not isinstance(last, dt.date):
        return None
    if not activity_store.has_files(session):
        return None
    entities = keys["entity_id"].drop_nulls().unique().to_list()
    parts = activity_store.key_parts(
        session, first, last, entities, rows=min(keys.height, PART_ROWS)
    )
    return clashes_in(keys, parts)


def clashes_in(keys: pl.DataFrame, parts: Iterable[pl.DataFrame]) -> pl.DataFrame | None:
    """The rows of ``parts`` (stored keys with ``batch_id`` and ``id``, a part at a time)
    whose key is one of ``keys``, or None: each part probed against the keys' sorted hashes,
    only the hash matches kept and then compared on the keys themselves."""
    wanted = _hashes(keys).unique().sort()
    found = []
    for part in parts:
        probe = _hashes(part)
        at = wanted.search_sorted(probe).clip(0, wanted.len() - 1)
        candidates = part.filter(wanted.gather(at) == probe)
        if candidates.height:
            found.append(candidates)
    if not found:
        return None
    clashes = pl.concat(found).join(_typed(keys).unique(), on=KEY, how="semi")
    return clashes if clashes.height else None


def _typed(keys: pl.DataFrame) -> pl.DataFrame:
    return keys.select(pl.col(c).cast(STORE_SCHEMA[c]) for c in KEY)


def _hashes(keys: pl.DataFrame) -> pl.Series:
    return _typed(keys).select(pl.struct(KEY).hash(seed=0)).to_series()
