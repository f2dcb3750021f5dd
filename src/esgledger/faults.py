"""Named fault points for the fault-injection tests: ``ESG_FAULT_POINT=name[:action]``.

A crash or a full disk cannot be provoked at an exact moment from outside, so the code calls
``fault_point("name")`` where one would hurt most. Unset (always, in real use), a call costs a
dictionary lookup. Set to a point's name, the process kills itself with SIGKILL there (no
cleanup runs, as after a power cut); with ``:enospc`` it raises ``OSError(ENOSPC)`` instead,
as a full disk would, with ``:bug`` an unexpected ``RuntimeError``, as a bug would, and with
``:pause`` it stops itself (SIGSTOP) until the test lets it go on (SIGCONT), so a test can
look at what the process holds at that moment (the database's write lock, say). With
``:hold=PATH`` only the calling thread waits: it creates the file PATH and goes on once the
test removed it, while the rest of the process (a server's other requests) keeps running, as
it would while one request validates a large file.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

ENV = "ESG_FAULT_POINT"


def fault_point(name: str) -> None:
    """Crash here (or fail as a full disk) when ``ESG_FAULT_POINT`` names this point."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, action = wanted.partition(":")
    if point != name:
        return
    if action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if action == "bug":
        raise RuntimeError(f"fault injected at {name}")
    if action == "pause":
        os.kill(os.getpid(), signal.SIGSTOP)
        return
    if action.startswith("hold="):
        _hold(Path(action.removeprefix("hold=")))
        return
    os.kill(os.getpid(), signal.SIGKILL)


def _hold(marker: Path) -> None:
    """Wait in this thread until the test removes ``marker`` (created here)."""
    marker.touch()
    while marker.exists():
        time.sleep(0.05)
