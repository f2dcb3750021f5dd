"""Boundaries: members from subtrees and files, shares, and explained year-to-year changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.factories import entities_file, write_csv


@pytest.fixture
def org(cli: Cli, tmp_path: Path) -> Cli:
    cli("import", "entities", str(entities_file(tmp_path)))
    return cli


def test_create_list_show(org: Cli, tmp_path: Path) -> None:
    org(
        "boundary",
        "create",
        "2023-ghg",
        "--year",
        "2023",
        "--family",
        "energy_ghg",
        "--include",
        "HQ",
        "--include",
        "WH1",
    )
    shown = json.loads(org("boundary", "show", "2023-ghg", "--json").stdout)
    assert shown["member_shares"] == {"HQ": 1.0, "SZ1": 1.0, "WH1": 1.0}
    assert shown["change"]["previous"] is None

    refused = org(
        "boundary",
        "create",
        "2024-ghg",
        "--year",
        "2024",
        "--family",
        "energy_ghg",
        "--include",
        "GRP",
        expect=2,
    )
    assert (
        "members differ from 2023-ghg (+2 −0, 0 share changes); explain why with --change-note"
        in refused.output
    )
    assert json.loads(org("boundary", "list", "--json").stdout)[0]["code"] == "2023-ghg"
    assert len(json.loads(org("boundary", "list", "--json").stdout)) == 1

    members = write_csv(tmp_path / "m.csv", ["entity", "share"], [["VN1", "0.6"]])
    org(
        "boundary",
        "create",
        "2024-ghg",
        "--year",
        "2024",
        "--family",
        "energy_ghg",
        "--include",
        "GRP",
        "--members",
        str(members),
        "--approach",
        "equity_share",
        "--change-note",
        "all legal entities from 2024",
    )
    shown = json.loads(org("boundary", "show", "2024-ghg", "--json").stdout)
    assert shown["member_shares"]["VN1"] == 0.6
    assert shown["change"] == {
        "previous": "2023-ghg",
        "added": ["GRP", "VN1"],
        "removed": [],
        "share_changed": [],
    }
    assert shown["change_note"] == "all legal entities from 2024"
    assert [
        b["code"] for b in json.loads(org("boundary", "list", "--year", "2024", "--json").stdout)
    ] == ["2024-ghg"]


def test_same_members_need_no_note_and_families_are_separate(org: Cli) -> None:
    org(
        "boundary",
        "create",
        "2023-env",
        "--year",
        "2023",
        "--family",
        "environment",
        "--include",
        "SZ1",
    )
    org(
        "boundary",
        "create",
        "2024-env",
        "--year",
        "2024",
        "--family",
        "environment",
        "--include",
        "SZ1",
    )
    org(
        "boundary",
        "create",
        "2024-ghg",
        "--year",
        "2024",
        "--family",
        "energy_ghg",
        "--include",
        "GRP",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--family", "vibes", "--include", "GRP"], "family 'vibes' is not one of"),
        (["--approach", "guess", "--include", "GRP"], "approach 'guess' is not one of"),
        (["--include", "NOPE"], "unknown entity 'NOPE'"),
        (["--include", "HQ", "--exclude", "HQ"], "the boundary has no members"),
    ],
)
def test_bad_boundary_input(org: Cli, args: list[str], message: str) -> None:
    result = org("boundary", "create", "b", "--year", "2024", *args, expect=2)
    assert message in result.output
    assert json.loads(org("boundary", "list", "--json").stdout) == []


def test_duplicate_code_refused(org: Cli) -> None:
    org("boundary", "create", "b", "--year", "2024", "--include", "GRP")
    assert (
        "boundary 'b' already exists"
        in org("boundary", "create", "b", "--year", "2025", "--include", "GRP", expect=2).output
    )


def test_share_out_of_range(org: Cli, tmp_path: Path) -> None:
    members = write_csv(tmp_path / "m.csv", ["entity", "share"], [["VN1", "1.5"]])
    result = org("boundary", "create", "b", "--year", "2024", "--members", str(members), expect=2)
    assert "share 1.5 for 'VN1' must be above 0 and at most 1" in result.output
