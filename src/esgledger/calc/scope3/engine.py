"""Scope 3 rows → per-category figures with every method side by side.

Rows are grouped by (entity, activity, unit, attributes) with Polars; each group's methods
and factors are resolved once, with the same resolver (pins, as-of, editions) as Scope 1/2,
so a run records which edition and rule chose each factor. Figures carry the entity's
boundary share. A group that no method can compute leaves its rows unresolved, with the
reason, and its category incomplete: never a silent zero.
"""

from __future__ import annotations

import functools
import json
import math
import re
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from esgledger.calc.coding import regions_for
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.resolve import ANY, Region, Resolution, Resolver
from esgledger.calc.scope3.categories import CATEGORIES, category_key, category_of
from esgledger.calc.scope3.currency import currency_of, to_factor_dollars
from esgledger.calc.scope3.methods import METHOD_ATTRIBUTES, Component, Method, methods_for
from esgledger.calc.scope3.screening import apply_screening
from esgledger.calc.scope3.upstream import CountedRows, upstream_activity, upstream_groups
from esgledger.catalog import activity_types
from esgledger.catalog import scope3_run_reasons as run_reasons
from esgledger.catalog.scope3_run_reasons import Why, coded
from esgledger.errors import InvalidInput
from esgledger.units import multiplier

GEOGRAPHIC_PROXY = "geographic_proxy"
# Shipped Scope 3 series, in the order they are asked (each covers different activities);
# pinned and workspace series come first, as for Scope 1/2.
SCOPE3_SERIES = ("us_epa.supply_chain", "uk_desnz.ghg_cf")
# row ids, entity, activity, category, reason; a category 3 group's ids stay an array (below),
# or are only counted when its rows are grouped on codes (``upstream.CountedRows``)
Ids = list[int] | npt.NDArray[np.int64] | CountedRows
Bad = tuple[Ids, str, str, str, str]
UNRESOLVED_SCHEMA = {
    "activity_id": pl.Int64,
    "entity_id": pl.Utf8,
    "activity": pl.Utf8,
    "quantity": pl.Utf8,
    "reason": pl.Utf8,
}
Unresolvable = list[Bad]
SAMPLE_ROWS = 1_000  # the first rows searched for the method attributes' names alone


def in_scope3(activity: str) -> bool:
    """Rows the Scope 3 engine reads: Scope 3 activity types, and fuels and purchased
    electricity for their upstream emissions (category 3)."""
    kind = activity_types().get(activity)
    if kind is None:
        return False
    return kind.scope == 3 or kind.category == "fuel" or activity == "electricity.purchased"


@dataclass
class Scope3Output:
    lines: list[dict[str, Any]]  # one per (row group × method), with factors and the rule
    unresolved: pl.DataFrame  # one row per activity record no method could compute
    by_category: dict[str, dict[str, Any]]
    total_tco2e: float | None  # None: no row could be computed (``total_reason`` says why)
    incomplete: bool
    factors_used: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # screened relevant, no figure
    total_reason: str | None = None
    total_reason_why: list[Why] = field(default_factory=list)  # its codes (#19)


@dataclass(frozen=True, slots=True)
class _Computed:
    tco2e_per_unit: float  # t CO2e per one unit of the row's quantity, at 100 % share
    tco2e_per_row: float  # t CO2e per row whatever its quantity (supplier data per line)
    factor_ids: tuple[str, ...]
    rule: str
    flags: tuple[str, ...]


