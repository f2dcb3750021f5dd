"""Finished and running report previews on disk, shared by every server process.

``esg serve --workers N`` runs N processes; a cache in one process's memory would render the
same PDF once per process and send a reader's status poll to a process that never heard of
the job. So each preview (one ledger state, year and format) is a file in one folder per
database, with a small JSON marker beside it saying where it stands. The marker is claimed
with an exclusive create (one process renders a job, the others follow it) and every later
write replaces it atomically, as does the finished file, so no reader ever sees half of
either. A marker left "rendering" by a process that has since died counts as absent.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from esgledger.ledger.db import Database

MARKER = ".json"
DEAD = "the server process rendering it stopped; ask again"


def store_folder(db: Database) -> Path:
    """One private folder per database under the machine's temporary directory."""
    key = hashlib.sha256(db.url.encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"esg-previews-{key}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


class PreviewStore:
    """Markers and files of previews, keyed by a job id (see :func:`previews.preview_id`)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def marker(self, ident: str) -> Path:
        return self.folder / f"{ident}{MARKER}"

    def claim(self, ident: str, fields: dict[str, Any]) -> bool:
        """Create the job's marker unless another live process holds it; True when ours."""
        path = self.marker(ident)
        current = self.load(ident)
        if current is not None and current["state"] in ("queued", "rendering", "done"):
            return False
        path.unlink(missing_ok=True)  # failed, or left by a dead process
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return False  # another process claimed it a moment ago
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({**fields, "pid": os.getpid()}, out)
        return True

    def save(self, ident: str, fields: dict[str, Any]) -> None:
        """Replace the marker atomically (write beside it, then rename over it)."""
        tmp = self.folder / f"{ident}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_text(json.dumps({**fields, "pid": os.getpid()}), encoding="utf-8")
        os.replace(tmp, self.marker(ident))

    def load(self, ident: str) -> dict[str, Any] | None:
        """The marker's fields; a dead renderer's job reads as failed, a lost file as absent."""
        try:
            fields: dict[str, Any] = json.loads(self.marker(ident).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if fields.get("state") in ("queued", "rendering") and not _alive(int(fields["pid"])):
            return {**fields, "state": "failed", "message": DEAD}
        if fields.get("state") == "done" and not (self.folder / fields["file"]).is_file():
            return None
        return fields

    def keep_file(self, ident: str, made: Path) -> Path:
        """Move a finished file into the store under the job's name (atomic, same disk)."""
        kept = self.folder / f"{ident}{made.suffix}"
        os.replace(made, kept)
        return kept

    def prune(self, keep: int) -> None:
        """Delete all but the newest ``keep`` finished previews, markers and files."""
        finished = []
        for path in self.folder.glob(f"*{MARKER}"):
            fields = self.load(path.name.removesuffix(MARKER))
            if fields is not None and fields["state"] in ("done", "failed"):
                with contextlib.suppress(OSError):
                    finished.append((path.stat().st_mtime, path, fields))
        finished.sort(key=lambda item: item[0])
        for _mtime, path, fields in finished[: max(0, len(finished) - keep)]:
            if fields.get("file"):
                (self.folder / fields["file"]).unlink(missing_ok=True)
            path.unlink(missing_ok=True)
