"""#19: a CSV refused for its structure (another separator, a row of the wrong cell count, a
quote never closed) is worded in Chinese for an API client that asks for it; English is the
CLI's line unchanged."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import Api, api, problem
from tests.i18n.test_file_checks_in_chinese import ZH, _all_chinese, _post

__all__ = ["api"]  # the fixture, imported for pytest

ENGLISH = ("separated by", "cells, the header", "never closed", "misplaced quote")


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_structure_refusals_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    files = {
        "semi.csv": "id;name;parent;country;subdivision\nA;B;;CN;\n",
        "ragged.csv": "id,name,parent,country,subdivision\nA,B,,CN\n",
        "quoted.csv": 'id,name,parent,country,subdivision\nA,"B,,CN,\n',
    }
    wanted = {
        "semi.csv": ("分号", "the header is one column separated by semicolons"),
        "ragged.csv": ("该行有 4 个单元格", "the row has 4 cells, the header 5"),
        "quoted.csv": ("从本行开始的带引号单元格没有闭合", "is never closed"),
    }
    for name, text in files.items():
        path = _file(tmp_path, name, text)
        zh = problem(_post(api, "ada", "/imports/entities", path, ZH), 422)
        _all_chinese(zh, ENGLISH)
        assert wanted[name][0] in zh["problems"][0]["reason"], zh
        en = problem(_post(api, "ada", "/imports/entities", path, {}), 422)
        assert wanted[name][1] in en["problems"][0]["reason"], en
