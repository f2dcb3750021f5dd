"""Targets on catalog metrics and their progress (SYSTEM.md §11).

A target names a metric of :func:`esgledger.catalog.metrics`, an operator (≤, ≥, =), a value
and unit (compatible with the metric's; ``‰`` for rates per mille), a target year and,
optionally, a base year and value for a linear pathway. Kinds: ``absolute``, ``intensity``
(a metric per unit of revenue) and ``ratio`` (% or ‰ targets such as "minor injuries ≤ 3‰
of employees"), inferred from the metric when not given.

Actuals come from the KPI values (:func:`esgledger.kpi.values.metric_value`), converted to
the target's unit with their qualifier (an "≤ y" actual keeps ``at_most``). A year without a
KPI figure can take an actual entered by hand (``esg targets actual``); the line says which
source it used. The maths is in :mod:`esgledger.assess.progress`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.assess.progress import QUALIFIERS, Goal, evaluate, operator
from esgledger.catalog import metric
from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.ledger import audit
from esgledger.ledger.assess_models import Target, TargetActual
from esgledger.units import compatible, multiplier

if TYPE_CHECKING:
    from esgledger.kpi.figures import KpiFigure

KINDS = ("absolute", "intensity", "ratio")


def infer_kind(metric_id: str, unit: str) -> str:
    m = metric(metric_id)
    if unit.strip() in ("%", "‰", "permille", "percent") or m.unit in ("%", "permille"):
        return "ratio"
    if "intensity" in metric_id or "/" in m.unit:
        return "intensity"
    return "absolute"


def kpi_actual(
    session: Session,
    metric_id: str,
    year: int,
    unit: str | None = None,
    table: Mapping[tuple[str, str], KpiFigure] | None = None,
) -> dict[str, Any] | None:
    """The KPI figure of a metric and year in ``unit`` (default the metric's), with its
    qualifier; None when there is no reported value. ``table``: the year's KPI table when
    the caller has it (a table reads every figure of the year)."""
    from esgledger.kpi.values import metric_value

    figure = metric_value(session, metric_id, year) if table is None else table.get((metric_id, ""))
    unit = unit or metric(metric_id).unit
    if figure is None or figure.value is None or figure.status != "reported":
        return None
    value = figure.value * multiplier(figure.unit, unit) if figure.unit != unit else figure.value
    return {
        "value": value,
        "qualifier": figure.qualifier or "exact",
        "source": "kpi",
        "kpi_source": figure.source,
    }


def _base_value(
    session: Session,
    metric_id: str,
    unit: str,
    base_year: int | None,
    base_value: float | None,
    target_year: int,
) -> float | None:
    """The given base value, or the KPI value of the base year."""
    if base_year is not None and base_year > target_year:
        raise InvalidInput("the base year must not come after the target year")
    if base_value is not None and base_year is None:
        raise InvalidInput("a base value needs its base year")
    if base_year is None or base_value is not None:
        return base_value
    found = kpi_actual(session, metric_id, base_year, unit)
    if found is None:
        raise InvalidInput(f"no KPI value of {metric_id} for {base_year}; give --base-value")
    return float(found["value"])


def add_target(
    session: Session,
    *,
    code: str,
    metric_id: str,
    op: str,
    value: float,
    target_year: int,
    unit: str | None = None,
    kind: str | None = None,
    base_year: int | None = None,
    base_value: float | None = None,
    start_year: int | None = None,
    tolerance: float = 0.0,
    scope: str = "",
    description: str = "",
    actor: str,
) -> Target:
    """A new target; a base year without a value takes the KPI value of that year."""
    m = metric(metric_id)
    unit = (unit or m.unit).strip()
    if not compatible(unit, m.unit):
        raise InvalidInput(f"unit {unit!r} does not fit metric {metric_id} (in {m.unit})")
    kind = kind or infer_kind(metric_id, unit)
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    base_value = _base_value(session, metric_id, unit, base_year, base_value, target_year)
    if session.scalar(select(Target.id).where(Target.code == code)):
        raise Conflict(f"target {code!r} already exists")
    target = Target(
        code=code,
        metric_id=metric_id,
        kind=kind,
        operator=operator(op),
        target_value=value,
        unit=unit,
        tolerance=tolerance,
        scope=scope,
        base_year=base_year,
        base_value=base_value,
        start_year=start_year,
        target_year=target_year,
        description=description,
        actor=actor,
    )
    session.add(target)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="target.add",
        subject=f"target:{code}",
        payload=target_dict(target),
    )
    return target


def target_dict(t: Target) -> dict[str, Any]:
    return {
        "code": t.code,
        "metric": t.metric_id,
        "kind": t.kind,
        "operator": t.operator,
        "target_value": t.target_value,
        "unit": t.unit,
        "tolerance": t.tolerance,
        "scope": t.scope,
        "base_year": t.base_year,
        "base_value": t.base_value,
        "start_year": t.start_year,
        "target_year": t.target_year,
        "description": t.description,
    }


def get_target(session: Session, code: str) -> Target:
    target = session.scalar(select(Target).where(Target.code == code))
    if target is None:
        raise NotFound(f"unknown target {code!r}; `esg targets list` lists them")
    return target


def list_targets(session: Session) -> list[Target]:
    return list(session.scalars(select(Target).order_by(Target.code)))


def record_actual(
    session: Session,
    code: str,
    *,
    year: int,
    value: float | None,
    qualifier: str = "exact",
    note: str = "",
    actor: str,
) -> TargetActual:
    """An actual entered by hand, in the target's unit (replaces an earlier one of that year)."""
    if qualifier not in QUALIFIERS:
        raise InvalidInput(f"qualifier must be one of {', '.join(QUALIFIERS)}, not {qualifier!r}")
    target = get_target(session, code)
    row = session.scalar(
        select(TargetActual).where(TargetActual.target_id == target.id, TargetActual.year == year)
    )
    if row is None:
        row = TargetActual(target_id=target.id, year=year, actor=actor)
        session.add(row)
    row.value, row.qualifier, row.note, row.actor = value, qualifier, note, actor
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="target.actual",
        subject=f"target:{code}",
        payload={"year": year, "value": value, "qualifier": qualifier, "note": note},
    )
    return row


