"""Derived-metric formulas: inputs, arithmetic, units, and refusal of anything but arithmetic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esgledger.catalog.formulas import (
    check,
    evaluate,
    formula_inputs,
    formula_unit,
    unit_factor,
)
from esgledger.errors import InvalidInput
from esgledger.units import parse


def test_inputs_in_order_of_first_appearance_without_repeats() -> None:
    assert formula_inputs("b.x + a.y * b.x - (c.z / a.y)") == ("b.x", "a.y", "c.z")
    assert formula_inputs("water.withdrawal.total - water.discharge.total") == (
        "water.withdrawal.total",
        "water.discharge.total",
    )
    assert formula_inputs("-2.5 * 3") == ()


def test_parsed_formulas_are_cached() -> None:
    formula = "energy.direct + energy.indirect"
    assert formula_inputs(formula) is formula_inputs(formula)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("a.x + b.y * 2", 10.0),  # precedence: 4 + 3 * 2
        ("(a.x + b.y) * 2", 14.0),
        ("a.x - b.y - 1", 0.0),  # left-associative
        ("a.x / b.y / 2", 4 / 3 / 2),
        ("-a.x + +b.y", -1.0),
        ("a.x * 1e3", 4000.0),
        ("7", 7.0),
    ],
)
def test_evaluate_hand_computed(formula: str, expected: float) -> None:
    assert evaluate(formula, {"a.x": 4, "b.y": 3}) == pytest.approx(expected)


def test_evaluate_ignores_unrelated_values_and_returns_float() -> None:
    result = evaluate("a.x + b.y", {"a.x": 1, "b.y": 2, "c.z": float("nan")})
    assert result == 3.0 and isinstance(result, float)


@given(
    st.floats(-1e9, 1e9, allow_nan=False),
    st.floats(-1e9, 1e9, allow_nan=False).filter(lambda v: abs(v) > 1e-9),
)
def test_evaluate_matches_python_arithmetic(a: float, b: float) -> None:
    values = {"m.a": a, "m.b": b}
    assert evaluate("m.a + m.b", values) == a + b
    assert evaluate("m.a - m.b", values) == a - b
    assert evaluate("m.a * m.b", values) == a * b
    assert evaluate("m.a / m.b", values) == a / b
    assert evaluate("(m.a - m.b) / m.b * 2", values) == (a - b) / b * 2


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os')",
        "__import__('os').system('true')",
        "os.system('true')",
        "a.x()",
        "().__class__",
        "(1).real",
        "a.x.__class__",
        "a.x.__class__.__bases__",
        "'abc'.upper",
        "a.x[0]",
        "[a.x]",
        "{a.x: 1}",
        "a.x ** 2",
        "a.x // 2",
        "a.x % 2",
        "a.x @ b.y",
        "a.x < b.y",
        "a.x and b.y",
        "not a.x",
        "~a.x",
        "a.x if b.y else 1",
        "lambda: 1",
        "(y := 1)",
        "True",
        "None",
        "'text'",
        "b'raw'",
        "1j",
        "f'{a.x}'",
        "os",
        "A.X",
        "a.X",
        "a. x + ",
        "a.x; b.y",
        "import os",
        "",
        "   ",
        "a.x + " * 300 + "a.x",
    ],
)
def test_refuses_anything_but_arithmetic_over_ids(formula: str) -> None:
    with pytest.raises(InvalidInput) as err:
        evaluate(formula, {"a.x": 1, "b.y": 2})
    assert "\n" not in str(err.value)
    with pytest.raises(InvalidInput):
        formula_inputs(formula)


def test_check_accepts_a_catalog_formula() -> None:
    check("energy.total / economy.revenue")
    with pytest.raises(InvalidInput, match="Call is not allowed"):
        check("abs(a.x)")


def test_division_by_zero_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="division by zero"):
        evaluate("a.x / (b.y - 2)", {"a.x": 1, "b.y": 2})


def test_missing_value_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match=r"no value for 'b\.y'"):
        evaluate("a.x + b.y", {"a.x": 1})


def test_formula_unit_of_an_intensity() -> None:
    units = {"energy.total": "tce", "economy.revenue": "RMB million"}
    result = formula_unit("energy.total / economy.revenue", units)
    assert result.dimensionality == parse("tce/(RMB million)").dimensionality
    assert unit_factor("energy.total / economy.revenue", units, "tce/(RMB million)") == (
        pytest.approx(1.0)
    )
    assert unit_factor("energy.total / economy.revenue", units, "kgce/RMB") == pytest.approx(1e-3)


def test_ratios_convert_to_percent_and_permille() -> None:
    units = {"a.x": "person", "b.y": "person", "c.z": "RMB billion", "d.w": "RMB million"}
    assert unit_factor("a.x / b.y", units, "%") == pytest.approx(100.0)
    assert unit_factor("a.x / b.y", units, "permille") == pytest.approx(1000.0)
    assert unit_factor("c.z / d.w", units, "%") == pytest.approx(100_000.0)
    # Literals are part of the number, not of the unit.
    assert unit_factor("a.x / b.y * 100", units, "%") == pytest.approx(100.0)


def test_sums_need_the_same_unit() -> None:
    assert unit_factor("a.x + b.y", {"a.x": "t", "b.y": "t"}, "kg") == pytest.approx(1000.0)
    with pytest.raises(InvalidInput, match="same unit"):
        formula_unit("a.x + b.y", {"a.x": "t", "b.y": "kg"})
    with pytest.raises(InvalidInput, match="cannot add"):
        formula_unit("a.x - b.y", {"a.x": "t", "b.y": "person"})


def test_incompatible_target_and_unknown_unit_are_refused() -> None:
    with pytest.raises(InvalidInput, match="cannot be expressed"):
        unit_factor("a.x / b.y", {"a.x": "case", "b.y": "person"}, "%")
    with pytest.raises(InvalidInput, match=r"no unit for 'b\.y'"):
        formula_unit("a.x / b.y", {"a.x": "t"})
