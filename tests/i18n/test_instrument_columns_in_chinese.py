"""#19: an activity file refused for its certificates' and PPAs' columns
(``ingest/instrument_columns.py``: vintage, retired, market, a certificate id claimed twice)
is worded in Chinese for an API client that asks for it, and so is a certificate id a stored
row holds when the write checks it again (``ledger/certificate_claims.py``): each part of a
row's reason from the catalog, the rows holding an id too. English is the CLI's line
unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ledger.certificate_claims import Claim, refuse_held
from tests.api.conftest import Api, api, problem
from tests.calc.test_instruments import CERT, GOOD, HEADER, _row
from tests.factories import write_csv
from tests.i18n.test_file_checks_in_chinese import CJK, ZH, _all_chinese, _post

__all__ = ["api"]  # the fixture, imported for pytest

ENGLISH = ("is not a year or month", "is not yes or no", "two-letter country code",
           "already claimed", "listed twice", "longer than", "activity row", "row 3")  # fmt: skip


def _cert(ids: str, **changed: str) -> list[object]:
    return _row("SZ1", CERT, 10, **{**GOOD, "certificate_ids": ids, **changed})


def _store(api: Api, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", HEADER, [_cert("GEC-1")])
    assert _post(api, "mia", "/imports/activities", good, {}).status_code == 200


def test_instrument_columns_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    _store(api, tmp_path)
    rows = [
        _cert("GEC-7", vintage="24"),
        _cert("GEC-8", retired="perhaps", market="China"),
        _cert("GEC-1;GEC-7;GEC-9;GEC-9;" + "X" * 150),
    ]
    file = write_csv(tmp_path / "i.csv", HEADER, rows)
    zh = problem(_post(api, "mia", "/imports/activities", file, ZH), 422)
    assert len(zh["problems"]) == 4, zh["problems"]
    _all_chinese(zh, ENGLISH)
    claims = next(p["reason"] for p in zh["problems"] if p["column"] == "certificate_ids")
    assert claims.startswith("证书编号已被已存储的合同工具认领：GEC-1（活动行 "), claims
    assert "；已被本文件前面的行认领：GEC-7（第 2 行）；" in claims, claims
    assert "；同一行中列出两次：GEC-9；" in claims, claims
    en = problem(_post(api, "mia", "/imports/activities", file, {}), 422)
    english = next(p["reason"] for p in en["problems"] if p["column"] == "certificate_ids")
    assert english.startswith("certificate id already claimed by a stored instrument: GEC-1 "
                              "(activity row "), english  # fmt: skip
    assert english.endswith("; already claimed by an earlier row of the file: GEC-7 (row 2); "
                            "listed twice in the row: GEC-9; longer than 128 characters: "
                            "XXXXXXXXXXXXXXXXXXXX…"), english  # fmt: skip
    said = " ".join(p["reason"] for p in en["problems"])
    assert "vintage '24' is not a year or month" in said and "retired 'perhaps' is not yes" in said


def test_an_id_held_when_written_is_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    _store(api, tmp_path)
    with api.db.write() as session, pytest.raises(ImportRejected) as caught:
        refuse_held(session, "f.csv", [Claim("GEC-1", row=2)])
    [held] = caught.value.problems
    assert held.reason.startswith("certificate id already claimed by a stored instrument: "
                                  "GEC-1 (activity row "), held.reason  # fmt: skip
    zh = reason_in(held, "zh")
    assert CJK.search(zh) and zh.startswith("证书编号已被已存储的合同工具认领：GEC-1（活动行 "), zh
    assert not any(words in zh for words in ENGLISH), zh
