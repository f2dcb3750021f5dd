"""Register figures in the KPI table: counted per entity by each provider, rolled up here.

Every provider in :data:`esgledger.kpi.register_source.PROVIDERS` returns, for a year, one
:class:`~esgledger.kpi.register_source.RegisterFigure` per metric, breakdown and entity it
covers (zero included: an entity whose register has no cases this year has 0 cases, an
entity the register does not cover has no figure). This module turns them into KPI figures:

- roll-up: each figure counts at its nearest boundary member (itself or an ancestor),
  weighted by the member's share; figures outside the boundary are left out and said so;
  figures are counts (cases, hours, people), so they add up — ratios are catalog formulas
  over them (:mod:`esgledger.kpi.derived`);
- coverage: a figure covers its entity's whole branch (a group-wide hotline covers every
  site); boundary members no figure covers make the figure partial;
- ``source: "register"``, ``inputs`` naming each register with its row count, and lineage
  (:func:`register_lineage`) to the rows behind it for ``esg kpi explain``;
- precedence against a typed value: :func:`esgledger.kpi.precedence.choose`, as for every
  recomputed figure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from esgledger.catalog import metrics
from esgledger.kpi.coverage import children_of, uncovered
from esgledger.kpi.figures import KpiFigure, dims_text
from esgledger.kpi.precedence import choose
from esgledger.kpi.register_figures.notes import coded, part_english
from esgledger.kpi.register_source import PROVIDERS, RegisterFigure
from esgledger.kpi.scope import Scope, Scopes

Key = tuple[str, str]


@dataclass(frozen=True)
class Counted:
    """A provider's figure placed at the boundary member it rolls up to."""

    figure: RegisterFigure
    member: str | None  # None: outside the boundary (left out)


def provided(session: Session, year: int) -> list[RegisterFigure]:
    """Every provider's figures of the year; a figure of an unknown metric is a provider bug."""
    from esgledger.kpi import register_figures  # noqa: F401  (registers their providers)

    catalog = metrics()
    out = []
    for provider in PROVIDERS:
        for fig in provider(session, year):
            if fig.metric not in catalog:
                raise ValueError(f"register {fig.register!r} yields unknown metric {fig.metric!r}")
            out.append(fig)
    return out


def _member_of(entity: str, scope: Scope, parents: dict[str, str | None]) -> str | None:
    """The entity itself or its nearest ancestor inside the boundary."""
    seen: set[str] = set()
    current: str | None = entity
    while current is not None and current not in seen:
        if current in scope.shares:
            return current
        seen.add(current)
        current = parents.get(current)
    return None


def _placed(figures: Iterable[RegisterFigure], scopes: Scopes) -> dict[Key, list[Counted]]:
    grouped: dict[Key, list[Counted]] = defaultdict(list)
    for fig in figures:
        scope = scopes.for_family(metrics()[fig.metric].boundary_family)
        member = _member_of(fig.entity_id, scope, scopes.parents)
        grouped[(fig.metric, dims_text(fig.dims))].append(Counted(fig, member))
    return grouped


def _branch_closure(covered: set[str], children: dict[str, list[str]]) -> set[str]:
    """The covered entities and everything below them."""
    out, stack = set(), list(covered)
    while stack:
        entity = stack.pop()
        if entity not in out:
            out.add(entity)
            stack.extend(children.get(entity, []))
    return out


def _uncovered(metric_id: str, placed: list[Counted], scopes: Scopes) -> list[str]:
    scope = scopes.for_family(metrics()[metric_id].boundary_family)
    children = children_of(scopes.parents)
    covered = {c.member for c in placed if c.member is not None}
    return uncovered(scope.shares, _branch_closure(covered, children), children)


def _inputs(placed: list[Counted]) -> list[dict[str, object]]:
    rows: dict[str, set[int | str]] = defaultdict(set)
    entities: dict[str, set[str]] = defaultdict(set)
    for c in placed:
        if c.member is not None:
            rows[c.figure.register].update(c.figure.row_ids)
            entities[c.figure.register].add(c.figure.entity_id)
    return [
        {"register": name, "rows": len(rows[name]), "entities": len(entities[name])}
        for name in sorted(rows)
    ]


