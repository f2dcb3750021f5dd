"""The read layer of the KPI tables: a year's :class:`~esgledger.kpi.table_inputs.TableInputs`
read from a session, once (#20).

What the computation used to ask of the database as it went (a family's boundary, the
rows restatements replace, the registers' figures, each boundary's newest run and its
unresolved counts, the activity sums) is read here, the same questions as before; the
table itself (:func:`esgledger.kpi.values.table_of`) never sees a session.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from esgledger.catalog import metrics
from esgledger.kpi.calculated import Sums, activity_sums, latest_run
from esgledger.kpi.given_scopes import GivenScopes, given_scopes
from esgledger.kpi.member_groups import GroupedValues, read_grouped
from esgledger.kpi.register_source import RegisterFigure
from esgledger.kpi.registered import provided
from esgledger.kpi.reported import restated_rows
from esgledger.kpi.scope import Scopes
from esgledger.kpi.table_inputs import TableInputs, YearRun
from esgledger.kpi.unresolved import unresolved_of
from esgledger.ledger.kpi_rows import KpiRow


def read_scopes(session: Session, year: int, boundary: str | None = None) -> GivenScopes:
    """The year's boundaries (``boundary`` overriding every family's), resolved once."""
    return given_scopes(Scopes(session, year, override=boundary))


def read_runs(session: Session, year: int, scopes: Scopes) -> dict[str | None, YearRun]:
    """The newest run of ``year`` on each boundary a run figure of the catalog is taken
    on, with its unresolved counts when it left any."""
    codes = {
        scopes.for_family(m.boundary_family).code
        for m in metrics().values()
        if m.kind == "calculated" and not m.calc_key.startswith("activity:")
    }
    out: dict[str | None, YearRun] = {}
    for code in sorted(codes, key=lambda c: (c is not None, c or "")):
        run = latest_run(session, year, code)
        issues = unresolved_of(session, run.id) if run and run.unresolved else None
        out[code] = YearRun(run, issues)
    return out


def read_table_inputs(
    session: Session,
    year: int,
    *,
    boundary: str | None = None,
    sums: Sums | None = None,
    rows: Sequence[KpiRow] | None = None,
    grouped: GroupedValues | None = None,
    scopes: Scopes | None = None,
    registers: list[RegisterFigure] | None = None,
) -> TableInputs:
    """What the KPI table of ``year`` reads; ``sums`` (activity sums), ``rows`` (the year's
    counted rows), ``grouped`` (a span's values grouped in the database) and ``scopes``
    (the year's, ``boundary`` applied) and ``registers`` (the year's register figures, read-only)
    when the caller has read them already. Without rows or grouped values, the year's values
    are grouped in the database."""
    scopes = scopes if scopes is not None else read_scopes(session, year, boundary)
    replaced: dict[int, KpiRow] = {}
    if rows is not None:  # the rows, when given, are the figures' (as ever)
        replaced, grouped = restated_rows(session, rows), None
    elif grouped is None:
        grouped = read_grouped(session, year, year, scopes.root)
    return TableInputs(
        year=year,
        scopes=scopes,
        sums=sums if sums is not None else activity_sums(session, year),
        rows=rows if rows is not None else (),
        replaced=replaced,
        grouped=grouped,
        registers=registers if registers is not None else provided(session, year),
        runs=read_runs(session, year, scopes),
    )
