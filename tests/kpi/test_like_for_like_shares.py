"""Like-for-like change looks up each boundary pair's common members and shares once (#18).

A three-year series at 10,000 entities asks like-for-like change of 80 metrics, each sum
looking up 10,000 shares in the boundary's map: 0.34 of the 0.67 CPU s its sums took. The
entities in both years' boundaries and their shares, as arrays, are made once per pair of
boundaries; each metric then looks up its own values alone. The sums are the same
``math.fsum`` of the same products.
"""

from __future__ import annotations

import math

from esgledger.catalog import metrics
from esgledger.kpi.scope import Scope
from esgledger.kpi.series import EntityFigures, like_for_like
from tests.kpi.plain import Ledger, metric_of


class CountedShares(dict[str, float]):
    """A boundary's shares counting the lookups of a member's share."""

    looked_up = 0

    def __getitem__(self, key: str) -> float:
        CountedShares.looked_up += 1
        return super().__getitem__(key)


ACTIVITIES = ("electricity.purchased", "fuel.diesel", "water.municipal")


def _ledger() -> Ledger:
    ledger = Ledger()
    entities = sorted(e for e, parent in ledger.parents.items() if parent is not None)
    for year in (2024, 2025):
        for i, entity in enumerate(entities):
            for j, activity in enumerate(ACTIVITIES):
                unit = "t" if activity == "fuel.diesel" else "m3" if "water" in activity else "MWh"
                ledger.activity(entity, year, activity, 10.1 * (i + 1) + j + year % 7, unit)
    return ledger


def _figures(ledger: Ledger, year: int, shares: dict[str, float]) -> EntityFigures:
    scopes = ledger.scopes(year)
    scope = Scope(f"B{year}", CountedShares(shares))  # one boundary for both families
    for family in ("energy_ghg", "environment"):
        scopes._by_family[family] = scope
    table = ledger.table(year)
    return EntityFigures(None, year, scopes, table, ledger.sums[year], {})


def test_each_pair_of_boundaries_looks_up_its_shares_once() -> None:
    ledger = _ledger()
    members = sorted(ledger.parents)
    now = dict.fromkeys(members[1:], 0.75)
    before = {e: 0.5 + i / 64 for i, e in enumerate(members[:-1])}
    current, previous = _figures(ledger, 2025, now), _figures(ledger, 2024, before)
    common = now.keys() & before.keys()
    CountedShares.looked_up = 0
    pairs = {}
    for activity in ACTIVITIES:
        metric = metrics()[metric_of(f"activity:{activity}")]
        pairs[activity] = like_for_like(metric, current, previous)
        cur_vals = current.values(metric)
        prev_vals = previous.values(metric)
        assert cur_vals is not None and prev_vals is not None
        assert pairs[activity] == (
            math.fsum(prev_vals[0].get(e, 0.0) * before[e] for e in common),
            math.fsum(cur_vals[0].get(e, 0.0) * now[e] for e in common),
        )
    # energy and environment share one pair of boundaries here: each share once per year
    assert CountedShares.looked_up == 2 * len(common)
