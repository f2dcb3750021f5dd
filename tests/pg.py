"""A throwaway PostgreSQL server for the test session, from Debian's packages.

``scripts/test`` installs the server; this module starts a private cluster on loopback in
a temporary folder (as the ``postgres`` user when running as root) and stops it at the end.
Set ``ESG_TEST_POSTGRES_URL`` to use a server you already run instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class LocalPostgres:
    def __init__(self) -> None:
        initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise RuntimeError(
                "PostgreSQL server binaries not found; run ./scripts/test, which installs them"
            )
        self.pg_ctl = pg_ctl
        self.root = Path(tempfile.mkdtemp(prefix="esg-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self._run(
            [initdb, "-D", str(self.data), "-A", "trust", "-U", "esg", "-E", "UTF8", "--no-sync"]
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            [
                pg_ctl,
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.root / "log"),
                "-w",
                "start",
            ]
        )
        self.url = f"postgresql+psycopg://esg@127.0.0.1:{self.port}/postgres"
        self._wait()

    def _run(self, args: list[str]) -> None:
        subprocess.run([*self.prefix, *args], check=True, capture_output=True)

    def _wait(self) -> None:
        import psycopg

        for _ in range(100):
            try:
                psycopg.connect(f"host=127.0.0.1 port={self.port} user=esg dbname=postgres").close()
                return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start; see " + str(self.root / "log"))

    def stop(self) -> None:
        subprocess.run(
            [*self.prefix, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)
