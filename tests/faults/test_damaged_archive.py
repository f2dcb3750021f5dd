"""#13.5: a damaged backup archive is refused in one line (exit code 3), never with a
traceback, and a restore of it leaves no file behind."""

from __future__ import annotations

import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from esgledger.errors import Exit
from esgledger.ledger.archive_format import MANIFEST
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.faults.conftest import one_line_error


def rewritten(archive: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """The archive with its manifest changed and everything else as it was."""
    with zipfile.ZipFile(archive) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    manifest = json.loads(members[MANIFEST])
    change(manifest)
    members[MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def flip_a_manifest_byte(archive: Path) -> None:
    """Bit rot inside the manifest's compressed bytes: its CRC no longer matches."""
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(MANIFEST)
    raw = bytearray(archive.read_bytes())
    name_len, extra_len = struct.unpack(
        "<HH", raw[info.header_offset + 26 : info.header_offset + 30]
    )
    middle = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    raw[middle] ^= 0xFF
    archive.write_bytes(bytes(raw))


DAMAGES: dict[str, Callable[[Path], None]] = {
    "manifest bytes": flip_a_manifest_byte,
    "no schema revision": lambda a: rewritten(a, lambda m: m.pop("schema_revision")),
    "a file name that is a number": lambda a: rewritten(
        a, lambda m: next(iter(m["tables"].values())).update(file=5)
    ),
    "rows as text": lambda a: rewritten(
        a, lambda m: next(iter(m["tables"].values())).update(rows="12")
    ),
    "tables as a list": lambda a: rewritten(a, lambda m: m.update(tables=[])),
}


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_manifest_is_one_line(cli: Cli, tmp_path: Path, damage: str) -> None:
    archive = tmp_path / "backup.zip"
    cli("backup", str(archive))
    DAMAGES[damage](archive)
    folder = tmp_path / "restored"
    folder.mkdir()
    result = Cli(Database(str(folder / "esg.db")))("restore", str(archive), expect=None)
    message = one_line_error(result, Exit.INTEGRITY)
    assert str(archive) in message and "damaged" in message
    assert list(folder.iterdir()) == []
