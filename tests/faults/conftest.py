"""The fault-injection suite: run ``esg`` in its own process, kill it (SIGKILL) or fill its
disk (``OSError(ENOSPC)``) at a named point through ``ESG_FAULT_POINT``, hold the database's
write lock from outside, or take its write permission away; then check that all or nothing
happened, that nothing was left behind, and that any failure was said in one line."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import func, select, text

from esgledger.faults import ENV
from esgledger.ledger import audit
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, entities_file, monthly_rows, write_csv

# Each `esg` below runs in a process of its own, forked from a server that imported esgledger
# once (tests/faults/warm.py: the commands and what they load): a kill -9 kills only that
# process, and no run pays the start-up of a fresh Python or its imports.
_PROCESSES = multiprocessing.get_context("forkserver")
_PROCESSES.set_forkserver_preload(["tests.faults.warm"])


@dataclass(frozen=True)
class Finished:
    """How an ``esg`` process ended: its exit code (-9 when killed) and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def _as_auditor() -> None:
    """Drop what lets root ignore file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
    CAP_FOWNER): read-only files and folders are then read-only to this process too."""
    if os.geteuid() != 0:
        return  # an ordinary user is bound by the permissions already
    libc = ctypes.CDLL(None, use_errno=True)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    sets = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable; twice (caps 0-31, 32-63)
    if libc.capget(header, sets) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    for i in range(3):
        sets[i] &= ~0b1110 & 0xFFFFFFFF  # capabilities 1, 2 and 3
    if libc.capset(header, sets) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def _run_esg(args: list[str], env: dict[str, str], out: str, err: str, auditor: bool) -> None:
    """In the child: its own environment and output files, maybe an auditor's rights; `esg`."""
    os.environ.clear()
    os.environ.update(env)
    for fd, path in ((1, out), (2, err)):
        os.dup2(os.open(path, os.O_WRONLY | os.O_TRUNC), fd)
    if auditor:
        _as_auditor()
    sys.argv = ["esg", *args]
    from esgledger.cli.main import run

    run()


class Running:
    """An ``esg`` process started in the background; :meth:`finish` waits for its end."""

    def __init__(self, args: list[str], env: dict[str, str], auditor: bool) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="esg-fault-")
        self._out, self._err = Path(self._folder.name, "stdout"), Path(self._folder.name, "stderr")
        for path in (self._out, self._err):
            path.touch()
        self.process = _PROCESSES.Process(
            target=_run_esg, args=(args, env, str(self._out), str(self._err), auditor)
        )
        self.process.start()

    def is_running(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> Finished:
        """Ask it to end (SIGTERM, as a service manager would), then as :meth:`finish`."""
        self.process.terminate()
        return self.finish()

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid

    def wait_until_paused(self, timeout: float = 120) -> None:
        """Until the process stopped itself at a ``:pause`` fault point (state ``T``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state in ("T", "t"):
                return
            assert self.process.is_alive(), self._err.read_text()
            time.sleep(0.05)
        raise AssertionError("esg never reached its pause point")

    def resume(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    def finish(self) -> Finished:
        try:
            self.process.join(timeout=300)
            assert self.process.exitcode is not None, "esg did not finish"
            return Finished(self.process.exitcode, self._out.read_text(), self._err.read_text())
        finally:
            if self.process.exitcode is None:
                self.process.kill()
                self.resume()
            self._folder.cleanup()


def start_esg(
    *args: str,
    db: Database | None = None,
    fault: str | None = None,
    auditor: bool = False,
    env: dict[str, str] | None = None,
) -> Running:
    """``esg`` in a process of its own, left running; see :func:`esg`. ``env`` adds to (or
    overrides) this process's environment for that ``esg`` only."""
    env = {**{k: v for k, v in os.environ.items() if k != ENV}, **(env or {})}
    if fault:
        env[ENV] = fault
    where = ["--db", db.url] if db is not None else []
    return Running([*args, *where], env, auditor)


def esg(
    *args: str, db: Database | None = None, fault: str | None = None, auditor: bool = False
) -> Finished:
    """``esg`` in a process of its own; ``fault`` names the point it dies (or fails) at;
    ``auditor`` runs it without the right to write read-only files (even as root)."""
    return start_esg(*args, db=db, fault=fault, auditor=auditor).finish()


def killed(result: Finished) -> None:
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stderr)


def one_line_error(result: Result | Finished, code: int) -> str:
    """The failure is exactly one ``error:`` line, the last on stderr, without a traceback."""
    returned = getattr(result, "exit_code", getattr(result, "returncode", None))
    assert returned == code, result.stderr
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    assert "Traceback" not in result.stderr
    return errors[0]


def activities_file(folder: Path, year: int, name: str = "activities.csv") -> Path:
    rows = monthly_rows("SZ1", "fuel.diesel", "L", year, 1 / 3)
    rows += monthly_rows("WH1", "electricity.purchased", "kWh", year, 1e5 / 7)
    return write_csv(folder / name, ACTIVITY_HEADER, rows)


@pytest.fixture
def seeded(cli: Cli, tmp_path: Path) -> Cli:
    """A workspace with entities and a year of activity data (SQLite and PostgreSQL)."""
    cli("import", "entities", str(entities_file(tmp_path)))
    cli("import", "activities", str(activities_file(tmp_path, 2024)))
    return cli


@pytest.fixture
def short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that found the lock held would give up after 2 s (exit 4), not wait: a test
    that another writer goes on while an import is paused proves the lock was free."""
    monkeypatch.setenv("ESG_LOCK_WAIT_SECONDS", "2")


def nothing_kept_then_the_file_goes_in(seeded: Cli, data: Path, before: dict[str, int]) -> None:
    """After an import of ``data`` (a year of :func:`activities_file` rows) failed: nothing
    of it stayed in ``before``'s tables, the chain verifies, and the same file goes in."""
    assert counts(seeded.db, *before) == before
    assert chain_verifies(seeded.db)
    seeded("import", "activities", str(data))
    assert counts(seeded.db, "activity_records")["activity_records"] == 2 * 24


def counts(db: Database, *tables: str) -> dict[str, int]:
    with db.read() as session:
        return {t: session.scalar(select(func.count()).select_from(text(t))) or 0 for t in tables}


def chain_verifies(db: Database) -> bool:
    with db.read() as session:
        return audit.verify(session).ok


def leftovers(folder: Path) -> list[str]:
    """Hidden temporary files or staging folders a writer left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
