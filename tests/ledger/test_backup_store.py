"""Issue #18: a backup of a workspace whose activity rows sit in the Parquet activity store.

The archive carries the store's files beside the tables (``store/<path>``, each checked
against the SHA-256 its import registered), and a restore puts them back into the target's
store folder before it commits: the restored workspace calculates to the bit what the source
did and ``esg audit verify --deep`` passes. A changed file stops the backup (no archive); a
damaged, incomplete or hostile archive, or a store folder holding other bytes at a file's
place, restores nothing — no database, no file.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from esgledger.ledger.archive_format import MANIFEST, data_digest
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.ledger.test_activity_store import INTEGRITY, calc, demo_files, pair, root_of

__all__ = ["pair"]  # the fixture, re-used from the store's own tests


def stored_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.parquet"))}


def backed_up(pair: tuple[Cli, Cli], tmp_path: Path) -> tuple[Cli, Path]:
    """The store workspace with rows in the store and in the ledger, and its archive."""
    _, store = pair
    first, second = demo_files(tmp_path)
    store("import", "activities", str(first), "--store")
    store("import", "activities", str(second))
    archive = tmp_path / "backup.zip"
    out = json.loads(store("backup", str(archive), "--json").stdout)
    assert out["store_files"] == len(stored_files(root_of(store, tmp_path))) > 5
    return store, archive


def fresh_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Cli, Path]:
    """A new SQLite workspace with its own store folder (the setting pointed elsewhere)."""
    monkeypatch.delenv("ESG_ACTIVITY_STORE", raising=False)
    (tmp_path / "restored").mkdir()
    target = Database(str(tmp_path / "restored" / "esg.db"))
    return Cli(target), tmp_path / "restored" / "esg.db.store"


def test_a_workspace_with_store_files_backs_up_and_restores_whole(
    pair: tuple[Cli, Cli], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, archive = backed_up(pair, tmp_path)
    before = calc(store)
    files = stored_files(root_of(store, tmp_path))
    restored, root = fresh_target(tmp_path, monkeypatch)
    out = json.loads(restored("restore", str(archive), "--json").stdout)
    assert out["store_files"] == len(files)
    assert stored_files(root) == files
    after = calc(restored)
    for key in ("input_digest", "totals", "by_entity", "by_gas", "activity_rows", "unresolved"):
        assert after[key] == before[key], key
    restored("audit", "verify", "--deep")
    with zipfile.ZipFile(archive) as zf:
        members = [n for n in zf.namelist() if n.startswith("store/")]
    assert sorted(members) == sorted(f"store/{p}" for p in files)


def test_a_changed_store_file_stops_the_backup_and_writes_no_archive(
    pair: tuple[Cli, Cli], tmp_path: Path
) -> None:
    _, store = pair
    first, _ = demo_files(tmp_path)
    store("import", "activities", str(first), "--store")
    victim = sorted(root_of(store, tmp_path).rglob("*.parquet"))[1]
    victim.write_bytes(victim.read_bytes() + b"\0")
    archive = tmp_path / "backup.zip"
    result = store("backup", str(archive), expect=INTEGRITY)
    assert victim.name in result.output and len(result.output.strip().splitlines()) == 1
    assert not archive.exists()
    victim.unlink()
    result = store("backup", str(archive), expect=INTEGRITY)
    assert "missing" in result.output and not archive.exists()


def rewritten(archive: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of ``archive`` with members replaced (bytes) or dropped (None), the manifest's
    hashes recomputed for replaced table files so only the change under test is wrong."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(target, "w") as out:
        manifest = json.loads(src.read(MANIFEST))
        for entry in manifest["tables"].values():
            data = change.get(entry["file"])
            if data is not None:
                entry["sha256"] = hashlib.sha256(data).hexdigest()
        manifest["data_sha256"] = data_digest(manifest["tables"])
        for name in src.namelist():
            if name == MANIFEST:
                continue
            data = change[name] if name in change else src.read(name)
            if data is not None:
                out.writestr(name, data)
        out.writestr(MANIFEST, json.dumps(manifest))
    return target


def test_an_archive_missing_a_store_file_restores_nothing(
    pair: tuple[Cli, Cli], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, archive = backed_up(pair, tmp_path)
    with zipfile.ZipFile(archive) as zf:
        dropped = sorted(n for n in zf.namelist() if n.startswith("store/"))[0]
    broken = rewritten(archive, tmp_path / "broken.zip", {dropped: None})
    restored, root = fresh_target(tmp_path, monkeypatch)
    result = restored("restore", str(broken), expect=INTEGRITY)
    assert "damaged" in result.output and len(result.output.strip().splitlines()) == 1
    assert not restored.db.sqlite_path.exists() and not root.exists()  # type: ignore[union-attr]


def test_an_archive_whose_store_paths_leave_the_store_restores_nothing(
    pair: tuple[Cli, Cli], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hostile archive naming a file outside the store folder (consistently in the table
    and the manifest, hashes recomputed) is refused before anything is written."""
    _, archive = backed_up(pair, tmp_path)
    with zipfile.ZipFile(archive) as zf:
        registry = zf.read("data/activity_files.jsonl").decode()
        manifest = json.loads(zf.read(MANIFEST))
        first = sorted(n for n in zf.namelist() if n.startswith("store/"))[0]
        payload = zf.read(first)
    path = first.removeprefix("store/")
    escape = "../../escaped.parquet"
    hostile = rewritten(
        archive,
        tmp_path / "hostile.zip",
        {"data/activity_files.jsonl": registry.replace(path, escape).encode(), first: None},
    )
    with zipfile.ZipFile(hostile, "a") as zf:
        zf.writestr(f"store/{escape}", payload)
        manifest = json.loads(zf.read(MANIFEST))
    assert manifest["store_files"]
    restored, root = fresh_target(tmp_path, monkeypatch)
    result = restored("restore", str(hostile), expect=None)
    assert result.exit_code in (2, 3) and len(result.output.strip().splitlines()) == 1
    assert "store" in result.output
    assert not (tmp_path / "escaped.parquet").exists() and not root.exists()
    assert not restored.db.sqlite_path.exists()  # type: ignore[union-attr]


def test_a_store_folder_holding_other_bytes_restores_nothing(
    pair: tuple[Cli, Cli], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, archive = backed_up(pair, tmp_path)
    files = stored_files(root_of(store, tmp_path))
    restored, root = fresh_target(tmp_path, monkeypatch)
    last = sorted(files)[-1]
    (root / last).parent.mkdir(parents=True)
    (root / last).write_bytes(b"someone else's file")
    result = restored("restore", str(archive), expect=2)
    assert last in result.output and len(result.output.strip().splitlines()) == 1
    assert stored_files(root) == {last: b"someone else's file"}  # nothing else written
    assert not restored.db.sqlite_path.exists()  # type: ignore[union-attr]
    (root / last).write_bytes(files[last])  # the same bytes already there: restored as is
    restored("restore", str(archive))
    assert stored_files(root) == files
