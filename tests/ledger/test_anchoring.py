"""Issue #13.2: the head of the audit chain is printed where it can be anchored.

``esg audit head`` prints it, the backup manifest records it (and a restore must reach it),
and a published report states the head at publication.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from esgledger.disclose.publish import publish_report
from esgledger.errors import InvalidInput
from esgledger.ledger.archive_format import data_digest
from esgledger.ledger.backup import write_backup
from esgledger.ledger.db import Database
from esgledger.ledger.restore import restore_backup
from tests.conftest import Cli
from tests.ledger.test_backup import members, populate, reseal, rewrite

HEAD = re.compile(r"^\d+:[0-9a-f]{64}$")


def test_the_head_is_printed_and_the_backup_manifest_records_it(
    db: Database, cli: Cli, tmp_path: Path
) -> None:
    populate(db, tmp_path)
    head = cli("audit", "head").stdout.strip()
    assert HEAD.match(head) and head.startswith("6:")
    assert json.loads(cli("audit", "head", "--json").stdout) == {
        "seq": 6,
        "hash": head.split(":")[1],
    }
    out = cli("backup", str(tmp_path / "b.zip")).stdout
    assert f"audit head {head})" in out.replace("\n", "")
    assert json.loads(members(tmp_path / "b.zip")["manifest.json"])["audit_head"] == head


def test_a_restore_must_reach_the_head_its_backup_recorded(
    sqlite_db: Database, tmp_path: Path
) -> None:
    populate(sqlite_db, tmp_path)
    archive = tmp_path / "b.zip"
    write_backup(sqlite_db, archive)
    shortened = _without_last_event(archive, tmp_path / "short.zip")
    target = Database(str(tmp_path / "restored.db"))
    try:
        with pytest.raises(InvalidInput) as err:
            restore_backup(target, shortened)
        assert "the chain ends at event 5 but the anchored head is event 6" in str(err.value)
        assert "nothing was restored" in str(err.value)
    finally:
        target.dispose()


def _without_last_event(src: Path, dst: Path) -> Path:
    """The archive with its newest event cut and every checksum fixed, as a forger would."""
    name = "data/audit_events.jsonl"
    lines = members(src)[name].splitlines(keepends=True)
    short = reseal(src, dst.with_suffix(".tmp.zip"), name, b"".join(lines[:-1]))
    manifest = json.loads(members(short)["manifest.json"])
    manifest["tables"]["audit_events"]["rows"] -= 1
    manifest["data_sha256"] = data_digest(manifest["tables"])
    return rewrite(short, dst, {"manifest.json": json.dumps(manifest).encode()})


def test_a_published_report_states_the_head_at_publication(
    db: Database, cli: Cli, tmp_path: Path
) -> None:
    populate(db, tmp_path)
    head = cli("audit", "head").stdout.strip()
    result = publish_report(db, 2024, out=tmp_path / "r", formats=["html"], archive_as="mia")
    html = Path(result["files"]["html"]).read_text(encoding="utf-8")
    assert f">{head}</code> (sequence:hash)" in html
