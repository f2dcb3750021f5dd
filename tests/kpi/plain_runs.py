"""Activity rows and calculation runs held in memory (#20): no database, the real parts.

Activity rows go through the import's own validation (``validate_activities``: the stored
columns, attributes as stored), ids in import order. A run is ``esg calc``'s own pass over
them (``calc.runs.computed_in_memory``: instrument review, Scope 1/2, Scope 3), kept as it
stores it: its totals (``calc.runs.totals_of``), options and editions as the stored run's
text, the counts and rows of what it left unresolved, and its result rows with their
records (what the factor checks read). The rules' tests give these to the KPI table and the
checks as plain inputs;
``tests/checks/test_read_layer.py`` holds a stored run to the one computed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from esgledger.calc.columnar_read import ACTIVITY_SCHEMA
from esgledger.calc.implied import RUN_ROWS_SCHEMA
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.runs import (
    DIGEST_VERSION,
    RunInputs,
    computed_in_memory,
    editions_used,
    stored_options,
    stored_results,
    totals_of,
)
from esgledger.ingest.activities import validate_activities
from esgledger.ingest.readers import Table
from esgledger.kpi.scope import Scope
from esgledger.kpi.unresolved import Unresolved, counted_unresolved
from esgledger.ledger.audit import canonical_json
from esgledger.ledger.models import CalculationRun

ENTITY_SCHEMA = {
    "entity_id": pl.Utf8,
    "country": pl.Utf8,
    "subdivision": pl.Utf8,
    "share": pl.Float64,
}


def activity_rows(
    header: Sequence[str],
    cells: Iterable[Sequence[object]],
    first_id: int,
    entities: Collection[str],
) -> pl.DataFrame:
    """One import's rows as stored (``ACTIVITY_SCHEMA``), ids from ``first_id`` on."""
    frame = pl.DataFrame(
        [[str(c) for c in row] for row in cells], schema=list(header), orient="row"
    )
    valid = validate_activities(Table(frame, "activities.csv", ""), known_entities=entities)
    ids = pl.int_range(first_id, first_id + valid.height, dtype=pl.Int64)
    return valid.with_columns(ids.alias("id")).select(list(ACTIVITY_SCHEMA)).cast(ACTIVITY_SCHEMA)


def entity_frame(entities: Iterable[Sequence[str]], scope: Scope) -> pl.DataFrame:
    """The run's entities (id, country, subdivision as imported, share) of ``scope``."""
    rows = [
        (e[0], e[3], e[4].upper() or None, scope.shares[e[0]])
        for e in sorted(entities, key=lambda e: e[0])
        if e[0] in scope.shares
    ]
    return pl.DataFrame(rows, schema=ENTITY_SCHEMA, orient="row")


@dataclass(frozen=True)
class PlainRun:
    """A run as the read layer hands it over: the stored run, the counts of its unresolved
    results (None when it left none), its issues (activity id, quantity, reason) by activity
    id, and its result rows with their records (``RUN_ROWS_SCHEMA``)."""

    run: CalculationRun
    unresolved: Unresolved | None
    issues: list[tuple[int, str, str]]
    rows: pl.DataFrame


def computed_run(
    ident: int,
    options: RunOptions,
    activities: pl.DataFrame,
    entities: pl.DataFrame,
    *,
    boundary: str | None = None,
    library: FactorLibrary | None = None,
    created_at: dt.datetime | None = None,
) -> PlainRun:
    """``esg calc``'s run ``ident`` of ``options.year`` over the live ``activities`` of the
    year and of ``entities`` (the boundary's members with their shares), with ``library``
    (the shipped editions by default)."""
    library = library or FactorLibrary.load()
    members = entities["entity_id"].to_list()
    year = activities.filter(
        (pl.col("start").dt.year() == options.year) & pl.col("entity_id").is_in(members)
    ).sort("id")
    _, out, _ = computed_in_memory(RunInputs(boundary, entities, year), library, options)
    run = CalculationRun(
        id=ident,
        created_at=created_at or dt.datetime(2026, 1, 1),
        actor="test",
        year=options.year,
        boundary_code=boundary or "",
        profile=options.profile,
        options=stored_options(options, DIGEST_VERSION),
        editions=canonical_json(editions_used(library, out)),
        input_digest="",
        totals=canonical_json(totals_of(out)),
        activity_rows=year.height,
        unresolved=out.unresolved.height,
    )
    issues = out.unresolved.sort("activity_id", maintain_order=True)
    counts = issues.group_by("activity", "quantity", maintain_order=True).len()
    records = year.select(
        pl.col("id").alias("activity_id"), "activity", "unit", pl.col("quantity").alias("amount")
    )
    results = stored_results(out.results).select(
        "activity_id", pl.col("quantity").cast(pl.Utf8), "value", "co2e"
    )
    return PlainRun(
        run,
        counted_unresolved(ident, counts.iter_rows()) if issues.height else None,
        list(issues.select("activity_id", "quantity", "reason").iter_rows()),
        records.join(results, on="activity_id").select(list(RUN_ROWS_SCHEMA)),
    )
