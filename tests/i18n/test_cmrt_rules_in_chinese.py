"""#19: a CMRT refused by its rules (``ingest/cmrt_rules.py``: company fields, dates, metal
questions, scope, the Smelter List) is worded in Chinese for an API client that asks for it,
each error and warning from the catalog; English is the CLI's line unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from esgledger.api.app import PREFIX
from esgledger.catalog.messages import reason_in
from tests.api.conftest import Api, api, problem
from tests.factories import write_csv
from tests.i18n.test_file_checks_in_chinese import CJK, SUPPLIER_HEADER, ZH, _all_chinese, _post
from tests.suppliers.cmrt_files import Cmrt, checked, cmrt_file, company, smelter

__all__ = ["api"]  # the fixture, imported for pytest

ENGLISH = ("is required", "is not an e-mail", "is not Yes or No", "is not one of",
           "is not CID", "in the future", "Smelter List has no", "is longer than")  # fmt: skip
BAD = Cmrt(
    fields=company(**{"Contact Name (*):": "", "Email - Authorizer (*):": "chen at pearl",
                      "Company Name (*):": "P" * 300, "Authorizer (*):": "Li Wei",
                      "Effective Date (*):": "15-Jan-2099"}),
    answers={(1, "Cobalt"): "Maybe"},
    smelters=[smelter("Tin", "CID1", "Alpha Tin"), smelter("Plutonium", "CID000002", "X")],
)  # fmt: skip


def test_cmrt_rule_errors_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    suppliers = write_csv(tmp_path / "s.csv", SUPPLIER_HEADER, [["S1", "A", "CN", "", "", "", ""]])
    assert _post(api, "sam", "/supplier-imports/suppliers", suppliers, {}).status_code == 200
    path = cmrt_file(tmp_path / "c.xlsx", BAD)

    def post(lang: dict[str, str]):  # type: ignore[no-untyped-def]
        files = {"file": (path.name, path.read_bytes())}
        return api.client.post(PREFIX + "/suppliers/S1/declarations", files=files,
                               headers=api.headers("sam") | lang)  # fmt: skip

    zh = problem(post(ZH), 422)
    assert len(zh["problems"]) >= 6, zh["problems"]
    _all_chinese(zh, ENGLISH)
    reasons = " ".join(p["reason"] for p in zh["problems"])
    assert "'chen at pearl' 不是电子邮件地址" in reasons, reasons
    en = problem(post({}), 422)
    english = " ".join(p["reason"] for p in en["problems"])
    assert "'chen at pearl' is not an e-mail address" in english, english
    assert "smelter identification 'CID1' is not CID and 6 digits" in english, english


def test_every_cmrt_rule_names_its_message(tmp_path: Path) -> None:
    """Errors and the warning, each named and worded in Chinese without the English."""
    found = checked(tmp_path, BAD)
    warned = checked(tmp_path, Cmrt(fields=company(**{"Authorizer (*):": "li wei"}),
                                    answers={(3, "Tin"): "Yes"}), name="w.xlsx").warnings  # fmt: skip
    said = found.errors + warned
    assert len(warned) == 2 and len(found.errors) >= 6, said
    for p in said:
        zh = reason_in(p, "zh")
        assert p.message_id and CJK.search(zh), (p.reason, zh)
        assert not any(words in zh for words in ENGLISH), zh
    assert dt.date(2099, 1, 15).isoformat() in " ".join(p.reason for p in said)
