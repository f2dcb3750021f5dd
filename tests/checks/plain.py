"""Check rules over KPI rows built in memory: no database, no migrations (#20).

A context over :class:`~esgledger.checks.plain_inputs.CheckInputs` has no session at all:
each test gives the rows, tables, runs and registers its rule reads, nothing else.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from esgledger.calc.columnar_read import ACTIVITY_SCHEMA
from esgledger.calc.library import FactorLibrary, user_records
from esgledger.calc.options import RunOptions, parse_pins
from esgledger.catalog.factors import factors as shipped_factors
from esgledger.checks.context import CheckContext
from esgledger.checks.engine import merged, rule_findings
from esgledger.checks.findings import Finding
from esgledger.checks.plain_inputs import CheckInputs
from esgledger.checks.reads import SPAN, Table
from esgledger.ingest.decimals import printed_decimals
from esgledger.ingest.factors import validate_factors
from esgledger.ingest.kpis import QUALIFIERS, STATUS_WORDS, TRUE_WORDS
from esgledger.ingest.readers import Table as FileTable
from esgledger.kpi.calculated import Sums
from esgledger.kpi.coverage import children_of
from esgledger.kpi.figures import KpiFigure, dims_text
from esgledger.kpi.given_scopes import GivenScopes, table_families
from esgledger.kpi.register_figures.notes import note_of
from esgledger.kpi.scope import Scope
from esgledger.kpi.table_inputs import TableInputs, YearRun
from esgledger.kpi.unresolved import Unresolved
from esgledger.kpi.values import table_of
from esgledger.ledger.factors import EditionMeta
from esgledger.ledger.kpi_rows import KpiRow
from esgledger.ledger.models import CalculationRun, Factor, FactorEdition
from tests.checks.workspace import ACTIVITY_HEADER, activity_cells
from tests.factories import ENTITIES
from tests.kpi.plain_runs import PlainRun, activity_rows, computed_run, entity_frame

BREAKDOWNS = ("gender", "age_band", "position", "region")

ROOT = "GRP"
_ids = itertools.count(1)


def row(metric: str, value: float | None, unit: str, year: int = 2025, **extra: Any) -> KpiRow:
    """A stored KPI row with the defaults an import gives (current, exact, reported)."""
    fields: dict[str, Any] = {
        "id": next(_ids),
        "entity_id": ROOT,
        "year": year,
        "metric_id": metric,
        "dims": "",
        "value": value,
        "decimals": None,
        "unit": unit,
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
    fields.update(extra)
    return KpiRow(**fields)


def context(year: int, *rows: KpiRow) -> CheckContext:
    """A run of the checks of ``year`` over these rows (oldest first) and nothing else."""
    return CheckContext(CheckInputs(year, rows=sorted(rows, key=lambda r: r.id)), year)


# The organisation of tests.factories.ENTITIES (what ``Workspace`` imports), entity → parent.
PARENTS: dict[str, str | None] = {e[0]: e[2] or None for e in ENTITIES}


def scopes_of(year: int, families: dict[str, Scope] | None = None) -> GivenScopes:
    """The year's boundaries over the test organisation: ``families``' given, every entity
    at 100 % for the others."""
    return GivenScopes(year, PARENTS, families or {})


def typed(
    metric: str,
    text: str | float,
    unit: str,
    year: int = 2025,
    *,
    entity: str = ROOT,
    qualifier: str = "exact",
    preliminary: bool = False,
    **extra: Any,
) -> KpiRow:
    """A row as ``esg import kpis`` stores a typed cell: a status word ("/", "n.a.", "-")
    is a label without a value, a number keeps the decimals it was printed with; breakdown
    members (``gender="male"``…) go in ``dims``."""
    dims = {k: str(extra.pop(k)) for k in list(extra) if k in BREAKDOWNS}
    cell = str(text)
    status = STATUS_WORDS.get(cell.lower(), "reported")
    number = None if status != "reported" else float(cell.replace(",", ""))
    return row(
        metric,
        number,
        unit,
        year,
        entity_id=entity,
        dims=dims_text(dims),
        status=status,
        decimals=printed_decimals(cell) if number is not None else None,
        qualifier=qualifier,
        preliminary=preliminary,
        **extra,
    )


def restate(old: KpiRow, text: str | float, reason: str, **extra: Any) -> list[KpiRow]:
    """A later import restating ``old``: the old row kept as history, the new one current."""
    new = typed(
        old.metric_id,
        text,
        old.unit,
        old.year,
        entity=old.entity_id,
        restates_id=old.id,
        restatement_reason=reason,
        **extra,
    )
    return [old._replace(is_current=False), new._replace(dims=old.dims)]


def table(
    year: int,
    rows: Sequence[KpiRow],
    *,
    scopes: GivenScopes | None = None,
    sums: Sums | None = None,
    runs: Sequence[CalculationRun] = (),
    unresolved: Mapping[int, Unresolved] | None = None,
) -> Table:
    """The KPI table of ``year`` as ``kpi_table`` builds it (:func:`~esgledger.kpi.values.
    table_of`) over these rows, the year's activity ``sums`` and calculation ``runs``
    (oldest first; each boundary takes its newest, as the read layer picks it) with the
    counts of what they left ``unresolved``. No register figures."""
    scopes = scopes or scopes_of(year)
    counted = [v for v in sorted(rows, key=lambda r: r.id) if v.year == year and v.counts]
    codes = {scopes.for_family(family).code for family in table_families()}
    given = CheckInputs(year, runs=runs)

    def newest(code: str | None) -> YearRun:
        run = given.run(year, code)
        left = (unresolved or {}).get(run.id) if run is not None and run.unresolved else None
        return YearRun(run, left)

    inputs = TableInputs(
        year,
        scopes,
        sums or {},
        rows=counted,
        replaced={v.id: v for v in rows},
        runs={code: newest(code) for code in codes},
    )
    return table_of(inputs)


def activity(*records: tuple[str, str, float, str]) -> Sums:
    """A year's activity sums from (entity, activity, quantity, unit) records, summed by
    entity, activity and unit as the database sums them."""
    out: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for entity, kind, quantity, unit in records:
        parts = out[(kind, entity)]
        parts[unit] = parts.get(unit, 0.0) + quantity
    return {key: list(parts.items()) for key, parts in out.items()}


def totals(records: Iterable[tuple[str, str, float, str]]) -> list[tuple[str, str, str, float]]:
    """(activity, entity, unit, Σ quantity) of (entity, activity, quantity, unit) records,
    as the read layer sums a year's rows of some activities (it asks only of some)."""
    out: dict[tuple[str, str, str], float] = {}
    for entity, kind, quantity, unit in records:
        out[(kind, entity, unit)] = out.get((kind, entity, unit), 0.0) + quantity
    return [(kind, entity, unit, total) for (kind, entity, unit), total in out.items()]


