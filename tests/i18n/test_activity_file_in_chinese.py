"""#19: a refused activity data file (``/imports/activities``) is worded in Chinese for a
client that asks for it, each row check of ``ingest/activities.py`` from the catalog; a
client asking for English gets the CLI's lines unchanged."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import Api, api, problem
from tests.factories import ACTIVITY_HEADER, write_csv
from tests.i18n.test_file_checks_in_chinese import ZH, _all_chinese, _post

__all__ = ["api"]  # the fixture, imported for pytest

GOOD = ["SZ1", "2025-01-01", "2025-01-31", "electricity.purchased", "10", "kWh"]
ROWS = [
    GOOD,  # stored already
    ["", "2025-02-01", "2025-02-28", "", "1", ""],  # entity, activity, unit empty
    ["NOPE", "2025-02-01", "2025-02-28", "electricity.purchased", "1", "kWh"],  # entity
    ["SZ1", "31/12/2024", "2025-02-28", "electricity.purchased", "1", "kWh"],  # start
    ["SZ1", "2025-03-31", "2025-03-01", "electricity.purchased", "1", "kWh"],  # end < start
    ["SZ1", "2025-04-01", "2025-04-30", "electricity.bought", "1", "kWh"],  # activity type
    ["SZ1", "2025-05-01", "2025-05-31", "electricity.purchased", "lots", "kWh"],  # number
    ["SZ1", "2025-06-01", "2025-06-30", "electricity.purchased", "-1", "kWh"],  # negative
    ["SZ1", "2025-07-01", "2025-07-31", "electricity.purchased", "1", "t"],  # unit's kind
    ["SZ1", "2025-08-01", "2025-08-31", "electricity.purchased", "1", "zz"],  # unknown unit
    ["SZ1", "2025-09-01", "2025-09-30", "electricity.purchased", "1", "kWh"],
    ["SZ1", "2025-09-01", "2025-09-30", "electricity.purchased", "1", "kWh"],  # duplicate
]
ENGLISH = ("is empty", "unknown", "is not a date", "is before", "is not a number",
           "is negative", "does not measure", "duplicate", "already imported")  # fmt: skip


def test_activity_file_checks_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", ACTIVITY_HEADER, [GOOD])
    assert api.ok("mia", "POST", "/imports/activities", files={"file": ("good.csv",
                  good.read_bytes())})["rows"] == 1  # fmt: skip
    file = write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, ROWS)
    zh = problem(_post(api, "mia", "/imports/activities", file, ZH), 422)
    assert len(zh["problems"]) >= 13, zh["problems"]
    _all_chinese(zh, ENGLISH)
    reasons = " ".join(p["reason"] for p in zh["problems"])
    assert "未知的单位 'zz'" in reasons and "未知的活动类型 'electricity.bought'" in reasons
    en = problem(_post(api, "mia", "/imports/activities", file, {}), 422)
    english = " ".join(p["reason"] for p in en["problems"])
    assert "unknown unit 'zz'" in english and "end is before start" in english
    assert "unit 't' does not measure" in english and "already imported (batch " in english


def test_the_units_to_use_are_joined_in_chinese(api: Api, tmp_path: Path) -> None:
    row = ["SZ1", "2025-01-01", "2025-01-31", "fuel.diesel", "10", "m"]
    file = write_csv(tmp_path / "d.csv", ACTIVITY_HEADER, [row])
    zh = problem(_post(api, "mia", "/imports/activities", file, ZH), 422)
    (reason,) = [p["reason"] for p in zh["problems"]]
    assert reason == "单位 'm' 不能计量活动 'fuel.diesel'（请使用 t 或 L 或 GJ 等单位）", reason
    en = problem(_post(api, "mia", "/imports/activities", file, {}), 422)
    assert [p["reason"] for p in en["problems"]] == [
        "unit 'm' does not measure diesel (use a unit like t or L or GJ)"
    ]
