"""Switching the edition rule or the report cut-off between years is a methodology change
(factors-cn.md §2): the validator flags it like any other method option."""

from __future__ import annotations

import pytest

from tests.checks.plain import PlainWorkspace
from tests.checks.workspace import only


@pytest.fixture
def ws() -> PlainWorkspace:
    """Runs computed in memory (:mod:`tests.kpi.plain_runs`, #20)."""
    workspace = PlainWorkspace()
    workspace.activities([("SZ1", y, "fuel.diesel", 10, "t", "stationary") for y in (2024, 2025)])
    return workspace


@pytest.mark.parametrize(
    ("option", "before", "after"),
    [("edition_rule", "latest_published_as_of", "matching_data_year"), ("cutoff_months", 4, 6)],
)
def test_a_changed_edition_rule_or_cutoff_is_a_method_change(
    ws: PlainWorkspace, option: str, before: object, after: object
) -> None:
    ws.calc(2024, **{option: before})
    ws.calc(2025, **{option: after})
    (found,) = only(ws.check(2025, claims={}), "factor.method_changed")
    assert (found.dims, found.expected, found.found) == (
        {"option": option},
        str(before),
        str(after),
    )
