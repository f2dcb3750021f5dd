"""#18: category 3 (upstream of fuels and purchased electricity) groups its rows on integer
codes of (entity, activity, unit) instead of their texts, and every quantity it stores is
the one the text-keyed grouping gave, to the bit.

Polars' grouped float sum is not a plain left-to-right sum (nor ``math.fsum``, nor the
Scope 1/2 engine's ``np.bincount``): the same values summed under a one-column text key of a
chunked frame and under a several-column key can differ in the last bit. So the reference
here is the text-keyed query itself, on values whose sum depends on the order of additions,
in chunked frames, beside purchase lines (whose groups interleave with category 3's)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import polars as pl
import pytest

from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.scope3.engine import (
    GROUP_KEY,
    LINE_ROW_IDS,
    Scope3Parts,
    _method_values,
    _varying,
    in_scope3,
    scope3_parts,
    upstream_activity,
    upstream_groups,
)
from esgledger.calc.scope3.upstream import CountedRows

ENTITIES = pl.DataFrame(
    {
        "entity_id": ["SZ", "VN1", "DE1", "GB1"],
        "country": ["CN", "VN", "DE", "GB"],
        "subdivision": ["CN-GD", None, None, None],
        "share": [1.0, 0.5, 1.0, 0.25],
    }
)
KINDS = [
    ("fuel.diesel", "t"),
    ("fuel.diesel", "L"),
    ("electricity.purchased", "kWh"),
    ("electricity.purchased", "MWh"),
    ("fuel.natural_gas", "m3"),
    ("fuel.gasoline", "t"),
]


def _values(rng: np.random.Generator, n: int, kind: int) -> np.ndarray:
    """Quantities whose sums depend on the order they are added in."""
    if kind == 0:
        return np.abs(rng.standard_normal(n)) * 10.0 ** rng.integers(-10, 17, n)
    if kind == 1:
        return np.where(rng.random(n) < 0.5, 1e16, 1.0) * rng.choice([-1.0, 1.0], n)
    if kind == 2:
        return rng.choice([0.0, -0.0, 5e-324, 1e-300, 0.1, 3.0, 1e300], n)
    return rng.uniform(1, 1000, n)


def _rows(
    rng: np.random.Generator, n: int, kind: int, entities: list[str], kinds: list[int]
) -> pl.DataFrame:
    picked = rng.choice(kinds, n)
    purchase = rng.random(n) < 0.2
    return pl.DataFrame(
        {
            "id": np.cumsum(rng.integers(1, 4, n)).astype(np.int64),
            "entity_id": rng.choice(entities, n),
            "start": [dt.date(2024, 1, 1)] * n,
            "activity": [
                "spend.purchased_goods" if p else KINDS[k][0]
                for k, p in zip(picked, purchase, strict=True)
            ],
            "quantity": _values(rng, n, kind),
            "unit": ["USD" if p else KINDS[k][1] for k, p in zip(picked, purchase, strict=True)],
            "attributes": [
                json.dumps({"naics": rng.choice(["327310", "331110"]), "po": f"P{i}"})
                if p
                else (json.dumps({"use": "stationary"}) if i % 3 else None)
                for i, p in enumerate(purchase)
            ],
        }
    )


def _text_keyed(rows: pl.DataFrame) -> dict[int, tuple[object, ...]]:
    """Each group of the Scope 3 rows, by its first row id, as the text-keyed grouping of
    every Scope 3 row together gave it: (entity, activity, unit, quantity bits, rows, first
    ids, all ids)."""
    wanted = [a for a in rows["activity"].unique().to_list() if in_scope3(a)]
    rows = rows.filter(pl.col("activity").is_in(wanted)).sort("id")
    values = _method_values(rows)
    keyed = rows.with_columns(values.columns(rows))
    by, same = _varying(rows, [*GROUP_KEY[:-1], *values.names])
    groups = (
        keyed.group_by(by, maintain_order=True)
        .agg(
            pl.col("quantity").sum(),
            pl.len().alias("rows"),
            pl.col("id").head(LINE_ROW_IDS),
            pl.col("id").alias("all_ids"),
        )
        .with_columns(pl.lit(value, pl.Utf8).alias(column) for column, value in same.items())
    )
    return {
        ids[0]: (e, a, u, q.hex(), n, ids, all_ids)
        for e, a, u, q, n, ids, all_ids in groups.select(
            "entity_id", "activity", "unit", "quantity", "rows", "id", "all_ids"
        ).iter_rows()
    }


def _same_groups(parts: Scope3Parts, rows: pl.DataFrame) -> None:
    expected = _text_keyed(rows)
    seen: list[int] = []
    for line in parts.lines:
        first = line["row_ids"][0]
        e, a, u, q, n, ids, _ = expected[first]
        assert (line["entity_id"], line["activity"], line["unit"]) == (e, a, u)
        assert (line["quantity"].hex(), line["rows"], line["row_ids"]) == (q, n, ids)
        if not seen or seen[-1] != first:
            seen.append(first)
    for ids, entity, activity, *_ in parts.bad:
        e, a, _u, _q, _n, _ids, all_ids = expected[ids[0]]
        if isinstance(ids, CountedRows):  # grouped on codes: counted, never listed
            assert (entity, activity, len(ids), ids[0]) == (e, a, len(all_ids), all_ids[0])
        else:
            assert (entity, activity, list(ids)) == (e, a, all_ids)
        seen.append(int(ids[0]))
    assert sorted(seen) == sorted(expected)  # every group has its lines or is unresolved
    firsts = [line["row_ids"][0] for line in parts.lines]
    assert firsts == sorted(firsts)  # in the order of their first rows, as before
    bad_firsts = [int(b[0][0]) for b in parts.bad]
    assert bad_firsts == sorted(bad_firsts)


@pytest.mark.parametrize("seed", range(8))
def test_category_3_sums_are_the_text_keyed_groupings(seed: int) -> None:
    rng = np.random.default_rng(seed)
    library = FactorLibrary.load()
    options = RunOptions(year=2024)
    coded = 0
    for n in (1, 3, 130, 4_097):
        for kind in range(4):
            entities = list(rng.choice(ENTITIES["entity_id"], int(rng.integers(1, 5)), False))
            kinds = list(rng.choice(len(KINDS), int(rng.integers(1, len(KINDS) + 1)), False))
            rows = _rows(rng, n, kind, entities, kinds)
            if seed % 2:  # a frame in several chunks, as a store read gives it
                rows = pl.concat([rows[: n // 3], rows[n // 3 :]], rechunk=False)
            parts = scope3_parts(rows, ENTITIES, library, options)
            _same_groups(parts, rows)
            upstream = sorted({KINDS[k][0] for k in kinds})
            others = rows.filter(pl.col("activity") == "spend.purchased_goods").sort("id")
            coded += upstream_groups(rows, upstream, ENTITIES, others, LINE_ROW_IDS) is not None
    assert coded >= 8  # most cases are grouped on codes (one varying key column is not)


def test_category_3_alone_and_with_purchase_lines_gives_the_same_groups() -> None:
    rng = np.random.default_rng(11)
    rows = _rows(rng, 20_000, 0, list(ENTITIES["entity_id"]), list(range(len(KINDS))))
    library, options = FactorLibrary.load(), RunOptions(year=2024)
    both = scope3_parts(rows, ENTITIES, library, options)
    upstream = rows.filter(pl.col("activity").map_elements(upstream_activity, pl.Boolean))
    alone = scope3_parts(upstream, ENTITIES, library, options)
    kept = [line for line in both.lines if upstream_activity(line["activity"])]
    assert [(x["row_ids"], x["quantity"].hex()) for x in kept] == [
        (x["row_ids"], x["quantity"].hex()) for x in alone.lines
    ]
    assert any(not upstream_activity(group[2]) for group in both.bad)  # purchase lines too
    _same_groups(both, rows)
    _same_groups(alone, upstream)


def test_unresolved_category_3_groups_on_codes_are_counted_not_listed() -> None:
    """Their rows' gaps are Scope 1/2's: a group keeps its number of rows and its first row
    id (the groups' order), and refuses to list ids it does not hold."""
    rng = np.random.default_rng(5)
    rows = _rows(rng, 3_000, 3, list(ENTITIES["entity_id"]), list(range(len(KINDS))))
    parts = scope3_parts(rows, ENTITIES, FactorLibrary.load(), RunOptions(year=2024))
    counted = [group for group in parts.bad if isinstance(group[0], CountedRows)]
    assert counted, "the fuels in litres and the electricity have no upstream factor here"
    for ids, entity, activity, *_ in counted:
        assert not isinstance(ids, list | np.ndarray)
        mine = rows.filter(pl.col("entity_id") == entity, pl.col("activity") == activity)
        units = [u for u, n in mine.group_by("unit").len().iter_rows() if n == len(ids)]
        assert units, (entity, activity, len(ids))
        assert ids[0] in mine["id"].to_list()
        with pytest.raises(IndexError):
            ids[1]
        with pytest.raises(TypeError):
            list(ids)
