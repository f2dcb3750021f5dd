"""The backup archive format, shared by ``esg backup`` and ``esg restore``.

Layout of an archive::

    manifest.json          format, versions, schema revision, created_at, per-table facts,
                           audit_head (SEQ:HASH of the newest event; a restore must reach it)
    data/<table>.jsonl     one JSON array per row, columns as listed in the manifest

Rows are written in primary-key order (text keys in code-point order on both databases) with
a canonical, dialect-independent encoding: dates and datetimes as ISO strings to the
microsecond, floats as ``repr`` (bit-exact), booleans as true/false, NULL as null. So the same
data backed up from SQLite or from PostgreSQL gives byte-identical data files, and
``data_sha256`` (sha256 of the canonical JSON of the manifest's ``tables``: columns, row
counts, file hashes; never ``created_at``) is equal too.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
import zipfile
import zlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Time,
    Uuid,
)
from sqlalchemy.types import TypeEngine

from esgledger.errors import IntegrityFailure, InvalidInput

FORMAT = "esgledger-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 10_000  # rows fetched, encoded, or inserted at a time: memory stays flat

Manifest = dict[str, Any]
Codec = Callable[[Any], Any] | None  # None: the JSON value is the Python value

# ---------------------------------------------------------------------------------------------
# Canonical encoding, chosen by column type so it never depends on the dialect


def column_kind(type_: TypeEngine[Any]) -> str:
    """The archive's name for a column type; new tables with other types fail loudly here."""
    kinds: list[tuple[type, str]] = [
        (Boolean, "boolean"),
        (Integer, "integer"),
        (Float, "float"),  # before Numeric: Float is a Numeric
        (Numeric, "numeric"),
        (DateTime, "datetime"),
        (Date, "date"),
        (Time, "time"),
        (String, "string"),  # Text and Enum too
        (LargeBinary, "binary"),
        (JSON, "json"),
        (Uuid, "uuid"),
    ]
    for cls, kind in kinds:
        if isinstance(type_, cls):
            return kind
    raise TypeError(
        f"backup cannot encode column type {type_!r}; teach esgledger.ledger.archive_format"
    )


ENCODERS: dict[str, Codec] = {
    "boolean": bool,
    "integer": None,
    "float": float,  # json writes float.__repr__: shortest text that reads back bit for bit
    "numeric": str,
    "datetime": lambda v: v.isoformat(timespec="microseconds"),
    "date": lambda v: v.isoformat(),
    "time": lambda v: v.isoformat(timespec="microseconds"),
    "string": None,
    "binary": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "json": None,
    "uuid": str,
}
DECODERS: dict[str, Codec] = {
    "boolean": None,
    "integer": None,
    "float": float,
    "numeric": Decimal,
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "string": None,
    "binary": base64.b64decode,
    "json": None,
    "uuid": uuid.UUID,
}

# One data-file line per row: compact, keys sorted, non-ASCII kept as written.
encode_row_line: Callable[[Any], str] = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True
).encode
decode_row_line: Callable[[str], Any] = json.JSONDecoder().decode


def converter(codecs: list[Codec]) -> Callable[[Sequence[Any]], list[Any]]:
    """Apply each column's codec to its non-null values; touches only columns that need it."""
    active = [(i, f) for i, f in enumerate(codecs) if f is not None]

    def convert(row: Sequence[Any]) -> list[Any]:
        out = list(row)
        for i, f in active:
            if out[i] is not None:
                out[i] = f(out[i])
        return out

    return convert


# ---------------------------------------------------------------------------------------------
# The manifest and its digest


def canonical(data: Any) -> bytes:
    """One spelling per value, so equal data always hashes equal."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def data_digest(tables: dict[str, Any]) -> str:
    """One digest for all the data: the per-table entries (columns, rows, file hashes)."""
    return hashlib.sha256(canonical(tables)).hexdigest()


def open_archive(path: Path) -> zipfile.ZipFile:
    """Turn a missing or non-zip file into a one-line answer."""
    if not path.is_file():
        raise InvalidInput(f"{path} does not exist; give an archive written by `esg backup`")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InvalidInput(f"{path} is not an esgledger backup (not a zip archive)") from None


def read_manifest(zf: zipfile.ZipFile, source: str) -> Manifest:
    """The manifest of an open archive, checked for shape and format version."""
    try:
        raw = zf.read(MANIFEST)
    except KeyError:
        raise InvalidInput(f"{source} is not an esgledger backup (no {MANIFEST})") from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise IntegrityFailure(
            f"{source} is damaged: {MANIFEST} cannot be read ({exc}); nothing was restored"
        ) from None
    try:
        manifest = json.loads(raw)
    except ValueError:  # UnicodeDecodeError too
        manifest = None
    if not _well_formed(manifest):
        raise IntegrityFailure(
            f"{source} is not an esgledger backup or is damaged ({MANIFEST} is not readable)"
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise InvalidInput(
            f"{source} has backup format {manifest.get('format_version')}, this esgledger reads "
            f"format {FORMAT_VERSION}; use the esgledger version that wrote it"
        )
    return manifest


def _well_formed(manifest: Any) -> bool:
    """Every field a restore reads is there with its type, so nothing fails half-way."""

    def text(value: Any) -> bool:
        return isinstance(value, str) and bool(value)

    def column(c: Any) -> bool:
        return isinstance(c, dict) and text(c.get("name")) and c.get("type") in DECODERS

    def entry(e: Any) -> bool:
        return (
            isinstance(e, dict)
            and type(e.get("rows")) is int
            and e["rows"] >= 0
            and text(e.get("file"))
            and text(e.get("sha256"))
            and isinstance(e.get("columns"), list)
            and all(column(c) for c in e["columns"])
        )

    return (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and text(manifest.get("schema_revision"))
        and text(manifest.get("data_sha256"))
        and isinstance(manifest.get("tables"), dict)
        and all(entry(e) for e in manifest["tables"].values())
    )


def verify_files(zf: zipfile.ZipFile, manifest: Manifest, source: str) -> None:
    """Every data file must hash to the manifest's sha256 before anything is written."""
    if data_digest(manifest["tables"]) != manifest.get("data_sha256"):
        raise IntegrityFailure(f"{source} is damaged: data_sha256 does not match its tables")
    for entry in manifest["tables"].values():
        digest = hashlib.sha256()
        try:
            with zf.open(entry["file"]) as fh:
                while block := fh.read(1 << 20):
                    digest.update(block)
        except KeyError:
            raise IntegrityFailure(f"{source} is damaged: {entry['file']} is missing") from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise IntegrityFailure(f"{source} is damaged: {entry['file']}: {exc}") from None
        if digest.hexdigest() != entry["sha256"]:
            raise IntegrityFailure(
                f"{source} is damaged: {entry['file']} does not match its sha256 in "
                f"{MANIFEST}; nothing was restored"
            )
