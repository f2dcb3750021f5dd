"""CMRT rule class: the declaration scope and what each scope requires (#16)."""

from __future__ import annotations

from pathlib import Path

from tests.suppliers.cmrt_files import Cmrt, checked, company, lines

PRODUCT = "B. Product (or List of Products)"


def test_a_product_scope_needs_a_product_list(tmp_path: Path) -> None:
    spec = Cmrt(fields=company(**{"Declaration Scope or Class (*):": PRODUCT}))
    assert lines(checked(tmp_path, spec).errors) == [
        "s.xlsx, column 'Product List!A': the scope is B. Product (or List of Products) but "
        "the Product List is empty"
    ]


def test_a_product_scope_with_products_is_accepted(tmp_path: Path) -> None:
    spec = Cmrt(
        fields=company(**{"Declaration Scope or Class (*):": PRODUCT.upper()}),
        products=[["P-1", "Solder bar"], ["P-2", "Cable"]],
    )
    result = checked(tmp_path, spec)
    assert result.errors == [] and result.scope == "products" and result.products == 2


def test_a_user_defined_scope_needs_its_description(tmp_path: Path) -> None:
    spec = Cmrt(fields=company(**{"Declaration Scope or Class (*):": "C. User defined"}))
    assert lines(checked(tmp_path, spec).errors) == [
        "s.xlsx, row 10, column 'Declaration!D': the scope is C. User defined but the "
        "description of scope is empty"
    ]


def test_an_unknown_scope_is_refused(tmp_path: Path) -> None:
    spec = Cmrt(fields=company(**{"Declaration Scope or Class (*):": "D. Everything"}))
    assert (
        "declaration scope 'D. Everything' is not one of"
        in lines(checked(tmp_path, spec).errors)[0]
    )
