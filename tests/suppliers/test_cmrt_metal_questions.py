"""CMRT rule class: questions 1-8 per metal and their conditional requirements (#16)."""

from __future__ import annotations

from pathlib import Path

from tests.suppliers.cmrt_files import Cmrt, checked, lines


def test_questions_1_and_2_are_required_for_every_metal(tmp_path: Path) -> None:
    found = lines(checked(tmp_path, Cmrt(answers={(2, "Tungsten"): ""})).errors)
    assert found == ["s.xlsx, row 33, column 'Declaration!D': question 2 for tungsten is required"]


def test_questions_1_and_2_take_yes_or_no_in_any_case(tmp_path: Path) -> None:
    result = checked(tmp_path, Cmrt(answers={(1, "Tin"): "YES", (1, "Gold"): "maybe"}))
    assert lines(result.errors) == [
        "s.xlsx, row 27, column 'Declaration!D': question 1 for gold: 'maybe' is not Yes or No"
    ]


def test_a_metal_in_use_needs_questions_3_to_8(tmp_path: Path) -> None:
    found = lines(checked(tmp_path, Cmrt(answers={(5, "Tin"): ""})).errors)
    assert found == [
        "s.xlsx, row 46, column 'Declaration!D': question 5 for tin is required: tin is "
        "declared in use (question 1 or 2 is Yes)"
    ]


def test_a_metal_not_in_use_leaves_3_to_8_optional(tmp_path: Path) -> None:
    result = checked(
        tmp_path, Cmrt(in_use=("Tin",), smelters=[["", "Tin", "A", "A", "CHINA", "CID000001"]])
    )
    assert result.errors == [] and result.in_use == ["tin"]


def test_a_covered_country_answer_is_a_high_risk_warning(tmp_path: Path) -> None:
    result = checked(tmp_path, Cmrt(answers={(3, "Gold"): "Yes"}))
    assert result.errors == []
    assert lines(result.warnings) == [
        "s.xlsx, row 37, column 'Declaration!D': high risk: gold may come from the covered "
        "countries (question 3)"
    ]
