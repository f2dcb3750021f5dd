"""A small workspace for the checks tests, filled through the real import services.

Every test builds just the data its rule needs, so a finding can be pinned down exactly:
entities, activity rows and KPI rows go in as CSV files through the services behind
``esg import`` (validation, batches and audit events included), boundaries through
``create_boundary`` and runs through ``run_calculation``; findings come back through
``run_checks``. (The services, not the CLI, so that each step costs milliseconds: the CLI
itself is tested in ``test_cli.py``.)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from esgledger.calc.options import RunOptions, parse_pins
from esgledger.calc.runs import run_calculation
from esgledger.catalog.instruments import INSTRUMENTS
from esgledger.checks import Finding, run_checks
from esgledger.ledger.activities import import_activities
from esgledger.ledger.boundaries import create_boundary
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.kpis import import_kpis
from tests.factories import ENTITIES, ENTITY_HEADER, write_csv

ROOT = "GRP"
ACTOR = "test"
# a certificate's or PPA's attributes that meet the Scope 2 Quality Criteria (calc.instruments)
# but for the market, which is the entity's country, and its own certificate id
QUALIFYING = {
    "energy_source": "solar",
    "tracking_system": "national register",
    "retired": "yes",
    "attributes_conveyed": "yes",
}
INSTRUMENT_COLUMNS = [*QUALIFYING, "vintage", "market", "certificate_ids"]
ACTIVITY_HEADER = [
    "entity",
    "start",
    "end",
    "activity",
    "quantity",
    "unit",
    "use",
    *INSTRUMENT_COLUMNS,
]
_certificates = itertools.count(1)
KPI_HEADER = [
    "entity",
    "year",
    "metric",
    "value",
    "unit",
    "status",
    "qualifier",
    "preliminary",
    "source",
    "note",
    "restatement_reason",
    "gender",
    "age_band",
    "position",
    "region",
]
_files = itertools.count()


class Workspace:
    """A migrated database plus file writing: ``ws.kpis(...)``, ``ws.activities(...)``…"""

    def __init__(self, db: Database, tmp: Path):
        self.db, self.tmp = db, tmp
        import_entities(db, write_csv(tmp / "entities.csv", ENTITY_HEADER, ENTITIES), actor=ACTOR)

    def _file(self, stem: str) -> Path:
        return self.tmp / f"{stem}-{next(_files)}.csv"

    def kpis(self, *rows: dict[str, Any]) -> dict[str, Any]:
        """KPI rows given as dicts: entity (default the group), year, metric, value, unit…"""
        table = []
        for row in rows:
            full = dict.fromkeys(KPI_HEADER, "")
            full["entity"] = ROOT
            full.update({k: str(v) for k, v in row.items()})
            table.append([full[k] for k in KPI_HEADER])
        path = write_csv(self._file("kpis"), KPI_HEADER, table)
        return import_kpis(self.db, path, actor=ACTOR)

    def activities(self, rows: Iterable[Sequence[object]]) -> None:
        """Activity rows: (entity, year, activity, quantity, unit[, use]) for the whole year
        (the cells of :func:`activity_cells`)."""
        path = write_csv(self._file("activities"), ACTIVITY_HEADER, activity_cells(rows))
        import_activities(self.db, path, actor=ACTOR)

    def boundary(self, code: str, year: int, family: str, *members: str, note: str = "") -> None:
        with self.db.write() as session:
            create_boundary(
                session,
                code=code,
                year=year,
                family=family,
                include=members,
                change_note=note,
                actor=ACTOR,
            )

    def calc(self, year: int, *pins: str, **options: Any) -> dict[str, Any]:
        run = RunOptions(year=year, pins=parse_pins(list(pins)), **options)
        return run_calculation(self.db, run, actor=ACTOR)

    def check(self, year: int, **options: Any) -> list[Finding]:
        with self.db.read() as session:
            return run_checks(session, year, **options)


def activity_cells(rows: Iterable[Sequence[object]]) -> list[list[object]]:
    """The file's cells (``ACTIVITY_HEADER``) of activity rows (entity, year, activity,
    quantity, unit[, use]) for the whole year; a certificate or PPA row gets attributes
    that meet the Scope 2 Quality Criteria and a certificate id of its own."""
    table: list[list[object]] = []
    countries = {row[0]: row[3] for row in ENTITIES}
    for entity, year, activity, quantity, unit, *use in rows:
        start, end = f"{year}-01-01", f"{year}-12-31"
        cells = [entity, start, end, activity, quantity, unit, use[0] if use else ""]
        if activity in INSTRUMENTS:
            number = next(_certificates)
            quality = [*QUALIFYING.values(), str(year), countries[str(entity)], f"C-{number}"]
            table.append([*cells, *quality])
        else:
            table.append([*cells, *[""] * len(INSTRUMENT_COLUMNS)])
    return table


def kpi(metric: str, value: object, unit: str, year: int = 2025, **extra: object) -> dict[str, Any]:
    return {"metric": metric, "value": value, "unit": unit, "year": year, **extra}


def only(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def rules(findings: list[Finding]) -> list[str]:
    return sorted(f.rule for f in findings)
