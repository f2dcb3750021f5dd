"""What the rules read beyond the catalog, as one typed seam (#20).

A rule reads only from its :class:`~esgledger.checks.context.CheckContext`, and the context
asks a :class:`CheckReads` for everything stored: the KPI tables of the checked year and
the years around it, the boundaries, activity sums, the stored rows rules read one by one,
calculation runs, registers. Two kinds answer it: the read layer
(:class:`~esgledger.checks.session_reads.SessionReads`, over a database session, each
answer read once and only when a rule asks, as ``esg check`` and the report need at 10,000
entities), and plain inputs (:class:`~esgledger.checks.plain_inputs.CheckInputs`, values
given in memory: the rules' tests build them without a database). Every answer is a plain
value or a record that lives without a session (a model object no session holds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Protocol

import polars as pl

from esgledger.checks.rule_rows import RuleRows
from esgledger.kpi.calculated import Sums
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.scope import Scope
from esgledger.kpi.series import EntityFigures
from esgledger.kpi.unresolved import Unresolved
from esgledger.ledger.models import CalculationRun
from esgledger.ledger.regcert_models import Certificate
from esgledger.ledger.supplier_models import SupplierFinding

Table = dict[tuple[str, str], KpiFigure]
SPAN = 3  # years a report shows side by side (SYSTEM.md §5): the unit and restatement rules
# look this far back.


class ScopeView(Protocol):
    """A year's boundaries by metric family, the organisation tree and its root entity."""

    @property
    def root(self) -> str | None: ...

    @property
    def parents(self) -> dict[str, str | None]: ...

    def for_family(self, family: str) -> Scope: ...


class CheckReads(Protocol):
    """The questions a run of the checks asks of storage (see the module's docstring)."""

    def table(self, year: int) -> Table:
        """The KPI table of ``year`` (the run's boundary override on the checked year)."""
        ...

    def scopes(self, year: int) -> ScopeView:
        """The boundaries of ``year`` (the override on the checked year)."""
        ...

    def activity_sums(self, year: int) -> Sums:
        """The year's activity sums by (activity, unit), per entity."""
        ...

    def rule_rows(self) -> RuleRows:
        """The stored rows of the checked span the rules read one by one."""
        ...

    def entity_figures(self, year: int, table: Table) -> EntityFigures:
        """Per-entity values of calculated metrics of ``year`` (like-for-like sums), with
        the year's KPI table ``table``."""
        ...

    def run(self, year: int, boundary: str | None) -> CalculationRun | None:
        """The newest calculation run of ``year`` on ``boundary`` (any if none matches)."""
        ...

    def unresolved(self, run_id: int) -> Unresolved:
        """The counts of a run's unresolved results."""
        ...

    def issue_rows(
        self, run_id: int, quantities: Collection[str] | None, limit: int
    ) -> list[tuple[int, str]]:
        """(activity id, reason) of a run's first ``limit`` unresolved results."""
        ...

    def run_rows(
        self, run: CalculationRun, activities: tuple[str, ...], quantities: tuple[str, ...]
    ) -> pl.DataFrame:
        """A run's result rows of ``activities`` and ``quantities`` with their activity
        records (``calc.implied.RUN_ROWS_SCHEMA``)."""
        ...

    def non_electric(
        self, year: int, activities: tuple[str, ...]
    ) -> list[tuple[str, str, str, float]]:
        """(activity, entity, unit, Σ quantity) of the year's live rows of ``activities``."""
        ...

    def imports_after(self, when: dt.datetime) -> int:
        """How many activity imports were stored after ``when``."""
        ...

    def edition_series(self, edition: str) -> str | None:
        """The series of a factor edition imported into the workspace, if any."""
        ...

    def certificates(self) -> list[Certificate]:
        """Every certificate of the register, by id."""
        ...

    def sites(self) -> set[str]:
        """The entities of a site kind (``ledger.regcert_models.SITE_KINDS``)."""
        ...

    def site_claims(
        self, year: int, metric_ids: list[str], entities: list[str]
    ) -> list[tuple[str, str, float]]:
        """(metric, entity, value) of the year's current values above 0 of ``metric_ids``
        for ``entities``, in stored order."""
        ...

    def audit_findings(self, year: int) -> list[tuple[SupplierFinding, str]]:
        """(finding, supplier) of the supplier-audit findings not closed, of the audits
        whose report is dated in ``year``, by id."""
        ...

    def register_base(self, whole: str, year: int) -> int:
        """What a supplier register share counts over in ``year`` (see
        :mod:`esgledger.checks.register_figures`)."""
        ...
