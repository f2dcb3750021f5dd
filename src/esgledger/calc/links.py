"""The coefficient table of a run, and the link from each key to its coefficients.

``coefficients`` resolves one key at a time into Python objects; the row passes need one
flat table instead, in which a key's coefficients have consecutive ids, so that a key's
first id and count say which coefficients each of its rows gets. Keys that cannot be
computed leave issues, listed here per key for the unresolved report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from esgledger.calc.coefficients import Coefficient, CoefficientBuilder, Issue, Key

COEF_SCHEMA = {
    "coef_id": pl.UInt32,
    "quantity": pl.Utf8,
    "gas": pl.Utf8,
    "k": pl.Float64,
    "unit": pl.Utf8,
    "gwp": pl.Float64,
    "factor_ids": pl.Utf8,
    "rule": pl.Utf8,
    "multiplier": pl.Float64,
    "flags": pl.Utf8,
}


@dataclass(frozen=True)
class Links:
    """Coefficients of every key: key ``i`` has ids ``key_start[i]`` … ``+ key_count[i]``."""

    coefs: pl.DataFrame  # one row per coefficient, in COEF_SCHEMA
    link_keys: np.ndarray  # key id of each coefficient, ascending
    key_start: np.ndarray
    key_count: np.ndarray
    issues: list[tuple[int, str, str]]  # (key id, quantity, reason)


def link(keys: list[Key], builder: CoefficientBuilder) -> Links:
    """Coefficients of every distinct key, resolved once each, with each coefficient's key id
    (ascending: a key's coefficients are consecutive); issues as (key, quantity, reason)."""
    link_keys: list[int] = []
    coefs: list[dict[str, Any]] = []
    issues: list[tuple[int, str, str]] = []
    memo: dict[Key, list[Coefficient | Issue]] = {}
    for key_id, key in enumerate(keys):
        # different attributes can name the same key (an explicit use that is the default)
        if key not in memo:
            memo[key] = builder.build(key)
        for item in memo[key]:
            if isinstance(item, Issue):
                issues.append((key_id, item.quantity, item.reason))
                continue
            link_keys.append(key_id)
            coefs.append(
                {
                    "coef_id": len(coefs),
                    "quantity": item.quantity,
                    "gas": item.gas,
                    "k": item.k,
                    "unit": item.unit,
                    "gwp": item.gwp,
                    "factor_ids": ";".join(item.factor_ids),
                    "rule": item.rule,
                    "multiplier": item.multiplier,
                    "flags": ";".join(item.flags),
                }
            )
    key_of = np.asarray(link_keys, dtype=np.int64)
    key_count = np.bincount(key_of, minlength=len(keys)).astype(np.int64)
    return Links(
        pl.DataFrame(coefs, schema=COEF_SCHEMA),
        key_of,
        np.cumsum(key_count) - key_count,
        key_count,
        issues,
    )
