"""Opening a workspace database: SQLite by default (WAL, foreign keys on) or PostgreSQL.

Reads and writes go through :meth:`Database.read` and :meth:`Database.write`, one unit of
work each. On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` so two writers
queue instead of failing half-way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from esgledger.errors import DatabaseError
from esgledger.settings import get_settings


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


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30}, **pool_arguments(url))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get("esg_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """One workspace database. Cheap to create; holds an engine with a small pool."""

    def __init__(self, target: str):
        self.url = normalise_url(target)
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise DatabaseError(f"cannot read database URL {target!r}: {exc}") from None
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(self.url)
        elif self.dialect == "postgresql":
            self.engine = create_engine(self.url, pool_pre_ping=True, **pool_arguments(self.url))
        else:
            raise DatabaseError(
                f"unsupported database {parsed.drivername!r}; use a SQLite path or "
                "postgresql+psycopg://user@host/db"
            )

    @property
    def sqlite_path(self) -> Path | None:
        """The file of a SQLite workspace (None for PostgreSQL or in-memory)."""
        if self.dialect != "sqlite":
            return None
        database = make_url(self.url).database
        return Path(database) if database and database != ":memory:" else None

    @property
    def display(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work commits at the end, or rolls back whole on any error."""
        with (
            self.engine.connect().execution_options(esg_write=True) as conn,
            Session(bind=conn, join_transaction_mode="create_savepoint") as session,
            conn.begin(),
        ):
            yield session
            session.flush()

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    def dispose(self) -> None:
        self.engine.dispose()
