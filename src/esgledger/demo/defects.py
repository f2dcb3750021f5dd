"""Planted data-quality defects: the demo's data carry a few known errors, each one a published
report really had (SYSTEM.md §7), so that `esg check` and the demo's checks stage have
something real to find — and the tests can prove it is found.

Everything else in the demo stays consistent: these are the only intended defects. The KPI
generator (:func:`esgledger.demo.kpi_data.kpi_rows`) passes each year's rows through
:func:`apply_kpi_defects`; :func:`store_carried_over` adds the one value the KPI import would
refuse (a unit of another dimension), as data carried over from the prior edition arrive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from esgledger.catalog import dimensions, metrics
from esgledger.demo.org import ROOT, YEARS
from esgledger.ledger.batches import close_batch
from esgledger.ledger.db import Database
from esgledger.ledger.models import ImportBatch, KpiValue


@dataclass(frozen=True)
class PlantedDefect:
    """A defect the demo plants on purpose, and the check that must find it."""

    rule: str
    year: int
    metric: str
    description: str


NH3N_OVER_TN = 1.15  # NH3-N printed 15 % above the total nitrogen that contains it
WASTEWATER_EXTRA_T = 1850.0  # domestic wastewater with a late meter reading the discharge lacks
AGE_BAND_SHORT = 120  # people left out of one age band
AGE_BAND = "31-40"
UNIT_YEAR = YEARS[0]
DISTRIBUTOR_TRAINING = "distributor.training"
PERSON_TIMES_PER_DISTRIBUTOR = 23  # what turns the person-times into a count of distributors

PLANTED: tuple[PlantedDefect, ...] = (
    PlantedDefect(
        "part.nh3n_le_tn", YEARS[1], "wastewater.nh3_n", "ammonia nitrogen above total nitrogen"
    ),
    PlantedDefect(
        "sum.wastewater_volumes",
        YEARS[0],
        "water.discharge.total",
        "industrial + domestic wastewater do not add up to the total discharge",
    ),
    PlantedDefect(
        "unit.changed",
        UNIT_YEAR,
        DISTRIBUTOR_TRAINING,
        "distributor training counted in distributors, not person-times",
    ),
    PlantedDefect(
        "sum.breakdown",
        YEARS[-1],
        "workforce.headcount",
        f"the age-band breakdown is {AGE_BAND_SHORT} people short of the headcount",
    ),
)


def _plain(row: dict[str, str], metric: str) -> bool:
    """The group's total row of ``metric`` (no breakdown)."""
    return (
        row["metric"] == metric
        and row["entity"] == ROOT
        and not any(row.get(d) for d in dimensions())
    )


def _shift(rows: Iterable[dict[str, str]], metric: str, change: float, **dims: str) -> None:
    """Add ``change`` to the group row of ``metric`` (with ``dims``), keeping its decimals."""
    for row in rows:
        if row["metric"] != metric or row["entity"] != ROOT or not row["value"]:
            continue
        if any(row.get(d, "") != dims.get(d, "") for d in dimensions()):
            continue
        decimals = len(row["value"].split(".")[1]) if "." in row["value"] else 0
        row["value"] = f"{float(row['value']) + change:.{decimals}f}"


def apply_kpi_defects(year: int, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The year's KPI rows with the planted defects in (metrics the catalog lacks are skipped)."""
    rows = [dict(r) for r in rows]
    if year == YEARS[1]:
        # PLANTED DEFECT: NH3-N above TN (SYSTEM.md §7 class 4), found by part.nh3n_le_tn.
        tn = next((r for r in rows if _plain(r, "wastewater.tn") and r["value"]), None)
        nh3n = next((r for r in rows if _plain(r, "wastewater.nh3_n") and r["value"]), None)
        if tn is not None and nh3n is not None:
            nh3n["value"] = f"{float(tn['value']) * NH3N_OVER_TN:.2f}"
    if year == YEARS[0]:
        # PLANTED DEFECT: industrial + domestic wastewater ≠ total discharge (class 2), found by
        # sum.wastewater_volumes.
        _shift(rows, "wastewater.domestic", WASTEWATER_EXTRA_T)
    if year == UNIT_YEAR:
        # PLANTED DEFECT (part 1): the year's distributor training leaves the KPI file; it
        # arrives as carried-over data in another unit (store_carried_over).
        rows = [
            r for r in rows if not (r["metric"] == DISTRIBUTOR_TRAINING and r["entity"] == ROOT)
        ]
    if year == YEARS[-1]:
        # PLANTED DEFECT: one age band short, so the breakdown ≠ headcount (class 2/4), found
        # by sum.breakdown.
        _shift(rows, "workforce.headcount", -AGE_BAND_SHORT, age_band=AGE_BAND)
    return rows


def carried_over_value() -> float:
    """The distributors trained in the first year, as the prior edition printed them."""
    from esgledger.demo.kpi_data import kpi_model  # the generator imports this module

    person_times = kpi_model().rounded(DISTRIBUTOR_TRAINING, UNIT_YEAR)
    return float(round(person_times / PERSON_TIMES_PER_DISTRIBUTOR))


def store_carried_over(db: Database, *, actor: str) -> dict[str, object]:
    """PLANTED DEFECT (part 2), found by unit.changed (SYSTEM.md §7 class 6): the first year's
    distributor training carried over from the prior edition, which counted distributors
    (``count``) where the catalog and the other years count person-times. The KPI import
    refuses such a unit, so it is stored as carried-over data are: one batch, one audit event.
    """
    metric = metrics().get(DISTRIBUTOR_TRAINING)
    if metric is None or metric.kind != "reported":
        return {}
    value = carried_over_value()
    source = f"Sustainability report {UNIT_YEAR} as published (prior edition, carried over)"
    with db.write() as session:
        batch = ImportBatch(
            kind="kpis",
            source=source,
            sha256=hashlib.sha256(
                f"{DISTRIBUTOR_TRAINING}|{UNIT_YEAR}|{value}".encode()
            ).hexdigest(),
            rows=1,
            actor=actor,
        )
        session.add(batch)
        session.flush()
        session.add(
            KpiValue(
                entity_id=ROOT,
                year=UNIT_YEAR,
                metric_id=DISTRIBUTOR_TRAINING,
                value=value,
                unit="count",
                source=source,
                note="Distributors trained (the prior edition counted distributors)",
                batch_id=batch.id,
            )
        )
        session.flush()
        close_batch(
            session, batch, actor=actor, summary={"added": 1, "restated": [], "unchanged": 0}
        )
    return {"carried over": f"{DISTRIBUTOR_TRAINING} {UNIT_YEAR} ({value:g} count)"}
