"""Writing and importing the demo's Scope 3 records (:mod:`scope3_data`) through the same
services a user calls: the purchase ledgers, travel and freight logs as activity imports,
the report year's screening as a screening import."""

from __future__ import annotations

from pathlib import Path

from esgledger.demo.files import write_csv
from esgledger.demo.org import YEARS
from esgledger.demo.scope3_data import (
    FREIGHT_HEADER,
    PURCHASE_HEADER,
    SCREENING_HEADER,
    TRAVEL_HEADER,
    freight_rows,
    purchase_rows,
    screening_rows,
    travel_rows,
)
from esgledger.demo.stages import DemoContext, StageReport
from esgledger.ledger.activities import import_activities
from esgledger.ledger.scope3_screening import import_screening

LOGS = (
    ("purchases", PURCHASE_HEADER, purchase_rows),
    ("travel", TRAVEL_HEADER, travel_rows),
    ("freight", FREIGHT_HEADER, freight_rows),
)


def write_scope3_inputs(inputs: Path) -> list[Path]:
    """A purchase ledger, travel log, freight log and screening per year."""
    files = []
    for year in YEARS:
        files += [
            write_csv(inputs / f"{name}-{year}.csv", header, rows(year))
            for name, header, rows in LOGS
        ]
        files.append(
            write_csv(inputs / screening_file(year), SCREENING_HEADER, screening_rows(year))
        )
    return files


def screening_file(year: int) -> str:
    return f"scope3-screening-{year}.csv"


def import_scope3(ctx: DemoContext) -> StageReport:
    """Import each year's logs and screening."""
    report: dict[str, object] = {}
    for year in ctx.years:
        for name, _header, _rows in LOGS:
            path = ctx.inputs / f"{name}-{year}.csv"
            report[path.name] = import_activities(ctx.db, path, actor=ctx.actor)["rows"]
        name = screening_file(year)
        screening = import_screening(ctx.db, ctx.inputs / name, year=year, actor=ctx.actor)
        report[name] = screening["rows"]
    return report
