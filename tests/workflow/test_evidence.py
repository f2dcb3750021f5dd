"""Evidence files: stored byte for byte in the database, read back and through a backup."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from esgledger.auth.permissions import PermissionDenied
from esgledger.errors import Conflict, InvalidInput
from esgledger.ledger.backup import write_backup
from esgledger.ledger.db import Database
from esgledger.ledger.restore import restore_backup
from esgledger.workflow import review
from esgledger.workflow.evidence import add_evidence, get_evidence, list_evidence
from esgledger.workflow.values import enter_value
from tests.workflow.conftest import Org, issue

# Bytes that text handling would mangle: NUL, CR/LF, invalid UTF-8, a BOM, every byte value.
AWKWARD = b"\x00\r\n\xff\xfe\xef\xbb\xbf" + bytes(range(256))


def _payload(size: int = 70_000) -> bytes:
    return AWKWARD + random.Random(42).randbytes(size)


def test_evidence_round_trip_is_byte_identical(org: Org) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    data = _payload()
    with org.db.write() as s:
        row = add_evidence(s, org.olga, rid, name="C:\\scans\\invoice 03.pdf", content=data)
        again = add_evidence(s, org.olga, rid, name="copy.pdf", content=data)
        evidence_id = row.id
    assert again.id == evidence_id, "the same bytes twice are stored once"
    with org.db.read() as s:
        stored = get_evidence(s, org.rita, evidence_id)
        assert stored.content == data and type(stored.content) is bytes
        assert (stored.name, stored.size, stored.media_type) == (
            "invoice 03.pdf",
            len(data),
            "application/pdf",
        )
        assert stored.sha256 == hashlib.sha256(data).hexdigest()
        assert [f.name for f in list_evidence(s, org.aldo, rid)] == ["invoice 03.pdf"]
        with pytest.raises(PermissionDenied, match=r"otto .* no grant on entity 'SZ1'"):
            get_evidence(s, org.otto, evidence_id)


def test_evidence_is_added_only_while_the_request_is_editable(org: Org) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    with (
        pytest.raises(InvalidInput, match=r"evidence file 'empty\.txt' is empty"),
        org.db.write() as s,
    ):
        add_evidence(s, org.olga, rid, name="empty.txt", content=b"")
    with (
        pytest.raises(PermissionDenied, match=r"rita \(reviewer\) may not add evidence"),
        org.db.write() as s,
    ):
        add_evidence(s, org.rita, rid, name="a.txt", content=b"a")
    with org.db.write() as s:
        enter_value(s, org.olga, rid, version=1, value=1, unit="t")
        review.submit(s, org.olga, rid, version=2)
    with pytest.raises(Conflict) as err, org.db.write() as s:
        add_evidence(s, org.olga, rid, name="late.pdf", content=b"late")
    assert str(err.value) == (
        "cannot add evidence to request 1: it is submitted; evidence is added while the "
        "request is draft or returned"
    )


def test_evidence_survives_backup_and_restore(org: Org, tmp_path: Path) -> None:
    """The archive stores LargeBinary as base64; restoring gives the same bytes back."""
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    data = _payload(5_000)
    with org.db.write() as s:
        evidence_id = add_evidence(s, org.olga, rid, name="meter.jpg", content=data).id
    archive = tmp_path / "backup.zip"
    write_backup(org.db, archive)
    target = Database(str(tmp_path / "restored.db"))
    try:
        result = restore_backup(target, archive)
        assert result["audit"]["ok"]
        with target.read() as s:
            restored = get_evidence(s, org.olga, evidence_id)
            assert restored.content == data and restored.name == "meter.jpg"
    finally:
        target.dispose()
