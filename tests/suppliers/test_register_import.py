"""#16 supplier register: import of each file kind, refusals by row and column with nothing
written, updates, and the register covered by the audit chain's data digests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from esgledger.ledger.db import Database
from esgledger.ledger.supplier_models import SUPPLIER_TABLES
from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, entities_file, write_csv
from tests.suppliers.factories import SUPPLIER_HEADER, SUPPLIERS, register_files


@pytest.fixture
def ws(cli: Cli, tmp_path: Path) -> Cli:
    cli("import", "entities", str(entities_file(tmp_path)))
    return cli


def _counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {
            name: session.scalar(select(func.count()).select_from(text(name))) or 0
            for name in SUPPLIER_TABLES
        }


def test_each_kind_imports_and_a_supplier_shows_its_rows(ws: Cli, tmp_path: Path) -> None:
    for kind, path in register_files(tmp_path).items():
        out = json.loads(ws("suppliers", "import", kind, str(path), "--json").stdout)
        assert out["kind"] == kind and out["added"] >= 1 and out["updated"] == 0
    assert _counts(ws.db) == {
        **dict.fromkeys(SUPPLIER_TABLES, 0),
        "suppliers": 3,
        "supplier_sites": 2,
        "supplier_contacts": 1,
        "supplier_agreements": 2,
        "supplier_certifications": 2,
    }
    shown = json.loads(ws("suppliers", "show", "S001", "--json").stdout)
    assert shown["commodities"] == ["castings", "tin solder"]
    assert shown["contacts"] == [
        {"email": "li.wei@pearl.example", "name": "Li Wei", "role": "quality manager"}
    ]
    assert [c["expired"] for c in shown["certifications"]] == [True, False]
    assert shown["agreements"][0]["kind"] == "csr_commitment"


def test_a_file_with_bad_cells_is_refused_by_row_and_column_and_nothing_is_written(
    ws: Cli, tmp_path: Path
) -> None:
    rows = [
        ["S1", "Good", "CN", "", "", "", "", "", ""],
        ["S2", "Bad country", "XX", "", "", "", "", "", ""],
        ["S3", "Spend without currency", "CN", "", "", "12", "", "", ""],
        ["S4", "Unknown entity", "CN", "", "", "-5", "CNY", "NOPE", "2024-13-01"],
        ["S1", "Twice", "CN", "", "", "", "", "", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", SUPPLIER_HEADER, rows)
    err = ws("suppliers", "import", "suppliers", str(path), expect=2).stderr
    assert "row 3, column 'country'" in err and "'XX' is not an ISO 3166-1" in err
    assert "row 4, column 'spend_unit': spend is given without its currency" in err
    assert "row 5, column 'spend'" in err and "row 5, column 'entity'" in err
    assert "row 5, column 'onboarded_on'" in err
    assert "row 6, column 'id': duplicate id, first on row 2" in err
    assert "Traceback" not in err
    assert sum(_counts(ws.db).values()) == 0


def test_rows_of_an_unknown_supplier_are_refused(ws: Cli, tmp_path: Path) -> None:
    files = register_files(tmp_path)
    err = ws("suppliers", "import", "sites", str(files["sites"]), expect=2).stderr
    assert "row 2, column 'supplier': unknown supplier 'S001'" in err
    assert sum(_counts(ws.db).values()) == 0


def test_a_certificate_expiring_before_it_was_issued_is_refused(ws: Cli, tmp_path: Path) -> None:
    files = register_files(tmp_path)
    ws("suppliers", "import", "suppliers", str(files["suppliers"]))
    bad = write_csv(
        tmp_path / "c.csv",
        ["supplier", "standard", "certificate", "issued_on", "expires_on"],
        [["S001", "ISO 9001", "X-1", "2024-05-01", "2024-04-30"]],
    )
    err = ws("suppliers", "import", "certifications", str(bad), expect=2).stderr
    assert "row 2, column 'expires_on': expires_on is before issued_on" in err


def test_an_end_of_cooperation_before_the_onboarding_is_refused(ws: Cli, tmp_path: Path) -> None:
    """In the file itself, and against the onboarding date stored when the file gives only
    the end; nothing is written either way. A valid end shows in ``suppliers show``."""
    header = [*SUPPLIER_HEADER, "ended_on"]
    rows = [[*r, "2024-02-29" if r[0] == "S001" else ""] for r in SUPPLIERS]  # from 2024-03-01
    err = ws("suppliers", "import", "suppliers",
             str(write_csv(tmp_path / "a.csv", header, rows)), expect=2).stderr  # fmt: skip
    assert "row 2, column 'ended_on': ended_on is before onboarded_on" in err
    assert "Traceback" not in err and sum(_counts(ws.db).values()) == 0
    ws("suppliers", "import", "suppliers", str(register_files(tmp_path)["suppliers"]))
    short = ["id", "name", "country", "ended_on"]
    only_end = [
        ["S002", "Hanoi Cable Works", "VN", "2023-05-09"],  # onboarded 2023-05-10
        ["S003", "Rhein Chemicals", "DE", "2020-01-01"],
    ]  # no onboarding date
    err = ws("suppliers", "import", "suppliers",
             str(write_csv(tmp_path / "b.csv", short, only_end)), expect=2).stderr  # fmt: skip
    assert "row 2, column 'ended_on': ended_on is before the stored onboarded_on 2023-05-10" in err
    assert "row 3" not in err
    assert json.loads(ws("suppliers", "show", "S002", "--json").stdout)["ended_on"] is None
    only_end[0][3] = "2025-06-30"
    ws("suppliers", "import", "suppliers", str(write_csv(tmp_path / "c.csv", short, only_end)))
    shown = json.loads(ws("suppliers", "show", "S002", "--json").stdout)
    assert (shown["onboarded_on"], shown["ended_on"]) == ("2023-05-10", "2025-06-30")
    assert "onboarded 2023-05-10, ended 2025-06-30" in ws("suppliers", "show", "S002").stdout


def test_a_second_file_updates_changed_rows_only(ws: Cli, tmp_path: Path) -> None:
    files = register_files(tmp_path)
    ws("suppliers", "import", "suppliers", str(files["suppliers"]))
    rows = [list(r) for r in SUPPLIERS]
    rows[1][1] = "Hanoi Cable Works JSC"
    path = write_csv(tmp_path / "again.csv", SUPPLIER_HEADER, rows)
    out = json.loads(ws("suppliers", "import", "suppliers", str(path), "--json").stdout)
    assert (out["added"], out["updated"], out["unchanged"]) == (0, 1, 2)
    assert json.loads(ws("suppliers", "show", "S002", "--json").stdout)["name"].endswith("JSC")


def test_the_register_is_covered_by_the_deep_audit_check(ws: Cli, tmp_path: Path) -> None:
    for kind, path in register_files(tmp_path).items():
        ws("suppliers", "import", kind, str(path))
    assert json.loads(ws("audit", "verify", "--deep", "--json").stdout)["ok"] is True
    with ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE supplier_certifications SET expires_on = '2030-01-01'"))
    out = ws("audit", "verify", "--deep", "--json", expect=None)
    assert out.exit_code != 0
    problems = json.loads(out.stdout)["data"]["problems"]
    assert any(
        p.startswith("suppliers:register: supplier_certifications differs") for p in problems
    )


def test_spend_comes_from_purchase_lines_when_there_are_any(ws: Cli, tmp_path: Path) -> None:
    files = register_files(tmp_path)
    ws("suppliers", "import", "suppliers", str(files["suppliers"]))
    lines = [
        ["SZ1", "2024-01-01", "2024-01-31", "spend.purchased_goods", "1000", "RMB", "S001"],
        ["SZ1", "2024-02-01", "2024-02-29", "spend.purchased_goods", "500", "RMB", "S001"],
    ]
    path = write_csv(tmp_path / "p.csv", [*ACTIVITY_HEADER, "supplier"], lines)
    ws("import", "activities", str(path))
    s001 = json.loads(ws("suppliers", "show", "S001", "--year", "2024", "--json").stdout)
    assert s001["spend_in_year"] == {"source": "purchases", "by_unit": {"RMB": 1500.0}}
    s003 = json.loads(ws("suppliers", "show", "S003", "--year", "2024", "--json").stdout)
    assert s003["spend_in_year"] == {"source": "imported", "by_unit": {"EUR": 85000.0}}
    s002 = json.loads(ws("suppliers", "show", "S002", "--year", "2024", "--json").stdout)
    assert s002["spend_in_year"]["source"] is None
    assert s002["spend_in_year"]["note"].startswith("not available")


def test_the_list_filters_searches_and_pages(ws: Cli, tmp_path: Path) -> None:
    ws("suppliers", "import", "suppliers", str(register_files(tmp_path)["suppliers"]))
    page = json.loads(ws("suppliers", "list", "--limit", "2", "--page", "2", "--json").stdout)
    assert page["total"] == 3 and [r["id"] for r in page["rows"]] == ["S003"]
    cn = json.loads(ws("suppliers", "list", "--country", "cn", "--json").stdout)
    assert [r["id"] for r in cn["rows"]] == ["S001"]
    found = json.loads(ws("suppliers", "list", "--search", "Pearl", "--json").stdout)
    assert [r["id"] for r in found["rows"]] == ["S001"]
    err = ws("suppliers", "list", "--sort", "colour", expect=2).stderr
    assert "cannot sort by 'colour'" in err
