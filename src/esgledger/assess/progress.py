"""Target progress maths over plain numbers: pathway, met / not met, on track, bounds.

- **Pathway.** With a base year and value, the linear path from (base year, base value) to
  (target year, target value): ``base + (target − base) × (year − base_year) /
  (target_year − base_year)``; the target value from the target year on; nothing before the
  base year. Without a base (a standing target such as "minor injuries ≤ 3‰ every year") the
  pathway is the target value itself.
- **Comparison** of an actual with a threshold under the operator ≤, ≥ or = (``=`` within the
  target's tolerance), respecting the actual's qualifier:
  ``exact`` and ``approximately`` compare the value; ``at_most`` (printed "≤ y": the truth is
  at most y) meets "≤ T" when y ≤ T, fails "≥ T" (and "= T") when y is below it, and is
  otherwise undecidable; ``over`` (printed "over y": the truth exceeds y) mirrors it.
- **Status** compares the actual with the target value: met, not met, or not assessable (no
  value, or a bound that cannot decide). **On track** compares it with the pathway value of
  the same year, in the target's direction.
- **Progress share** (base-year targets, exact actuals): (actual − base) / (target − base),
  1.0 meaning the target is reached.
"""

from __future__ import annotations

from dataclasses import dataclass

from esgledger.errors import InvalidInput

OPERATORS = {"<=": "<=", "≤": "<=", ">=": ">=", "≥": ">=", "=": "=", "==": "="}
QUALIFIERS = ("exact", "approximately", "at_most", "over")
MET, NOT_MET, NOT_ASSESSABLE = "met", "not met", "not assessable"


def operator(text: str) -> str:
    try:
        return OPERATORS[text.strip()]
    except KeyError:
        raise InvalidInput(f"operator must be <=, >= or = (or ≤, ≥), not {text!r}") from None


@dataclass(frozen=True)
class Goal:
    """The numbers of a target, in the target's unit."""

    operator: str
    target_value: float
    target_year: int
    base_year: int | None = None
    base_value: float | None = None
    tolerance: float = 0.0


def pathway(goal: Goal, year: int) -> float | None:
    if goal.base_year is None or goal.base_value is None:
        return goal.target_value
    if year < goal.base_year:
        return None
    if year >= goal.target_year or goal.target_year == goal.base_year:
        return goal.target_value
    share = (year - goal.base_year) / (goal.target_year - goal.base_year)
    return goal.base_value + (goal.target_value - goal.base_value) * share


def _slack(threshold: float) -> float:
    return 1e-9 * max(1.0, abs(threshold))


def satisfies(
    value: float | None, qualifier: str, op: str, threshold: float, tolerance: float = 0.0
) -> bool | None:
    """Whether the actual meets ``op threshold``; None when it cannot be decided."""
    if value is None:
        return None
    if qualifier not in QUALIFIERS:
        raise InvalidInput(f"qualifier must be one of {', '.join(QUALIFIERS)}, not {qualifier!r}")
    eps = _slack(threshold)
    low, high = threshold - tolerance - eps, threshold + tolerance + eps
    if qualifier in ("exact", "approximately"):
        if op == "<=":
            return value <= threshold + eps
        if op == ">=":
            return value >= threshold - eps
        return low <= value <= high
    if qualifier == "at_most":  # truth ≤ value
        if op == "<=":
            return True if value <= threshold + eps else None
        if op == ">=":
            return False if value < threshold - eps else None
        return False if value < low else None
    # over: truth > value
    if op == ">=":
        return True if value >= threshold - eps else None
    if op == "<=":
        return False if value >= threshold - eps else None
    return False if value >= high else None


def status(goal: Goal, value: float | None, qualifier: str = "exact") -> str:
    verdict = satisfies(value, qualifier, goal.operator, goal.target_value, goal.tolerance)
    return NOT_ASSESSABLE if verdict is None else MET if verdict else NOT_MET


def on_track(goal: Goal, year: int, value: float | None, qualifier: str = "exact") -> bool | None:
    path = pathway(goal, year)
    if path is None:
        return None
    return satisfies(value, qualifier, goal.operator, path, goal.tolerance)


def progress_share(goal: Goal, value: float | None, qualifier: str = "exact") -> float | None:
    if value is None or qualifier not in ("exact", "approximately") or goal.base_value is None:
        return None
    if goal.target_value == goal.base_value:
        return None
    return (value - goal.base_value) / (goal.target_value - goal.base_value)


def evaluate(goal: Goal, year: int, value: float | None, qualifier: str = "exact") -> dict:
    """Everything a progress line shows for one year."""
    return {
        "year": year,
        "actual": value,
        "qualifier": qualifier,
        "pathway": pathway(goal, year),
        "on_track": on_track(goal, year, value, qualifier),
        "status": status(goal, value, qualifier),
        "progress_share": progress_share(goal, value, qualifier),
    }
