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
"""

from __future__ import annotations

import numpy as np

from esgledger.calc.coding import Groups, Rows
from esgledger.calc.exact_sum import exact_sum
from esgledger.calc.implied import IMPLIED_SPECS
from esgledger.calc.kernel import Adjustment
from esgledger.calc.links import Links
from esgledger.units import compatible, multiplier


def implied_in_pass(
    rows: Rows,
    groups: Groups,
    links: Links,
    adjustments: list[Adjustment],
    covered_by_entity: np.ndarray,
) -> dict[str, list[float] | None]:
    """Every :data:`implied.IMPLIED_SPECS` sum as stored: [Σ result, Σ activity in the
    sum's unit, each record once], None where no row has a result of the sum."""
    k = links.coefs["k"].to_numpy()
    gwp = links.coefs["gwp"].fill_null(np.nan).to_numpy()
    quantities = links.coefs["quantity"].to_list()
    group_start = links.key_start[groups.key]
    # (activity, unit) of each row as one code: each sum's rows found with one gather
    units = len(rows.unit_cats)
    kind = rows.activity_local[rows.activity] * units + rows.unit_local[rows.unit]
    out: dict[str, list[float] | None] = {}
    for name, (wanted, quantity, target, co2e) in IMPLIED_SPECS.items():
        factors = np.array(
            [multiplier(u, target) if compatible(u, target) else np.nan for u in rows.unit_cats],
            dtype=np.float64,
        )
        of_kind = np.array(
            [a in wanted and not np.isnan(f) for a in rows.activity_cats for f in factors],
            dtype=bool,
        )
        selected = np.flatnonzero(of_kind[kind]) if of_kind.any() else np.zeros(0, np.int64)
        group = groups.row_group[selected]
        picked_values: list[np.ndarray] = []
        counted = np.zeros(len(selected), dtype=bool)
        for coef_of_group in _matches(links, groups, quantities, quantity):
            # the t-th coefficient of the quantity, per group (−1: none)
            has = coef_of_group >= 0
            hit = np.flatnonzero(has[group])
            if not len(hit):
                continue
            at, of_hit = selected[hit], group[hit]
            coef = np.where(has, coef_of_group, 0)
            value = rows.amount[at] * k[coef][of_hit]
            for adjustment in adjustments:  # as ``kernel.expand``: only the slot it names
                adjusted = adjustment.groups & has & (coef - group_start == adjustment.slot)
                if adjusted.any():
                    marked = np.flatnonzero(adjusted[of_hit])
                    share = covered_by_entity[rows.entity[at[marked]]]
                    value[marked] = value[marked] * (1.0 - share)
            column = value * gwp[coef][of_hit] if co2e else value
            if co2e:  # "no CO2e" is NULL once stored, and the checks skip it
                keep = ~np.isnan(column)
                column, hit = column[keep], hit[keep]
            picked_values.append(column)
            counted[hit] = True
        if not counted.any():
            out[name] = None
            continue
        records = selected[counted]
        amounts = rows.amount[records] * factors[rows.unit_local[rows.unit[records]]]
        out[name] = [exact_sum(np.concatenate(picked_values)), exact_sum(amounts)]
    return out


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
