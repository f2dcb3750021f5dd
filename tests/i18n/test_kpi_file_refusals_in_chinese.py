"""#19: a KPI file refused against what is stored — a value recorded already without a
restatement reason (``ledger/kpis.py``, and through a data owner's request:
``workflow/values.py``), a figure that belongs to a data request (``workflow/kpi_imports.py``),
a cell longer than its column may hold (``ledger/limits.py``) — is worded in Chinese for an API
client that asks for it; English is the CLI's line unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from esgledger.api.app import PREFIX
from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ingest.checker import ROW
from esgledger.ledger.limits import ATTRIBUTES_WHY, refuse_too_long
from tests.api.conftest import YEAR, Api, api, problem
from tests.api.test_import_review import METRIC, _file, _issue
from tests.i18n.test_file_checks_in_chinese import CJK, ZH, _all_chinese

__all__ = ["api"]  # the fixture, imported for pytest

ENGLISH = ("already recorded", "give a restatement", "is the figure of", "through the request",
           "characters, longer than", "may hold")  # fmt: skip


def _refused(api: Api, user: str, files: dict) -> tuple[dict, dict]:  # type: ignore[type-arg]
    def post(lang: dict[str, str]):  # type: ignore[no-untyped-def]
        return api.client.post(PREFIX + "/imports/kpis", files=files,
                               headers=api.headers(user) | lang)  # fmt: skip

    zh = problem(post(ZH), 422)
    _all_chinese(zh, ENGLISH)
    return zh, problem(post({}), 422)


def _reasons(body: dict) -> str:  # type: ignore[type-arg]
    return " ".join(p["reason"] for p in body["problems"])


def test_a_recorded_value_without_a_reason_is_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    api.ok("mia", "POST", "/imports/kpis", files=_file(tmp_path, "a.csv",
           ["SZ1", YEAR, METRIC, "7", "t", ""]))  # fmt: skip
    zh, en = _refused(api, "mia", _file(tmp_path, "b.csv", ["SZ1", YEAR, METRIC, "8", "t", ""]))
    assert "已记录为 7.0 t" in _reasons(zh), zh
    assert _reasons(en) == "already recorded as 7.0 t; give a restatement_reason to restate it"


def test_a_requested_figure_is_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    rid = _issue(api, "HQ")
    zh, en = _refused(api, "mia", _file(tmp_path, "k.csv", ["HQ", YEAR, METRIC, "8", "t", ""]))
    assert f"HQ {METRIC} {YEAR} 是数据请求 {rid}（草稿）的数值" in _reasons(zh), zh
    assert _reasons(en) == (
        f"HQ {METRIC} {YEAR} is the figure of data request {rid} (draft); enter it through the "
        "request, not by import"
    )


def test_a_data_owners_value_recorded_already_is_worded_in_chinese(
    api: Api, tmp_path: Path
) -> None:
    api.ok("mia", "POST", "/imports/kpis", files=_file(tmp_path, "a.csv",
           ["SZ1", YEAR, METRIC, "7", "t", ""]))  # fmt: skip
    _issue(api, "SZ1")
    zh, en = _refused(api, "olga", _file(tmp_path, "b.csv", ["SZ1", YEAR, METRIC, "8", "t", ""]))
    assert f"SZ1 {METRIC} {YEAR} 已记录为 7.0 t" in _reasons(zh), zh
    assert _reasons(en) == (
        f"SZ1 {METRIC} {YEAR} is already recorded as 7.0 t; give a restatement reason to restate it"
    )


def test_a_cell_longer_than_its_column_is_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    zh, en = _refused(api, "mia", _file(tmp_path, "k.csv", ["S" * 300, YEAR, METRIC, "8", "t", ""]))
    assert re.search(r"300 个字符，超过其可容纳的 \d+ 个", _reasons(zh)), zh
    assert re.fullmatch(r"300 characters, longer than the \d+ it may hold", _reasons(en)), en


def test_attributes_too_long_say_why_in_chinese() -> None:
    frame = pl.DataFrame({ROW: [2], "attributes": ["x" * 12]})
    with pytest.raises(ImportRejected) as caught:
        refuse_too_long("a.csv", frame, {"attributes": 10}, why=ATTRIBUTES_WHY)
    [long] = caught.value.problems
    assert long.reason == (
        "12 characters, longer than the 10 it may hold (all attribute columns together, as "
        "stored in the row's key)"
    )
    zh = reason_in(long, "zh")
    assert CJK.search(zh) and "may hold" not in zh and "12 个字符" in zh, zh
