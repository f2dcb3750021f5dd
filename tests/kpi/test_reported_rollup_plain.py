"""A reported figure from KPI rows built in memory (#20): the group's own value, or its
members' share-weighted sum, without a database. A member's value in a unit that cannot be
converted to the metric's is left out and said so, never counted as 0 silently."""

from __future__ import annotations

from esgledger.catalog import metrics
from esgledger.kpi.reported import rows_figure
from esgledger.kpi.scope import Scope
from tests.checks.plain import ROOT, row

SCOPE = Scope("2025-env", {ROOT: 1.0, "SZ1": 1.0, "WH1": 0.5})
METRIC = metrics()["packaging.plastics"]  # additive, in t


def figure(*rows):  # type: ignore[no-untyped-def]
    return rows_figure({}, METRIC, "", 2025, list(rows), ROOT, SCOPE)


def test_members_share_weighted_in_entity_order() -> None:
    fig = figure(
        row(METRIC.id, 2.0, "t", entity_id="WH1", qualifier="over"),
        row(METRIC.id, 1500.0, "kg", entity_id="SZ1", decimals=0),
        row(METRIC.id, 9.0, "t", entity_id="OUT"),  # outside the boundary
    )
    assert fig is not None
    assert (fig.value, fig.entities, fig.qualifier, fig.partial) == (2.5, 2, "over", False)
    assert fig.note == "sum of 2 entities' values"


def test_the_group_value_is_the_figure() -> None:
    fig = figure(row(METRIC.id, 3.0, "t"), row(METRIC.id, 2.0, "t", entity_id="SZ1"))
    assert fig is not None and (fig.value, fig.source) == (3.0, "reported")


def test_a_member_value_in_another_measure_is_left_out_and_said_so() -> None:
    fig = figure(
        row(METRIC.id, 2.0, "t", entity_id="WH1"),
        row(METRIC.id, 7.0, "person", entity_id="SZ1"),  # carried over in another measure
    )
    assert fig is not None
    assert fig.value == 1.0 and fig.entities == 1
    assert fig.partial
    assert "leaves out 1 entity's value in person (not convertible to t): SZ1" in fig.note


def test_a_group_value_in_another_measure_is_not_available_and_says_why() -> None:
    fig = figure(row(METRIC.id, 7.0, "person"))
    assert fig is not None and fig.value is None
    assert fig.note.startswith("not available: stored in person, not convertible to t")
