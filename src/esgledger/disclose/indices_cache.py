"""The printed content indices kept on disk per ledger state, so the report is rendered once.

`esg index` and `esg index gaps` read their rows off the report `esg report` renders
(:func:`esgledger.disclose.publish.printed_indices`): tens of seconds on a real workspace,
and each is a process of its own. The indices depend only on the data (the ledger state of
:mod:`esgledger.disclose.ledger_state`, the key the web's report previews use), the year,
the narrative sections, the settings and the code; so they are kept under a key of all
five, in a private folder per database. A write moves the state, so a kept entry is never
read after it (a new key is asked for); the newest :data:`KEEP` entries stay.

The entries are pickles: they are read only from a folder this user created with mode 0700
(checked before every use), never from a path anyone else could write. A missing, foreign
or unreadable entry is a miss: the indices are rendered again, never guessed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from esgledger.settings import get_settings

if TYPE_CHECKING:
    from esgledger.disclose.index import ContentIndex

KEEP = 16
PACKAGE = Path(__file__).resolve().parents[1]
stats = {"hits": 0, "misses": 0}  # this process's lookups (tests read them)


@cache
def _code_digest() -> str:
    """Names, sizes and modification times of the package's files when this process started
    using them (the code it runs): new code, new key."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            st = path.stat()
            h.update(f"{path.relative_to(PACKAGE)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _sections_digest(sections: Path | None) -> str:
    """The narrative's file names and contents (the report prints their headings)."""
    if sections is None:
        return "-"
    h = hashlib.sha256(str(sections.resolve()).encode())
    files = sorted(p for p in sections.rglob("*") if p.is_file()) if sections.is_dir() else []
    for path in files if files else [sections]:
        h.update(f"\n{path}\n".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-")
    return h.hexdigest()


def indices_key(session: Session, year: int, sections: Path | None) -> str:
    """The key of the indices of ``year`` as the ledger is now in ``session``."""
    from esgledger.disclose.ledger_state import ledger_state  # it imports publish, as we do

    parts = (
        ledger_state(session),
        str(year),
        _sections_digest(sections),
        get_settings().model_dump_json(),
        _code_digest(),
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _folder(session: Session) -> Path | None:
    """This user's private folder for the session's database, or None when it is not ours."""
    bind = session.get_bind()
    url = (bind.engine if isinstance(bind, Connection) else bind).url.render_as_string()
    name = f"esg-indices-{os.getuid()}-{hashlib.sha256(url.encode()).hexdigest()[:16]}"
    folder = Path(tempfile.gettempdir()) / name
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return None
    private = stat.S_ISDIR(st.st_mode) and not st.st_mode & 0o077
    return folder if private and st.st_uid == os.getuid() else None


def load(session: Session, key: str) -> dict[str, ContentIndex] | None:
    """The indices kept under ``key``, or None."""
    folder = _folder(session)
    path = folder / f"{key}.pickle" if folder is not None else None
    try:
        if path is None or path.is_symlink():
            raise FileNotFoundError(key)
        with path.open("rb") as fh:
            found = pickle.load(fh)
        if not isinstance(found, dict):
            raise ValueError(key)
    except (OSError, EOFError, ValueError, pickle.UnpicklingError, AttributeError, TypeError):
        stats["misses"] += 1
        return None
    stats["hits"] += 1
    os.utime(path)  # newest use: kept longest
    return found


def keep(session: Session, key: str, indices: dict[str, ContentIndex]) -> None:
    """Keep ``indices`` under ``key`` (atomically; a full disk only costs a later render)."""
    folder = _folder(session)
    if folder is None:
        return
    part = folder / f"{key}.{os.getpid()}.part"
    try:
        with part.open("wb") as fh:
            pickle.dump(indices, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, folder / f"{key}.pickle")
        kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        part.unlink(missing_ok=True)
