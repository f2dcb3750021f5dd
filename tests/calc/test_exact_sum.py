"""An exactly rounded sum of a float array without a Python float per value (#18).

A run's factor-check sums are exactly rounded (``math.fsum``), so no order of the rows
changes a bit; at 10⁷ activity rows turning the arrays into Python floats and summing them
one by one cost about 1.8 CPU s. ``exact_sum`` must give ``math.fsum``'s float, bit for bit,
for any finite values: wide exponents, cancellation, ties, subnormals, signed zeros.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from esgledger.calc.exact_sum import exact_sum


def same_bits(values: np.ndarray, block: int | None = None) -> None:
    expected = math.fsum(values.tolist())
    found = exact_sum(values) if block is None else exact_sum(values, block=block)
    assert type(found) is float
    assert found.hex() == expected.hex(), (found, expected)


@pytest.mark.parametrize("seed", range(12))
def test_random_values_over_every_exponent_range(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5000))
    spread = [0, 5, 60, 300, 1000][seed % 5]
    values = rng.normal(size=n) * np.exp2(rng.integers(-spread, spread + 1, n).astype(float))
    if seed % 3 == 0:
        values = np.abs(values)  # one sign: no cancellation to hide an error
    same_bits(values)
    same_bits(values, block=7)  # summed a few at a time, as past 2**25 values


def test_cancellation_ties_subnormals_and_zeros() -> None:
    tiny = 5e-324
    cases = [
        [1.0, 2.0**-53],  # a tie: to even, down
        [1.0 + 2.0**-52, 2.0**-53],  # a tie: to even, up
        [1.0, 2.0**-53, 2.0**-105],  # just above the tie
        [1e300, 1.0, -1e300],
        [1e16, 1.0, -1e16, 1e-30],
        [tiny, tiny, -tiny, 2.2250738585072014e-308],
        [0.1] * 10,
        [-0.0],
        [-0.0, -0.0],
        [0.0, -0.0],
        [3.0, -3.0],
        [],
        [1.7976931348623157e308, -1.7976931348623157e308, 1.0],
    ]
    for case in cases:
        same_bits(np.array(case, dtype=np.float64))


def test_large_arrays_and_many_blocks() -> None:
    rng = np.random.default_rng(99)
    values = rng.uniform(0, 1e6, 300_000) / 7.0
    same_bits(values)
    same_bits(values, block=1 << 12)
    same_bits(np.concatenate([values, -values[:1000] * (1 + 2.0**-40)]))


def test_what_fsum_refuses_or_gives_as_infinite_is_left_to_fsum() -> None:
    assert exact_sum(np.array([1.0, math.inf])) == math.inf
    assert math.isnan(exact_sum(np.array([1.0, math.nan])))
    with pytest.raises(ValueError):
        exact_sum(np.array([math.inf, -math.inf]))
    with pytest.raises(OverflowError):
        exact_sum(np.array([1.7976931348623157e308, 1.7976931348623157e308]))