@dataclass
class Scope3Parts:
    """Scope 3 lines and unresolved row groups of some entities' rows, before the roll-up.

    Parts of chunks of whole entities add up (``merge_parts``) to the parts of all their
    rows in one pass, in the same order, so a chunked run sums them to the same bits."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    bad: list[Bad] = field(default_factory=list)


def compute_scope3(
    activities: pl.DataFrame,
    entities: pl.DataFrame,
    library: FactorLibrary,
    options: RunOptions,
    screening: list[dict[str, Any]] | None = None,
    products: Mapping[str, Any] | None = None,
) -> Scope3Output:
    """Scope 3 of the run's rows (columns as for the Scope 1/2 engine), with the year's
    screening (``ledger.scope3_screening.screening_of``) applied when there is one;
    ``products``: the stored product models (``ledger.products.load_products``) for
    categories 11 and 12."""
    parts = scope3_parts(activities, entities, library, options, products)
    return finish_scope3(parts, library, screening)


def scope3_parts(
    activities: pl.DataFrame,
    entities: pl.DataFrame,
    library: FactorLibrary,
    options: RunOptions,
    products: Mapping[str, Any] | None = None,
) -> Scope3Parts:
    """The lines and unresolved groups of ``activities`` (whole entities' rows).

    Category 3's rows (fuels, purchased electricity) are grouped on integer codes
    (``upstream_groups``) when that gives the groups and sums the text-keyed grouping of all
    the rows gives; the other rows, and all of them when it would not, by their texts."""
    from esgledger.calc.scope3.products import SOLD, product_lines  # it imports this module

    resolver = Resolver(library, pins=dict(options.pins), as_of=options.as_of)
    present = activities["activity"].unique().to_list()
    wanted = [a for a in present if in_scope3(a)]
    place = _places(entities)
    # sites in the same regions share every factor: resolved once per (activity, unit,
    # attributes, regions), not once per site (20 sites × 335 NAICS codes: 6,700 → 335),
    # nor once per chunk of the same run
    resolved = _resolved_of(library, options)
    # keyed by the regions' plain (level, code) texts: hashing the Region objects in 5,000
    # keys cost 0.14 CPU s a run
    codes = {e: tuple((r.level, r.code) for r in regions) for e, (regions, _) in place.items()}

    def group_lines(
        entity: str,
        activity: str,
        unit: str,
        attributes: str,
        quantity: float,
        count: int,
        ids: list[int],
    ) -> tuple[list[dict[str, Any]], Bad | None]:
        regions, share = place[entity]
        key = (activity, unit, attributes, codes[entity])
        if key not in resolved:
            resolved[key] = _resolve_group(
                activity, unit, attributes, regions, resolver, library, options
            )
        category, found, reasons = resolved[key]
        if category is None:
            return [], None
        lines = [
            _line(category, entity, activity, unit, quantity, count, ids, share, method, result, i)
            for i, (method, result) in enumerate(found)
        ]
        if found:
            return lines, None
        return lines, (ids, entity, activity, category_key(category), "; ".join(reasons))

    upstream = [a for a in wanted if upstream_activity(a)]
    own = [a for a in wanted if a not in upstream]
    coded, others = None, activities.clear()
    if upstream:  # (a chunk of purchase lines alone has none: its rows as they were)
        others = _of(activities, own).sort("id") if own else activities.clear()
        coded = upstream_groups(activities, upstream, entities, others, LINE_ROW_IDS)
    lines: list[dict[str, Any]] = []
    bad: list[Bad] = []
    if coded is None:  # every Scope 3 row grouped by its texts
        rows = activities if len(wanted) == len(present) else _of(activities, wanted)
        lines, bad = _text_groups(rows.sort("id"), None, group_lines, SOLD)
    else:
        if others.height:
            lines, bad = _text_groups(others, coded.same, group_lines, SOLD)
        coded_lines, coded_bad = coded.parts(group_lines, no_method_key())
        lines = _by_first_row(lines, coded_lines, lambda line: line["row_ids"][0])
        bad = _by_first_row(bad, coded_bad, lambda group: group[0][0])
    if SOLD not in wanted:  # no pass over the rows for product sales
        return Scope3Parts(lines, bad)
    sold = activities.filter(pl.col("activity") == SOLD)
    sold_lines, sold_bad = product_lines(sold, place, products or {}, resolver, library, options)
    return Scope3Parts([*lines, *sold_lines], [*bad, *sold_bad])


def _of(activities: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    return activities.filter(pl.col("activity").is_in(names))


GroupLines = Callable[
    [str, str, str, str, float, int, list[int]], tuple[list[dict[str, Any]], Bad | None]
]


def _text_groups(
    rows: pl.DataFrame, same: dict[str, str | None] | None, group_lines: GroupLines, sold: str
) -> tuple[list[dict[str, Any]], list[Bad]]:
    """The lines and unresolved groups of ``rows`` grouped by their texts: (entity,
    activity, unit) and the attribute values the methods read. ``same``: the key columns
    constant over every Scope 3 row of the run (when category 3's rows are grouped apart,
    the grouping keeps the key columns all the rows gave), else found here."""
    values = _method_values(rows)
    keyed = rows.with_columns(values.columns(rows))
    # a line keeps its first row ids only; a group no method computes gets all of them below;
    # grouped by the attribute values themselves, each group's key text built once
    key = [*GROUP_KEY[:-1], *values.names]
    if same is None:
        by, same = _varying(rows, key)
    else:
        by = [c for c in key if c not in same] or key
        same = same if by is not key else {}
    groups = (
        keyed.group_by(by, maintain_order=True)
        .agg(
            pl.col("quantity").sum(),
            pl.len().alias("rows"),
            pl.col("id").head(LINE_ROW_IDS),
            pl.col("id").alias("all_ids"),  # read only for the groups no method computes
        )
        .with_columns(pl.lit(value, pl.Utf8).alias(column) for column, value in same.items())
        .select(*GROUP_KEY[:-1], values.key(), "quantity", "rows", "id", "all_ids")
    )
    lines: list[dict[str, Any]] = []
    bad: list[Bad] = []
    bad_groups: list[int] = []
    for number, row in enumerate(groups.drop("all_ids").iter_rows()):
        if row[1] == sold:
            continue  # one sale feeds two categories: product_lines
        found, unresolved = group_lines(*row)
        lines.extend(found)
        if unresolved is not None:
            bad.append(unresolved)
            bad_groups.append(number)
    if bad:  # each row is unresolved on its own: all of the group's ids, in row order
        every = groups["all_ids"].gather(bad_groups)
        bad = [(_ids(ids, a), e, a, c, r) for ids, (_, e, a, c, r) in zip(every, bad, strict=True)]
    return lines, bad


def _by_first_row(
    first: list[Any], second: list[Any], first_row: Callable[[Any], int]
) -> list[Any]:
    """Two lists of groups' entries, each in the order of its groups' first rows, as one in
    that order (the order one grouping of all the rows gives); a group's entries stay
    together in their order (the sort is stable, no two groups share a first row)."""
    if not first or not second:
        return first or second
    return sorted([*first, *second], key=first_row)


def _varying(rows: pl.DataFrame, key: list[str]) -> tuple[list[str], dict[str, str | None]]:
    """The key columns to group ``rows`` on, and the entity, activity and unit columns that
    hold one value in every row, with it: grouping on a column that never changes splits
    nothing, and a chunk of one site's purchase lines in dollars grouped on the method
    attributes and the entity alone cost 0.05 CPU s per 10⁶ lines, on all four 0.063."""
    same: dict[str, str | None] = {}
    if rows.height:
        for column in GROUP_KEY[:-1]:
            first = rows[column][0]
            if rows[column].eq_missing(first).all():  # a null is a value here, as in grouping
                same[column] = first
    by = [c for c in key if c not in same]
    return (by, same) if by else (key, {})


def _places(entities: pl.DataFrame) -> dict[str, tuple[tuple[Region, ...], float]]:
    """Each entity's regions and boundary share; the regions built once per (country,
    subdivision), not once per entity: 1,001 sites in a handful of places cost 0.10 CPU s."""
    chains: dict[tuple[str, str | None], tuple[Region, ...]] = {}
    place = {}
    for e, c, s, share in entities.select(
        "entity_id", "country", "subdivision", "share"
    ).iter_rows():
        if (c, s) not in chains:
            chains[c, s] = regions_for(c, s)
        place[e] = (chains[c, s], share)
    return place


def _ids(ids: pl.Series, activity: str) -> Ids:
    """An unresolved group's row ids: a list for a Scope 3 activity (each row is listed as
    unresolved, ``_unresolved``), an array for a fuel's or electricity's category 3 group,
    whose rows are only counted (their gaps stay in Scope 1/2's block): at 10⁷ rows turning
    them into Python ints cost 0.22 CPU s."""
    if activity_types()[activity].scope == 3:
        return ids.to_list()
    return ids.to_numpy()


_Resolved = tuple[int | None, list[tuple[Method, "_Computed"]], list[str]]
_ResolvedKey = tuple[str, str, str, tuple[tuple[str, str], ...]]
_Cache = dict[_ResolvedKey, _Resolved]
_RESOLVED: weakref.WeakKeyDictionary[FactorLibrary, tuple[RunOptions, _Cache]]
_RESOLVED = weakref.WeakKeyDictionary()


def _resolved_of(library: FactorLibrary, options: RunOptions) -> _Cache:
    """The row groups' resolutions of one run, shared by its chunks: a run over chunks of
    entities calls :func:`scope3_parts` once per chunk with the same library and options, and
    resolving every key again per chunk cost more than the chunk's rows (15 chunks × 335
    NAICS codes). Kept while the library lives, for the options object last seen with it: the
    same library and options resolve every key the same way."""
    held = _RESOLVED.get(library)
    if held is None or held[0] is not options:
        held = (options, {})
        _RESOLVED[library] = held
    return held[1]


GROUP_KEY = ["entity_id", "activity", "unit", "method_key"]
LINE_ROW_IDS = 20  # row ids a stored line names (``esg calc explain`` shows them)


def _resolve_group(
    activity: str,
    unit: str,
    attributes: str,
    regions: tuple[Region, ...],
    resolver: Resolver,
    library: FactorLibrary,
    options: RunOptions,
) -> _Resolved:
    """A row group's category, the methods that computed (with their factors) and why the
    others could not; None for a row no category takes."""
    attrs = _attributes(attributes)
    category = category_of(activity, attrs)
    if category is None:
        return None, [], []
    found = []
    reasons = []
    for method in methods_for(activity, attrs):
        result = _compute(method, unit, regions, resolver, library, options)
        if isinstance(result, str):
            reasons.append(f"{method.name}: {result}")
        else:
            found.append((method, result))
    return category, found, reasons


def merge_parts(parts: list[Scope3Parts]) -> Scope3Parts:
    """The parts of chunks of whole entities as one pass over all their rows gives them:
    each group in the order of its first row id, product sales after the other rows."""
    from esgledger.calc.scope3.products import SOLD  # it imports this module

    def line_key(line: dict[str, Any]) -> tuple[bool, int]:
        return line["activity"] == SOLD, line["row_ids"][0]

    def bad_key(group: Bad) -> tuple[bool, int]:
        return group[2] == SOLD, group[0][0]

    # sorted() is stable: the lines of one group (a method each) keep their order
    return Scope3Parts(
        sorted((line for p in parts for line in p.lines), key=line_key),
        sorted((group for p in parts for group in p.bad), key=bad_key),
    )


def finish_scope3(
    parts: Scope3Parts, library: FactorLibrary, screening: list[dict[str, Any]] | None = None
) -> Scope3Output:
    """The per-category figures, total and unresolved rows of all the run's parts."""
    lines = parts.lines
    bad, left_out = _left_out(parts.bad, screening or [])
    unresolved = _unresolved(bad)
    by_category, incomplete = _categories(lines, bad, library, left_out)
    gaps = apply_screening(by_category, screening or []) if screening else []
    used_lines = [line for line in lines if line["used"]]
    total = math.fsum(line["tco2e"] for line in used_lines) if used_lines else None
    used = sorted({f for line in lines for f in line["factor_ids"]})
    return Scope3Output(
        lines,
        unresolved,
        by_category,
        total,
        incomplete or bool(gaps),
        used,
        gaps,
        *run_reasons.reason([] if used_lines else _no_total_reason([*bad, *left_out])),
    )


