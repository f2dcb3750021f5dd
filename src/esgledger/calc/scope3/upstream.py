"""Category 3's rows (upstream of fuels and purchased electricity) grouped on integer codes.

Category 3 reads every fuel and electricity row: 9·10⁶ of 10⁷ in ``bench/calc.py``'s year.
Its methods read none of a row's attributes, so its groups are those of (entity, activity,
unit); grouping them on those texts (with the other Scope 3 rows) cost 1.3 CPU s at 10⁷,
on the columns' codes (an Enum of the run's entities, of the activities, a categorical
unit) about half, and the wide frame of every Scope 3 row is no longer copied for them.

The stored quantities stay the same bits only because the grouping stays of the same kind:
Polars' grouped float sum is not a left-to-right sum (nor ``math.fsum``, nor the Scope 1/2
engine's ``np.bincount`` in row order), and its order of additions depends on the grouping:
three values of one group of a chunked frame summed differently under a one-text-column key
and under a several-column key. Under a key of several columns each group's rows, in row
order, go to the same sum whatever the columns' types (``tests/calc/scope3/
test_upstream_groups.py`` holds the text-keyed grouping as the reference, on values whose
sum depends on the order). So the codes are grouped on three columns, and only where the
texts' grouping had several key columns too; otherwise (one varying column), or when a fuel
or electricity row names a method attribute (its key would differ), the texts as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl

from esgledger.calc.scope3.methods import METHOD_ATTRIBUTES
from esgledger.catalog import activity_types

KEY = ("entity_id", "activity", "unit")
_NAMED = "(?:" + "|".join(re.escape(n) for n in METHOD_ATTRIBUTES) + ')"'

LineOf = Callable[[str, str, str, str, float, int, list[int]], tuple[list[dict[str, Any]], Any]]


def upstream_activity(activity: str) -> bool:
    """A Scope 1/2 activity whose rows category 3 reads for their upstream: a fuel, or
    purchased electricity; its methods read no attribute of the row."""
    kind = activity_types().get(activity)
    if kind is None or kind.scope == 3:
        return False
    return kind.category == "fuel" or activity == "electricity.purchased"


@dataclass(frozen=True, slots=True)
class CountedRows:
    """An unresolved category 3 group's rows, counted, not listed: each fuel or electricity
    row's gap is named in Scope 1/2's block, so Scope 3 only counts them (``len``) and orders
    the groups by their first row (``[0]``). Listing every id of the 10⁷ run's 3,000 such
    groups (7·10⁶ ids, read for their number alone) cost 0.18 CPU s in the grouping."""

    first: int  # the group's first row id
    rows: int

    def __len__(self) -> int:
        return self.rows

    def __getitem__(self, index: int) -> int:
        if index != 0:
            raise IndexError("a counted group names its first row only")
        return self.first

    def __iter__(self) -> Iterator[int]:
        raise TypeError("a counted group's row ids are not listed")


@dataclass(frozen=True)
class UpstreamGroups:
    """Category 3's row groups, in the order of their first rows (rows in id order)."""

    groups: pl.DataFrame  # e, a, u (codes), quantity, rows, id (the first ids)
    entity_ids: list[str]
    activities: list[str]
    units: dict[int, str]
    # key columns constant over every Scope 3 row of the run, with their value: the other
    # rows' text grouping keeps the key columns a grouping of all of them had
    same: dict[str, str | None]

    def parts(self, group_lines: LineOf, key_text: str) -> tuple[list[Any], list[Any]]:
        """The lines and unresolved groups (their rows counted, :class:`CountedRows`) from
        ``group_lines`` of each group."""
        lines: list[dict[str, Any]] = []
        bad: list[Any] = []
        units = [self.units[u] for u in self.groups["u"].to_list()]
        listed = self.groups.select("e", "a", "quantity", "rows", "id").iter_rows()
        for number, (e, a, quantity, count, ids) in enumerate(listed):
            entity, activity = self.entity_ids[e], self.activities[a]
            found, unresolved = group_lines(
                entity, activity, units[number], key_text, quantity, count, ids
            )
            lines.extend(found)
            if unresolved is not None:
                bad.append((CountedRows(ids[0], count), *unresolved[1:]))
        return lines, bad


