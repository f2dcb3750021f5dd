"""KPI tables and series from plain inputs built in the test: no database, no migrations (#20).

A :class:`Ledger` holds what a workspace would store, as the imports store it: the entity
tree, KPI rows (a changed value with a reason restates the current one, which stays as
history), activity sums, boundaries, calculation runs and register figures. ``inputs``
hands them to the KPI computation as :class:`~esgledger.kpi.table_inputs.TableInputs`,
the way :mod:`esgledger.kpi.table_reads` reads them from a session;
``tests/kpi/test_plain_inputs_read.py`` holds the two to the same tables.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from esgledger.calc.columnar_read import ACTIVITY_SCHEMA
from esgledger.calc.options import RunOptions
from esgledger.catalog import metrics
from esgledger.kpi.calculated import ActivitySums
from esgledger.kpi.figures import KpiFigure, dims_text
from esgledger.kpi.given_scopes import YEARLY, GivenScopes, table_families
from esgledger.kpi.register_source import RegisterFigure
from esgledger.kpi.scope import Scope
from esgledger.kpi.series import series_of
from esgledger.kpi.table_inputs import TableInputs, YearRun
from esgledger.kpi.values import table_of
from esgledger.ledger.kpi_rows import KpiRow
from esgledger.ledger.models import CalculationRun
from tests.factories import ENTITIES
from tests.kpi.plain_runs import activity_rows, computed_run, entity_frame

ROOT = "GRP"
Table = dict[tuple[str, str], KpiFigure]


class Ledger:
    """What a workspace stores, in memory (see the module's docstring)."""

    def __init__(self, entities: Iterable[Sequence[str]] = ENTITIES):
        self.entities = [list(e) for e in entities]  # id, name, parent, country, subdivision
        self.parents: dict[str, str | None] = {e[0]: (e[2] or None) for e in self.entities}
        self.stored = pl.DataFrame(schema=ACTIVITY_SCHEMA)  # activity rows, as imported
        self.rows: list[KpiRow] = []
        self.sums: dict[int, ActivitySums] = {}
        self.boundaries: dict[tuple[int, str], Scope] = {}
        self.runs: dict[tuple[int, str | None], YearRun] = {}
        self.registers: list[RegisterFigure] = []
        self._ids = itertools.count(1)
        self.run_ids = itertools.count(1)

    def kpis(self, *given: dict[str, Any]) -> None:
        """One import of KPI rows (dicts of :class:`KpiRow` fields; ``entity_id`` defaults
        to the group, ``dims`` to none; ``decimals`` as printed). New keys are stored
        first, then the restatements (``restatement_reason``) of current values."""
        current = {(r.entity_id, r.year, r.metric_id, r.dims): r for r in self.rows if r.is_current}
        new, restating = [], []
        for fields in given:
            row = {**_DEFAULTS, **fields}
            key = (row["entity_id"], row["year"], row["metric_id"], row["dims"])
            old = current.get(key)
            if old is None:
                new.append(row)
            else:
                assert row["restatement_reason"], f"{key} is recorded: give a reason"
                restating.append((old, row))
        self.rows += [KpiRow(**{**row, "id": next(self._ids)}) for row in new]
        for old, row in restating:
            at = self.rows.index(old)
            self.rows[at] = old._replace(is_current=False)
            self.rows.append(KpiRow(**{**row, "id": next(self._ids), "restates_id": old.id}))

    def activity(self, entity: str, year: int, activity: str, quantity: float, unit: str) -> None:
        """A whole year's activity quantity, added to the year's sums as the ledger's SQL
        sums rows (by year of start, activity, entity and unit)."""
        parts = self.sums.setdefault(year, ActivitySums())[(activity, entity)]
        for i, (known, total) in enumerate(parts):
            if known == unit:
                parts[i] = (unit, total + quantity)
                return
        parts.append((unit, quantity))

    def import_activities(self, header: Sequence[str], cells: Iterable[Sequence[object]]) -> None:
        """An ``esg import activities`` file: its rows validated and kept as stored (for
        :meth:`calc`) and added to their years' sums."""
        frame = activity_rows(header, cells, self.stored.height + 1, self.parents)
        self.stored = pl.concat([self.stored, frame])
        for entity, start, kind, quantity, unit in frame.select(
            "entity_id", "start", "activity", "quantity", "unit"
        ).iter_rows():
            self.activity(entity, start.year, kind, quantity, unit)

    def calc(self, year: int, **options: Any) -> CalculationRun:
        """``esg calc --year YEAR``: the engine's run over the imported rows of the year and
        its energy/GHG boundary (:mod:`tests.kpi.plain_runs`), the year's newest."""
        scope = self.scopes(year).for_family("energy_ghg")
        made = computed_run(
            next(self.run_ids),
            RunOptions(year=year, **options),
            self.stored,
            entity_frame(self.entities, scope),
            boundary=scope.code,
        )
        self.runs[(year, scope.code)] = YearRun(made.run, made.unresolved)
        return made.run

    def boundary(self, code: str, year: int, family: str, *include: str) -> None:
        """A boundary of ``include``'s subtrees, every member at 100 %."""
        members = {e for e in self.parents if any(self._under(e, top) for top in include)}
        self.boundaries[(year, family)] = Scope(code, dict.fromkeys(sorted(members), 1.0))

    def run(self, year: int, totals: str, *, code: str | None = None, ident: int = 1) -> None:
        """The year's newest calculation run on boundary ``code``, its stored totals given."""
        run = CalculationRun(id=ident, year=year, boundary_code=code, totals=totals, unresolved=0)
        self.runs[(year, code)] = YearRun(run)

    def scopes(self, year: int, boundary: str | None = None) -> GivenScopes:
        """The year's scopes (``boundary``, a code of this ledger, overriding every family)."""
        if boundary is not None:
            (scope,) = [s for s in self.boundaries.values() if s.code == boundary]
            families = dict.fromkeys(table_families(), scope)
        else:  # a family's boundary of the year counts for the yearly families only
            families = {f: s for (y, f), s in self.boundaries.items() if y == year and f in YEARLY}
        return GivenScopes(year, self.parents, families)

    def inputs(self, year: int, boundary: str | None = None) -> TableInputs:
        """The year's table inputs, the rows as a table reads them (counted, oldest first)."""
        scopes = self.scopes(year, boundary)
        rows = [r for r in self.rows if r.year == year and r.counts]
        restated = {r.restates_id for r in rows if r.restates_id is not None}
        return TableInputs(
            year=year,
            scopes=scopes,
            sums=self.sums.get(year) or ActivitySums(),
            rows=rows,
            replaced={r.id: r for r in self.rows if r.id in restated},
            registers=[f for f in self.registers if f.year == year],
            runs={code: run for (y, code), run in self.runs.items() if y == year},
        )

    def table(self, year: int, boundary: str | None = None) -> Table:
        return table_of(self.inputs(year, boundary))

    def series(self, year: int, years: int = 3, boundary: str | None = None) -> dict[str, Any]:
        """What ``esg kpi --year YEAR --years YEARS --json`` prints, as data."""
        span = range(year - years + 1, year + 1)
        given = {y: self.inputs(y, boundary if y == year else None) for y in span}
        return series_of(year, given)[0]

    def _under(self, entity: str, top: str) -> bool:
        current: str | None = entity
        while current is not None:
            if current == top:
                return True
            current = self.parents.get(current)
        return False


_DEFAULTS: dict[str, Any] = {
    "entity_id": ROOT,
    "dims": "",
    "decimals": 0,
    "status": "reported",
    "qualifier": "exact",
    "preliminary": False,
    "source": "",
    "note": "",
    "is_current": True,
    "restates_id": None,
    "restatement_reason": "",
    "batch_id": None,
    "pending": False,
}


def kpi(
    metric: str, value: float | None, unit: str, year: int = 2025, **extra: Any
) -> dict[str, Any]:
    """A KPI row's fields, as :meth:`Ledger.kpis` takes them (``gender="female"`` and the
    other breakdowns go into ``dims``)."""
    dims = {k: extra.pop(k) for k in ("gender", "age_band", "position", "region") if k in extra}
    return {
        "metric_id": metric,
        "value": value,
        "unit": unit,
        "year": year,
        "dims": dims_text(dims),
        **extra,
    }


def figure_of(series: dict[str, Any], metric: str, year: int, dims: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """The series' figure of a metric (no breakdown unless ``dims``) in ``year``."""
    (row,) = [k for k in series["kpis"] if k["metric"] == metric and k["dims"] == (dims or {})]
    return row["figures"][str(year)]


def metric_of(calc_key: str) -> str:
    return next(m.id for m in metrics().values() if m.calc_key == calc_key)