def goal_of(t: Target) -> Goal:
    return Goal(
        operator=t.operator,
        target_value=t.target_value,
        target_year=t.target_year,
        base_year=t.base_year,
        base_value=t.base_value,
        tolerance=t.tolerance,
    )


def actual_for(
    session: Session,
    t: Target,
    year: int,
    table: Mapping[tuple[str, str], KpiFigure] | None = None,
) -> dict[str, Any]:
    """The year's actual: the KPI figure, else a hand-entered one, else nothing."""
    found = kpi_actual(session, t.metric_id, year, t.unit, table)
    if found is not None:
        return found
    manual = session.scalar(
        select(TargetActual).where(TargetActual.target_id == t.id, TargetActual.year == year)
    )
    if manual is not None:
        return {
            "value": manual.value,
            "qualifier": manual.qualifier,
            "source": "manual",
            "note": manual.note,
        }
    return {"value": None, "qualifier": "exact", "source": "none"}


def progress(
    session: Session,
    *,
    years: Sequence[int],
    code: str | None = None,
    tables: Mapping[int, Mapping[tuple[str, str], KpiFigure]] | None = None,
) -> list[dict[str, Any]]:
    """One line per target and year: actual, pathway, on track, status. Each year's KPI
    table is computed once for all targets, or taken from ``tables`` (e.g. a page's cache)."""
    from esgledger.kpi.values import kpi_table

    targets = [get_target(session, code)] if code else list_targets(session)
    known = dict(tables or {})
    out = []
    for t in targets:
        for year in years:
            if year not in known:
                known[year] = kpi_table(session, year)
            actual = actual_for(session, t, year, known[year])
            line = evaluate(goal_of(t), year, actual["value"], actual["qualifier"])
            out.append(
                {
                    "target": t.code,
                    "metric": t.metric_id,
                    "operator": t.operator,
                    "target_value": t.target_value,
                    "unit": t.unit,
                    "target_year": t.target_year,
                    **line,
                    "actual_source": actual["source"],
                }
            )
    return out
