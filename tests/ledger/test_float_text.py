"""#18: a table's digest from its frame spells each float as ``repr`` does (the read-back
digest's spelling, ``ledger.row_text``), a column at a time: every magnitude, both
notations, nulls, infinities."""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from esgledger.ledger.frame_digest import _float_text


def test_each_float_is_spelled_as_repr_spells_it() -> None:
    rng = np.random.default_rng(11)
    exponents = rng.uniform(-320, 308, 100_000)
    values = np.concatenate(
        [
            rng.uniform(0, 1e6, 100_000) / 7.0,
            np.power(10.0, exponents) * rng.choice([-1.0, 1.0], 100_000),
            rng.integers(-(10**17), 10**17, 50_000).astype(np.float64),
            [0.0, 1.0, 1e-4, 9.999999999999999e-05, 1e16, 9999999999999998.0, 5e-324],
            [1.7976931348623157e308, math.inf, -math.inf, 0.1 + 0.2, 2.5, 100.0, 1e22],
        ]
    )
    numbers = pl.Series([*values.tolist(), None], dtype=pl.Float64)
    expected = [None if v is None else repr(v) for v in numbers.to_list()]
    assert _float_text(numbers).to_list() == expected
    # a column whose first values are all odd ones, and an empty one
    assert _float_text(numbers.tail(20)).to_list() == expected[-20:]
    assert _float_text(numbers.clear()).to_list() == []
