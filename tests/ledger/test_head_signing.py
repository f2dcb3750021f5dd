"""Signed heads (#13.2, optional part): `esg audit keygen`, `esg audit head --sign` and
`esg audit verify --head SEQ:HASH --signature … --public-key …`. A head signed with the
workspace key verifies; a head that was not (a forged one, or another key's) is refused in one
line with exit code 1."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from esgledger.cli.main import app
from esgledger.errors import Exit
from tests.conftest import Cli
from tests.factories import entities_file
from tests.faults.conftest import one_line_error


def keygen(key: Path, expect: int = 0) -> dict[str, str]:
    result = CliRunner().invoke(app, ["audit", "keygen", "--key", str(key), "--json"])
    assert result.exit_code == expect, result.output
    return json.loads(result.stdout) if expect == 0 else {"error": result.stderr}


@pytest.fixture
def signed(cli: Cli, tmp_path: Path) -> dict[str, str]:
    """A workspace with events, its key, and its head signed with that key."""
    cli("import", "entities", str(entities_file(tmp_path)))
    made = keygen(tmp_path / "esg-audit.key")
    out = json.loads(cli("audit", "head", "--sign", "--key", made["key"], "--json").stdout)
    assert out["public_key"] == made["public_key"]
    return {**made, "head": f"{out['seq']}:{out['hash']}", "signature": out["signature"]}


def test_the_private_key_is_the_owners_only_and_never_overwritten(tmp_path: Path) -> None:
    key = tmp_path / "esg-audit.key"
    made = keygen(key)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert Path(made["public_key_file"]).read_text().strip() == made["public_key"]
    before = key.read_bytes()
    refused = keygen(key, expect=Exit.BAD_INPUT)
    assert "already exists; keep it, or move it away" in refused["error"]
    assert key.read_bytes() == before


def test_a_signed_head_verifies_with_the_public_key(cli: Cli, signed: dict[str, str]) -> None:
    for public in (signed["public_key"], signed["public_key_file"]):
        out = cli(
            "audit", "verify", "--head", signed["head"], "--signature", signed["signature"],
            "--public-key", public,
        ).stdout  # fmt: skip
        seq = signed["head"].split(":")[0]
        assert f"It contains the anchored head {seq}, signed with the workspace key." in out


def test_a_forged_head_is_not_authentic(cli: Cli, signed: dict[str, str], tmp_path: Path) -> None:
    seq, _ = signed["head"].split(":")
    forged = f"{seq}:{'0' * 64}"  # what someone who rewrote the chain would print
    result = cli(
        "audit", "verify", "--head", forged, "--signature", signed["signature"],
        "--public-key", signed["public_key"], expect=None,
    )  # fmt: skip
    line = one_line_error(result, 1)
    assert f"the signature of head {seq} was not made with that public key" in line
    other = keygen(tmp_path / "other.key")["public_key"]
    result = cli(
        "audit", "verify", "--head", signed["head"], "--signature", signed["signature"],
        "--public-key", other, expect=None,
    )  # fmt: skip
    assert "the saved head is not authentic" in one_line_error(result, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--signature", "AAAA"], "--signature and --public-key go together"),
        (["--public-key", "not base64!"], "--signature and --public-key go together"),
        (["--signature", "AAAA", "--public-key", "not base64!"], "public key is not base64"),
        (["--signature", "AAAA", "--public-key", "AAAA"], "public key is not 32 bytes"),
    ],
)
def test_bad_signing_arguments_are_one_line(
    cli: Cli, signed: dict[str, str], args: list[str], message: str
) -> None:
    result = cli("audit", "verify", "--head", signed["head"], *args, expect=None)
    assert message in one_line_error(result, Exit.BAD_INPUT)


def test_signing_without_a_key_says_how_to_make_one(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    missing = tmp_path / "none.key"
    result = cli("audit", "head", "--sign", "--key", str(missing), expect=None)
    assert f"`esg audit keygen --key {missing}` makes one" in one_line_error(result, 2)
