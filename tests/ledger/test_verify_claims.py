"""#15: certificate ids of data imported before ``certificate_claims`` existed (migration
0026): ledger rows the migration left unclaimed because an earlier row held the same id, and
activity-store rows, which claim only from their next import on — so two store files (two
chunks of a large run) can hold one id. ``esg db claims`` and ``esg db check`` find every id
two live rows share and every id no claim names, over the ledger and the store; ``esg db
claims --backfill`` claims the unclaimed ones, or, while an id is shared, refuses in one line
naming the id, the column and its rows, and claims nothing. Both databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete

from esgledger.ledger.claim_models import CertificateClaim
from tests.conftest import Cli
from tests.ledger.legacy_claims import write_old_certificate
from tests.ledger.test_certificate_claims import Claims, _cert


@pytest.fixture
def ws(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Claims:
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store"))
    folder = tmp_path / "files"
    folder.mkdir()
    return Claims(cli, folder)


def _as_before_0026(ws: Claims) -> None:
    """What data imported before the claims table looks like: its rows claim nothing."""
    with ws.cli.db.write() as s:
        s.execute(delete(CertificateClaim))


def _rows(ws: Claims) -> dict[str, int]:
    listed = json.loads(ws.cli("activities", "list", "--json").stdout)
    return {r["entity"]: r["id"] for r in listed}


def test_two_store_files_holding_one_id_are_found_and_never_backfilled(ws: Claims) -> None:
    old = write_old_certificate(ws.cli.db, "SZ", "GEC-1;GEC-2", store=True)
    other = write_old_certificate(ws.cli.db, "CD", "GEC-1", store=True)
    found = ws.cli("db", "claims", "--json", expect=1)
    report = json.loads(found.stdout)
    assert [h["activity_id"] for h in report["shared"]["GEC-1"]] == [old, other]
    assert {h["kept"] for h in report["shared"]["GEC-1"]} == {"store"}
    assert [(u["certificate_id"], u["activity_id"]) for u in report["unclaimed"]] == [("GEC-2", old)]  # fmt: skip
    check = ws.cli("db", "check", expect=1).output
    text = " ".join(check.split())
    assert f"certificate id GEC-1 (column 'certificate_ids') is claimed by 2 live instrument rows: store activity row {old}" in text  # fmt: skip
    refused = ws.cli("db", "claims", "--backfill", expect=None)
    assert refused.exit_code not in (0, 1)
    line = " ".join(refused.output.split())
    assert "GEC-1" in line and str(old) in line and str(other) in line
    assert "nothing was claimed" in line and len(refused.output.strip().splitlines()) == 1
    assert ws.held() == {}


def test_old_ledger_rows_are_claimed_once_the_shared_id_is_settled(ws: Claims) -> None:
    ws.load([_cert("SZ", "GEC-1;GEC-5")])
    _as_before_0026(ws)
    write_old_certificate(ws.cli.db, "CD", "GEC-1")
    ws.load([_cert("VN1", "GEC-7")], "--store")
    _as_before_0026(ws)
    rows = _rows(ws)
    refused = ws.cli("db", "claims", "--backfill", expect=None)
    assert refused.exit_code not in (0, 1)
    line = " ".join(refused.output.split())
    assert f"ledger activity row {rows['SZ']}" in line and f"ledger activity row {rows['CD']}" in line  # fmt: skip
    assert ws.held() == {}
    ws.cli("activities", "void", "--id", str(rows["CD"]), "--reason", "same certificate twice")
    listed = ws.cli("db", "claims", expect=1).output
    assert "3 certificate ids of live instrument rows are not in certificate_claims" in " ".join(listed.split())  # fmt: skip
    done = json.loads(ws.cli("db", "claims", "--backfill", "--json").stdout)
    assert done["claimed"] == 3
    assert ws.held() == {"GEC-1": rows["SZ"], "GEC-5": rows["SZ"], "GEC-7": rows["VN1"]}
    assert "no id shared, none unclaimed" in ws.cli("db", "claims").output
    ws.cli("db", "check")
    ws.cli("audit", "verify", "--deep")
    # from now on the table holds: a new row with a backfilled id is refused on import
    assert ws.load([_cert("CD", "GEC-5")], expect=2).exit_code == 2


def test_an_overlong_id_of_old_data_is_named_and_never_claimed(ws: Claims) -> None:
    """Ids over the claims key's 128 characters were refused on import only from 0026 on;
    an older row holding one is named by the check, and the backfill refuses, claiming none."""
    from sqlalchemy import update

    from esgledger.ledger.models import ActivityRecord

    ws.load([_cert("SZ", "GEC-1"), _cert("CD", "GEC-2")])
    _as_before_0026(ws)
    rows = _rows(ws)
    long = "X" * 200
    with ws.cli.db.write() as s:
        s.execute(update(ActivityRecord).where(ActivityRecord.id == rows["CD"]).values(attributes=json.dumps({"certificate_ids": f"GEC-2;{long}"})))  # fmt: skip
    found = " ".join(ws.cli("db", "claims", expect=1).output.split())
    assert f"activity row {rows['CD']}" in found and "longer than 128" in found
    refused = ws.cli("db", "claims", "--backfill", expect=None)
    assert refused.exit_code not in (0, 1)
    assert "longer than 128" in refused.output and len(refused.output.strip().splitlines()) == 1
    assert ws.held() == {}


def _refused_by_old(output: str, row: int, cert: str, holder: str) -> None:
    """One line naming the file row, the column, the id and the older row holding it."""
    text = " ".join(output.split())
    assert f"row {row}, column 'certificate_ids'" in text, text
    assert f"{cert} ({holder} of batch " in text, text
    assert "stored before certificate claims were recorded" in text
    assert "nothing was imported" in text


@pytest.mark.parametrize("into", [(), ("--store",)], ids=["ledger", "store"])
def test_an_import_cannot_take_an_id_an_older_unclaimed_row_holds(
    ws: Claims, into: tuple[str, ...]
) -> None:
    """Until `esg db claims --backfill` runs, the ids of rows stored before the claims table
    are in no claim; an import reusing one is refused all the same, naming the older row,
    whether that row sits in the ledger or the store, and whatever the import writes to."""
    ws.load([_cert("SZ", "GEC-1;GEC-2")])
    ws.load([_cert("CD", "GEC-3")], "--store")
    _as_before_0026(ws)
    rows = _rows(ws)
    before = ws.counts()
    out = ws.load([_cert("VN1", "GEC-9"), _cert("VN", "GEC-2")], *into, expect=2).output
    _refused_by_old(out, 3, "GEC-2", f"ledger activity row {rows['SZ']}")
    out = ws.load([_cert("VN1", "GEC-3;GEC-8")], *into, expect=2).output
    _refused_by_old(out, 2, "GEC-3", f"store activity row {rows['CD']}")
    assert ws.counts() == before and ws.held() == {}
    ws.load([_cert("VN1", "GEC-8")], *into)  # an id no row holds is taken as before
    assert set(ws.held()) == {"GEC-8"}


def test_a_shared_old_id_is_refused_naming_its_first_holder(ws: Claims) -> None:
    """Two old rows share GEC-1 (only voiding one settles that): a new row with it is a third
    claim, refused; the one old row claimed by 0026, holding GEC-4, still refuses GEC-4."""
    first = write_old_certificate(ws.cli.db, "SZ", "GEC-1")
    write_old_certificate(ws.cli.db, "CD", "GEC-1;GEC-4", store=True)
    before = ws.counts()
    out = ws.load([_cert("VN1", "GEC-1")], expect=2).output
    _refused_by_old(out, 2, "GEC-1", f"ledger activity row {first}")
    out = ws.load([_cert("VN1", "GEC-4")], "--store", expect=2).output
    assert "GEC-4 (store activity row" in " ".join(out.split())
    assert ws.counts() == before


def test_a_replacing_import_cannot_take_an_id_an_older_unclaimed_row_holds(ws: Claims) -> None:
    """A replacing import is checked after its voids: an older row it does not replace
    still holds its ids."""
    ws.load([_cert("SZ", "GEC-1")])
    ws.load([_cert("CD", "GEC-2")])
    _as_before_0026(ws)
    rows = _rows(ws)
    before = ws.counts()
    args = ("--replace", "--reason", "corrected")
    out = ws.load([_cert("CD", "GEC-1")], *args, expect=2).output
    _refused_by_old(out, 2, "GEC-1", f"ledger activity row {rows['SZ']}")
    assert ws.counts() == before and ws.held() == {}


def test_unvoiding_a_row_whose_id_an_older_unclaimed_row_holds_is_refused(ws: Claims) -> None:
    ws.load([_cert("SZ", "GEC-1")])
    sz = _rows(ws)["SZ"]
    ws.cli("activities", "void", "--id", str(sz), "--reason", "wrong site")
    other = write_old_certificate(ws.cli.db, "CD", "GEC-1", store=True)
    refused = ws.cli("activities", "unvoid", "--id", str(sz), "--reason", "undo", expect=None)
    assert refused.exit_code not in (0, 1)
    line = " ".join(refused.output.split())
    assert f"activity row {sz} cannot count again" in line and "GEC-1" in line
    assert f"store activity row {other} of batch" in line
    assert ws.held() == {}
