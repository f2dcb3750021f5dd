"""Opening a workspace database: SQLite by default (WAL, foreign keys on) or PostgreSQL.

Reads and writes go through :meth:`Database.read` and :meth:`Database.write`, one unit of
work each. On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` so two writers
queue instead of failing half-way; a writer waits up to ``ESG_LOCK_WAIT_SECONDS`` for
another (on PostgreSQL too, as ``lock_timeout``), telling ``on_lock_wait`` how long it has
waited, then gives up with a one-line :class:`~esgledger.errors.Contention`. A SQLite file
this process cannot write (read-only media, an auditor's copy) is opened read-only, so
readers work and writers are refused before they start.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from esgledger.errors import (
    ConcurrentChange,
    Contention,
    DatabaseError,
    EsgError,
    IntegrityFailure,
    StorageFailure,
)
from esgledger.faults import fault_point
from esgledger.ledger import state
from esgledger.ledger.writer_turn import writer_turn
from esgledger.settings import get_settings

LockWaitReport = Callable[[float, float], None]  # (seconds waited so far, seconds we wait)
LOCK_POLL_MS = 1000  # a waiting writer reports once a second
CONTENTION_STATES = {"55P03", "40P01", "40001"}  # lock timeout, deadlock, serialization
UNIQUE_VIOLATION = "23505"


def normalise_url(target: str) -> str:
    """Turn a file path or URL into a SQLAlchemy URL (``esg.db`` → ``sqlite:///esg.db``)."""
    if "://" not in target:
        return f"sqlite:///{Path(target).expanduser()}"
    if target.startswith("postgresql://") or target.startswith("postgres://"):
        return "postgresql+psycopg://" + target.split("://", 1)[1]
    return target


def pool_arguments(url: str) -> dict[str, int]:
    """Pool size for a server process: ``ESG_DB_POOL_SIZE`` kept, as many again under load
    (the web app admits that many requests at once, see :mod:`esgledger.api.gate`)."""
    if make_url(url).database in (None, "", ":memory:"):
        return {}  # one in-memory database lives on one connection
    size = get_settings().db_pool_size
    return {"pool_size": size, "max_overflow": size}


def read_only_uri(path: Path) -> str | None:
    """A read-only SQLite URI for a file this process cannot write, else None.

    On read-only media nobody can add a ``-wal`` file, so the file is opened ``immutable``
    (no locks, no ``-shm`` to create); a file merely not writable for us is opened
    ``mode=ro`` so a writer with the rights can still work beside us.
    """
    if not path.exists() or (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return None
    wal = Path(f"{path}-wal")
    mode = "immutable=1" if not os.access(path.parent, os.W_OK) and not wal.exists() else "mode=ro"
    return f"sqlite:///file:{quote(str(path.resolve()))}?{mode}&uri=true"


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _begin_write(dbapi_conn: sqlite3.Connection, wait: float, report: LockWaitReport) -> None:
    """``BEGIN IMMEDIATE``, retried once a second for up to ``wait`` seconds while another
    writer holds the lock; nothing is done before it, so retrying is always safe."""
    start = time.monotonic()
    dbapi_conn.execute(f"PRAGMA busy_timeout={min(LOCK_POLL_MS, int(wait * 1000))}")
    try:
        while True:
            try:
                dbapi_conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - start
                if not _is_locked(exc) or waited >= wait:
                    raise
                report(waited, wait)
    finally:
        dbapi_conn.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")


def _sqlite_engine(db: Database) -> Engine:
    wait = get_settings().lock_wait_seconds
    engine = create_engine(
        db.engine_url, connect_args={"timeout": wait}, **pool_arguments(db.engine_url)
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if not db.read_only and cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        if not conn.get_execution_options().get("esg_write", False):
            conn.exec_driver_sql("BEGIN")
            return
        try:
            _begin_write(conn.connection.dbapi_connection, wait, db.report_lock_wait)
        except sqlite3.OperationalError as exc:
            raise database_failure(exc, db.display) or exc from None

    state.install(engine)
    return engine


def read_only_failure(display: str) -> StorageFailure:
    return StorageFailure(
        f"{display} is read-only here (the file or its folder cannot be written); "
        "this command writes, so run it on a writable copy; nothing was written"
    )


def contention(display: str) -> Contention:
    wait = get_settings().lock_wait_seconds
    return Contention(
        f"{display} is busy: another command kept it locked for more than {wait:g} s "
        "(ESG_LOCK_WAIT_SECONDS); nothing was written; run this again when it has finished"
    )


def database_failure(exc: BaseException, display: str) -> EsgError | None:
    """The one-line error a driver failure means for the user, or None for a bug.

    Contention, a full or read-only disk and a damaged file each have their own exit code.
    """
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    state = getattr(cause, "sqlstate", None)
    if state in CONTENTION_STATES or "database is locked" in text:
        return contention(display)
    if state == "53100" or "database or disk is full" in text:
        return StorageFailure(f"cannot write {display}: the disk is full; nothing was written")
    if state == "25006" or "readonly database" in text:
        return read_only_failure(display)
    if "malformed" in text or "file is not a database" in text:
        return IntegrityFailure(f"{display} is damaged ({text}); restore it from a backup")
    return None


def concurrent_change(exc: BaseException, display: str) -> ConcurrentChange | None:
    """The one-line error for a write that lost a race, or None.

    On PostgreSQL two writers read the same current row at once; the one that writes second
    finds the row changed under it (an optimistic lock's version, ``StaleDataError``) or its
    key taken by the other's commit (a unique violation). SQLite writers queue with
    ``BEGIN IMMEDIATE``, so there a unique violation is a missing check, a bug.
    """
    if isinstance(exc, StaleDataError):
        what = str(exc).split("table '", 1)[-1].split("'", 1)[0] if "table '" in str(exc) else ""
    elif getattr(getattr(exc, "orig", None), "sqlstate", None) == UNIQUE_VIOLATION:
        what = getattr(exc.orig.diag, "table_name", None) or ""  # type: ignore[attr-defined]
    else:
        return None
    rows = f" in {what}" if what else ""
    return ConcurrentChange(
        f"{display}: another user changed the same records{rows} at the same moment; "
        "nothing was written; reload and do it again to work from what is stored now"
    )


def _pg_options(given: str | tuple[str, ...] | None) -> str:
    """A lock wait gives up after ``ESG_LOCK_WAIT_SECONDS``, keeping the URL's own options."""
    lock_wait = f"-c lock_timeout={int(get_settings().lock_wait_seconds * 1000)}"
    return " ".join([*([given] if isinstance(given, str) else given or ()), lock_wait])


class Database:
    """One workspace database. Cheap to create; holds an engine with a small pool."""

    def __init__(self, target: str):
        self.url = normalise_url(target)
        self.on_lock_wait: LockWaitReport | None = None
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise DatabaseError(f"cannot read database URL {target!r}: {exc}") from None
        self.dialect = parsed.get_backend_name()
        path = self.sqlite_path
        readonly_url = read_only_uri(path) if path is not None else None
        self.read_only = readonly_url is not None
        self.engine_url = readonly_url or self.url
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(self)
        elif self.dialect == "postgresql":
            self.engine = create_engine(
                self.url,
                pool_pre_ping=True,
                **pool_arguments(self.url),
                connect_args={"options": _pg_options(parsed.query.get("options"))},
            )
        else:
            raise DatabaseError(
                f"unsupported database {parsed.drivername!r}; use a SQLite path or "
                "postgresql+psycopg://user@host/db"
            )

    @cached_property
    def sqlite_path(self) -> Path | None:
        """The file of a SQLite workspace (None for PostgreSQL or in-memory); parsed once,
        not at each write (the URL's parse was a tenth of a CMRT file's write)."""
        if self.dialect != "sqlite":
            return None
        database = make_url(self.url).database
        return Path(database) if database and database != ":memory:" else None

    @property
    def display(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def report_lock_wait(self, waited: float, wait: float) -> None:
        if self.on_lock_wait is not None:
            self.on_lock_wait(waited, wait)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine) as session:
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read session that sees one state of the database however many statements it
        runs, for a read made of many (an export read a page at a time): one read
        transaction, REPEATABLE READ on PostgreSQL; on SQLite (WAL) the transaction's
        snapshot is taken at its first read and kept until it ends."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with Session(bind=conn) as session:
                yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work commits at the end, or rolls back whole on any error."""
        if self.read_only:
            raise read_only_failure(self.display)
        with self._writer_turn():
            yield from self._write()

    def _writer_turn(self) -> AbstractContextManager[None]:
        """This process's turn to write a SQLite file (see :mod:`.writer_turn`)."""
        path = self.sqlite_path
        if path is None:
            return nullcontext()
        wait = get_settings().lock_wait_seconds
        return writer_turn(path, wait, self.report_lock_wait, lambda: contention(self.display))

    def _write(self) -> Iterator[Session]:
        try:
            with (
                self.engine.connect().execution_options(esg_write=True) as conn,
                Session(bind=conn, join_transaction_mode="create_savepoint") as session,
                conn.begin(),
            ):
                yield session
                session.flush()
                fault_point("db.commit")
        except (DBAPIError, StaleDataError) as exc:
            known = concurrent_change(exc, self.display) or database_failure(exc, self.display)
            raise known or exc from None

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    def dispose(self) -> None:
        self.engine.dispose()
