"""#18: category 3 (upstream of fuels and purchased electricity) groups its rows on integer
codes of (entity, activity, unit) instead of their texts, and every quantity it stores is
the one the text-keyed grouping gave, to the bit.

The reference is computed row by row in plain Python, not with the engine's Polars steps (a
copy of the code under test could not catch a mistake they share): the Scope 3 rows in id
order, grouped on entity, activity, unit and the method attributes' values, each group's
quantity summed as Polars 2's grouped float sum does, a compensated (Kahan) sum in row order
from -0.0 (:func:`grouped_sum`; on every group of this module's cases it gives the text-keyed
grouping's bits, where a plain left-to-right sum, ``math.fsum`` and NumPy's differ). The
values are ones whose sum depends on the order of additions, in chunked frames, beside
purchase lines (whose groups interleave with category 3's)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import polars as pl
import pytest

from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.scope3.engine import (
    LINE_ROW_IDS,
    Scope3Parts,
    in_scope3,
    scope3_parts,
    upstream_activity,
    upstream_groups,
)
from esgledger.calc.scope3.methods import METHOD_ATTRIBUTES
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


def grouped_sum(values: list[float]) -> float:
    """Polars 2's grouped float sum written out: Kahan's compensated sum, in row order,
    starting from -0.0 (so a group holding only -0.0 sums to -0.0)."""
    total, carry = -0.0, 0.0
    for value in values:
        step = value - carry
        new = total + step
        carry = (new - total) - step
        total = new
    return total


def _method_attributes(attributes: str | None) -> tuple[object, ...]:
    given = json.loads(attributes) if attributes else {}
    return tuple(given.get(name) for name in METHOD_ATTRIBUTES)


def _row_by_row(rows: pl.DataFrame) -> dict[int, tuple[object, ...]]:
    """Each group of the Scope 3 rows, by its first row id, computed row by row: (entity,
    activity, unit, quantity bits, rows, first ids, all ids)."""
    groups: dict[tuple[object, ...], list[tuple[int, float]]] = {}
    for row in sorted(rows.iter_rows(named=True), key=lambda r: r["id"]):
        if in_scope3(row["activity"]):
            key = (
                row["entity_id"],
                row["activity"],
                row["unit"],
                _method_attributes(row["attributes"]),
            )
            groups.setdefault(key, []).append((row["id"], row["quantity"]))
    out: dict[int, tuple[object, ...]] = {}
    for (entity, activity, unit, _), members in groups.items():
        ids = [i for i, _ in members]
        total = grouped_sum([q for _, q in members])
        out[ids[0]] = (entity, activity, unit, total.hex(), len(ids), ids[:LINE_ROW_IDS], ids)
    return out


def _same_groups(parts: Scope3Parts, rows: pl.DataFrame) -> None:
    expected = _row_by_row(rows)
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
def test_category_3_sums_are_the_row_by_row_groupings(seed: int) -> None:
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


def test_a_method_attribute_named_on_a_fuel_row_alone_sends_the_rows_to_the_texts() -> None:
    """Whether a fuel or electricity row names a method attribute is read from the distinct
    attribute values, not row by row: the same answer for a name on such a row (texts), on
    a purchase line only (codes), in a Categorical column, beside NULL and Chinese values."""
    rng = np.random.default_rng(3)
    rows = _rows(rng, 400, 3, list(ENTITIES["entity_id"]), list(range(len(KINDS))))
    fuel = pl.col("activity").map_elements(upstream_activity, pl.Boolean)
    upstream = sorted({a for a in rows["activity"].to_list() if upstream_activity(a)})
    others = rows.filter(pl.col("activity") == "spend.purchased_goods").sort("id")
    plain = rows.with_columns(
        pl.when(pl.col("id") % 5 == 0)
        .then(pl.lit('{"use":"站内"}'))
        .otherwise(pl.col("attributes"))
        .alias("attributes")
    )
    for attrs in (plain, plain.with_columns(pl.col("attributes").cast(pl.Categorical))):
        assert upstream_groups(attrs, upstream, ENTITIES, others, LINE_ROW_IDS) is not None
        first_fuel = attrs.filter(fuel)["id"][7]
        for name in METHOD_ATTRIBUTES:
            named = attrs.with_columns(
                pl.when(pl.col("id") == first_fuel)
                .then(pl.lit(f'{{"{name}":"x"}}'))
                .otherwise(pl.col("attributes"))
                .cast(attrs.schema["attributes"])
                .alias("attributes")
            )
            assert upstream_groups(named, upstream, ENTITIES, others, LINE_ROW_IDS) is None