def _figure(
    key: Key, placed: list[Counted], year: int, scopes: Scopes, gaps: list[str]
) -> KpiFigure:
    metric = metrics()[key[0]]
    scope = scopes.for_family(metric.boundary_family)
    inside = [c for c in placed if c.member is not None]
    valued = [c for c in inside if c.figure.value is not None]
    said = {c.figure.note: c.figure.note_why for c in inside if c.figure.value is None}
    notes = sorted(n for n in said if n)
    why = [w for n in notes for w in said[n]]  # the providers' codes, then the roll-up's
    outside = len(placed) - len(inside)
    if outside:
        why.append(coded("outside_boundary", n=outside))
        notes.append(part_english(why[-1]))
    if not valued:
        why.insert(0, coded("no_boundary_figure"))
        notes.insert(0, part_english(why[0]))
    elif gaps:
        shown = ", ".join(gaps[:5]) + (" …" if len(gaps) > 5 else "")
        why.append(coded("members_uncovered", n=len(gaps), members=shown))
        notes.append(part_english(why[-1]))
    total = math.fsum(  # exactly rounded, as every roll-up
        value * scope.shares[member]
        for c in sorted(valued, key=lambda c: (c.figure.entity_id, c.figure.register))
        if (value := c.figure.value) is not None and (member := c.member) is not None
    )
    return KpiFigure(
        metric=metric.id,
        year=year,
        value=total if valued else None,
        unit=metric.unit,
        source="register",
        dims=dict(placed[0].figure.dims),
        status="reported" if valued else "missing",
        boundary=scope.code,
        entities=len({c.member for c in valued}),
        inputs=_inputs(placed),
        note="; ".join(notes),
        note_why=why,
        partial=bool(valued) and bool(gaps),
    )


def register_table(session: Session, year: int, scopes: Scopes) -> dict[Key, KpiFigure]:
    """(metric, dims) → the register figure rolled up over the boundary."""
    return rolled_up(provided(session, year), year, scopes)


def rolled_up(given: Iterable[RegisterFigure], year: int, scopes: Scopes) -> dict[Key, KpiFigure]:
    """:func:`register_table` from the providers' figures of ``year`` (:func:`provided`)."""
    grouped = _placed(given, scopes)
    by_metric: dict[str, list[Counted]] = defaultdict(list)
    for (metric_id, _), placed in grouped.items():
        by_metric[metric_id].extend(placed)
    gaps = {m: _uncovered(m, placed, scopes) for m, placed in by_metric.items()}
    return {
        key: _figure(key, placed, year, scopes, gaps[key[0]]) for key, placed in grouped.items()
    }


def merge_registers(
    given: Iterable[RegisterFigure], year: int, scopes: Scopes, figures: dict[Key, KpiFigure]
) -> None:
    """Put each register figure (from the providers' ``given``) beside the typed value of
    its key; the precedence decides."""
    for key, computed in rolled_up(given, year, scopes).items():
        used = choose(figures.get(key), computed)
        if used.comparison is not None:
            used.comparison["recomputed_source"] = "register"
        figures[key] = used


def register_lineage(
    session: Session, year: int, scopes: Scopes, metric_id: str, dims: str = ""
) -> list[dict[str, object]]:
    """The entity figures and register rows behind a metric's register figure."""
    return lineage_of(provided(session, year), scopes, metric_id, dims)


def lineage_of(
    given: Iterable[RegisterFigure], scopes: Scopes, metric_id: str, dims: str = ""
) -> list[dict[str, object]]:
    """:func:`register_lineage` from the providers' figures of the year (:func:`provided`)."""
    grouped = _placed((f for f in given if f.metric == metric_id), scopes)
    return [
        {
            "register": c.figure.register,
            "entity": c.figure.entity_id,
            "member": c.member,
            "value": c.figure.value,
            "rows": list(c.figure.row_ids),
            "note": c.figure.note,
            "note_why": [dict(w) for w in c.figure.note_why],  # to word the note (#19)
        }
        for c in sorted(grouped.get((metric_id, dims), []), key=lambda c: c.figure.entity_id)
    ]