def _no_total_reason(bad: Unresolvable) -> list[Why]:
    """Why a run has no Scope 3 figure at all: a sum of no computed row is not a zero."""
    rows = sum(len(ids) for ids, *_ in bad)
    if not rows:
        return [coded("scope3_no_rows")]
    return [coded("scope3_none_computed", rows=rows)]


def _line(
    category: int,
    entity: str,
    activity: str,
    unit: str,
    quantity: float,
    count: int,
    ids: list[int],
    share: float,
    method: Method,
    result: _Computed,
    position: int,
) -> dict[str, Any]:
    """One stored line: a row group under one method; the first method that resolved is
    the one used, the others are shown beside it."""
    return {
        "category": category_key(category),
        "entity_id": entity,
        "activity": activity,
        "method": method.name,
        "used": position == 0,
        "quantity": quantity,
        "unit": unit,
        "rows": count,
        "row_ids": ids[:LINE_ROW_IDS],
        "share": share,
        "tco2e": (quantity * result.tco2e_per_unit + count * result.tco2e_per_row) * share,
        "factor_ids": list(result.factor_ids),
        "rule": result.rule,
        "flags": list(result.flags),
    }


@dataclass(frozen=True)
class _MethodValues:
    """The attributes methods read, cut out of each row's JSON text: one column per
    attribute some row names (``names``), the others ``null`` in every key."""

    present: tuple[bool, ...]  # per METHOD_ATTRIBUTES
    names: tuple[str, ...]  # the columns of the present ones

    def columns(self, rows: pl.DataFrame) -> list[pl.Series]:
        """The value columns of ``rows`` (:func:`cut_value`)."""
        wanted = [n for n, held in zip(METHOD_ATTRIBUTES, self.present, strict=True) if held]
        return [
            cut_value(rows["attributes"], name).alias(column)
            for name, column in zip(wanted, self.names, strict=True)
        ]

    def key(self) -> pl.Expr:
        """The key text of each row (or group) from the value columns: the same JSON object
        whatever other attributes the row held."""
        pieces: list[pl.Expr | str] = []
        columns = iter(self.names)
        for i, (name, held) in enumerate(zip(METHOD_ATTRIBUTES, self.present, strict=True)):
            pieces += ["," * (i > 0) + f'"{name}":', pl.col(next(columns)) if held else "null"]
        return pl.concat_str([pl.lit("{"), *map(_literal, pieces), pl.lit("}")]).alias("method_key")


