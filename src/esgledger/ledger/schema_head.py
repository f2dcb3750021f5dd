"""The schema head the installed migration files declare, read without importing alembic.

Each file under ``migrations/versions`` states ``revision: str = "…"`` and
``down_revision: str | None = "…"`` on lines of their own. The head is the one revision no
other file names as its ``down_revision``. Anything unusual (a merge, a branch, a line in
another form) gives None, and the caller asks alembic instead.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_REVISION = re.compile(r'^revision(?:\s*:\s*str)?\s*=\s*"([^"]+)"\s*$', re.M)
_DOWN = re.compile(r'^down_revision(?:\s*:[^=]+)?=\s*(?:"([^"]+)"|None)\s*$', re.M)


@cache
def declared_head() -> str | None:
    """The one head revision of the migration files, or None when it is not plain."""
    revisions: set[str] = set()
    downs: set[str] = set()
    folder = resources.files("esgledger.ledger.migrations").joinpath("versions")
    for entry in folder.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("_"):
            continue
        source = entry.read_text(encoding="utf-8")
        revision, down = _REVISION.findall(source), _DOWN.findall(source)
        if len(revision) != 1 or len(down) != 1:
            return None
        revisions.add(revision[0])
        if down[0]:
            downs.add(down[0])
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 and downs <= revisions else None
