"""KPI values as plain rows for the roll-up and the checks, read with one Core ``select``.

A year of a thousand entities holds a hundred thousand values; as ORM objects they cost
kilobytes each and an identity-map entry, while the KPI tables and the checks only read
their columns. Rows here are named tuples: no session state, no lazy loads, and rule
tests can build them without a database.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ledger.kpis import approved_or_direct
from esgledger.ledger.models import KpiValue
from esgledger.ledger.state_cache import StateCache


class KpiRow(NamedTuple):
    """The columns of a stored KPI value that figures and checks read."""

    id: int
    entity_id: str
    year: int
    metric_id: str
    dims: str
    value: float | None
    decimals: int | None
    unit: str
    status: str
    qualifier: str
    preliminary: bool
    source: str
    note: str
    is_current: bool
    restates_id: int | None
    restatement_reason: str
    batch_id: int | None
    pending: bool  # entered by a data request no reviewer has approved: not a figure yet

    @property
    def counts(self) -> bool:
        """Whether a KPI table counts this row as a figure (current, not pending)."""
        return self.is_current and not self.pending


_COLUMNS = [getattr(KpiValue, name) for name in KpiRow._fields[:-1]] + [
    (~approved_or_direct()).label("pending")
]


_BATCH = 10_000  # raw rows held at a time while reading
_make = KpiRow._make  # builds the tuple without NamedTuple's keyword-handling ``__new__``
# (dialect, question) → (SQL, parameters): a KPI read after a write asks the same few
# questions again and again, and compiling one cost more than running it
_compiled: StateCache[tuple[str, Any]] = StateCache(256)


def _compile(session: Session, where: Sequence[object]) -> tuple[str, Any]:
    stmt = select(*_COLUMNS).where(*where).order_by(KpiValue.id)  # type: ignore[arg-type]
    compiled = stmt.compile(
        dialect=session.connection().dialect, compile_kwargs={"render_postcompile": True}
    )
    params: Any = compiled.params
    if compiled.positiontup is not None:  # qmark drivers (SQLite) take a tuple
        params = tuple(compiled.params[name] for name in compiled.positiontup)
    return str(compiled), params


def _rows(
    session: Session,
    *where: object,
    question: tuple[Hashable, Callable[[], list[Any]]] | None = None,
) -> list[KpiRow]:
    """Rows straight from the driver: SQLAlchemy's per-value result processing costs more
    than the query at a hundred thousand rows, and only the two flags need converting
    (SQLite gives 0/1). A ``question`` (a hashable name of the conditions with their values,
    and a function making them) keeps the compiled statement for the next call asking it."""
    conn = session.connection()
    if question is None:
        sql, params = _compile(session, where)
    else:
        name, conditions = question
        key = (conn.dialect.name, name)
        sql, params = _compiled.get(key, lambda: _compile(session, conditions()))
    # The DBAPI cursor itself, a batch at a time: iterating the result costs a Python call
    # per row (so does ``fetchone``), and a fetchall would hold every raw tuple beside its
    # KpiRow.
    result = conn.exec_driver_sql(sql, params)
    cursor = result.cursor
    out: list[KpiRow] = []
    # The driver makes a new string (and year) object per cell, while a year of a thousand
    # entities holds a few hundred distinct entities, metrics, breakdowns, units, statuses
    # and sources: one shared object each keeps about half of the 600 bytes a row costs.
    shared: dict[object, Any] = {}
    one = shared.setdefault
    try:
        while batch := cursor.fetchmany(_BATCH):
            out += [
                _make(
                    (
                        i,
                        one(e, e),
                        one(y, y),
                        one(m, m),
                        one(d, d),
                        v,
                        dec,
                        one(u, u),
                        one(s, s),
                        one(q, q),
                        bool(pr),
                        one(src, src),
                        n,
                        bool(cur),
                        r,
                        w,
                        b,
                        bool(p),
                    )
                )
                for i, e, y, m, d, v, dec, u, s, q, pr, src, n, cur, r, w, b, p in batch
            ]
        return out
    finally:
        result.close()


def figure_rows(
    session: Session, year: int, metrics: Collection[str] | None = None
) -> list[KpiRow]:
    """The current values of ``year`` a KPI table counts (a pending request's value is not
    a figure yet), oldest first; only those of ``metrics`` when given (a table updated
    after a write reads the written metrics alone)."""
    wanted = None if metrics is None else tuple(sorted(metrics))
    if wanted == ():
        return []

    def conditions() -> list[Any]:
        where = [KpiValue.year == year, KpiValue.is_current, approved_or_direct()]
        return where if wanted is None else [*where, KpiValue.metric_id.in_(wanted)]

    return _rows(session, question=(("figures", year, wanted), conditions))


def span_rows(session: Session, first: int, last: int) -> list[KpiRow]:
    """Every stored value of the years ``first``–``last``, history rows and pending
    requests' values included (the checks read those too), oldest first."""
    return _rows(session, KpiValue.year >= first, KpiValue.year <= last)


def rows_by_id(session: Session, ids: set[int]) -> dict[int, KpiRow]:
    """Stored values by id, current or not (the values restatements replaced)."""
    out: dict[int, KpiRow] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):  # bounded IN lists on either backend
        chunk = wanted[start : start + 500]
        out.update((r.id, r) for r in _rows(session, KpiValue.id.in_(chunk)))
    return out
