"""Files that appear whole or not at all, even when the process is killed or the disk fills.

One file (a backup, a restored SQLite workspace) is written under a hidden temporary name in
its own folder, flushed to disk with ``fsync``, then renamed over the target: a reader sees
the old file or the new one, never half of one. A set of files (a report's PDF, HTML and
XLSX) is written into a hidden staging folder beside the targets; once complete it is marked
ready and its files are renamed into place. A set killed before it was ready is thrown away;
one killed while being moved in is moved in completely by the next writer of that folder.
A killed process cannot clean up after itself, so every writer first sweeps the temporary
files of processes that are gone.
"""

from __future__ import annotations

import glob
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from esgledger.faults import fault_point

PARTIAL = "partial"
STAGING = "staging"
READY = ".ready"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner_gone(leftover: Path, prefix: str) -> bool:
    """``.{name}.{pid}.partial…``: true when no process ``pid`` runs any more."""
    pid = leftover.name[len(prefix) :].split(".", 1)[0]
    return pid.isdigit() and not _pid_alive(int(pid))


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder's) content to the disk before anything points at it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) * path.is_dir())
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_path(path: Path) -> Path:
    """The hidden name a file is written under before it is renamed to ``path``."""
    return path.with_name(f".{path.name}.{os.getpid()}.{PARTIAL}")


def sweep_stale(path: Path) -> None:
    """Remove what killed writers of ``path`` left: their temporary files (SQLite's too)."""
    prefix = f".{path.name}."
    for leftover in path.parent.glob(f"{glob.escape(prefix)}*.{PARTIAL}*"):
        if _owner_gone(leftover, prefix):
            with suppress(OSError):
                leftover.unlink()


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` whole, else vanishes."""
    sweep_stale(path)
    tmp = temp_path(path)
    try:
        yield tmp
        fsync_path(tmp)
        os.replace(tmp, path)
        fsync_path(path.parent)
    finally:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)


def finish_interrupted_sets(folder: Path, stem: str) -> None:
    """Complete the sets killed while being moved in; discard those killed before."""
    prefix = f".{stem}."
    for staging in sorted(folder.glob(f"{glob.escape(prefix)}*.{STAGING}")):
        if not staging.is_dir() or not _owner_gone(staging, prefix):
            continue
        if (staging / READY).exists():
            _move_in(staging, folder)
        else:
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def staged_set(folder: Path, stem: str) -> Iterator[Path]:
    """Yield an empty staging folder inside ``folder``; it is removed again unless moved in."""
    folder.mkdir(parents=True, exist_ok=True)
    finish_interrupted_sets(folder, stem)
    staging = folder / f".{stem}.{os.getpid()}.{STAGING}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def commit_set(staging: Path) -> list[Path]:
    """Make the staged files durable, mark the set ready, then move each into place."""
    for file in staging.iterdir():
        fsync_path(file)
    (staging / READY).touch()
    fsync_path(staging)
    return _move_in(staging, staging.parent)


def _move_in(staging: Path, folder: Path) -> list[Path]:
    moved = []
    for file in sorted(p for p in staging.iterdir() if p.name != READY):
        os.replace(file, folder / file.name)
        moved.append(folder / file.name)
        fault_point("set.moving")
    fsync_path(folder)
    shutil.rmtree(staging, ignore_errors=True)
    return moved
