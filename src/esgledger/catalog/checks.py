"""Declarative data-quality rules shipped in ``catalog/data/checks.csv``.

One row per rule, so adding an invariant is a line of data, not code (the checks package
runs them; built-in rules such as breakdown sums, year-on-year jumps or narrative numbers
live in code). Columns:

- ``id`` — stable rule id, prefixed by its type (``sum.…``, ``part.…``, ``identity.…``,
  ``ratio.…``); it is part of every finding's acknowledgement key, so never rename one.
- ``type`` — ``sum`` (``whole`` = Σ ``parts``), ``part_le_whole`` (each of ``parts`` ≤
  ``whole``), ``identity`` (``whole`` = ``formula``) or ``ratio`` (an identity whose whole is
  a printed ratio, SYSTEM.md §7 class 10); on a figure counted from a register (#16):
  ``fall`` (``whole``, a share, fell from the year before by more than ``tolerance``
  percentage points) or ``available`` (``whole`` is not available although the register
  holds what it counts; ``{base}`` and ``{reason}`` are filled in).
- ``severity`` — ``error`` or ``warning`` (SYSTEM.md §7's E and W).
- ``whole``, ``parts`` (``;``-separated), ``formula`` — metric ids of the metric catalog. A
  formula may use ``factor.standard``: the value of the shipped factor named in ``factor``.
- ``tolerance`` — an absolute tolerance in the whole's unit; empty means "from the reported
  precision" (see :mod:`esgledger.checks.tolerance`).
- ``explanation`` and ``fix`` — sentences for a reviewer, with ``{found}``, ``{expected}``,
  ``{unit}``, ``{year}``, ``{factor_value}``, ``{factor_unit}`` and ``{factor_label}`` filled in.
- ``spec`` — where the rule comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from esgledger.catalog._files import read_rows, split_list
from esgledger.catalog.factors import factors
from esgledger.catalog.formulas import formula_inputs
from esgledger.catalog.metrics import metrics
from esgledger.errors import EsgError

TYPES = ("sum", "part_le_whole", "identity", "ratio", "fall", "available")
REGISTER_TYPES = ("fall", "available")  # rules on a register figure, run apart
SEVERITIES = ("error", "warning")
FACTOR_INPUT = "factor.standard"


@dataclass(frozen=True, slots=True)
class CheckRule:
    id: str
    type: str
    severity: str
    whole: str
    parts: tuple[str, ...]
    formula: str
    factor: str
    tolerance: float | None
    explanation: str
    fix: str
    spec: str

    @property
    def inputs(self) -> tuple[str, ...]:
        """The metric ids the rule compares the whole with (never ``factor.standard``)."""
        if self.type in ("sum", "part_le_whole"):
            return self.parts
        if self.type in REGISTER_TYPES:
            return ()
        return tuple(i for i in formula_inputs(self.formula) if i != FACTOR_INPUT)


def _problem(rule_id: str, message: str) -> EsgError:
    return EsgError(f"checks.csv, rule {rule_id!r}: {message}")


def _validate(rule: CheckRule) -> None:
    catalog = metrics()
    if rule.type not in TYPES:
        raise _problem(rule.id, f"type {rule.type!r} is not one of {', '.join(TYPES)}")
    if rule.severity not in SEVERITIES:
        raise _problem(rule.id, f"severity {rule.severity!r} is not error or warning")
    if not rule.id.startswith(rule.type.split("_")[0] + "."):
        raise _problem(rule.id, f"the id must start with {rule.type.split('_')[0]}.")
    if rule.type in ("sum", "part_le_whole") and not rule.parts:
        raise _problem(rule.id, "give the parts")
    if rule.type in ("identity", "ratio") and not rule.formula:
        raise _problem(rule.id, "give the formula")
    if rule.type == "fall" and rule.tolerance is None:
        raise _problem(rule.id, "give the tolerance (percentage points)")
    for metric_id in (rule.whole, *rule.inputs):
        if metric_id not in catalog:
            raise _problem(rule.id, f"unknown metric {metric_id!r}")
    uses_factor = FACTOR_INPUT in (formula_inputs(rule.formula) if rule.formula else ())
    if uses_factor != bool(rule.factor):
        raise _problem(rule.id, f"{FACTOR_INPUT} in the formula needs a factor id, and back")
    if rule.factor and rule.factor not in {f.factor_id for f in factors()}:
        raise _problem(rule.id, f"unknown factor {rule.factor!r}")


@cache
def check_rules() -> dict[str, CheckRule]:
    """All shipped declarative rules by id, in file order; a malformed row stops loading."""
    out: dict[str, CheckRule] = {}
    for row in read_rows("checks.csv"):
        rule = CheckRule(
            id=row["id"],
            type=row["type"],
            severity=row["severity"],
            whole=row["whole"],
            parts=split_list(row["parts"]),
            formula=row["formula"],
            factor=row["factor"],
            tolerance=float(row["tolerance"]) if row["tolerance"] else None,
            explanation=row["explanation"],
            fix=row["fix"],
            spec=row["spec"],
        )
        if rule.id in out:
            raise _problem(rule.id, "the id is used twice")
        _validate(rule)
        out[rule.id] = rule
    return out
