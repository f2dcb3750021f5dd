"""CMRT rule class: the company information block (#16)."""

from __future__ import annotations

from pathlib import Path

from tests.suppliers.cmrt_files import Cmrt, checked, company, lines


def test_a_missing_required_field_is_named_by_row(tmp_path: Path) -> None:
    found = lines(checked(tmp_path, Cmrt(fields=company(**{"Contact Name (*):": ""}))).errors)
    assert found == ["s.xlsx, row 13, column 'Declaration!D': contact name is required"]


def test_a_label_missing_from_the_file_is_refused(tmp_path: Path) -> None:
    fields = company()
    del fields["Phone - Authorizer (*):"]
    found = lines(checked(tmp_path, Cmrt(fields=fields)).errors)
    assert found == ["s.xlsx, column 'Declaration!B': no 'phone - authorizer' field in the file"]


def test_a_bad_email_is_refused(tmp_path: Path) -> None:
    spec = Cmrt(fields=company(**{"Email - Authorizer (*):": "chen at pearl"}))
    found = lines(checked(tmp_path, spec).errors)
    assert found == [
        "s.xlsx, row 18, column 'Declaration!D': 'chen at pearl' is not an e-mail address"
    ]


def test_labels_match_across_case_and_dashes(tmp_path: Path) -> None:
    fields = {k.upper().replace("-", "\u2013"): v for k, v in company().items()}
    assert checked(tmp_path, Cmrt(fields=fields)).errors == []


def test_the_contact_as_authorizer_is_a_warning_not_a_refusal(tmp_path: Path) -> None:
    result = checked(tmp_path, Cmrt(fields=company(**{"Authorizer (*):": "li wei"})))
    assert result.errors == []
    assert lines(result.warnings) == [
        "s.xlsx, row 16, column 'Declaration!D': the authorizer is the contact person; "
        "the template asks for two people"
    ]