def registered(
    metric: str, year: int, value: float | None, *why: dict[str, Any], unit: str = "%"
) -> KpiFigure:
    """A group figure counted from a register (``source="register"``), its note worded
    from its coded parts ``why`` (:func:`~esgledger.kpi.register_figures.notes.coded`)."""
    return KpiFigure(
        metric=metric,
        year=year,
        value=value,
        unit=unit,
        source="register",
        status="reported" if value is not None else "missing",
        note=note_of(why),
        note_why=list(why),
    )


def inputs(year: int, rows: Sequence[KpiRow], **given: Any) -> CheckInputs:
    """The inputs of the checks of ``year``: these rows, the tables built from them (and the
    sums and runs given) for the year and the three before, the test organisation's scopes
    (every entity at 100 %), and whatever else is given."""
    years = range(year - SPAN, year + 1)
    ordered = sorted(rows, key=lambda r: r.id)
    scopes = given.setdefault("scopes_by_year", {y: scopes_of(y) for y in years})
    sums, runs = given.get("sums", {}), given.get("runs", ())
    unresolved = given.get("unresolved_by_run", {})

    def year_table(y: int) -> Table:
        year_scopes = scopes.get(y) or scopes_of(y)
        return table(
            y, ordered, scopes=year_scopes, sums=sums.get(y), runs=runs, unresolved=unresolved
        )

    given.setdefault("tables", {y: year_table(y) for y in years})
    for figure in given.pop("figures", ()):  # figures merged in, as the registers' are
        given["tables"].setdefault(figure.year, {})[figure.key] = figure
    return CheckInputs(year, rows=ordered, **given)


