"""The result rows of a run: stored ones, or recomputed bit for bit from the run's inputs.

A large run keeps no row per activity × gas (storing them took longer than the whole
calculation); its input digest and editions pin what it computed. Recomputing reads the same
inputs, runs the same engine with the run's options and checks the digest: the rows are then
those the run summed. If an input changed since (a row voided, an edition added that the
run's rule would now choose), the digest differs and the rows are refused, never guessed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.calc.engine import compute
from esgledger.calc.instruments import electricity_markets, review_instruments
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.runs import (
    digest_version,
    editions_used,
    input_digest,
    load_inputs,
    results_stored,
    stored_results,
    with_scope3,
)
from esgledger.errors import InvalidInput
from esgledger.ledger.models import CalculationResult, CalculationRun

RESULT_COLUMNS = ("activity_id", "coef_id", "quantity", "value", "co2e", "covered", "entity_id")


class LineageChanged(InvalidInput):
    """The inputs of a run without stored rows changed since it ran: its rows are gone."""


def options_of_run(stored: dict[str, Any]) -> RunOptions:
    """The options a run was computed with, from their stored form (``RunOptions.as_dict``)."""
    return RunOptions(
        year=stored["year"],
        boundary=stored["boundary"],
        profile=stored["profile"],
        pins=tuple(tuple(p) for p in stored["pins"]),
        cutoff=dt.date.fromisoformat(stored["as_of"]) if stored["as_of"] else None,
        gwp=stored["gwp"],
        electricity_basis=stored["electricity_basis"],
        strict=stored["strict"],
        energy_coefficients=tuple(tuple(c) for c in stored.get("energy_coefficients", [])),
        extra=stored["extra"],
        edition_rule=stored["edition_rule"],
        cutoff_months=stored["cutoff_months"],
    )


def recomputed_results(session: Session, run: CalculationRun) -> pl.DataFrame:
    """The run's result rows (``RESULT_COLUMNS``, as stored), recomputed from its inputs."""
    options = options_of_run(json.loads(run.options))
    library = FactorLibrary.load(session)
    inputs = load_inputs(session, options)
    # the instruments the run left out (Scope 2 Quality Criteria) cover nothing here either
    markets = electricity_markets(library)
    rows, _review = review_instruments(
        inputs.activities, inputs.entities, options.year, editions=markets
    )
    out = compute(rows, inputs.entities, library, options)
    with_scope3(out, inputs, library, options)  # its factors' editions are in the digest too
    version = digest_version(run)  # a run stored before version 2 is checked with version 1
    if input_digest(inputs, options, editions_used(library, out), version) != run.input_digest:
        raise LineageChanged(
            f"run {run.id} stored no result rows and its inputs changed since it was "
            "calculated (input digest differs), so its rows cannot be recomputed; run "
            f"`esg calc --year {run.year}` again and explain the new run"
        )
    return stored_results(out.results).with_columns(pl.col("quantity", "entity_id").cast(pl.Utf8))


def result_rows(
    session: Session,
    run: CalculationRun,
    quantities: tuple[str, ...],
    entity: str | None = None,
) -> pl.DataFrame:
    """The run's rows of ``quantities`` (of ``entity``), by quantity, activity and coefficient."""
    if results_stored(run):
        stmt = select(*(getattr(CalculationResult, c) for c in RESULT_COLUMNS)).where(
            CalculationResult.run_id == run.id, CalculationResult.quantity.in_(quantities)
        )
        if entity:
            stmt = stmt.where(CalculationResult.entity_id == entity)
        frame = pl.DataFrame(
            session.execute(stmt).all(),
            schema={
                "activity_id": pl.Int64,
                "coef_id": pl.Int32,
                "quantity": pl.Utf8,
                "value": pl.Float64,
                "co2e": pl.Float64,
                "covered": pl.Float64,
                "entity_id": pl.Utf8,
            },
            orient="row",
        )
    else:
        frame = recomputed_results(session, run).filter(pl.col("quantity").is_in(quantities))
        if entity:
            frame = frame.filter(pl.col("entity_id") == entity)
    return frame.select(RESULT_COLUMNS).sort("quantity", "activity_id", "coef_id")
