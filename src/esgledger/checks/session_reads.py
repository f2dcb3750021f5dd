"""The checks' read layer: :class:`~esgledger.checks.reads.CheckReads` answered from a
database session (#20).

Every query a rule needs lives here, not in the rules. Each answer is read when a rule
first asks and kept for the run (``esg check`` at 10,000 entities reads only what the rules
it runs ask for; an incremental re-check runs a few). A caller that read the span's stored
values and sums already (the report) gives them as ``inputs`` and they are used as given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from functools import cached_property

import polars as pl
from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from esgledger.calc.implied import RUN_ROWS_SCHEMA
from esgledger.calc.issue_groups import first_issue_rows
from esgledger.calc.lineage import result_rows
from esgledger.calc.runs import results_stored
from esgledger.checks.reads import SPAN, Table
from esgledger.checks.rule_rows import RuleRows, from_rows, read_rule_rows
from esgledger.kpi.calculated import Sums, activity_sums, activity_sums_by_year, latest_run
from esgledger.kpi.inputs import StoredInputs
from esgledger.kpi.member_groups import GroupedValues, read_grouped
from esgledger.kpi.register_figures.suppliers_base import cooperating_clause
from esgledger.kpi.register_figures.suppliers_dd import COVERAGE, new_material
from esgledger.kpi.register_figures.suppliers_integrity import SHARE
from esgledger.kpi.register_figures.suppliers_minerals import (
    CONFORMANT,
    RESPONSE,
    in_scope_suppliers,
)
from esgledger.kpi.scope import Scopes
from esgledger.kpi.series import EntityFigures
from esgledger.kpi.store_sums import store_sums
from esgledger.kpi.unresolved import Unresolved, unresolved_of
from esgledger.kpi.values import kpi_table
from esgledger.ledger.activities import live
from esgledger.ledger.activity_store import has_files, read_store, rows_by_id
from esgledger.ledger.models import (
    ActivityRecord,
    CalculationResult,
    CalculationRun,
    Entity,
    ImportBatch,
    KpiValue,
)
from esgledger.ledger.models import FactorEdition as StoredEdition
from esgledger.ledger.regcert_models import SITE_KINDS, Certificate
from esgledger.ledger.supplier_models import Supplier, SupplierAudit, SupplierFinding
from esgledger.suppliers.audits import CLOSED


def _cooperating(session: Session, year: int) -> int:
    stmt = select(func.count()).select_from(Supplier).where(cooperating_clause(year))
    return session.scalar(stmt) or 0


def _in_scope(session: Session, year: int) -> int:
    return len(in_scope_suppliers(session, year))


# What each supplier register share counts over: the number a "not available" figure leaves
# uncounted.
BASES: dict[str, Callable[[Session, int], int]] = {
    SHARE: _cooperating,
    COVERAGE: lambda session, year: len(new_material(session, year)),
    RESPONSE: _in_scope,  # the suppliers asked for a CMRT in the year
    CONFORMANT: _in_scope,  # whose CMRTs name the smelters it counts
}


class SessionReads:
    """The checks of ``year`` read from ``session`` (``boundary`` overrides that year's
    boundaries as in ``esg kpi``)."""

    def __init__(
        self,
        session: Session,
        year: int,
        *,
        boundary: str | None = None,
        inputs: StoredInputs | None = None,
    ):
        self.session, self.year, self.boundary, self.inputs = session, year, boundary, inputs
        self.span = list(range(year - SPAN + 1, year + 1))
        self._scopes: dict[int, Scopes] = {}
        self._sums: dict[int, Sums] = {}

    def table(self, year: int) -> Table:
        override = self.boundary if year == self.year else None
        rows = grouped = None
        if year in self.span and self._has_rows:
            rows = [v for v in self.rule_rows().rows if v.is_current and v.year == year]
            rows = [v for v in rows if v.counts]
        elif year in self.span:
            grouped = self.grouped
        sums = self.activity_sums(year) if year in self.span else None
        return kpi_table(
            self.session, year, boundary=override, sums=sums, rows=rows, grouped=grouped
        )

    def scopes(self, year: int) -> Scopes:
        if year not in self._scopes:
            override = self.boundary if year == self.year else None
            self._scopes[year] = Scopes(self.session, year, override=override)
        return self._scopes[year]

    def activity_sums(self, year: int) -> Sums:
        """Read once per run (the span's years in one query: each read goes through the
        activity rows' grouping index)."""
        if year not in self._sums:
            inputs = self.inputs
            if inputs is not None and inputs.covers(year, year):
                self._sums[year] = inputs.sums[year]
            elif year in self.span:
                for y, sums in activity_sums_by_year(self.session, self.span).items():
                    self._sums.setdefault(y, sums)
            else:
                self._sums[year] = activity_sums(self.session, year)
        return self._sums[year]

    @property
    def _has_rows(self) -> bool:
        """Whether the caller read every stored row of the span."""
        return self.inputs is not None and self.inputs.has_rows(self.span[0], self.year)

    @cached_property
    def root(self) -> str | None:
        return self.scopes(self.year).root

    @cached_property
    def grouped(self) -> GroupedValues:
        """The span's counted values grouped in the database, for its KPI tables: the
        caller's (the report's) when they cover the span for the same group."""
        if self.inputs is not None:
            given = self.inputs.grouped_for(self.span[0], self.year, self.root)
            if given is not None:
                return given
        return read_grouped(self.session, self.span[0], self.year, self.root)

    def rule_rows(self) -> RuleRows:
        return self._rule_rows

    @cached_property
    def _rule_rows(self) -> RuleRows:
        """From the caller's rows when it read them all, else picked out in the database."""
        first, inputs = self.span[0], self.inputs
        if inputs is not None and inputs.stored is not None and self._has_rows:
            if (inputs.first, inputs.last) == (first, self.year):
                return from_rows(inputs.stored, self.year)
            return from_rows([v for v in inputs.stored if first <= v.year <= self.year], self.year)
        return read_rule_rows(self.session, first, self.year, self.root)

    def entity_figures(self, year: int, table: Table) -> EntityFigures:
        return EntityFigures(self.session, year, self.scopes(year), table, self.activity_sums(year))

    def run(self, year: int, boundary: str | None) -> CalculationRun | None:
        return latest_run(self.session, year, boundary)

    def unresolved(self, run_id: int) -> Unresolved:
        return unresolved_of(self.session, run_id)

    def issue_rows(
        self, run_id: int, quantities: Collection[str] | None, limit: int
    ) -> list[tuple[int, str]]:
        return first_issue_rows(self.session, run_id, quantities, limit)

    def run_rows(
        self, run: CalculationRun, activities: tuple[str, ...], quantities: tuple[str, ...]
    ) -> pl.DataFrame:
        if not results_stored(run):
            return self._recomputed(run, activities, quantities)
        rows = self.session.execute(
            select(
                ActivityRecord.id,
                ActivityRecord.activity,
                ActivityRecord.unit,
                ActivityRecord.quantity,
                CalculationResult.quantity,
                CalculationResult.value,
                CalculationResult.co2e,
            )
            .join(ActivityRecord, ActivityRecord.id == CalculationResult.activity_id)
            .where(
                CalculationResult.run_id == run.id,
                CalculationResult.quantity.in_(quantities),
                ActivityRecord.activity.in_(activities),
            )
        ).all()
        ledger = pl.DataFrame(rows, schema=RUN_ROWS_SCHEMA, orient="row")
        return pl.concat([ledger, self._stored_results(run, activities, quantities)])

    def _stored_results(
        self, run: CalculationRun, activities: tuple[str, ...], quantities: tuple[str, ...]
    ) -> pl.DataFrame:
        """The run's result rows of store rows (ids with no ledger row, read from the
        files): the join to ``activity_records`` drops them."""
        if not has_files(self.session):
            return pl.DataFrame(schema=RUN_ROWS_SCHEMA)
        orphans = self.session.execute(
            select(
                CalculationResult.activity_id,
                CalculationResult.quantity,
                CalculationResult.value,
                CalculationResult.co2e,
            ).where(
                CalculationResult.run_id == run.id,
                CalculationResult.quantity.in_(quantities),
                ~select(ActivityRecord.id)
                .where(ActivityRecord.id == CalculationResult.activity_id)
                .exists(),
            )
        ).all()
        stored = rows_by_id(self.session, {row[0] for row in orphans})
        return pl.DataFrame(
            [
                (i, row.activity, row.unit, row.quantity, q, value, co2e)
                for i, q, value, co2e in orphans
                if (row := stored.get(i)) is not None and row.activity in activities
            ],
            schema=RUN_ROWS_SCHEMA,
            orient="row",
        )

    def _recomputed(
        self, run: CalculationRun, activities: tuple[str, ...], quantities: tuple[str, ...]
    ) -> pl.DataFrame:
        """The rows :meth:`run_rows` reads, for a large run that stored no result rows: its
        results recomputed from its inputs (``calc.lineage``), joined to their activity
        records of the run's year (the run read no other: other years' rows would only be
        read to be dropped)."""
        results = result_rows(self.session, run, quantities).select(
            "activity_id", "quantity", "value", "co2e"
        )
        records = pl.DataFrame(
            self.session.execute(
                select(
                    ActivityRecord.id,
                    ActivityRecord.activity,
                    ActivityRecord.unit,
                    ActivityRecord.quantity,
                ).where(
                    ActivityRecord.activity.in_(activities),
                    ActivityRecord.start >= dt.date(run.year, 1, 1),
                    ActivityRecord.start <= dt.date(run.year, 12, 31),
                )
            ).all(),
            schema={
                "activity_id": pl.Int64,
                "activity": pl.Utf8,
                "unit": pl.Utf8,
                "amount": pl.Float64,
            },
            orient="row",
        )
        stored = read_store(self.session, run.year, activities=list(activities)).select(
            pl.col("id").alias("activity_id"),
            "activity",
            "unit",
            pl.col("quantity").alias("amount"),
        )
        records = pl.concat([records, stored.cast(records.schema)])
        return records.join(results, on="activity_id", how="inner").select(list(RUN_ROWS_SCHEMA))

    def non_electric(
        self, year: int, activities: tuple[str, ...]
    ) -> list[tuple[str, str, str, float]]:
        rows = self.session.execute(
            select(ActivityRecord.activity, ActivityRecord.entity_id, ActivityRecord.unit)
            .add_columns(func.sum(ActivityRecord.quantity))
            .where(
                live(),
                ActivityRecord.activity.in_(activities),
                ActivityRecord.start >= dt.date(year, 1, 1),
                ActivityRecord.start <= dt.date(year, 12, 31),
            )
            .group_by(ActivityRecord.activity, ActivityRecord.entity_id, ActivityRecord.unit)
        )
        out = [(a, e, u, float(total)) for a, e, u, total in rows]
        stored = store_sums(self.session, year, activities).iter_rows()
        out += [(a, e, u, float(t)) for a, e, u, t in stored]
        return out

    def imports_after(self, when: dt.datetime) -> int:
        return (
            self.session.scalar(
                select(func.count())
                .select_from(ImportBatch)
                .where(ImportBatch.kind == "activities", ImportBatch.created_at > when)
            )
            or 0
        )

    def edition_series(self, edition: str) -> str | None:
        return self.session.scalar(
            select(StoredEdition.series).where(StoredEdition.edition == edition)
        )

    def certificates(self) -> list[Certificate]:
        return list(self.session.scalars(select(Certificate).order_by(Certificate.id)))

    def sites(self) -> set[str]:
        return set(self.session.scalars(select(Entity.id).where(Entity.kind.in_(SITE_KINDS))))

    def site_claims(
        self, year: int, metric_ids: list[str], entities: list[str]
    ) -> list[tuple[str, str, float]]:
        # four columns, not a KpiValue object (40,000 of them at 10,000 entities, #18)
        return [
            (m, e, v)
            for m, e, v in self.session.execute(
                select(KpiValue.metric_id, KpiValue.entity_id, KpiValue.value)
                .where(
                    KpiValue.year == year,
                    KpiValue.is_current.is_(True),
                    KpiValue.metric_id.in_(metric_ids),
                    KpiValue.entity_id.in_(entities),
                    KpiValue.value > 0,
                )
                .order_by(KpiValue.id)
            )
            if v is not None  # never: the query asks for values above 0
        ]

    def audit_findings(self, year: int) -> list[tuple[SupplierFinding, str]]:
        stmt = (
            select(SupplierFinding, SupplierAudit.supplier_id)
            .join(SupplierAudit, SupplierAudit.id == SupplierFinding.audit_id)
            .where(
                extract("year", SupplierAudit.report_on) == year,
                SupplierFinding.state != CLOSED,
            )
            .order_by(SupplierFinding.id)
        )
        return [(finding, supplier) for finding, supplier in self.session.execute(stmt)]

    def register_base(self, whole: str, year: int) -> int:
        return BASES[whole](self.session, year)
