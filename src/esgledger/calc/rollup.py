"""Rolled-up figures: per entity, for the boundary with member shares, per gas and per
activity type.

They are worked out from per-group sums, not from the result rows: amounts are summed per
(entity, key) in row order, then multiplied by each of the key's coefficients, one
multiplication per figure, and added up group by group in the order of entity ids and key
names (never of integer codes, which follow the order rows were read in: a restored ledger
reads them in another), so every total is the same bit for bit on every run.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from esgledger.calc.allocation import PURCHASED
from esgledger.calc.coding import Groups
from esgledger.calc.coefficients import Key
from esgledger.calc.links import Links

TOTAL_OF_QUANTITY = {
    "energy_direct": "energy_direct_tce",
    "energy_indirect": "energy_indirect_tce",
    "scope1": "scope1_tco2e",
    "scope2_location": "scope2_location_tco2e",
    "scope2_market": "scope2_market_tco2e",
    "scope3": "scope3_tco2e",
}
TOTAL_KEYS = (
    "energy_direct_tce",
    "energy_indirect_tce",
    "energy_total_tce",
    "scope1_tco2e",
    "scope2_location_tco2e",
    "scope2_market_tco2e",
    "scope3_tco2e",
)

Figures = dict[str, float]


Contribution = tuple[str, str, str, str | None, float, float]
"""(entity, activity type, total key, per-gas name or None, figure, mass): one coefficient
of one (entity, key) group, in the summation order."""


def contributions(
    groups: Groups,
    group_sums: np.ndarray,
    links: Links,
    covered_by_entity: np.ndarray,
    entities: pl.DataFrame,
) -> list[Contribution]:
    """Every figure a group adds, in the summation order (entity id, then key name).

    An engine that splits the rows by entity (Spark) gathers these from its partitions and
    replays them with ``accumulate``: the same additions in the same order, the same bits."""
    entity_ids = entities["entity_id"].to_list()
    by_key: dict[int, list[int]] = {}
    for coef_id, key_id in enumerate(links.link_keys.tolist()):
        by_key.setdefault(key_id, []).append(coef_id)
    meta = links.coefs.select("quantity", "gas", "unit", "k", "gwp").rows()
    out: list[Contribution] = []
    order = _summation_order(groups, entity_ids)
    group_entity = groups.entity[order].tolist()
    group_key = groups.key[order].tolist()
    for entity_code, key_id, total in zip(
        group_entity, group_key, group_sums[order].tolist(), strict=True
    ):
        entity = entity_ids[entity_code]
        activity = groups.keys[key_id].activity
        # market-based electricity is split into an uncovered part per entity; a (entity,
        # key) group is all electricity or none, so its electricity sum is its sum or 0
        electric = total if activity == PURCHASED else 0.0
        for coef_id in by_key.get(key_id, []):
            quantity, gas, unit, k, gwp = meta[coef_id]
            mass = total * k
            if quantity == "scope2_market" and unit != "tce" and electric:
                mass = (total - electric) * k + electric * k * (
                    1.0 - covered_by_entity[entity_code]
                )
            figure = mass if unit == "tce" else mass * gwp
            gas_name = f"{quantity}:{gas}" if unit == "t" else None
            out.append((entity, activity, TOTAL_OF_QUANTITY[quantity], gas_name, figure, mass))
    return out


def accumulate(
    items: list[Contribution], entities: pl.DataFrame
) -> tuple[Figures, dict[str, Figures], Figures, dict[str, Figures]]:
    """Contributions added up, one after another, into the rolled-up figures."""
    shares = dict(entities.select("entity_id", "share").iter_rows())
    by_entity: dict[str, Figures] = {}
    by_gas: Figures = {}
    by_activity: dict[str, Figures] = {}
    for entity, activity, name_key, gas_name, figure, mass in items:
        by_entity.setdefault(entity, _zero())[name_key] += figure
        per_activity = by_activity.setdefault(activity, {})
        per_activity[name_key] = per_activity.get(name_key, 0.0) + figure * shares.get(entity, 1.0)
        if gas_name is not None:
            by_gas[gas_name] = by_gas.get(gas_name, 0.0) + mass * shares.get(entity, 1.0)
    for figures in by_entity.values():
        figures["energy_total_tce"] = figures["energy_direct_tce"] + figures["energy_indirect_tce"]
    totals = _zero()
    for entity in sorted(by_entity):
        for name, value in by_entity[entity].items():
            totals[name] += value * shares.get(entity, 1.0)
    return totals, by_entity, dict(sorted(by_gas.items())), dict(sorted(by_activity.items()))


def _key_name(key: Key) -> tuple[str, ...]:
    regions = ",".join(f"{r.level}:{r.code}" for r in key.regions)
    return (key.activity, key.unit, key.use, key.volume_basis, regions)


def _summation_order(groups: Groups, entity_ids: list[str]) -> np.ndarray:
    """Groups sorted by entity id, then key name: the same order however rows were read."""
    entity_rank = np.argsort(np.argsort(np.array(entity_ids, dtype=object), kind="stable"))
    names = [_key_name(k) for k in groups.keys]
    key_rank = np.empty(len(names), dtype=np.int64)
    key_rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    return np.lexsort((key_rank[groups.key], entity_rank[groups.entity]))


def _zero() -> Figures:
    return dict.fromkeys(TOTAL_KEYS, 0.0)


def incomplete_figures(unresolved: pl.DataFrame) -> list[str]:
    """The total keys that unresolved rows leave short (``scope1_tco2e``…), in total order."""
    short = {TOTAL_OF_QUANTITY[q] for q in unresolved["quantity"].unique().to_list()}
    if short & {"energy_direct_tce", "energy_indirect_tce"}:
        short.add("energy_total_tce")
    return [k for k in TOTAL_KEYS if k in short]