def upstream_groups(
    activities: pl.DataFrame,
    upstream: list[str],
    entities: pl.DataFrame,
    others: pl.DataFrame,
    line_ids: int,
) -> UpstreamGroups | None:
    """Category 3's groups of the rows of the ``upstream`` activities, or None where they
    must be grouped by their texts (above). ``others``: the run's other Scope 3 rows, whose
    constant key columns decide the key the texts' grouping of all the rows had."""
    entity_ids = entities["entity_id"].to_list()
    if len(set(entity_ids)) != len(entity_ids) or None in entity_ids:
        return None
    names = sorted(upstream)
    coded = (
        activities.lazy()
        .select(
            "id",
            "quantity",
            pl.col("entity_id").cast(pl.Enum(entity_ids), strict=False).to_physical().alias("e"),
            pl.col("activity").cast(pl.Enum(names), strict=False).to_physical().alias("a"),
            pl.col("unit").cast(pl.Categorical),
            *([] if _none_named(activities["attributes"]) else [_named().alias("named")]),
        )
        .filter(pl.col("a").is_not_null())
        .collect()
        .sort("id")  # no work when the rows are known to be in id order
    )
    named = "named" in coded.columns and coded["named"].any()
    if named or coded["e"].null_count() or coded["unit"].null_count():
        return None  # a method attribute perhaps named (another key), a row of no entity
    distinct = coded["unit"].unique()
    units = dict(
        zip(distinct.to_physical().to_list(), distinct.cast(pl.Utf8).to_list(), strict=True)
    )
    coded = coded.select("id", "quantity", "e", "a", pl.col("unit").to_physical().alias("u"))
    same = _same(coded, entity_ids, names, units, others)
    if same is None:
        return None
    groups = coded.group_by(["e", "a", "u"], maintain_order=True).agg(
        pl.col("quantity").sum(),
        pl.len().alias("rows"),
        pl.col("id").head(line_ids),
    )
    return UpstreamGroups(groups, entity_ids, names, units, same)


def _named() -> pl.Expr:
    """Each row's attributes name a method attribute: each name and its closing quote, as
    plain words (no hit, no quoted name)."""
    return pl.col("attributes").cast(pl.Utf8).str.contains(_NAMED)


def _none_named(attributes: pl.Series) -> bool:
    """Whether no row's attributes can name a method attribute, read from a Categorical
    column's distinct values (a few) instead of its rows: the pattern over 10⁷ rows' texts
    cost 0.27 CPU s. A text column is left to the rows' own test (its distinct values would
    cost a hash a row)."""
    if attributes.dtype != pl.Categorical:
        return False
    distinct = attributes.unique().drop_nulls().cast(pl.Utf8)
    return not distinct.str.contains(_NAMED).any()


def _same(
    coded: pl.DataFrame,
    entity_ids: list[str],
    names: list[str],
    units: dict[int, str],
    others: pl.DataFrame,
) -> dict[str, str | None] | None:
    """The key columns constant over all the Scope 3 rows (category 3's coded, ``others``
    as texts), with their value; None when one key column alone varies (the texts' grouping
    had a one-column key, whose sums may differ from the codes')."""
    if not coded.height:
        return None
    firsts = {
        "entity_id": entity_ids[coded["e"][0]],
        "activity": names[coded["a"][0]],
        "unit": units[coded["u"][0]],
    }
    same: dict[str, str | None] = {}
    for column, codes in zip(KEY, (coded["e"], coded["a"], coded["u"]), strict=True):
        held = codes.min() == codes.max()
        if held and others.height:
            held = bool(others[column].eq_missing(firsts[column]).all())
        if held:
            same[column] = firsts[column]
    return None if len(KEY) - len(same) == 1 else same