def _method_values(rows: pl.DataFrame) -> _MethodValues:
    """Which method attributes any row names, and their value columns.

    The stored attributes are a flat JSON object (``ingest.activities``; other writers may
    add spaces), so each field's value is cut out of the text as it stands and the key is
    rebuilt from those pieces: a regular-expression pass costs about a fifth of decoding
    every row's JSON (a purchase-order number makes each text distinct). Only a key opens
    with ``{`` or ``,`` and an unescaped quote: text inside a string value (or a key) cannot
    match, its quotes being escaped there. Rows are grouped by the value columns and each
    group's key text is built once, not once per row.

    A name no row's text holds at all (a plain substring search, several times cheaper than
    the expression) is ``null`` in every key without a pass: purchase lines name a NAICS code,
    not a vehicle or a waste treatment, and the key is the same text either way. A name the
    first rows hold needs no pass over the others, and the names they do not hold are looked
    for in one pass together (a name apart only if one of them is there): over 10⁶ purchase
    lines a pass per name cost 0.16 CPU s, this 0.10."""
    text = pl.col("attributes").cast(pl.Utf8).fill_null("")  # codes in an in-memory run

    def held(frame: pl.DataFrame, names: list[str]) -> set[str]:
        found = frame.select(
            *(text.str.contains(f'"{n}"', literal=True).any().alias(n) for n in names)
        ).row(0)
        return {n for n, h in zip(names, found, strict=True) if h}

    present_names = held(rows.head(SAMPLE_ROWS), list(METHOD_ATTRIBUTES))
    others = [n for n in METHOD_ATTRIBUTES if n not in present_names]
    if others and rows.height > SAMPLE_ROWS and _may_name(rows, others):
        any_other = text.str.contains_any([f'"{n}"' for n in others]).any()
        if rows.select(any_other).item():
            present_names |= held(rows, others)
    present = tuple(n in present_names for n in METHOD_ATTRIBUTES)
    names = tuple(f"__method_{n}" for n, h in zip(METHOD_ATTRIBUTES, present, strict=True) if h)
    return _MethodValues(present, names)


