"""Fresh PostgreSQL databases for the tests, made ahead and dropped behind in a thread.

Each database test gets its own copy of the migrated template (``CREATE DATABASE … TEMPLATE``)
and the copy is dropped after it; both take the server a while. A background thread keeps a
few copies ready and drops the used ones, so the server does that work on the other core
while the tests run, instead of each test waiting for it.
"""

from __future__ import annotations

import queue
import threading
import uuid

import psycopg

READY = 2  # copies kept ready: enough to hide one create behind a test


def admin_connection(url: str) -> psycopg.Connection:
    """An autocommit connection to the server's maintenance database at ``url``."""
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


class DatabasePool:
    """Copies of ``template`` on the server at ``base_url``, each handed out once."""

    def __init__(self, base_url: str, template: str, ready: int = READY):
        self.base_url = base_url
        self.template = template
        self._ready: queue.Queue[str | BaseException] = queue.Queue()
        self._tasks: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._worker = threading.Thread(target=self._work, name="pg-pool", daemon=True)
        self._worker.start()
        for _ in range(ready):
            self._tasks.put(("create", "t_" + uuid.uuid4().hex[:16]))

    def url_of(self, name: str) -> str:
        return self.base_url.rsplit("/", 1)[0] + f"/{name}"

    def take(self) -> str:
        """The name of a fresh copy; another one is started in its place."""
        got = self._ready.get()
        if isinstance(got, BaseException):
            raise RuntimeError(f"could not copy the template database: {got}") from got
        self._tasks.put(("create", "t_" + uuid.uuid4().hex[:16]))
        return got

    def give_back(self, name: str) -> None:
        """Drop a used copy (in the background)."""
        self._tasks.put(("drop", name))

    def close(self) -> None:
        """Finish the pending drops and drop the copies nobody took."""
        self._tasks.put(None)
        self._worker.join()
        with admin_connection(self.base_url) as conn:
            while not self._ready.empty():
                left = self._ready.get()
                if isinstance(left, str):
                    conn.execute(f"DROP DATABASE IF EXISTS {left} WITH (FORCE)")

    def _work(self) -> None:
        with admin_connection(self.base_url) as conn:
            while (task := self._tasks.get()) is not None:
                action, name = task
                try:
                    if action == "create":
                        conn.execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
                        self._ready.put(name)
                    else:
                        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                except psycopg.Error as exc:
                    if action == "create":
                        self._ready.put(exc)  # take() raises it in the test
                    else:
                        raise
