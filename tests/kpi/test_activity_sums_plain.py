"""Activity-metric figures from a year's activity sums built in memory: no database (#20).

A KPI table asks for every activity metric in turn; the sums keep their keys by activity
once, so a metric reads only its own activity's entries instead of every key of the year
(80,000 keys at 10,000 entities, a few hundred metrics) (#18).
"""

from __future__ import annotations

from esgledger.catalog import metrics
from esgledger.kpi.calculated import ActivitySums, activity_figure, entity_activity_values
from esgledger.kpi.scope import Scope


def _sums(entries: dict[tuple[str, str], list[tuple[str, float]]]) -> ActivitySums:
    sums = ActivitySums()
    for key, parts in entries.items():
        sums[key].extend(parts)
    return sums


ENTRIES = {
    ("electricity.purchased", "SZ1"): [("MWh", 1.5), ("kWh", 250.0)],
    ("fuel.diesel", "SZ1"): [("t", 2.0)],
    ("electricity.purchased", "WH1"): [("MWh", 0.25)],
    ("electricity.purchased", "GZ1"): [("m3", 7.0)],  # not energy: left out, and said so
}


def _metric(activity: str) -> str:
    return next(m.id for m in metrics().values() if m.calc_key == f"activity:{activity}")


class CountingSums(ActivitySums):
    """Counts the passes over every key of the year."""

    passes = 0

    def items(self):  # type: ignore[no-untyped-def]
        CountingSums.passes += 1
        return super().items()


def test_each_activity_metric_reads_only_its_activity() -> None:
    sums = CountingSums()
    for key, parts in ENTRIES.items():
        sums[key].extend(parts)
    metric = metrics()[_metric("electricity.purchased")]
    for _ in range(5):
        entity_activity_values(sums, metric)
    entity_activity_values(sums, metrics()[_metric("fuel.diesel")])
    assert CountingSums.passes == 1


def test_indexed_sums_give_what_plain_sums_give() -> None:
    for activity in ("electricity.purchased", "fuel.diesel"):
        metric = metrics()[_metric(activity)]
        indexed = entity_activity_values(_sums(ENTRIES), metric)
        assert indexed == entity_activity_values(dict(ENTRIES), metric)
    values, skipped = entity_activity_values(
        _sums(ENTRIES), metrics()[_metric("electricity.purchased")]
    )
    assert skipped == {"m3"}
    assert set(values) == {"SZ1", "WH1"}
    assert values["WH1"] > 0


def test_an_activity_without_records_is_not_available_never_zero() -> None:
    metric = metrics()[_metric("fuel.diesel")]
    only_power = _sums({k: v for k, v in ENTRIES.items() if k[0] != "fuel.diesel"})
    figure = activity_figure(metric, 2025, Scope("B", {"SZ1": 1.0}), only_power)
    assert figure.value is None
    assert figure.note.startswith("not available")
    shared = activity_figure(metric, 2025, Scope("B", {"SZ1": 0.5}), _sums(ENTRIES))
    assert shared.value is not None and shared.entities == 1


def test_a_metrics_entity_values_are_worked_out_once() -> None:
    """The KPI table and like-for-like both ask for an activity metric's per-entity values
    (84 + 56 times for a three-year series): the second ask gets the first answer (#18)."""
    sums = _sums(ENTRIES)
    metric = metrics()[_metric("electricity.purchased")]
    first = entity_activity_values(sums, metric)
    assert entity_activity_values(sums, metric) is first
    assert first == entity_activity_values(dict(ENTRIES), metric)
