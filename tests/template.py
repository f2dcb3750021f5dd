"""One migrated SQLite workspace per test process, to copy (#20).

The ``sqlite_template`` fixture and the schemathesis module, which needs a workspace when it
is imported (schemathesis parametrizes at collection), both copy this one: every xdist
worker imports that module, so each migrated a workspace for it (~1.6 CPU s) besides the
fixture's own.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from esgledger.ledger.workspace import init_workspace


@functools.cache
def migrated_sqlite() -> Path:
    """A migrated, empty SQLite workspace: read or copy it, never change it; removed when the
    process exits."""
    folder = Path(tempfile.mkdtemp(prefix="esg-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    db, _ = init_workspace(str(folder / "esg.db"), actor="test")
    db.dispose()
    return folder / "esg.db"
