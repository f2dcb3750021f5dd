"""The factor checks' sums (``calc.implied``) from the engine's own arrays, no result row made.

A run that keeps no result rows used to expand the result rows of the three activities the
sums read (at 10⁷ activity rows about 3·10⁷ rows of seven columns) and match each to its
record by a binary search of the ids: about 8 of the run's 31 CPU s. The sums need only,
per row of those activities, the products a result row holds: amount × k of each of its
group's coefficients of the sum's quantity, × (1 − covered share) where the market-based
adjustment applies, × GWP for a CO2e sum; each computed here with the very operations of
``kernel.expand``, so the floats are the same, and summed exactly rounded
(``calc.exact_sum``, ``math.fsum``'s float) as :func:`implied.implied_at_calculation` sums
them: no order changes a bit.

The rows are taken ``kernel.BLOCK_ROWS`` at a time, each block's selections and gathers
from small per-group tables (a group's coefficient, k, GWP and whether the market share
applies, worked out once per group): row-length index arrays cost 1.4 CPU s at 10⁷ rows,
most of it the kernel clearing the fresh pages they were written to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from esgledger.calc import kernel
from esgledger.calc.coding import Groups, Rows
from esgledger.calc.exact_sum import exact_sum
from esgledger.calc.implied import IMPLIED_SPECS
from esgledger.calc.kernel import Adjustment
from esgledger.calc.links import Links
from esgledger.units import compatible, multiplier


@dataclass(frozen=True)
class _Slot:
    """The t-th coefficient of a sum's quantity, per group: whether the group has one, its
    k and GWP, and per adjustment whether that adjustment scales it."""

    has: np.ndarray  # bool per group
    k: np.ndarray  # float per group (0 where the group has none)
    gwp: np.ndarray
    adjusted: list[np.ndarray]  # bool per group, one per adjustment


@dataclass
class _Sum:
    """One sum's kinds of row and the values gathered for it, block by block."""

    of_kind: np.ndarray  # bool per (activity, unit) code
    factors: np.ndarray  # the sum's unit per unit of each unit code
    slots: list[_Slot]
    co2e: bool
    values: list[np.ndarray]
    amounts: list[np.ndarray]


def implied_in_pass(
    rows: Rows,
    groups: Groups,
    links: Links,
    adjustments: list[Adjustment],
    covered_by_entity: np.ndarray,
    *,
    block: int = kernel.BLOCK_ROWS,
) -> dict[str, list[float] | None]:
    """Every :data:`implied.IMPLIED_SPECS` sum as stored: [Σ result, Σ activity in the
    sum's unit, each record once], None where no row has a result of the sum."""
    units = len(rows.unit_cats)
    sums = {
        name: _prepare(rows, groups, links, adjustments, spec)
        for name, spec in IMPLIED_SPECS.items()
    }
    wanted = [s for s in sums.values() if s.of_kind.any() and s.slots]
    # (activity, unit) of each row as one code: each sum's rows found with one gather
    activity_of = rows.activity_local * units
    for r0 in range(0, len(rows.amount) if wanted else 0, block):
        r1 = r0 + block
        kind = activity_of[rows.activity[r0:r1]]
        kind += rows.unit_local[rows.unit[r0:r1]]
        for one in wanted:
            selected = np.flatnonzero(one.of_kind[kind])
            if len(selected):
                _add_block(one, rows, groups, covered_by_entity, r0, selected)
    out: dict[str, list[float] | None] = {}
    for name, one in sums.items():
        if not one.amounts or not sum(len(a) for a in one.amounts):
            out[name] = None
            continue
        out[name] = [exact_sum(np.concatenate(one.values)), exact_sum(np.concatenate(one.amounts))]
    return out


def _add_block(
    one: _Sum,
    rows: Rows,
    groups: Groups,
    covered_by_entity: np.ndarray,
    r0: int,
    selected: np.ndarray,
) -> None:
    """The products and record amounts of one block's ``selected`` rows (block-local)."""
    at = selected + r0
    group = groups.row_group[at]
    amount = rows.amount[at]
    counted = np.zeros(len(selected), dtype=bool)
    for slot in one.slots:
        hit = np.flatnonzero(slot.has[group])
        if not len(hit):
            continue
        of_hit = group[hit]
        value = amount[hit] * slot.k[of_hit]
        for adjusted in slot.adjusted:  # as ``kernel.expand``: only the slot it names
            marked = np.flatnonzero(adjusted[of_hit])
            if len(marked):
                share = covered_by_entity[rows.entity[at[hit[marked]]]]
                value[marked] = value[marked] * (1.0 - share)
        if one.co2e:  # "no CO2e" is NULL once stored, and the checks skip it
            value = value * slot.gwp[of_hit]
            keep = ~np.isnan(value)
            value, hit = value[keep], hit[keep]
        one.values.append(value)
        counted[hit] = True
    records = np.flatnonzero(counted)
    units = rows.unit_local[rows.unit[at[records]]]
    one.amounts.append(amount[records] * one.factors[units])


def _prepare(
    rows: Rows,
    groups: Groups,
    links: Links,
    adjustments: list[Adjustment],
    spec: tuple[tuple[str, ...], str, str, bool],
) -> _Sum:
    """A sum's kinds of row, unit factors and per-group coefficient tables."""
    wanted, quantity, target, co2e = spec
    factors = np.array(
        [multiplier(u, target) if compatible(u, target) else np.nan for u in rows.unit_cats],
        dtype=np.float64,
    )
    of_kind = np.array(
        [a in wanted and not np.isnan(f) for a in rows.activity_cats for f in factors],
        dtype=bool,
    )
    k = links.coefs["k"].to_numpy()
    gwp = links.coefs["gwp"].fill_null(np.nan).to_numpy()
    group_start = links.key_start[groups.key]
    slots = []
    for coef_of_group in _matches(links, groups, links.coefs["quantity"].to_list(), quantity):
        has = coef_of_group >= 0
        coef = np.where(has, coef_of_group, 0)
        adjusted = [
            adjustment.groups & has & (coef - group_start == adjustment.slot)
            for adjustment in adjustments
        ]
        slots.append(_Slot(has, k[coef], gwp[coef], adjusted))
    return _Sum(of_kind, factors, slots, co2e, [], [])


def _matches(
    links: Links, groups: Groups, quantities: list[str], quantity: str
) -> list[np.ndarray]:
    """Per t, each group's t-th coefficient id of ``quantity`` (−1 where it has fewer)."""
    of_key: dict[int, list[int]] = {}
    for coef in (i for i, q in enumerate(quantities) if q == quantity):
        of_key.setdefault(int(links.link_keys[coef]), []).append(coef)
    most = max((len(c) for c in of_key.values()), default=0)
    tables = []
    for t in range(most):
        table = np.full(len(groups.keys), -1, dtype=np.int64)
        for key, coefs in of_key.items():
            if len(coefs) > t:
                table[key] = coefs[t]
        tables.append(table[groups.key])
    return tables
