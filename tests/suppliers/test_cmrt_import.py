"""#16 conflict minerals in the ledger: supplier CMRT files stored all or nothing, the smelter
roll-up across suppliers with the conformant list's status, the company-level declaration
drafted from it, and the declarations covered by the deep audit check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from esgledger.ledger import digests
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.supplier_models import MineralDeclaration, MineralSmelter
from tests.conftest import Cli
from tests.factories import entities_file, write_csv
from tests.suppliers.cmrt_files import Cmrt, cmrt_file, company, smelter
from tests.suppliers.factories import register_files


@pytest.fixture
def ws(cli: Cli, tmp_path: Path) -> Cli:
    cli("import", "entities", str(entities_file(tmp_path)))
    cli("suppliers", "import", "suppliers", str(register_files(tmp_path)["suppliers"]))
    return cli


def _counts(ws: Cli) -> tuple[int, int]:
    with ws.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(MineralDeclaration)) or 0,
            session.scalar(select(func.count()).select_from(MineralSmelter)) or 0,
        )


def _files(tmp_path: Path) -> dict[str, Path]:
    """S001 and S002 share the tin smelter CID000001; S002 adds an unidentified tin row."""
    second = Cmrt(
        fields=company(**{"Company Name (*):": "Hanoi Cable Works"}),
        in_use=("Tin",),
        smelters=[
            smelter("Tin", "CID000001", "Alpha Tin"),
            smelter("Tin", "CID000009", "Delta Tin", "BOLIVIA"),
            ["", "Tin", "Smelter not yet identified", "Unknown", "", "", ""],
        ],
    )
    return {
        "S001": cmrt_file(tmp_path / "s001.xlsx"),
        "S002": cmrt_file(tmp_path / "s002.xlsx", second),
    }


def test_a_refused_file_names_its_problems_and_writes_nothing(ws: Cli, tmp_path: Path) -> None:
    bad = cmrt_file(
        tmp_path / "bad.xlsx",
        Cmrt(smelters=[smelter("Tin", "CID12", "Alpha Tin"), smelter("Gold", "CID000002", "B")]),
    )
    err = ws("suppliers", "cmrt", "import", "S001", str(bad), expect=2).stderr
    assert "bad.xlsx, row 4, column 'Smelter List!F': smelter identification 'CID12'" in err
    assert "Traceback" not in err and _counts(ws) == (0, 0)


def test_an_unknown_supplier_is_refused(ws: Cli, tmp_path: Path) -> None:
    err = ws("suppliers", "cmrt", "import", "S999", str(_files(tmp_path)["S001"]), expect=2).stderr
    assert "no supplier 'S999'" in err and _counts(ws) == (0, 0)


def test_files_roll_up_by_smelter_id_with_status_from_the_list(ws: Cli, tmp_path: Path) -> None:
    files = _files(tmp_path)
    for supplier, path in files.items():
        out = json.loads(ws("suppliers", "cmrt", "import", supplier, str(path), "--json").stdout)
        assert out[0]["declaration_id"] is not None
    again = ws("suppliers", "cmrt", "import", "S001", str(files["S001"]), "--json")
    assert json.loads(again.stdout)[0]["declaration_id"] is None and _counts(ws) == (2, 5)
    rolled = json.loads(ws("suppliers", "cmrt", "rollup", "--json").stdout)
    assert (rolled["suppliers"], rolled["unidentified_rows"]) == (2, 1)
    assert [(s["smelter_id"], s["suppliers"]) for s in rolled["smelters"]] == [
        ("CID000002", 1), ("CID000001", 2), ("CID000009", 1),
    ]  # fmt: skip
    assert rolled["conformant_share"] is None
    assert rolled["conformant_note"] == "not available: no conformant-smelter list imported"
    listing = write_csv(
        tmp_path / "conformant.csv",
        ["smelter_id", "metal", "status", "assessed_on"],
        [["CID000001", "Tin", "Conformant", "2026-03-01"], ["CID000002", "gold", "Active", ""]],
    )
    ws("suppliers", "cmrt", "conformant", str(listing))
    rolled = json.loads(ws("suppliers", "cmrt", "rollup", "--json").stdout)
    assert {s["smelter_id"]: s["status"] for s in rolled["smelters"]} == {
        "CID000001": "Conformant",
        "CID000002": "Active",
        "CID000009": "not on the conformant-smelter list",
    }
    assert rolled["conformant_share"] == pytest.approx(100 / 3)


def test_a_bad_conformant_list_is_refused_by_row(ws: Cli, tmp_path: Path) -> None:
    listing = write_csv(
        tmp_path / "conformant.csv",
        ["smelter_id", "metal", "status", "assessed_on"],
        [["CID000001", "Tin", "Conformant", "2026-03-01"], ["X1", "Tin", "", "soon"]],
    )
    err = ws("suppliers", "cmrt", "conformant", str(listing), expect=2).stderr
    assert "conformant.csv, row 3, column 'smelter_id': 'X1' is not CID and 6 digits" in err
    assert "conformant.csv, row 3, column 'assessed_on': 'soon' is not a date" in err


def test_the_company_declaration_is_drafted_from_the_roll_up(ws: Cli, tmp_path: Path) -> None:
    for supplier, path in _files(tmp_path).items():
        ws("suppliers", "cmrt", "import", supplier, str(path))
    out = tmp_path / "ours.xlsx"
    ws("suppliers", "cmrt", "declare", str(out), "--company", "=Example Group")
    wb = load_workbook(out)
    smelters = wb["Smelter List"]
    assert [smelters.cell(r, 5).value for r in range(4, 7)] == [
        "CID000002",
        "CID000001",
        "CID000009",
    ]
    declaration = wb["Declaration"]
    assert declaration["D8"].value == "=Example Group" and declaration["D8"].data_type == "s"
    answers = {declaration.cell(r, 3).value: declaration.cell(r, 4).value for r in range(25, 29)}
    assert answers == {"Tantalum": "No", "Tin": "Yes", "Gold": "Yes", "Tungsten": "No"}
    assert declaration.cell(35, 4).value is None  # question 3 is the declarant's own


def test_declarations_are_covered_by_the_deep_audit_check(ws: Cli, tmp_path: Path) -> None:
    ws("suppliers", "cmrt", "import", "S001", str(_files(tmp_path)["S001"]))
    assert json.loads(ws("audit", "verify", "--deep", "--json").stdout)["ok"] is True
    with ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE mineral_smelters SET smelter_id = 'CID999999'"))
    assert ws("audit", "verify", "--deep", "--json", expect=None).exit_code != 0


def test_a_files_recorded_digest_is_the_one_read_back_from_every_batch_table(
    ws: Cli, tmp_path: Path
) -> None:
    """The write takes the digests of the batch's tables it did not write as known empty,
    reading back only its three: the event must hold what a full read-back gives."""
    for supplier, path in _files(tmp_path).items():
        ws("suppliers", "cmrt", "import", supplier, str(path))
    with ws.db.read() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "import.suppliers.cmrt")
        ).all()
        assert len(events) == 2
        for event in events:
            (entry,) = json.loads(event.payload)["data"]
            assert set(entry["tables"]) == {p.table for p in digests.KINDS["batch"]}
            assert entry == digests.digest(session, entry["scope"])  # every table read back
            held = {t for t, (rows, _) in entry["tables"].items() if rows}
            assert held == {"import_batches", "mineral_declarations", "mineral_smelters"}


def test_the_conformant_list_is_covered_by_the_deep_audit_check(ws: Cli, tmp_path: Path) -> None:
    listing = write_csv(
        tmp_path / "conformant.csv",
        ["smelter_id", "metal", "status", "assessed_on"],
        [["CID000001", "tin", "Active", "2026-03-01"]],
    )
    ws("suppliers", "cmrt", "conformant", str(listing))
    assert json.loads(ws("audit", "verify", "--deep", "--json").stdout)["ok"] is True
    with ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE conformant_smelters SET status = 'Conformant'"))
    out = ws("audit", "verify", "--deep", "--json", expect=None)
    assert out.exit_code != 0
    problems = json.loads(out.stdout)["data"]["problems"]
    assert any(p.startswith("suppliers:register: conformant_smelters differs") for p in problems)
