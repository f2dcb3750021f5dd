"""#19: a refused organisation-tree file (``/imports/entities``) is worded in Chinese for a
client that asks for it, every row check from the catalog; English stays the CLI's lines."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import Api, api, problem
from tests.factories import write_csv
from tests.i18n.test_file_checks_in_chinese import ZH, _all_chinese, _post

__all__ = ["api"]  # the fixture, imported for pytest

HEADER = ["id", "name", "parent", "country", "subdivision", "kind"]
ROWS = [
    ["", "Blank id", "", "CN", "", "group"],  # id is empty
    ["bad id", "A", "", "CN", "", "group"],  # id pattern
    ["G1", "", "", "XX", "", "shop"],  # name empty, kind, country
    ["G1", "Again", "", "CN", "ZZ-99", "group"],  # duplicate id, subdivision
    ["S1", "Site", "G9", "CN", "DE-BY", "site"],  # unknown parent, subdivision elsewhere
    ["S2", "Self", "S2", "CN", "", "site"],  # its own parent
    ["L1", "Loop one", "L2", "CN", "", "site"],  # a loop
    ["L2", "Loop two", "L1", "CN", "", "site"],
]
ENGLISH = ("is empty", "may only use", "duplicate", "is not one of", "is not an ISO",
           "is not in country", "unknown parent", "its own parent", "loops back")  # fmt: skip


def test_entity_file_checks_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "e.csv", HEADER, ROWS)
    zh = problem(_post(api, "ada", "/imports/entities", file, ZH), 422)
    assert len(zh["problems"]) >= 11, zh["problems"]
    _all_chinese(zh, ENGLISH)
    reasons = " ".join(p["reason"] for p in zh["problems"])
    assert "未知的上级 'G9'" in reasons and "'DE-BY' 不属于国家 'CN'" in reasons
    en = problem(_post(api, "ada", "/imports/entities", file, {}), 422)
    english = [p["reason"] for p in en["problems"]]
    assert "unknown parent 'G9'" in english
    assert "subdivision 'DE-BY' is not in country 'CN'" in english
    assert "the parent chain loops back to this entity" in english
    assert "duplicate id, first on row 4" in english
