"""#17 OHS safety registers from the command line: import hazards, drills and special
operators, list them with filters, `esg kpi explain` down to the rows; a bad file is one
line per bad cell and exit code 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from esgledger.ledger.entities import import_entities
from tests.conftest import Cli
from tests.factories import entities_file
from tests.registers.ohs_safety_files import (
    DRILLS,
    HAZARDS,
    OPERATORS,
    drills_file,
    hazards_file,
    operators_file,
)


def test_import_list_and_explain(cli: Cli, tmp_path: Path) -> None:
    import_entities(cli.db, entities_file(tmp_path), actor="t")
    for command, path in (
        ("import-hazards", hazards_file(tmp_path, HAZARDS)),
        ("import-drills", drills_file(tmp_path, DRILLS)),
        ("import-operators", operators_file(tmp_path, OPERATORS)),
    ):
        assert "added, 0 restated" in cli("register", "ohs", command, str(path)).output
    hazards = json.loads(
        cli("register", "ohs", "hazards", "--year", "2025", "--state", "open", "--json").stdout
    )
    assert sorted(r["ref"] for r in hazards["rows"]) == ["H2", "H3"]
    table = cli("register", "ohs", "drills", "--entity", "SZ1").output
    assert "2 of 2 drills" in table and "chemical_leak" in table
    uncertified = json.loads(
        cli("register", "ohs", "operators", "--year", "2025", "--uncertified", "--json").stdout
    )
    assert sorted(r["person"] for r in uncertified["rows"]) == ["E002", "E003"]
    found = json.loads(
        cli("kpi", "explain", "ohs.special_operators_certified", "--year", "2025", "--json").stdout
    )
    assert (found["figure"]["value"], found["figure"]["source"]) == (2, "register")


def test_a_bad_file_or_filter_is_refused_in_one_line(cli: Cli, tmp_path: Path) -> None:
    import_entities(cli.db, entities_file(tmp_path), actor="t")
    bad = drills_file(tmp_path, [["D1", "SZ1", "2025-01-01", "fire", "many", ""]])
    result = cli("register", "ohs", "import-drills", str(bad), expect=2)
    assert "drills.csv, row 2, column 'participants': 'many' is not a whole number" in (
        result.output
    )
    assert "Traceback" not in result.output
    listed = json.loads(cli("register", "ohs", "drills", "--json").stdout)
    assert listed["total"] == 0  # nothing written
    result = cli("register", "ohs", "hazards", "--state", "lost", expect=2)
    assert "'lost' is not one of open, corrected" in result.output