def _may_name(rows: pl.DataFrame, names: list[str]) -> bool:
    """Whether some row's text may hold one of the quoted ``names``: each name and its
    closing quote, searched together as one pattern of plain words. No hit means no name
    (every ``"name"`` holds ``name"``); a hit is checked exactly by the caller. The exact
    search of the quoted names cannot skip ahead on their common opening quote: over 10⁶
    purchase lines it cost 0.09 CPU s, this 0.03."""
    pattern = "(?:" + "|".join(re.escape(n) for n in names) + ')"'
    text = pl.col("attributes").cast(pl.Utf8)  # codes in an in-memory run
    return bool(rows.select(text.str.contains(pattern).any()).item())


def cut_value(text: pl.Series, name: str) -> pl.Series:
    """``name``'s value cut out of each JSON ``text`` as it stands: a JSON string with its
    escapes, or a bare literal; a missing one reads as the literal null, as a stored null
    does. The value is the first that follows ``{`` or ``,`` and the key (the pattern below).

    A text that opens with the key and a string holding no quote or backslash (an imported
    line's sorted ``{"naics":"…",…}``) is cut by a pattern anchored at its start, and the
    whole pattern runs over the other texts only: their match starts at the opening ``{``
    and the string ends at its first quote, so the value is the same. Over 10⁶ purchase
    lines the whole pattern cost 0.27 CPU s, the anchored one 0.10."""
    text = text.cast(pl.Utf8).fill_null("")  # codes in an in-memory run
    cut = text.str.extract(rf'^\{{"{name}":("[^"\\]*")', 1)
    others = cut.is_null().arg_true()
    if others.len():
        pattern = rf'[{{,]\s*"{name}"\s*:\s*("(?:[^"\\]|\\.)*"|[^,}}\s]+)'
        cut = cut.scatter(others, text.gather(others).str.extract(pattern, 1))
    return cut.fill_null("null")


