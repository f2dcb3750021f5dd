"""``scripts/test_tmpdir.sh``: where ``scripts/test.sh`` puts the suite's temporary files
(#20). On a RAM file system with room, a new folder of its own; otherwise nothing, and the
suite keeps the default temporary folder."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "test_tmpdir.sh"
SHM = Path("/dev/shm")


def choose(*args: str, tmpdir: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TMPDIR"}
    if tmpdir is not None:
        env["TMPDIR"] = tmpdir
    return subprocess.run(
        ["bash", str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=60
    )


def tmpfs_here() -> bool:
    probe = subprocess.run(["stat", "-f", "-c", "%T", str(SHM)], capture_output=True, text=True)
    return probe.returncode == 0 and probe.stdout.strip() == "tmpfs"


def test_a_new_folder_of_its_own_on_a_tmpfs_with_room() -> None:
    if not tmpfs_here():
        pytest.fail("this machine has no /dev/shm tmpfs: the test needs one to prove the choice")
    first, second = choose(str(SHM), "1"), choose(str(SHM), "1")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    made = [Path(first.stdout.strip()), Path(second.stdout.strip())]
    try:
        assert made[0] != made[1]
        for folder in made:
            assert folder.parent == SHM and folder.is_dir() and not any(folder.iterdir())
            assert folder.name.startswith("esg-tests.")
            # open to all with the sticky bit, as /tmp: the suite's PostgreSQL servers run
            # as the ``postgres`` user (when the suite runs as root) in a folder inside it
            assert stat.S_IMODE(folder.stat().st_mode) == 0o1777
    finally:
        for folder in made:
            if folder.parent == SHM:
                shutil.rmtree(folder, ignore_errors=True)


def test_nothing_when_the_tmpfs_has_too_little_room() -> None:
    free_kib = shutil.disk_usage(SHM).free // 1024
    result = choose(str(SHM), str(free_kib * 2 + 1))
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_nothing_on_a_folder_that_is_not_a_tmpfs(tmp_path: Path) -> None:
    kind = subprocess.run(["stat", "-f", "-c", "%T", str(tmp_path)], capture_output=True, text=True)
    if kind.stdout.strip() == "tmpfs":  # the suite itself runs on the RAM disk
        tmp_path = Path(__file__).resolve().parent
    result = choose(str(tmp_path), "1")
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
    assert not list(tmp_path.glob("esg-tests.*"))


def test_nothing_when_the_caller_chose_a_tmpdir(tmp_path: Path) -> None:
    result = choose(str(SHM), "1", tmpdir=str(tmp_path))
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_nothing_on_a_missing_folder(tmp_path: Path) -> None:
    result = choose(str(tmp_path / "absent"), "1")
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