def check(year: int, rows: Sequence[KpiRow], **options: Any) -> list[Finding]:
    """Every rule's findings for ``year`` over these rows, as ``run_checks`` orders them
    (no acknowledgement: those are audit events)."""
    fields = {*CheckInputs.__dataclass_fields__, "figures"}
    given = {k: options.pop(k) for k in list(options) if k in fields}
    ctx = CheckContext(inputs(year, rows, **given), year, **options)
    return merged(rule_findings(ctx), {})


class PlainWorkspace:
    """:class:`tests.checks.workspace.Workspace`'s ``kpis``, ``activities`` and ``check``
    over rows in memory: a value typed again for a key restates it only with a
    ``restatement_reason`` (as ``esg import kpis``), activity rows are summed per year."""

    def __init__(self) -> None:
        self.rows: list[KpiRow] = []
        self.records: dict[int, list[tuple[str, str, float, str]]] = defaultdict(list)
        self.batches = 1  # each import is a batch, the entities' the first (ids as stored)
        self.boundaries: dict[tuple[int, str], list[Scope]] = defaultdict(list)
        self.stored = pl.DataFrame(schema=ACTIVITY_SCHEMA)  # activity rows as stored
        self.imported: list[dt.datetime] = []  # when each activity import was stored
        self.runs: list[PlainRun] = []
        self.editions: dict[str, FactorEdition] = {}
        self.factors: list[Factor] = []
        self.clock = itertools.count(1)

    def kpis(self, *given: dict[str, Any]) -> None:
        current = {(v.entity_id, v.year, v.metric_id, v.dims): v for v in self.rows if v.is_current}
        self.batches += 1
        for cells in given:
            cells = {k: str(v) for k, v in cells.items()}
            dims = {k: cells.pop(k) for k in BREAKDOWNS if cells.get(k)}
            new = typed(
                cells["metric"],
                cells["value"],
                cells["unit"],
                int(cells.get("year", 2025)),
                entity=cells.get("entity", ROOT),
                qualifier=QUALIFIERS[cells.get("qualifier", "").lower()],
                preliminary=cells.get("preliminary", "").lower() in TRUE_WORDS,
                source=cells.get("source", ""),
                note=cells.get("note", ""),
                restatement_reason=cells.get("restatement_reason", ""),
                id=len(self.rows) + 1,
                batch_id=self.batches,
                **dims,
            )
            old = current.get((new.entity_id, new.year, new.metric_id, new.dims))
            if old is not None:
                if not new.restatement_reason:
                    raise ValueError(f"{new.metric_id} {new.year} is recorded already")
                self.rows[self.rows.index(old)] = old._replace(is_current=False)
                new = new._replace(restates_id=old.id)
            current[(new.entity_id, new.year, new.metric_id, new.dims)] = new
            self.rows.append(new)

    def activities(self, rows: Iterable[Sequence[object]]) -> None:
        """Activity rows: (entity, year, activity, quantity, unit[, use]) for the whole year,
        validated and stored as ``esg import activities`` does (:mod:`tests.kpi.plain_runs`)."""
        self.batches += 1
        first = self.stored.height + 1
        frame = activity_rows(ACTIVITY_HEADER, activity_cells(rows), first, PARENTS)
        self.stored = pl.concat([self.stored, frame])
        self.imported.append(self._now())
        for entity, start, kind, quantity, unit in frame.select(
            "entity_id", "start", "activity", "quantity", "unit"
        ).iter_rows():
            self.records[start.year].append((entity, kind, quantity, unit))

    def edition(
        self, header: Sequence[str], cells: Iterable[Sequence[object]], meta: EditionMeta
    ) -> None:
        """A factor edition of the workspace's own, validated as ``esg factors import`` does."""
        frame = pl.DataFrame(
            [[str(c) for c in r] for r in cells], schema=list(header), orient="row"
        )
        taken = {f.factor_id for f in shipped_factors()} | {f.factor_id for f in self.factors}
        table = FileTable(frame, "factors.csv", "")
        valid = validate_factors(table, edition=meta.edition, taken_ids=taken)
        self.editions[meta.edition] = FactorEdition(
            edition=meta.edition,
            series=meta.series,
            data_year=meta.data_year,
            public_date=meta.public_date,
            status=meta.status,
        )
        self.factors += [Factor(edition=meta.edition, **row) for row in valid.to_dicts()]

    def calc(self, year: int, *pins: str, **options: Any) -> CalculationRun:
        """``esg calc --year YEAR`` (``--pin`` ``pins``) on what was typed: the year's run over
        its energy/GHG boundary (every entity without one), computed in memory."""
        scope = self.scopes(year).for_family("energy_ghg")
        own = user_records(sorted(self.factors, key=lambda f: f.factor_id), self.editions)
        made = computed_run(
            len(self.runs) + 1,
            RunOptions(year=year, pins=parse_pins(list(pins)), **options),
            self.stored,
            entity_frame(ENTITIES, scope),
            boundary=scope.code,
            library=FactorLibrary([*FactorLibrary.load().records, *own]),
            created_at=self._now(),
        )
        self.runs.append(made)
        return made.run

    def _now(self) -> dt.datetime:
        """The time of the next write: imports and runs in the order they happen."""
        return dt.datetime(2026, 1, 1) + dt.timedelta(seconds=next(self.clock))

    def boundary(self, code: str, year: int, family: str, *members: str, note: str = "") -> None:
        """A boundary of whole subtrees (``create_boundary``'s ``include``) at 100 %."""
        children = children_of(PARENTS)
        shares: dict[str, float] = {}
        for root in members:
            todo = [root]
            while todo:
                entity = todo.pop()
                shares.setdefault(entity, 1.0)
                todo.extend(children.get(entity, []))
        self.boundaries[(year, family)].append(Scope(code, dict(sorted(shares.items()))))

    def scopes(self, year: int) -> GivenScopes:
        """The year's scopes as ``kpi.scope.Scopes`` resolves them: a family's boundary when
        it has exactly one that year (energy/GHG and environment only)."""
        families = {
            family: found[0]
            for (y, family), found in self.boundaries.items()
            if y == year and len(found) == 1 and family in ("energy_ghg", "environment")
        }
        return scopes_of(year, families)

    def inputs(self, year: int) -> dict[str, Any]:
        """What :func:`check` and :func:`inputs` are given for ``year``."""
        sums = {y: activity(*records) for y, records in self.records.items()}
        scopes = {y: self.scopes(y) for y in range(year - SPAN, year + 1)}
        return {
            "sums": sums,
            "scopes_by_year": scopes,
            "runs": [r.run for r in self.runs],
            "unresolved_by_run": {r.run.id: r.unresolved for r in self.runs if r.unresolved},
            "issues_by_run": {r.run.id: r.issues for r in self.runs},
            "run_frames": {r.run.id: r.rows for r in self.runs},
            "non_electric_rows": {y: totals(records) for y, records in self.records.items()},
            "activity_imports": list(self.imported),
            "editions": {code: e.series for code, e in self.editions.items()},
        }

    def table(self, year: int) -> Table:
        """The KPI table of ``year`` (``kpi_table``) over what was typed and calculated."""
        return inputs(year, self.rows, **self.inputs(year)).table(year)

    def context(self, year: int, **options: Any) -> CheckContext:
        """A run of the checks of ``year`` over what was typed, for one rule at a time."""
        return CheckContext(inputs(year, self.rows, **self.inputs(year)), year, **options)

    def check(self, year: int, **options: Any) -> list[Finding]:
        return check(year, self.rows, **self.inputs(year), **options)
