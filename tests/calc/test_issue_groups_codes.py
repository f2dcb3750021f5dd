"""A run's unresolved rows grouped on integer key codes (#18).

At 10⁷ activity rows a run has about 1.2·10⁶ unresolved rows; sorting them by four text
columns cost 3.3 CPU s. ``grouped_issues`` sorts by one integer code per distinct
(entity, activity, quantity, reason) instead (``key_codes``); the stored groups must be the
very rows the text sort gave, kept here as the reference, whatever the keys, the order of
the ids, a row with several issues or a null in a key.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from esgledger.calc.issue_groups import (
    GROUP_SCHEMA,
    KEYS,
    combined_key,
    grouped_issues,
    key_codes,
)


def reference(unresolved: pl.DataFrame) -> pl.DataFrame:
    """``grouped_issues`` as it was: the rows sorted by the key texts."""
    rows = (
        unresolved.select(pl.col("activity_id").cast(pl.Int64), *KEYS)
        .with_row_index("__position")
        .sort(*KEYS, "activity_id", "__position")
    )
    same_key = pl.all_horizontal(pl.col(k) == pl.col(k).shift(1) for k in KEYS)
    follows = pl.col("activity_id") == pl.col("activity_id").shift(1) + 1
    runs = (
        rows.with_columns((~(same_key & follows)).fill_null(True).cum_sum().alias("__run"))
        .group_by(*KEYS, "__run", maintain_order=True)
        .agg(
            pl.col("activity_id").first().alias("first"),
            pl.col("activity_id").last().alias("last"),
            pl.len().cast(pl.Int64).alias("n"),
            pl.col("__position").min(),
        )
        .with_columns(
            pl.when(pl.col("first") == pl.col("last"))
            .then(pl.col("first").cast(pl.Utf8))
            .otherwise(pl.format("{}-{}", "first", "last"))
            .alias("text")
        )
    )
    groups = runs.group_by(*KEYS, maintain_order=True).agg(
        pl.col("n").sum().alias("row_count"),
        pl.col("first").min().alias("first_activity_id"),
        pl.col("text").str.join(",").alias("activity_ids"),
        pl.col("__position").min(),
    )
    return groups.sort("__position").select(
        pl.col(name).cast(dtype) for name, dtype in GROUP_SCHEMA.items()
    )


def unresolved(seed: int, n: int, nulls: bool) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    ids = np.sort(rng.choice(np.arange(1, 4 * n), n, replace=False))
    if seed % 2:
        ids = rng.permutation(ids)  # not in id order
    ids = np.repeat(ids, rng.integers(1, 3, n))  # some rows with two issues
    m = len(ids)
    entities = ["B", "A", "Ω-site", "a", "A "]
    quantities = ["scope1", "energy_direct", "scope2_location"]
    reasons = ["no factor", "no CH4 factor for natural gas (use stationary)", "unit"]
    frame = pl.DataFrame(
        {
            "activity_id": ids,
            "entity_id": [entities[i] for i in rng.integers(0, len(entities), m)],
            "activity": [["fuel.natural_gas", "heat.purchased"][i] for i in rng.integers(0, 2, m)],
            "quantity": [quantities[i] for i in rng.integers(0, 3, m)],
            "reason": [reasons[i] for i in rng.integers(0, 3, m)],
        }
    )
    if nulls:
        frame = frame.with_columns(
            pl.when(pl.Series(rng.random(m) < 0.05)).then(None).otherwise(pl.col("reason"))
        )
    return frame


@pytest.mark.parametrize("seed", range(6))
def test_groups_on_codes_are_the_groups_on_texts(seed: int) -> None:
    for n, nulls in ((50, False), (5_000, False), (5_000, True)):
        frame = unresolved(seed, n, nulls)
        found = grouped_issues(frame)
        assert found.height > 1
        assert found.equals(reference(frame), null_equal=True), (n, nulls)


def test_codes_are_equal_where_the_key_texts_are() -> None:
    frame = unresolved(1, 2_000, True)
    codes = key_codes(frame)
    assert codes.columns == [f"__{k}" for k in KEYS] and codes.height == frame.height
    assert all(dtype.is_integer() for dtype in codes.dtypes)
    for key, column in zip(KEYS, codes.columns, strict=True):
        pairs = pl.DataFrame({"text": frame[key], "code": codes[column]}).unique()
        assert pairs["text"].n_unique() == pairs["code"].n_unique() == pairs.height
        assert (
            pairs.filter(pl.col("text").is_null())["code"].null_count()
            == pairs.filter(pl.col("text").is_null()).height
        )


def test_an_empty_frame_has_no_groups() -> None:
    assert grouped_issues(unresolved(1, 10, False).clear()).height == 0


def test_one_combined_key_is_equal_exactly_where_every_code_is() -> None:
    """The four codes folded into one integer: two rows share it exactly when they share
    every code (a null only with a null), and a row with a null in its key is marked."""
    for frame in (unresolved(2, 3_000, True), unresolved(3, 1, True), unresolved(4, 40, False)):
        codes = key_codes(frame)
        folded = combined_key(codes)
        assert folded is not None
        key, has_null = folded
        assert key.dtype == pl.Int64 and key.null_count() == 0 and key.len() == frame.height
        assert (
            has_null.to_list()
            == codes.select(pl.any_horizontal(pl.col(c).is_null() for c in codes.columns))
            .to_series()
            .to_list()
        )
        pairs = codes.with_columns(key.alias("key")).unique()
        assert pairs["key"].n_unique() == pairs.height  # one key per distinct code tuple
    none = combined_key(key_codes(unresolved(1, 10, False).clear()))
    assert none is not None and none[0].len() == 0


def test_codes_too_many_to_fold_into_one_integer_are_not_folded() -> None:
    """Four keys of 70,000 distinct values each have more tuples than an Int64 holds."""
    n = 70_000
    codes = pl.DataFrame({f"__{k}": pl.Series(range(n), dtype=pl.UInt32) for k in KEYS})
    assert combined_key(codes) is None


def test_keys_too_many_to_fold_still_give_the_groups_on_texts() -> None:
    """The path of a column per key (more distinct tuples than an Int64 holds), nulls and
    rows of one key in runs of ids included, gives the text sort's groups too."""
    n = 70_000
    rng = np.random.default_rng(7)
    picks = rng.integers(0, n, 2 * n)
    frame = pl.DataFrame(
        {
            "activity_id": np.arange(1, 2 * n + 1),
            **{k: [f"{k}{i}" for i in (picks + j) % n] for j, k in enumerate(KEYS)},
        }
    ).with_columns(
        pl.when(pl.Series(rng.random(2 * n) < 0.01)).then(None).otherwise(pl.col("quantity"))
    )
    frame = pl.concat([frame, frame.head(50).with_columns(pl.col("activity_id") + 10 * n)])
    assert combined_key(key_codes(frame)) is None
    assert grouped_issues(frame).equals(reference(frame), null_equal=True)
