"""Switching the edition rule or the report cut-off between years is a methodology change
(factors-cn.md §2): the validator flags it like any other method option."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, only


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    workspace = Workspace(db, tmp_path)
    workspace.activities([("SZ1", y, "fuel.diesel", 10, "t", "stationary") for y in (2024, 2025)])
    return workspace


@pytest.mark.parametrize(
    ("option", "before", "after"),
    [("edition_rule", "latest_published_as_of", "matching_data_year"), ("cutoff_months", 4, 6)],
)
def test_a_changed_edition_rule_or_cutoff_is_a_method_change(
    ws: Workspace, option: str, before: object, after: object
) -> None:
    ws.calc(2024, **{option: before})
    ws.calc(2025, **{option: after})
    (found,) = only(ws.check(2025, claims={}), "factor.method_changed")
    assert (found.dims, found.expected, found.found) == (
        {"option": option},
        str(before),
        str(after),
    )
