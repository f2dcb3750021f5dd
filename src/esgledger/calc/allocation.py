"""Scope 2 market-based allocation: how much of each entity's purchased electricity
certificates and PPAs cover, and which results that share reduces.

The share is a property of the entity, not of a row, so it is found in one pass over the
rows before any result exists; per-row results and the roll-up then both apply it.
"""

from __future__ import annotations

import numpy as np

from esgledger.calc import kernel
from esgledger.calc.coding import Groups, Rows
from esgledger.calc.kernel import Adjustment
from esgledger.calc.links import Links
from esgledger.catalog.instruments import INSTRUMENTS
from esgledger.units import compatible, multiplier

PURCHASED = "electricity.purchased"


def to_kwh(units: list[str]) -> list[float]:
    """kWh per unit (0 for units that are not energy); pint is asked here, in one thread."""
    return [multiplier(u, "kWh") if compatible(u, "kWh") else 0.0 for u in units]


def covered_share(
    rows: Rows, groups: Groups, kwh_per_unit: list[float], n_entities: int
) -> tuple[np.ndarray, list[int]]:
    """Per entity code: the share of purchased electricity that certificates and PPAs cover,
    and the entity codes that hold more instruments than they bought electricity.

    Purchases and instruments go to two bins per entity, added to block by block with
    ``np.add.at``: each bin still adds its rows' kWh one after another in row order, as
    ``np.bincount`` would, without row-length temporaries."""
    role_of = {PURCHASED: 1, **dict.fromkeys(INSTRUMENTS, 2)}
    keys = groups.keys
    group_role = np.array([role_of.get(k.activity, 0) for k in keys], dtype=np.int8)[groups.key]
    group_kwh = np.array([kwh_per_unit[rows.unit_cats.index(k.unit)] for k in keys])[groups.key]
    sums = np.zeros(2 * n_entities)
    block = kernel.BLOCK_ROWS
    for r0 in range(0, len(groups.row_group), block):
        part = groups.row_group[r0 : r0 + block]
        role = group_role[part]
        hit = np.flatnonzero(role)
        kwh = rows.amount[r0 : r0 + block][hit] * group_kwh[part[hit]]
        bins = rows.entity[r0 : r0 + block][hit].astype(np.int64)
        bins *= 2
        bins += role[hit] - 1
        np.add.at(sums, bins, kwh)
    bought, held = sums[0::2], sums[1::2]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(bought > 0, np.clip(held / bought, 0.0, 1.0), 0.0)
    return share, np.flatnonzero(held > bought).tolist()


def market_adjustments(groups: Groups, links: Links) -> list[Adjustment]:
    """The results the covered share reduces: market-based Scope 2 mass of purchased
    electricity. That is one coefficient slot of the keys that have it, so only those
    results are touched twice."""
    bought = np.array([key.activity == PURCHASED for key in groups.keys], bool)
    coefs = links.coefs
    market = ((coefs["quantity"] == "scope2_market") & (coefs["unit"] != "tce")).to_numpy()
    applying = np.flatnonzero(market & bought[links.link_keys])
    # position among its key's coefficients
    slot = applying - links.key_start[links.link_keys[applying]]
    adjustments = []
    for position in np.unique(slot).tolist():
        marked = np.zeros(len(groups.keys), dtype=bool)
        marked[links.link_keys[applying[slot == position]]] = True
        adjustments.append(Adjustment(position, marked[groups.key]))
    return adjustments
