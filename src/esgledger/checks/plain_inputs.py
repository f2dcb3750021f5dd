"""The checks' inputs as plain values given in memory (#20): a
:class:`~esgledger.checks.reads.CheckReads` that answers from what it holds, so a rule runs
without a database. What is not given is empty: no table, no run, no certificate.

The stored KPI rows (``rows``: every row of the span, history rows included, oldest first)
give the rules' rows as the report's rows do (:func:`~esgledger.checks.rule_rows.from_rows`)
and the certificate rules' site values; the other answers are given as the read layer
would return them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from esgledger.calc.implied import RUN_ROWS_SCHEMA
from esgledger.checks.reads import SPAN, Table
from esgledger.checks.rule_rows import RuleRows, from_rows
from esgledger.kpi.calculated import Sums
from esgledger.kpi.given_scopes import GivenScopes, table_families
from esgledger.kpi.series import EntityFigures
from esgledger.kpi.unresolved import Unresolved
from esgledger.ledger.kpi_rows import KpiRow
from esgledger.ledger.models import CalculationRun
from esgledger.ledger.regcert_models import Certificate
from esgledger.ledger.supplier_models import SupplierFinding
from esgledger.suppliers.audits import CLOSED


@dataclass(frozen=True)
class CheckInputs:
    """Everything a run of the checks of ``year`` reads, given (see the module docstring).
    ``scopes_by_year`` are the boundaries a KPI table takes (a year not given has no
    entity); ``runs`` are oldest first; ``issues_by_run`` are (activity id, quantity,
    reason) by activity id; ``audit_findings`` and ``register_bases`` are by year."""

    year: int
    tables: Mapping[int, Table] = field(default_factory=dict)
    scopes_by_year: Mapping[int, GivenScopes] = field(default_factory=dict)
    sums: Mapping[int, Sums] = field(default_factory=dict)
    rows: Sequence[KpiRow] = ()
    runs: Sequence[CalculationRun] = ()
    unresolved_by_run: Mapping[int, Unresolved] = field(default_factory=dict)
    issues_by_run: Mapping[int, Sequence[tuple[int, str, str]]] = field(default_factory=dict)
    run_frames: Mapping[int, pl.DataFrame] = field(default_factory=dict)
    non_electric_rows: Mapping[int, Sequence[tuple[str, str, str, float]]] = field(
        default_factory=dict
    )
    activity_imports: Sequence[dt.datetime] = ()
    editions: Mapping[str, str] = field(default_factory=dict)
    certificate_rows: Sequence[Certificate] = ()
    site_ids: frozenset[str] = frozenset()
    findings_by_year: Mapping[int, Sequence[tuple[SupplierFinding, str]]] = field(
        default_factory=dict
    )
    register_bases: Mapping[tuple[str, int], int] = field(default_factory=dict)

    def table(self, year: int) -> Table:
        return dict(self.tables.get(year, {}))

    def scopes(self, year: int) -> GivenScopes:
        given = self.scopes_by_year.get(year)
        return given if given is not None else GivenScopes(year, {}, {})

    def activity_sums(self, year: int) -> Sums:
        return self.sums.get(year, {})

    def rule_rows(self) -> RuleRows:
        first = self.year - SPAN + 1
        return from_rows([v for v in self.rows if first <= v.year <= self.year], self.year)

    def entity_figures(self, year: int, table: Table) -> EntityFigures:
        """From the year's given sums and runs, as the series computes them."""
        scopes = self.scopes(year)
        codes = {scopes.for_family(family).code for family in table_families()}
        runs = {code: self.run(year, code) for code in codes}
        return EntityFigures(None, year, scopes, table, self.activity_sums(year), runs)

    def run(self, year: int, boundary: str | None) -> CalculationRun | None:
        runs = [r for r in self.runs if r.year == year]
        matching = [r for r in runs if (r.boundary_code or None) == boundary]
        return (matching or runs)[-1] if runs else None

    def unresolved(self, run_id: int) -> Unresolved:
        return self.unresolved_by_run[run_id]

    def issue_rows(
        self, run_id: int, quantities: Collection[str] | None, limit: int
    ) -> list[tuple[int, str]]:
        issues = self.issues_by_run.get(run_id, ())
        return [(a, r) for a, q, r in issues if quantities is None or q in quantities][:limit]

    def run_rows(
        self, run: CalculationRun, activities: tuple[str, ...], quantities: tuple[str, ...]
    ) -> pl.DataFrame:
        frame = self.run_frames.get(run.id, pl.DataFrame(schema=RUN_ROWS_SCHEMA))
        return frame.filter(
            pl.col("activity").is_in(list(activities)) & pl.col("quantity").is_in(list(quantities))
        )

    def non_electric(
        self, year: int, activities: tuple[str, ...]
    ) -> list[tuple[str, str, str, float]]:
        return [r for r in self.non_electric_rows.get(year, ()) if r[0] in activities]

    def imports_after(self, when: dt.datetime) -> int:
        return sum(1 for t in self.activity_imports if t > when)

    def edition_series(self, edition: str) -> str | None:
        return self.editions.get(edition)

    def certificates(self) -> list[Certificate]:
        return sorted(self.certificate_rows, key=lambda c: c.id)

    def sites(self) -> set[str]:
        return set(self.site_ids)

    def site_claims(
        self, year: int, metric_ids: list[str], entities: list[str]
    ) -> list[tuple[str, str, float]]:
        return [
            (v.metric_id, v.entity_id, v.value)
            for v in sorted(self.rows, key=lambda v: v.id)
            if v.year == year
            and v.is_current
            and v.metric_id in metric_ids
            and v.entity_id in entities
            and v.value is not None
            and v.value > 0
        ]

    def audit_findings(self, year: int) -> list[tuple[SupplierFinding, str]]:
        return sorted(
            (
                (f, supplier)
                for f, supplier in self.findings_by_year.get(year, ())
                if f.state != CLOSED
            ),
            key=lambda pair: pair[0].id,
        )

    def register_base(self, whole: str, year: int) -> int:
        return self.register_bases.get((whole, year), 0)
