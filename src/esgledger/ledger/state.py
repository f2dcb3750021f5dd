"""The ledger's state stamp: a value that changes whenever anything readers see may change.

Readers that ask often (the API's KPI table, the dashboard, token sign-ins) keep what they
computed for one stamp and reuse it while the stamp is unchanged. Every write to the ledger
leaves an event in the hash-chained audit log, and a data request that edits its value in
place also moves the request's ``updated_at``; so the newest audit event, the newest request
change and the newest KPI value name the state, read in one statement.

On SQLite even that statement is skipped while nothing was committed: ``PRAGMA
data_version`` changes on a connection whenever another connection (of any process) has
committed, and a connection's own commits drop the stamp it kept (see :func:`install`), so
a connection re-reads the stamp only after a write. The stamp is kept per session too, so
one request reads it at most once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Select, event, func, select
from sqlalchemy.orm import Session

from esgledger.ledger.models import AuditEvent, KpiValue
from esgledger.ledger.state_signin import sign_in_columns
from esgledger.ledger.workflow_models import DataRequest

STAMP = "esg_state"  # key in a connection's and a session's ``info``

State = tuple[Any, ...]


def install(engine: Engine) -> None:
    """Forget a connection's kept stamps when it commits (its own writes do not move
    ``data_version``)."""

    @event.listens_for(engine, "commit")
    def _forget(conn) -> None:  # type: ignore[no-untyped-def]
        conn.info.pop(STAMP, None)


def _parts() -> tuple[Any, ...]:
    newest = select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    return (
        newest.with_only_columns(AuditEvent.id).scalar_subquery(),
        newest.with_only_columns(AuditEvent.hash).scalar_subquery(),
        select(func.max(DataRequest.updated_at)).scalar_subquery(),
        select(func.max(KpiValue.id)).scalar_subquery(),
    )


def stamp_query() -> Select[Any]:
    """The statement reading the stamp's parts (after the database's URL), for a reader
    that talks to the database without a session (:mod:`esgledger.ledger.change_watch`)."""
    return select(*_parts())


_BOTH_SQL: dict[str, str] = {}  # dialect name → the statement of :func:`_read_both`


def _read_both(session: Session) -> tuple[State, State]:
    """The ledger's stamp and the sign-in stamp (:mod:`esgledger.ledger.state_signin`),
    read afresh in one statement: after a commit both are asked for, by the sign-in check
    and the read it signs in for. The statement has no parameters, so it is compiled once
    per dialect and sent as text (building and compiling it cost more than running it)."""
    conn = session.connection()
    sql = _BOTH_SQL.get(conn.dialect.name)
    if sql is None:
        statement = select(*_parts(), *sign_in_columns())
        compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
        sql = _BOTH_SQL.setdefault(conn.dialect.name, str(compiled))
    row = conn.exec_driver_sql(sql).one()
    url = str(conn.engine.url)
    return (url, *row[:4]), (url, *row[4:])


def area_state(session: Session, prefix: str) -> State:
    """The stamp of one area of the ledger: the database and the newest audit event whose
    action starts with ``prefix`` (e.g. ``"materiality."``). A result that reads only that
    area is kept per this stamp, so writes elsewhere do not make it compute again."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # every action starting with the prefix
    newest = session.execute(
        select(AuditEvent.id, AuditEvent.hash)
        .where(AuditEvent.action >= prefix, AuditEvent.action < upper)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    return (str(session.get_bind().url), prefix, *(newest or (None, None)))


def newest_audit_id(state: State) -> int | None:
    """The sequence number of the newest audit event a stamp names (None: an empty log)."""
    return state[1]  # type: ignore[no-any-return]  # (url, newest id, its hash, …)


def newest_audit_hash(state: State) -> str | None:
    """The hash of the newest audit event a stamp names (None: an empty log)."""
    return state[2]  # type: ignore[no-any-return]


def superseded(old: object, new: State) -> bool:
    """Whether ``old`` is a stamp of the same database as ``new`` and older: what was kept
    for it can no longer be asked for (the newest audit event only moves forward; after a
    restore to an older chain, older entries simply age out)."""
    if not isinstance(old, tuple) or len(old) != len(new) or old == new or old[0] != new[0]:
        return False
    return bool((old[1] or 0) <= (new[1] or 0))


def ledger_state(session: Session) -> State:
    """The stamp of the ledger as this session sees it (usually one cheap statement)."""
    return _kept(session)[0]


def sign_in_state(session: Session) -> State:
    """The sign-in stamp as this session sees it (:mod:`esgledger.ledger.state_signin`):
    it moves only with an event that can change a token's principal."""
    return _kept(session)[1]


def _kept(session: Session) -> tuple[State, State]:
    """Both stamps, kept for the session and, on SQLite, for the connection while its
    ``PRAGMA data_version`` is unchanged."""
    kept = session.info.get(STAMP)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        version = conn.exec_driver_sql("PRAGMA data_version").scalar()
        known = conn.info.get(STAMP)
        if known is not None and known[0] == version:
            both: tuple[State, State] = known[1]
        else:
            both = _read_both(session)
            conn.info[STAMP] = (version, both)
    else:
        both = _read_both(session)
    session.info[STAMP] = both
    return both
