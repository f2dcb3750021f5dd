"""#20: installs are reproducible and the package says what it is (licence, one version).

Results are promised bit for bit, so every dependency has an upper bound on its major
version and ``constraints.txt`` pins the exact versions ``scripts/setup.sh`` installs.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

import esgledger

ROOT = Path(__file__).resolve().parents[1]


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirements() -> list[Requirement]:
    p = project()
    listed = p["dependencies"] + [r for extra in p["optional-dependencies"].values() for r in extra]
    return [Requirement(r) for r in listed]


def pins() -> dict[str, str]:
    out = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin (name==version)"
            out[name.strip().lower().replace("_", "-")] = version.strip()
    return out


def test_the_licence_is_an_spdx_string_with_its_text_shipped() -> None:
    p = project()
    assert p["license"] == "Apache-2.0"
    assert p["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert importlib.metadata.metadata("esgledger")["License-Expression"] == "Apache-2.0"


def test_the_version_is_written_once() -> None:
    p = project()
    assert "version" not in p and "version" in p["dynamic"]
    assert importlib.metadata.version("esgledger") == esgledger.__version__


def test_every_dependency_has_an_upper_bound() -> None:
    unbounded = [
        str(r)
        for r in requirements()
        if not any(s.operator in ("<", "==", "~=") for s in r.specifier)
    ]
    assert unbounded == []


def test_the_constraints_agree_with_the_bounds() -> None:
    pinned = pins()
    wrong = [
        f"{r.name}=={pinned[r.name.lower()]} outside {r.specifier}"
        for r in requirements()
        if r.name.lower() in pinned and pinned[r.name.lower()] not in r.specifier
    ]
    assert wrong == []


def test_setup_installs_with_the_constraints() -> None:
    script = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "pip install" in script and "-c constraints.txt" in script


def test_the_changelog_has_an_unreleased_section() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog")
    assert "## [Unreleased]" in text
    assert "keepachangelog.com" in text


def test_the_test_client_runs_without_a_deprecation_warning() -> None:
    """Starlette's TestClient warns when it falls back to plain ``httpx``; ``httpx2`` is a
    test dependency, so importing it is silent."""
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", "import starlette.testclient"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
