"""#15: a certificate id (an EAC, REC, GO, GEC…) is claimed by one live instrument row only
(GHG Protocol Scope 2 Guidance, ch. 7, Table 7.1, criterion 2), held by the database itself:
the ``certificate_claims`` table's key. Rows of the activity store claim too, a replacing
import is checked after it voided what it replaces, voiding a row gives its ids back and
un-voiding it takes them again; every refusal is one line per row naming the row and the
``certificate_ids`` column, and writes nothing. On PostgreSQL two writers claiming the same
id at the same moment: one wins, the other is refused."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from esgledger.errors import ConcurrentChange
from esgledger.ledger.certificate_claims import Claim, record_claims
from esgledger.ledger.claim_models import CertificateClaim
from esgledger.ledger.db import Database
from esgledger.ledger.models import ActivityRecord, ImportBatch
from tests.calc.test_instruments import CERT, GOOD, HEADER, _row
from tests.calc.workspace import ENTITIES
from tests.conftest import Cli
from tests.factories import ENTITY_HEADER, write_csv


class Claims:
    """A workspace with the test entities, importing instrument files."""

    def __init__(self, cli: Cli, tmp_path: Path) -> None:
        self.cli, self.tmp = cli, tmp_path
        cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, ENTITIES)))

    def load(self, rows: list[list[object]], *args: str, expect: int = 0) -> Any:
        path = write_csv(self.tmp / f"a{len(list(self.tmp.iterdir()))}.csv", HEADER, rows)
        return self.cli("import", "activities", str(path), *args, expect=expect)

    def counts(self) -> tuple[int, int, int]:
        with self.cli.db.read() as s:
            return (
                s.scalar(select(func.count()).select_from(ActivityRecord)) or 0,
                s.scalar(select(func.count()).select_from(ImportBatch)) or 0,
                s.scalar(select(func.count()).select_from(CertificateClaim)) or 0,
            )

    def held(self) -> dict[str, int]:
        with self.cli.db.read() as s:
            return {c: a for c, a in s.execute(select(CertificateClaim.certificate_id, CertificateClaim.activity_id))}  # fmt: skip


@pytest.fixture
def ws(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Claims:
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store"))
    folder = tmp_path / "files"
    folder.mkdir()
    return Claims(cli, folder)


def _cert(entity: str, ids: str, mwh: float = 10) -> list[object]:
    return _row(entity, CERT, mwh, **{**GOOD, "certificate_ids": ids})


def _refused(output: str, row: int, cert: str) -> None:
    text = " ".join(output.split())
    assert f"row {row}, column 'certificate_ids'" in text, text
    assert cert in text and "already claimed" in text and "nothing was imported" in text


def test_each_id_of_an_import_is_claimed_by_its_row(ws: Claims) -> None:
    ws.load([_cert("SZ", "GEC-1;GEC-2"), _cert("CD", "GEC-3")])
    listed = {r["entity"]: r["id"] for r in json.loads(ws.cli("activities", "list", "--json").stdout)}  # fmt: skip
    assert ws.held() == {"GEC-1": listed["SZ"], "GEC-2": listed["SZ"], "GEC-3": listed["CD"]}


def test_a_store_row_claims_its_ids(ws: Claims) -> None:
    ws.load([_cert("SZ", "GEC-1;GEC-2")], "--store")
    assert set(ws.held()) == {"GEC-1", "GEC-2"}
    before = ws.counts()
    _refused(ws.load([_cert("CD", "GEC-2")], expect=2).output, 2, "GEC-2")
    _refused(ws.load([_cert("CD", "GEC-9"), _cert("VN", "GEC-1")], "--store", expect=2).output, 3, "GEC-1")  # fmt: skip
    assert ws.counts() == before


def test_a_replacing_import_cannot_take_another_rows_id(ws: Claims) -> None:
    ws.load([_cert("SZ", "GEC-1")])
    before = ws.counts()
    args = ("--replace", "--reason", "corrected")
    _refused(ws.load([_cert("CD", "GEC-1")], *args, expect=2).output, 2, "GEC-1")
    assert ws.counts() == before
    # replacing the row that holds the id: the void gives it back, the new row takes it
    ws.load([_cert("SZ", "GEC-1")], *args)
    [live] = json.loads(ws.cli("activities", "list", "--json").stdout)
    assert ws.held() == {"GEC-1": live["id"]}


def test_a_voided_row_gives_its_ids_back_and_takes_them_again_only_if_free(ws: Claims) -> None:
    ws.load([_cert("SZ", "GEC-1;GEC-2")])
    [first] = json.loads(ws.cli("activities", "list", "--json").stdout)
    ws.cli("activities", "void", "--id", str(first["id"]), "--reason", "wrong year")
    assert ws.held() == {}
    ws.load([_cert("CD", "GEC-2")])
    result = ws.cli("activities", "unvoid", "--id", str(first["id"]), "--reason", "x", expect=None)
    assert result.exit_code != 0
    message = " ".join(result.output.split())
    assert f"activity row {first['id']}" in message and "GEC-2" in message
    assert len(result.output.strip().splitlines()) == 1
    assert set(ws.held()) == {"GEC-2"}  # nothing changed
    ws.cli("activities", "void", "--batch", "3", "--reason", "the other was right")
    ws.cli("activities", "unvoid", "--id", str(first["id"]), "--reason", "right after all")
    assert ws.held() == {"GEC-1": first["id"], "GEC-2": first["id"]}


def test_an_overlong_certificate_id_is_refused_with_its_row(ws: Claims) -> None:
    result = ws.load([_cert("SZ", "GEC-1"), _cert("CD", "X" * 200)], expect=2)
    text = " ".join(result.output.split())
    assert "row 3, column 'certificate_ids'" in text and "longer than 128" in text


def test_two_writers_claiming_one_id_at_once_one_is_refused(pg_db: Database) -> None:
    """Two transactions on two connections claim GEC-1 together: the second waits on the
    first's uncommitted key and, once it commits, is refused; only the first claim stays."""
    with pg_db.write() as s:
        batches = [ImportBatch(kind="activities", source=n, sha256="0" * 64, rows=1, actor="t") for n in ("a.csv", "b.csv")]  # fmt: skip
        s.add_all(batches)
        s.flush()
        a, b = (batch.id for batch in batches)
    claimed = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        with pg_db.write() as s:
            record_claims(s, "a.csv", [Claim("GEC-1", activity_id=1, batch_id=a, row=2)])
            claimed.set()
            threading.Event().wait(1.0)  # the second writer is blocked on our key meanwhile

    def second() -> None:
        claimed.wait(30)
        try:
            with pg_db.write() as s:
                record_claims(s, "b.csv", [Claim("GEC-1", activity_id=2, batch_id=b, row=5)])
        except ConcurrentChange as exc:
            outcome["refused"] = str(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    message = str(outcome.get("refused", ""))
    assert "b.csv, row 5, column 'certificate_ids'" in message and "GEC-1" in message
    with pg_db.read() as s:
        assert [tuple(r) for r in s.execute(select(CertificateClaim.certificate_id, CertificateClaim.activity_id))] == [("GEC-1", 1)]  # fmt: skip


def test_the_migration_claims_the_live_rows_ids_the_first_row_keeping_a_shared_one(
    tmp_path: Path,
) -> None:
    """Data of before 0026: a later row sharing an id with an earlier one stays unclaimed
    (the run's own check of criterion 2 still rejects it), a voided row claims nothing."""
    import datetime as dt

    from esgledger.ledger.migrate import upgrade
    from esgledger.ledger.models import Entity

    db = Database(str(tmp_path / "old.db"))
    upgrade(db, "0025_regcert")
    day = dt.date(2024, 1, 1)

    def row(ids: str, **extra: Any) -> ActivityRecord:
        attributes = json.dumps({"certificate_ids": ids}) if ids else ""
        return ActivityRecord(entity_id="SZ", start=day, end=day, activity=CERT, quantity=1.0, unit="MWh", attributes=attributes, batch_id=1, **extra)  # fmt: skip

    with db.write() as s:
        s.add(Entity(id="SZ", name="Shenzhen", kind="site", country="CN"))
        s.add(ImportBatch(id=1, kind="activities", source="a.csv", sha256="0" * 64, rows=4, actor="t"))  # fmt: skip
        s.flush()
        s.add_all(
            [
                row("A-1;A-2"),
                row("A-2 A-3"),
                row("V-1", voided_at=dt.datetime(2024, 2, 1), voided_by="t", void_reason="x"),
                row(""),
            ]
        )
    upgrade(db)
    with db.read() as s:
        held = {c: a for c, a in s.execute(select(CertificateClaim.certificate_id, CertificateClaim.activity_id))}  # fmt: skip
    assert held == {"A-1": 1, "A-2": 1, "A-3": 2}
    db.dispose()
