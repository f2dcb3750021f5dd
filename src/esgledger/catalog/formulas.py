"""Formulas of derived metrics: parsed with :mod:`ast`, never evaluated by Python.

A formula is arithmetic over metric ids, e.g. ``water.withdrawal.total - water.discharge.total``
or ``energy.total / economy.revenue``: ``+ - * /``, parentheses, unary signs and numeric
literals. Dotted ids parse as attribute chains; they are only ever looked up in a mapping, so a
formula can neither call, import nor reach an attribute of a Python object.

Units: :func:`evaluate` works on plain numbers, each input in its own metric's unit. The number
it returns is in :func:`formula_unit`; :func:`unit_factor` converts it to the derived metric's
unit. That is why a share is written as a plain ratio (``a / b``, no ``* 100``): the ratio's unit
is dimensionless, and converting it to ``%`` multiplies by 100.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pint

from esgledger.errors import InvalidInput
from esgledger.units import parse

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
MAX_LENGTH = 1000  # far above any catalog formula; keeps the tree well inside the recursion limit

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_UNARY: dict[type[ast.unaryop], Callable[[float], float]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}


@dataclass(frozen=True, slots=True)
class _Ref:
    """A metric id in a checked formula tree."""

    id: str


@dataclass(frozen=True, slots=True)
class _Num:
    value: float


@dataclass(frozen=True, slots=True)
class _Unary:
    op: type[ast.unaryop]
    operand: _Node


@dataclass(frozen=True, slots=True)
class _Binary:
    op: type[ast.operator]
    left: _Node
    right: _Node


_Node = _Ref | _Num | _Unary | _Binary


@dataclass(frozen=True, slots=True)
class _Compiled:
    tree: _Node
    inputs: tuple[str, ...]


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for an attribute chain on a plain name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _convert(node: ast.expr, formula: str) -> _Node:
    """The checked tree for one AST node; anything outside the whitelist is refused."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _Binary(type(node.op), _convert(node.left, formula), _convert(node.right, formula))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _Unary(type(node.op), _convert(node.operand, formula))
    if isinstance(node, ast.Constant):
        # bool is an int subclass; True is not a number in a formula.
        if isinstance(node.value, int | float) and not isinstance(node.value, bool):
            return _Num(float(node.value))
        raise InvalidInput(f"formula {formula!r}: {node.value!r} is not a number")
    if isinstance(node, ast.Attribute | ast.Name):
        name = _dotted(node)
        if name is None:
            raise InvalidInput(
                f"formula {formula!r}: attribute access is only allowed in metric ids"
            )
        if not ID_PATTERN.match(name) or any(part.startswith("__") for part in name.split(".")):
            raise InvalidInput(
                f"formula {formula!r}: {name!r} is not a metric id (dotted, lower_snake)"
            )
        return _Ref(name)
    what = type(node).__name__
    if isinstance(node, ast.BinOp | ast.UnaryOp):
        what = type(node.op).__name__
    raise InvalidInput(f"formula {formula!r}: {what} is not allowed; use + - * / and metric ids")


def _refs(node: _Node) -> list[str]:
    if isinstance(node, _Ref):
        return [node.id]
    if isinstance(node, _Unary):
        return _refs(node.operand)
    if isinstance(node, _Binary):
        return _refs(node.left) + _refs(node.right)
    return []


@lru_cache(maxsize=1024)
def _compile(formula: str) -> _Compiled:
    """Parse and check a formula once; the catalog evaluates the same few formulas many times."""
    if not isinstance(formula, str) or not formula.strip():
        raise InvalidInput("empty formula")
    if len(formula) > MAX_LENGTH:
        raise InvalidInput(f"formula is longer than {MAX_LENGTH} characters")
    try:
        expr = ast.parse(formula.strip(), mode="eval")
    except SyntaxError as exc:
        raise InvalidInput(f"formula {formula!r}: syntax error ({exc.msg})") from None
    except (ValueError, RecursionError, MemoryError):
        raise InvalidInput(f"formula {formula!r} cannot be parsed") from None
    try:
        tree = _convert(expr.body, formula)
        inputs = tuple(dict.fromkeys(_refs(tree)))
    except RecursionError:
        raise InvalidInput(f"formula {formula!r} is nested too deeply") from None
    return _Compiled(tree, inputs)


