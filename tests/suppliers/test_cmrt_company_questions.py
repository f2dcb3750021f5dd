"""CMRT rule class: company questions A-H (#16)."""

from __future__ import annotations

from pathlib import Path

from tests.suppliers.cmrt_files import Cmrt, checked, lines


def test_a_h_are_required_once_a_metal_is_in_use(tmp_path: Path) -> None:
    found = lines(checked(tmp_path, Cmrt(company_answers={"E": ("", "")})).errors)
    assert found == [
        "s.xlsx, row 68, column 'Declaration!D': company question E is required: a metal is "
        "declared in use"
    ]


def test_a_h_are_optional_when_no_metal_is_in_use(tmp_path: Path) -> None:
    assert checked(tmp_path, Cmrt(in_use=(), smelters=[])).errors == []


def test_a_yes_to_a_or_b_needs_a_url_in_the_comment(tmp_path: Path) -> None:
    spec = Cmrt(
        company_answers={"A": ("Yes", "see our website"), "B": ("Yes", "https://x.example/p")}
    )
    assert lines(checked(tmp_path, spec).errors) == [
        "s.xlsx, row 64, column 'Declaration!E': company question A is Yes: give the policy's "
        "URL in the comment"
    ]
