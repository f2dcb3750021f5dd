"""The activity store's files in a backup archive: copied beside the tables, put back on restore.

A workspace's Parquet activity store (:mod:`esgledger.ledger.activity_store`) is part of its
data: ``activity_files`` registers each file with its SHA-256 and the audit chain vouches for
that registry. A backup copies every registered file into ``store/<path>`` while it reads the
registry in its snapshot (files never change once their import commits), checking each
against its registered hash, so a damaged store never makes an archive. A restore checks
every member against the archive's own registry, and every target place in the store folder,
before it writes a file; the files are removed again when the restore does not commit.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, select

from esgledger.errors import Conflict, IntegrityFailure, InvalidInput
from esgledger.ledger.activity_store import remove_written
from esgledger.ledger.archive_format import Manifest, decode_row_line
from esgledger.ledger.store_models import ActivityFile

PREFIX = "store/"
COUNT = "store_files"  # the manifest's count of store members (absent: an archive without any)
BLOCK = 1 << 20
_FILE_PATH = re.compile(r"year=\d{4}/entity=[^/\\]+/batch-\d+-[0-9a-f]+\.parquet")

Registry = list[tuple[str, str]]  # (path relative to the store root, SHA-256), in id order


def dump_store(
    conn: Connection,
    root: Path | None,
    write_member: Callable[[str, Iterable[bytes]], None],
) -> int:
    """Copy every registered file into the archive; returns how many. A missing or changed
    file fails the backup (exit 3), so the caller's archive is never written."""
    registry = [
        (str(path), str(sha))
        for path, sha in conn.execute(
            select(ActivityFile.path, ActivityFile.sha256).order_by(ActivityFile.id)
        )
    ]
    if registry and root is None:
        raise InvalidInput(
            "this workspace registers activity store files but has no store folder: set "
            "ESG_ACTIVITY_STORE to it (needed on PostgreSQL)"
        )
    for path, sha in registry:
        file = root / path  # type: ignore[operator]  # root is set when registry is not empty
        digest = hashlib.sha256()
        try:
            with file.open("rb") as fh:
                write_member(PREFIX + path, _hashed(fh, digest))
        except FileNotFoundError:
            raise IntegrityFailure(
                f"activity store file {file} is missing; no archive was written "
                "(`esg audit verify --deep` lists every damaged file)"
            ) from None
        if digest.hexdigest() != sha:
            raise IntegrityFailure(
                f"activity store file {file} does not match the SHA-256 registered by its "
                "import; no archive was written (`esg audit verify --deep` lists every "
                "damaged file)"
            )
    return len(registry)


def _hashed(fh: IO[bytes], digest: Any) -> Iterator[bytes]:
    while block := fh.read(BLOCK):
        digest.update(block)
        yield block


def checked_members(zf: zipfile.ZipFile, manifest: Manifest, source: str) -> Registry:
    """The archive's registry, once every path is a store path, every registered file is a
    member hashing to its registered SHA-256 and no other store member is there."""
    registry = _archived_registry(zf, manifest, source)
    members = {n for n in zf.namelist() if n.startswith(PREFIX)}
    if len(registry) != manifest.get(COUNT, 0) or members != {PREFIX + p for p, _ in registry}:
        raise IntegrityFailure(
            f"{source} is damaged: its activity store files do not match its registry "
            f"({len(members)} files, {len(registry)} registered); nothing was restored"
        )
    for path, sha in registry:
        digest = hashlib.sha256()
        try:
            with zf.open(PREFIX + path) as fh:
                for _ in _hashed(fh, digest):
                    pass
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise IntegrityFailure(f"{source} is damaged: {PREFIX}{path}: {exc}") from None
        if digest.hexdigest() != sha:
            raise IntegrityFailure(
                f"{source} is damaged: {PREFIX}{path} does not match the SHA-256 its "
                "registry gives; nothing was restored"
            )
    return registry


def _archived_registry(zf: zipfile.ZipFile, manifest: Manifest, source: str) -> Registry:
    """(path, sha256) of each ``activity_files`` row in the archive (none before the store)."""
    entry = manifest["tables"].get(ActivityFile.__tablename__)
    if entry is None:
        return []
    names = [c["name"] for c in entry["columns"]]
    at_path, at_sha = names.index("path"), names.index("sha256")
    registry = []
    with zf.open(entry["file"]) as fh:
        for line in fh:
            row = decode_row_line(line.decode())
            path, sha = str(row[at_path]), str(row[at_sha])
            if not _FILE_PATH.fullmatch(path) or ".." in path.split("/"):
                raise IntegrityFailure(
                    f"{source} is damaged: activity store path {path!r} is not a store file's "
                    "path; nothing was restored"
                )
            registry.append((path, sha))
    return registry


def check_targets(registry: Registry, root: Path | None) -> None:
    """Refuse before writing anything: no folder to put files in, a path that would leave
    it, or another file's bytes already where one goes (the same bytes are kept as they are)."""
    if not registry:
        return
    if root is None:
        raise InvalidInput(
            f"the archive holds {len(registry)} activity store files and the target workspace "
            "has no store folder: set ESG_ACTIVITY_STORE to an empty folder (needed on PostgreSQL)"
        )
    base = root.resolve()
    for path, sha in registry:
        target = root / path
        if not target.resolve().is_relative_to(base):
            raise InvalidInput(f"activity store path {path} leaves the store folder {root}")
        if target.is_file() and _file_sha(target) != sha:
            raise Conflict(
                f"the store folder {root} already holds a different {path}; restore into "
                "an empty store folder (ESG_ACTIVITY_STORE) or remove it"
            )


def put_back(zf: zipfile.ZipFile, registry: Registry, root: Path, written: list[Path]) -> None:
    """Write each file not already there into the store folder, recording it in ``written``
    before its first byte, so :func:`remove_written` can take it away if the restore fails."""
    for path, _ in registry:
        target = root / path
        if target.is_file():
            continue  # check_targets found the same bytes there
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(target)
        with zf.open(PREFIX + path) as src, target.open("xb") as out:
            while block := src.read(BLOCK):
                out.write(block)


def _file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for _ in _hashed(fh, digest):
            pass
    return digest.hexdigest()


__all__ = ["COUNT", "check_targets", "checked_members", "dump_store", "put_back", "remove_written"]