def _literal(piece: pl.Expr | str) -> pl.Expr:
    return pl.lit(piece) if isinstance(piece, str) else piece


@functools.cache
def no_method_key() -> str:
    """The key text of a row naming no method attribute (every fuel and electricity row).

    Worked out on first use, not at import: a Polars expression evaluated at import starts
    its thread pool, which a process forked from an importer inherits with its locks held
    (``tests/test_import_threads.py``)."""
    return str(pl.select(_MethodValues((False,) * len(METHOD_ATTRIBUTES), ()).key()).item())


def _attributes(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    return {k: str(v) for k, v in json.loads(text).items() if v is not None}


def _compute(
    method: Method,
    unit: str,
    regions: tuple[Region, ...],
    resolver: Resolver,
    library: FactorLibrary,
    options: RunOptions,
) -> _Computed | str:
    """t CO2e per unit of the row for one method, or why it cannot be computed."""
    if method.missing:
        return method.missing
    if method.supplier_kg is not None:
        rule = "supplier's product footprint of the line (supplier_kgco2e), kg → t"
        return _Computed(0.0, method.supplier_kg / 1000.0, (), rule, ())
    per_unit = 0.0
    ids: list[str] = []
    rules: list[str] = []
    flags: list[str] = []
    for component in method.components:
        search = regions if method.local_only else (*regions, Region("any", ANY))
        part = _component(
            component, unit, search, regions, resolver, library, options, method.price_year
        )
        if isinstance(part, str):
            return part
        per_unit += part.tco2e_per_unit
        ids.extend(part.factor_ids)
        rules.append(f"{component.label}: {part.rule}")
        flags.extend(part.flags)
    return _Computed(per_unit, 0.0, tuple(ids), "; ".join(rules), tuple(dict.fromkeys(flags)))


def _component(
    component: Component,
    unit: str,
    search: tuple[Region, ...],
    regions: tuple[Region, ...],
    resolver: Resolver,
    library: FactorLibrary,
    options: RunOptions,
    price_year: int | None = None,
) -> _Computed | str:
    tried: list[str] = []
    for variant in component.variants:
        found = resolver.resolve(
            kind="emission_factor",
            activity=component.factor_activity,
            parameter="ef",
            gas="CO2e",
            year=options.year,
            regions=search,
            series=resolver.chain(SCOPE3_SERIES),
            variants=(variant,),
        )
        if found is None:
            tried.append(variant)
            continue
        converted = _per_unit(found, unit, regions, library, options, price_year)
        if isinstance(converted, str):
            tried.append(f"{variant} ({converted})")
            continue
        return converted
    what = ", ".join(tried) or "none"
    where = ", ".join(r.code for r in search if r.code != ANY) or "any region"
    return (
        f"no {component.label} factor for {component.factor_activity} in {unit} for {where} "
        f"(variants tried: {what})"
    )


def _per_unit(
    found: Resolution,
    unit: str,
    regions: tuple[Region, ...],
    library: FactorLibrary,
    options: RunOptions,
    price_year: int | None = None,
) -> _Computed | str:
    """The factor in t CO2e per unit of the row, spend converted to the factor's dollars
    (from the line's own price year when it states one, else the run's year)."""
    factor = found.factor
    flags = list(found.flags)
    if factor.region not in {r.code for r in regions}:
        flags.append(GEOGRAPHIC_PROXY)  # e.g. UK freight factors for a Chinese site
    rule = found.rule
    ids = [factor.factor_id]
    base_unit = unit
    if currency_of(unit) is not None and currency_of(factor.unit.split("/")[-1]) is not None:
        spent = price_year or options.year
        conversion = to_factor_dollars(library, unit, spent, factor.data_year or spent)
        if isinstance(conversion, str):
            return conversion
        rule += f"; {conversion.note}" if conversion.note else ""
        rule += f"; amounts stated in {price_year} prices" if price_year else ""
        ids.extend(conversion.factor_ids)
        scale, base_unit = conversion.multiplier, "USD"
    else:
        scale = 1.0
    try:
        to_t = multiplier(f"({base_unit}) * ({factor.unit})", "tCO2e")
    except InvalidInput:
        return f"unit {unit!r} does not fit factor unit {factor.unit!r}"
    return _Computed(factor.value * to_t * scale, 0.0, tuple(ids), rule, tuple(flags))


def _left_out(
    bad: Unresolvable, screening: list[dict[str, Any]]
) -> tuple[Unresolvable, Unresolvable]:
    """Unresolved row groups split into those still missing and those of an activity type the
    year's screening leaves out of their category (with a note saying why): the latter are
    reported per category as left out, not as a gap."""
    excluded = {
        (s["category"], activity)
        for s in screening
        for activity in s.get("excluded_activities", ())
    }
    missing = [b for b in bad if (b[3], b[2]) not in excluded]
    return missing, [b for b in bad if (b[3], b[2]) in excluded]


def _unresolved(bad: Unresolvable) -> pl.DataFrame:
    records = [
        (i, e, a, "scope3", reason)
        for ids, e, a, _cat, reason in bad
        if activity_types()[a].scope == 3  # category 3 gaps stay in its block: Scope 1/2
        for i in ids  # rows are complete on their own
    ]
    return pl.DataFrame(records, schema=UNRESOLVED_SCHEMA, orient="row")


def _categories(
    lines: list[dict[str, Any]],
    bad: Unresolvable,
    library: FactorLibrary,
    left_out: Unresolvable,
) -> tuple[dict[str, dict[str, Any]], bool]:
    """``cat1`` … ``cat15``: figure of the used methods, every method's figure, editions,
    unresolved rows with reasons."""
    unresolved_by_cat: dict[str, int] = {}
    reasons_by_cat: dict[str, set[str]] = {}
    for ids, _entity, activity, cat, reason in bad:
        unresolved_by_cat[cat] = unresolved_by_cat.get(cat, 0) + len(ids)
        reasons_by_cat.setdefault(cat, set()).add(f"{activity}: {reason}")
    left_by_cat: dict[str, dict[str, dict[str, Any]]] = {}
    for ids, _entity, activity, cat, reason in left_out:
        part = left_by_cat.setdefault(cat, {}).setdefault(
            activity, {"activity": activity, "rows": 0, "reasons": set()}
        )
        part["rows"] += len(ids)
        part["reasons"].add(reason)
    out: dict[str, dict[str, Any]] = {}
    for number, name in CATEGORIES.items():
        key = category_key(number)
        mine = [line for line in lines if line["category"] == key]
        missing = unresolved_by_cat.get(key, 0)
        used = [line for line in mine if line["used"]]
        methods: dict[str, dict[str, Any]] = {}
        for line in mine:
            m = methods.setdefault(line["method"], {"tco2e": 0.0, "used_rows": 0, "rows": 0})
            m["tco2e"] += line["tco2e"]
            m["rows"] += line["rows"]
            m["used_rows"] += line["rows"] if line["used"] else 0
        used_names = sorted({line["method"] for line in used})
        method = "hybrid" if len(used_names) > 1 else (used_names[0] if used_names else None)
        out[key] = {
            "name": name,
            "tco2e": sum(line["tco2e"] for line in used) if used else None,
            "status": "calculated" if used else "not_available",
            "method": method,
            "methods": methods,
            **_reason_of(_reason(used, missing, sorted(reasons_by_cat.get(key, ())))),
            "factor_editions": sorted(
                {library.by_id[f].edition for line in used for f in line["factor_ids"]}
            ),
            "unresolved_rows": missing,
            "unresolved_reasons": sorted(reasons_by_cat.get(key, ())),
            "incomplete": missing > 0,
            **_range(used),
            **_left_out_parts(left_by_cat.get(key, {})),
        }
    return out, any(c["incomplete"] for c in out.values())


def _reason_of(why: list[Why]) -> dict[str, Any]:
    english, codes = run_reasons.reason(why)
    return {"reason": english, "reason_why": codes}


def _left_out_parts(parts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``left_out``: per activity type the screening leaves out, its rows and why they could
    not be computed (present only when some are)."""
    if not parts:
        return {}
    return {"left_out": [{**p, "reasons": sorted(p["reasons"])} for _, p in sorted(parts.items())]}


def _range(used: list[dict[str, Any]]) -> dict[str, Any]:
    """The sensitivity range of a category whose lines carry one (use phase: lifetime)."""
    if not used or any("tco2e_low" not in line for line in used):
        return {}
    return {
        "range": {
            "low_tco2e": math.fsum(line["tco2e_low"] for line in used),
            "high_tco2e": math.fsum(line["tco2e_high"] for line in used),
            "basis": "the product models' low and high lifetimes",
        }
    }


def _reason(used: list[dict[str, Any]], missing: int, reasons: list[str]) -> list[Why]:
    """The category's own reason as codes (its sentence is worded from them, #19)."""
    if missing and not used:
        said = "; ".join(reasons)[:300]
        return [coded("scope3_all_unresolved", rows=missing, reasons=said)]
    if missing:
        return [coded("scope3_some_unresolved", rows=missing)]
    if not used:
        return [coded("scope3_not_screened")]
    return []