def check(formula: str) -> None:
    """Raise :class:`InvalidInput` if ``formula`` is not a well-formed formula."""
    _compile(formula)


def formula_inputs(formula: str) -> tuple[str, ...]:
    """The metric ids a formula reads, in order of first appearance.

    >>> formula_inputs("water.withdrawal.total - water.discharge.total")
    ('water.withdrawal.total', 'water.discharge.total')
    """
    return _compile(formula).inputs


def _eval(node: _Node, values: Mapping[str, float], formula: str) -> float:
    if isinstance(node, _Num):
        return node.value
    if isinstance(node, _Ref):
        try:
            return float(values[node.id])
        except KeyError:
            raise InvalidInput(f"formula {formula!r}: no value for {node.id!r}") from None
    if isinstance(node, _Unary):
        return _UNARY[node.op](_eval(node.operand, values, formula))
    left, right = _eval(node.left, values, formula), _eval(node.right, values, formula)
    try:
        return _BINARY[node.op](left, right)
    except ZeroDivisionError:
        raise InvalidInput(f"formula {formula!r}: division by zero") from None


def evaluate(formula: str, values: Mapping[str, float]) -> float:
    """The formula's number, each input read from ``values`` in its own metric's unit.

    >>> evaluate("energy.total / economy.revenue", {"energy.total": 50, "economy.revenue": 200})
    0.25

    Raises :class:`InvalidInput` for a malformed formula, a missing input or a division by zero.
    """
    return _eval(_compile(formula).tree, values, formula)


def _unit(node: _Node, units: Mapping[str, str], formula: str) -> pint.Quantity[Any]:
    if isinstance(node, _Num):
        # A literal is part of the number evaluate() returns, not of its unit.
        return parse("dimensionless")
    if isinstance(node, _Ref):
        try:
            return parse(units[node.id])
        except KeyError:
            raise InvalidInput(f"formula {formula!r}: no unit for {node.id!r}") from None
    if isinstance(node, _Unary):
        return _unit(node.operand, units, formula)
    left, right = _unit(node.left, units, formula), _unit(node.right, units, formula)
    if node.op is ast.Mult:
        product: pint.Quantity[Any] = left * right
        return product
    if node.op is ast.Div:
        quotient: pint.Quantity[Any] = left / right
        return quotient
    # + and - add plain numbers, so both sides must be in the very same unit, not just the same
    # dimension: t + kg would add 1 to 1000.
    try:
        ratio = float((left / right).to("dimensionless").magnitude)
    except pint.errors.DimensionalityError:
        raise InvalidInput(
            f"formula {formula!r}: cannot add or subtract {left.units} and {right.units}"
        ) from None
    if abs(ratio - 1.0) > 1e-12:
        raise InvalidInput(
            f"formula {formula!r}: adds {left.units} to {right.units}; "
            "give the inputs the same unit"
        )
    return left


def formula_unit(formula: str, units: Mapping[str, str]) -> pint.Quantity[Any]:
    """The unit of the number :func:`evaluate` returns, given each input's unit.

    ``formula_unit("a.x / b.y", {"a.x": "t", "b.y": "RMB million"})`` is one t per RMB million.
    Raises :class:`InvalidInput` if the formula adds things of different units.
    """
    return _unit(_compile(formula).tree, units, formula)


def unit_factor(formula: str, units: Mapping[str, str], target: str) -> float:
    """What to multiply :func:`evaluate`'s number by to express it in ``target``.

    A ratio of two headcounts converted to ``%`` gives 100. Raises :class:`InvalidInput` when
    the formula's unit and ``target`` measure different things.
    """
    source = formula_unit(formula, units)
    try:
        return float((source / parse(target)).to("dimensionless").magnitude)
    except pint.errors.DimensionalityError:
        raise InvalidInput(
            f"formula {formula!r} gives {source.units}, which cannot be expressed in {target!r}"
        ) from None
