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
    ws.load([_cert("SZ", "GEC-1;GEC-2")], "--store")
    _as_before_0026(ws)
    ws.load([_cert("CD", "GEC-1")], "--store")  # the table no longer knew of GEC-1
    rows = _rows(ws)
    found = ws.cli("db", "claims", "--json", expect=1)
    report = json.loads(found.stdout)
    assert [h["activity_id"] for h in report["shared"]["GEC-1"]] == [rows["SZ"], rows["CD"]]
    assert {h["kept"] for h in report["shared"]["GEC-1"]} == {"store"}
    assert [(u["certificate_id"], u["activity_id"]) for u in report["unclaimed"]] == [("GEC-2", rows["SZ"])]  # fmt: skip
    check = ws.cli("db", "check", expect=1).output
    text = " ".join(check.split())
    assert f"certificate id GEC-1 (column 'certificate_ids') is claimed by 2 live instrument rows: store activity row {rows['SZ']}" in text  # fmt: skip
    before = ws.held()
    refused = ws.cli("db", "claims", "--backfill", expect=None)
    assert refused.exit_code not in (0, 1)
    line = " ".join(refused.output.split())
    assert "GEC-1" in line and str(rows["SZ"]) in line and str(rows["CD"]) in line
    assert "nothing was claimed" in line and len(refused.output.strip().splitlines()) == 1
    assert ws.held() == before == {"GEC-1": rows["CD"]}


def test_old_ledger_rows_are_claimed_once_the_shared_id_is_settled(ws: Claims) -> None:
    ws.load([_cert("SZ", "GEC-1;GEC-5")])
    _as_before_0026(ws)
    ws.load([_cert("CD", "GEC-1")])
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
