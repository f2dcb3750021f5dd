"""Calculation runs in the ledger: read inputs in one query, compute, store results and lineage.

A run is never changed after it is stored. Recalculating (with a new edition, say) makes a
new run; comparing runs shows what a restatement would change.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from esgledger.calc.chunked import compute_chunked, entity_chunks, streamed_csv
from esgledger.calc.column_digest import column_parts
from esgledger.calc.columnar_read import (
    ACTIVITY_SCHEMA,
    activity_batches,
    as_text,
    read_activities,
    rows_per_entity,
    store_chunks,
)
from esgledger.calc.engine import EngineOutput, compute
from esgledger.calc.implied import (
    IMPLIED_ACTIVITIES,
    IMPLIED_KEY,
    IMPLIED_SPECS,
    ImpliedTally,
    implied_at_calculation,
)
from esgledger.calc.instruments import (
    ClaimTally,
    InstrumentReview,
    electricity_markets,
    merge_instruments,
    review_instruments,
)
from esgledger.calc.issue_groups import grouped_issues, issue_counts
from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions, edition_rule_of
from esgledger.calc.pinning import check_pin_series, pin_refusal
from esgledger.calc.rejected_groups import GROUPS as REJECTED_GROUPS
from esgledger.calc.rejected_groups import grouped_rejections
from esgledger.calc.rejected_instruments import TABLE as REJECTED_INSTRUMENTS
from esgledger.calc.rejected_instruments import (
    first_page,
    instruments_summary,
    read_page,
    rejected_frame,
    stored_block,
)
from esgledger.calc.resolution_notes import resolution_notes
from esgledger.calc.rollup import incomplete_figures
from esgledger.calc.run_rows import insert_digested
from esgledger.calc.scope3 import compute_scope3
from esgledger.calc.scope3.engine import Scope3Parts, finish_scope3, merge_parts, scope3_parts
from esgledger.calc.scope3.output import merge_scope3, scope3_summary, with_screening_gaps
from esgledger.calc.scope3.stored_lines import TABLE as SCOPE3_LINES
from esgledger.calc.scope3.stored_lines import lines_frame
from esgledger.calc.spill import SpilledYear
from esgledger.calc.store_year import StoreYear
from esgledger.errors import Contention, EsgError, InvalidInput, NotFound
from esgledger.faults import fault_point
from esgledger.ledger import audit, digests
from esgledger.ledger.audit import canonical_json
from esgledger.ledger.boundaries import get_boundary, member_shares, year_boundary
from esgledger.ledger.db import Database
from esgledger.ledger.models import (
    AuditEvent,
    CalculationRun,
    Entity,
)
from esgledger.ledger.products import load_products
from esgledger.ledger.run_totals import stored_totals
from esgledger.ledger.scope3_screening import screening_of
from esgledger.settings import get_settings


class CalculationIncomplete(EsgError):
    """``--strict``: some activities had no factor, so no run was stored."""


@dataclass(frozen=True)
class RunInputs:
    boundary: str | None
    entities: pl.DataFrame
    activities: pl.DataFrame
    screening: list[dict[str, Any]] = field(default_factory=list)  # the year's Scope 3 screening
    products: dict[str, Any] = field(default_factory=dict)  # models of categories 11 and 12
    # a chunked run (``in_chunks``): ``activities`` holds no row, the year's rows are
    # counted here and the input digest was taken in a streamed pass
    rows: int | None = None
    digest: str | None = None

    @property
    def activity_rows(self) -> int:
        """The activity rows of the run, whether held here or read chunk by chunk."""
        return self.activities.height if self.rows is None else self.rows


def load_inputs(session: Session, options: RunOptions, *, with_rows: bool = True) -> RunInputs:
    """The run's inputs in this session's snapshot; without ``with_rows`` no activity row
    (a chunked run reads them a chunk of entities at a time)."""
    boundary = (
        get_boundary(session, options.boundary)
        if options.boundary
        else year_boundary(session, options.year, "energy_ghg")
    )
    if boundary is not None and boundary.year != options.year:
        raise InvalidInput(f"boundary {boundary.code!r} is for {boundary.year}, not {options.year}")
    # sorted here, not by the database: its collation and a restore's row order differ
    entity_rows = sorted(
        session.execute(select(Entity.id, Entity.country, Entity.subdivision)).all(),
        key=lambda e: e.id,
    )
    shares = member_shares(session, boundary) if boundary else {e.id: 1.0 for e in entity_rows}
    entities = pl.DataFrame(
        [(e.id, e.country, e.subdivision, shares[e.id]) for e in entity_rows if e.id in shares],
        schema={
            "entity_id": pl.Utf8,
            "country": pl.Utf8,
            "subdivision": pl.Utf8,
            "share": pl.Float64,
        },
        orient="row",
    )
    # read as columns in this session's snapshot; Python row objects cost more than the engine;
    # the texts as codes, read once for every reader of the run's rows
    activities = (
        read_activities(session, options.year, coded=True).filter(
            pl.col("entity_id").is_in(entities["entity_id"].to_list())
        )
        if with_rows
        else pl.DataFrame(schema=ACTIVITY_SCHEMA)
    )
    screening = screening_of(session, options.year)
    return RunInputs(
        boundary.code if boundary else None,
        entities,
        activities,
        screening=screening,
        products=load_products(session),
    )


DIGEST_ROWS = 1_000_000  # activity rows printed as CSV at a time for the input digest
# the input digest's version a new run takes (``calc.column_digest``); a run stored with
# another keeps it in its options under DIGEST_VERSION_KEY, and one without the key took 1
DIGEST_VERSION = 2
DIGEST_VERSIONS = (1, 2)
DIGEST_VERSION_KEY = "input_digest_version"


def input_digest(
    inputs: RunInputs,
    options: RunOptions,
    editions: dict[str, str],
    version: int = DIGEST_VERSION,
) -> str:
    """One hash over every input that determines the numbers, in the layout of ``version``
    (1: the activity rows' CSV; 2: their columns' bytes, ``calc.column_digest``)."""
    rows = inputs.activities
    parts = csv_parts(rows) if version == 1 else column_parts(_slices(rows, DIGEST_ROWS))
    return digest_over(inputs, options, editions, parts, version)


def _slices(rows: pl.DataFrame, batch_rows: int) -> Iterator[pl.DataFrame]:
    for offset in range(0, rows.height, batch_rows):
        yield rows.slice(offset, batch_rows)


def digest_version(run: CalculationRun) -> int:
    """The input digest version a stored run took (1 for runs stored before versions)."""
    version = json.loads(run.options).get(DIGEST_VERSION_KEY, 1)
    return int(version)


def stored_options(options: RunOptions, version: int) -> str:
    """A run's options as stored: version 1 adds nothing, so its runs are stored as before."""
    marker = {} if version == 1 else {DIGEST_VERSION_KEY: version}
    return canonical_json({**options.as_dict(), **marker})


def csv_parts(rows: pl.DataFrame, batch_rows: int = DIGEST_ROWS) -> Iterator[bytes]:
    """The bytes of ``rows.write_csv()`` in parts of ``batch_rows`` rows: each value is
    written alone, so the parts add up to the one CSV; at 10⁷ rows that CSV was 770 MB of
    text and as much again encoded, held at once beside the run's frames."""
    yield rows.clear().write_csv().encode()  # the header
    for offset in range(0, rows.height, batch_rows):
        # written as bytes: a text would be decoded from them and encoded again
        buffer = io.BytesIO()
        rows.slice(offset, batch_rows).write_csv(buffer, include_header=False, float_precision=None)
        yield buffer.getvalue()


def digest_over(
    inputs: RunInputs,
    options: RunOptions,
    editions: dict[str, str],
    activity_parts: Iterable[bytes],
    version: int = DIGEST_VERSION,
) -> str:
    """``input_digest`` with the activity rows' bytes given in parts (version 1: their CSV,
    a streamed pass hashing the same bytes as one CSV of every row; version 2: the part of
    ``calc.column_digest``)."""
    if version not in DIGEST_VERSIONS:
        raise InvalidInput(f"input digest version {version}: this esgledger knows 1 and 2")
    h = hashlib.sha256()
    if version != 1:
        h.update(f"esgledger input digest {version}\n".encode())
    h.update(
        canonical_json(
            {"options": options.as_dict(), "editions": editions, "boundary": inputs.boundary}
        ).encode()
    )
    h.update(inputs.entities.sort("entity_id").write_csv().encode())
    for part in activity_parts:
        h.update(part)
    if inputs.screening:  # only then: the digests of runs without a screening stay as they were
        h.update(canonical_json(inputs.screening).encode())
    if inputs.products:  # only then: digests of runs without product models stay as they were
        h.update(repr(sorted((k, sorted(v.items())) for k, v in inputs.products.items())).encode())
    return h.hexdigest()


RECOMPUTED = "recomputed"  # a run's stored ``lineage``: its result rows are not stored


def results_stored(run: CalculationRun) -> bool:
    """Whether the run stored a result row per activity × gas (else they are recomputed)."""
    return bool(stored_totals(run.totals).get("lineage") != RECOMPUTED)


def editions_used(library: FactorLibrary, out: EngineOutput) -> dict[str, str]:
    """Edition → content digest of every edition a factor of the run came from."""
    return {
        e: library.edition_digests[e]
        for e in sorted({library.by_id[f].edition for f in out.factors_used if f in library.by_id})
    }


def stored_results(results: pl.DataFrame) -> pl.DataFrame:
    """Result rows as stored: NULL, not NaN, for "no CO2e" and "no instrument share"."""
    return results.with_columns(pl.col("co2e", "covered").fill_nan(None))


def _check_pins(library: FactorLibrary, options: RunOptions) -> None:
    for series, edition in options.pins:
        if library.editions.get(edition) is None:
            raise InvalidInput(
                f"--pin {series}={edition}: unknown edition; `esg factors list` lists them"
            )
        if library.editions[edition] != series:
            raise InvalidInput(
                f"--pin {series}={edition}: that edition belongs to series "
                f"{library.editions[edition]!r}"
            )
        check_pin_series(series, edition)


def unresolved_summary(out: EngineOutput) -> list[dict[str, Any]]:
    """Unresolved activities grouped by (activity, quantity, reason), with counts and entities
    (grouped in Polars: a Python loop took seconds at a hundred thousand unresolved rows)."""
    keys = ["activity", "quantity", "reason"]
    grouped = (
        out.unresolved.group_by(keys)
        .agg(
            pl.len().cast(pl.Int64).alias("rows"),
            pl.col("entity_id").cast(pl.Utf8).unique().sort().alias("entities"),
        )
        .with_columns(pl.col(keys).cast(pl.Utf8))  # a chunked run's codes: sorted as texts
        .sort(keys)
    )
    return grouped.select(*keys, "rows", "entities").to_dicts()


ATTEMPTS = 3  # computations against a ledger that keeps changing before we give up


def ledger_head(session: Session) -> tuple[int, str] | None:
    """The newest audit event: every write of a calculation input appends one."""
    row = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (row.id, row.hash) if row else None


ENGINES = ("local", "spark")


def run_engine(
    engine: str,
    activities: pl.DataFrame,
    entities: pl.DataFrame,
    library: FactorLibrary,
    options: RunOptions,
    *,
    per_row: bool = True,
    leave_out: pl.Series | None = None,
) -> EngineOutput:
    """The chosen engine's output; every engine gives the same figures. Without ``per_row``
    the local engine makes no result row and takes the factor checks' sums in its pass
    (``calc.implied_pass``; a run that will not store result rows keeps them instead).
    The local engine leaves out the rows whose id is in ``leave_out`` (only it takes them)."""
    if engine == "local":
        return compute(
            activities,
            entities,
            library,
            options,
            per_row=per_row,
            implied=not per_row,
            leave_out=leave_out,
        )
    if leave_out is not None:
        raise InvalidInput(f"--engine {engine!r} takes the reviewed rows, not ids to leave out")
    if engine == "spark":
        from esgledger.calc.spark.engine import compute_spark  # pyspark: an optional extra

        # Spark takes the texts, not the in-memory read's codes
        return compute_spark(as_text(activities), entities, library, options)
    raise InvalidInput(f"--engine {engine!r}: use one of {', '.join(ENGINES)}")


def with_scope3(
    out: EngineOutput, inputs: RunInputs, library: FactorLibrary, options: RunOptions
) -> list[dict[str, Any]]:
    """Scope 3 of the inputs' rows merged into the engine's output; returns its lines, which
    are stored in their own table (``stored_lines``), not in the totals."""
    scope3 = compute_scope3(
        inputs.activities,
        inputs.entities,
        library,
        options,
        screening=inputs.screening,
        products=inputs.products,
    )
    merge_scope3(out, scope3)
    return scope3.lines


def computed_in_memory(
    inputs: RunInputs, library: FactorLibrary, options: RunOptions, engine: str = "local"
) -> tuple[pl.DataFrame, EngineOutput, list[dict[str, Any]]]:
    """A year held in memory computed in ``esg calc``'s order of steps: the instruments
    reviewed, the engine's pass, the review merged, Scope 3 added. Returns the reviewed rows,
    the output and the Scope 3 lines. The tests' runs computed without a database
    (``tests/kpi/plain_runs.py``) take it too, so they cannot drift from the stored ones."""
    markets = electricity_markets(library)
    # the local engine leaves the rejected instruments out itself: no filtered copy
    local = engine == "local"
    rows, review = review_instruments(
        inputs.activities, inputs.entities, options.year, editions=markets, leave_rows=local
    )
    # a run over more rows than it stores result rows for makes none
    per_row = inputs.activity_rows <= get_settings().calc_lineage_rows
    leave_out = review.rejected["activity_id"] if local else None
    out = run_engine(
        engine, rows, inputs.entities, library, options, per_row=per_row, leave_out=leave_out
    )
    merge_instruments(out, review, inputs.entities)
    return rows, out, with_scope3(out, inputs, library, options)


def totals_of(out: EngineOutput, rejected_grouped: bool = True) -> dict[str, Any]:
    """A run's totals as stored, but for the marks of a run that keeps no result rows
    (``_store_run`` adds them); the tests' runs computed in memory take the same shape."""
    return {
        "totals": out.totals,
        "by_entity": out.by_entity,
        "by_gas": out.by_gas,
        "by_activity": out.by_activity,
        # readers of the stored totals (KPIs, checks, the report) see the flag too
        "incomplete": out.unresolved.height > 0 or bool(out.scope3.get("screening_gaps")),
        "incomplete_figures": with_screening_gaps(incomplete_figures(out.unresolved), out.scope3),
        "scope3": out.scope3,
        **(
            {"scope2_instruments": stored_block(out.instruments, rejected_grouped)}
            if out.instruments
            else {}
        ),
    }


def in_chunks(
    session: Session,
    library: FactorLibrary,
    options: RunOptions,
    engine: str,
    version: int = DIGEST_VERSION,
) -> tuple[RunInputs, EngineOutput, list[dict[str, Any]], dict[str, Any]] | None:
    """The run over a year of more than ``ESG_CALC_CHUNK_ROWS`` rows, never holding them all:
    the year read once in id order and set down by chunk (``calc.spill``; a year in the
    activity store alone is read from its files instead, ``calc.store_year``), Scope 1/2 and
    Scope 3 a chunk of whole entities at a time (``calc.chunked``; Scope 3 keeps a line per
    row group), the input digest over the rows again in id order; all in this session's
    snapshot; with the implied sums of the factor checks, added up chunk by chunk
    (``calc.implied``). None when the year fits in memory (or on Spark, which splits the rows
    itself)."""
    chunk_rows = get_settings().calc_chunk_rows
    if engine != "local" or not chunk_rows:
        return None
    counts = rows_per_entity(session, options.year)
    if sum(counts.values()) <= chunk_rows:
        return None
    inputs = load_inputs(session, options, with_rows=False)
    members = set(inputs.entities["entity_id"].to_list())
    counts = {e: n for e, n in counts.items() if e in members}
    parts: list[Scope3Parts] = []
    implied = ImpliedTally()
    with tempfile.TemporaryDirectory(prefix="esg-calc-") as folder:
        chunks = entity_chunks(counts, chunk_rows)
        # criterion 2 counts the whole year's certificate ids before any chunk is reviewed
        claims = ClaimTally(counts)
        year_rows: SpilledYear | StoreYear
        if StoreYear.fits(session, options.year, chunk_rows):  # read from the store's files
            year_rows = StoreYear(session, options.year, chunk_rows)
            year_rows.count_claims(claims)
        else:  # one read of the ledger, then the activity store's files a chunk at a time
            year_rows = SpilledYear(Path(folder), chunks, chunk_rows)
            ledger_rows = activity_batches(session, options.year, chunk_rows, store=False)
            year_rows.write(claims.watch(ledger_rows))
            year_rows.write(claims.watch(store_chunks(session, options.year, chunks)))
        review = InstrumentReview(claims=claims)
        out = _chunked_run(
            year_rows, counts, chunk_rows, inputs, library, options, parts, review, implied
        )
        merge_instruments(out, review, inputs.entities)
        scope3 = finish_scope3(merge_parts(parts), library, inputs.screening)
        merge_scope3(out, scope3)
        if version == 1:
            digested: Iterable[bytes] = streamed_csv(year_rows.batches(), members)
        else:
            kept = list(members)
            digested = column_parts(
                b.filter(pl.col("entity_id").is_in(kept)) for b in year_rows.batches()
            )
        digest = digest_over(inputs, options, editions_used(library, out), digested, version)
    counted = replace(inputs, rows=sum(counts.values()), digest=digest)
    return counted, out, scope3.lines, implied.sums()


def _chunked_run(
    spilled: SpilledYear | StoreYear,
    counts: dict[str, int],
    chunk_rows: int,
    inputs: RunInputs,
    library: FactorLibrary,
    options: RunOptions,
    parts: list[Scope3Parts],
    review: InstrumentReview,
    implied: ImpliedTally,
) -> EngineOutput:
    """Scope 1/2 of the spilled chunks; each chunk's Scope 3 parts added to ``parts``, its
    instruments' review to ``review`` (a chunk holds whole entities: their electricity and
    their instruments together)."""

    def scope3_of(rows: pl.DataFrame) -> None:
        if rows.height:
            parts.append(scope3_parts(rows, inputs.entities, library, options, inputs.products))

    markets = electricity_markets(library)

    def reviewed(entity_ids: list[str]) -> pl.DataFrame:
        chunk = spilled.chunk(entity_ids)
        rows, found = review_instruments(
            chunk, inputs.entities, options.year, review.claims, markets
        )
        review.extend(found)
        results = _implied_results(inputs, rows, library, options)
        if results is not None:
            implied.add(chunk, results)
        return rows

    return compute_chunked(
        reviewed, counts, chunk_rows, inputs.entities, library, options, on_chunk=scope3_of
    )


def run_calculation(
    db: Database,
    options: RunOptions,
    *,
    actor: str,
    engine: str = "local",
    digest_version: int = DIGEST_VERSION,
    rejected_grouped: bool = True,
) -> dict[str, Any]:
    """Compute and store one run; with ``strict``, refuse to store a run with unresolved rows.
    ``digest_version`` chooses the input digest's layout (``DIGEST_VERSION`` unless a run
    must be digested as runs of an older esgledger were); without ``rejected_grouped`` the
    rejected instruments are stored a row each, as runs before ``0034_calc7`` were.

    The computation reads one state of the ledger and holds no lock; only storing the run is
    a (short) write. If another command wrote in between, the inputs may have changed, so
    the run is computed again; after ``ATTEMPTS`` tries it gives up with ``Contention``.
    """
    for _ in range(ATTEMPTS):
        with db.read() as session:
            seen = ledger_head(session)
            library = FactorLibrary.load(session)
            _check_pins(library, options)
            # None: in memory
            computed = in_chunks(session, library, options, engine, digest_version)
            if computed is None:
                inputs = load_inputs(session, options)
        if computed is None:
            rows, out, lines = computed_in_memory(inputs, library, options, engine)
            implied = (
                None
                if out.per_row and inputs.activity_rows <= get_settings().calc_lineage_rows
                else _implied(inputs, rows, out, library, options, engine)
            )
        else:
            inputs, out, lines, implied = computed
        unresolved = unresolved_summary(out)
        refusal = pin_refusal(
            library, options.pins, ((u["activity"], u["quantity"]) for u in unresolved)
        )
        if refusal:
            raise InvalidInput(refusal)
        if options.strict and unresolved:
            raise _incomplete(out, unresolved)
        fault_point("calc.computed")
        with db.write() as session:
            if ledger_head(session) == seen:
                return _store_run(
                    session,
                    inputs,
                    out,
                    library,
                    options,
                    unresolved,
                    actor,
                    lines,
                    implied,
                    digest_version,
                    rejected_grouped,
                )
    raise Contention(
        f"the ledger changed while the {options.year} calculation was computed, {ATTEMPTS} "
        "times; no run was stored; run `esg calc` again when the other writers have finished"
    )


def _implied(
    inputs: RunInputs,
    reviewed: pl.DataFrame,
    out: EngineOutput,
    library: FactorLibrary,
    options: RunOptions,
    engine: str,
) -> dict[str, list[float] | None]:
    """The factor checks' sums of a run that keeps no result rows (``calc.implied``): those
    the local engine took in its one pass (``run_engine``), else (Spark) from the result rows
    of their activities computed again."""
    if out.implied is not None:
        return out.implied
    if engine == "local":
        return implied_at_calculation(inputs.activities, out.results)
    results = _implied_results(inputs, reviewed, library, options)
    if results is None:
        return dict.fromkeys(IMPLIED_SPECS)
    return implied_at_calculation(inputs.activities, results)


def _implied_results(
    inputs: RunInputs, reviewed: pl.DataFrame, library: FactorLibrary, options: RunOptions
) -> pl.DataFrame | None:
    """The engine's result rows of the reviewed rows of the three activities the factor
    checks' sums read; None, without an engine pass, when there is no such row (a chunk of
    purchase lines only)."""
    subset = reviewed.filter(pl.col("activity").is_in(sorted(IMPLIED_ACTIVITIES)))
    if subset.is_empty():
        return None
    return compute(subset, inputs.entities, library, options).results


def _incomplete(out: EngineOutput, unresolved: list[dict[str, Any]]) -> CalculationIncomplete:
    lines = [
        f"{u['activity']} ({u['quantity']}): {u['reason']} — {u['rows']} rows"
        for u in unresolved[:50]
    ]
    return CalculationIncomplete(
        "\n".join(
            [
                *lines,
                f"--strict: {out.unresolved.height} activity results unresolved; no run was stored",
            ]
        )
    )


def _store_run(
    session: Session,
    inputs: RunInputs,
    out: EngineOutput,
    library: FactorLibrary,
    options: RunOptions,
    unresolved: list[dict[str, Any]],
    actor: str,
    scope3_lines: list[dict[str, Any]],
    implied: dict[str, list[float] | None] | None = None,
    version: int = DIGEST_VERSION,
    rejected_grouped: bool = True,
) -> dict[str, Any]:
    """The run, its results, coefficients, issues, Scope 3 lines and rejected instruments
    (a group at a time, ``calc.rejected_groups``), and its audit event: one write.

    A run over more than ``ESG_CALC_LINEAGE_ROWS`` activity rows (or computed on Spark)
    stores no result rows: its digest and editions let `esg calc explain` recompute them
    bit for bit, and its totals keep the sums the factor checks read (``implied``).
    """
    editions = editions_used(library, out)
    keep_rows = out.per_row and inputs.activity_rows <= get_settings().calc_lineage_rows
    run = CalculationRun(
        actor=actor,
        year=options.year,
        boundary_code=inputs.boundary or "",
        profile=options.profile,
        options=stored_options(options, version),
        editions=canonical_json(editions),
        input_digest=inputs.digest or input_digest(inputs, options, editions, version),
        totals=canonical_json(
            {
                **totals_of(out, rejected_grouped),
                # only when set: the stored totals (and digests) of other runs stay as they were
                **({} if keep_rows else {"lineage": RECOMPUTED}),
                **({IMPLIED_KEY: implied} if implied is not None and not keep_rows else {}),
            }
        ),
        activity_rows=inputs.activity_rows,
        unresolved=out.unresolved.height,
    )
    session.add(run)
    session.flush()
    tables = [("calculation_coefficients", out.coefficients)]
    if keep_rows:
        tables.append(("calculation_results", stored_results(out.results)))
    # one row per group of unresolved rows, their ids kept (``issue_groups``)
    tables.append(("calculation_issue_groups", grouped_issues(out.unresolved)))
    known: digests.Known = {}  # the digests of the tables written, taken from their frames
    for table, frame in tables:
        with_run = frame.with_columns(pl.lit(run.id, dtype=pl.Int64).alias("run_id"))
        insert_digested(session, table, with_run, known)
    if scope3_lines:
        insert_digested(session, SCOPE3_LINES, lines_frame(scope3_lines, run.id), known)
    if out.rejected_instruments.height and rejected_grouped:
        groups = grouped_rejections(out.rejected_instruments, run.id)
        insert_digested(session, REJECTED_GROUPS, groups, known)
    elif out.rejected_instruments.height:
        frame = rejected_frame(out.rejected_instruments, run.id)
        insert_digested(session, REJECTED_INSTRUMENTS, frame, known)
    summary = run_summary(
        run,
        unresolved,
        resolution_notes(session, run, library),
        stored_totals(run.totals),
        rejected=first_page(out.rejected_instruments),
    )
    digests.touch(session, digests.run_scope(run.id), known)
    audit.record(
        session,
        actor=actor,
        action="calc.run",
        subject=f"run:{run.id}",
        payload={
            k: summary[k]
            for k in ("year", "boundary", "profile", "input_digest", "totals", "editions")
        },
    )
    summary["excess_instruments"] = out.excess_instruments
    return summary


def stored_unresolved(session: Session, run: CalculationRun) -> list[dict[str, Any]]:
    """The unresolved summary of a stored run, grouped as at calculation time."""
    groups: dict[tuple[str, str, str], Counter[str]] = {}
    for activity, quantity, reason, entity, rows in issue_counts(session, run.id):
        groups.setdefault((activity, quantity, reason), Counter())[entity] += rows
    return [
        {"activity": a, "quantity": q, "reason": r, "rows": sum(c.values()), "entities": sorted(c)}
        for (a, q, r), c in sorted(groups.items())
    ]


def run_summary(
    run: CalculationRun,
    unresolved: list[dict[str, Any]] | None = None,
    notes: list[str] | None = None,
    stored: Mapping[str, Any] | None = None,
    *,
    rejected: list[dict[str, Any]] | None = None,
    rejected_offset: int = 0,
) -> dict[str, Any]:
    """What ``esg calc`` prints of a run; ``stored``: its totals as parsed from the run's
    text, when the caller has them; ``rejected``: the page of rejected instruments listed
    (from ``rejected_offset``), else the first page is read from the run's session."""
    stored = stored_totals(run.totals) if stored is None else stored
    instruments = stored.get("scope2_instruments") or {}
    if instruments and rejected is None:
        session = object_session(run)
        rejected = read_page(session, run, instruments, offset=rejected_offset) if session else []
    options = json.loads(run.options)
    return {
        "run_id": run.id,
        "year": run.year,
        "boundary": run.boundary_code or None,
        "profile": run.profile,
        "options": options,
        "edition_rule": edition_rule_of(options, run.year),
        "resolution_notes": notes,  # None: not looked up (run lists)
        "created_at": run.created_at.isoformat(),
        "input_digest": run.input_digest,
        "editions": json.loads(run.editions),
        "activity_rows": run.activity_rows,
        "totals": stored["totals"],
        "by_entity": stored["by_entity"],
        "by_gas": stored["by_gas"],
        "by_activity": stored.get("by_activity", {}),
        "unresolved": unresolved if unresolved is not None else [],
        "unresolved_rows": run.unresolved,
        # a run with unresolved rows has totals that are short: every reader must say so
        "incomplete": run.unresolved > 0 or bool(stored.get("scope3", {}).get("screening_gaps")),
        "incomplete_figures": stored.get("incomplete_figures", []),
        "scope3": scope3_summary(stored.get("scope3")),
        "scope2_instruments": instruments_summary(instruments, rejected or [], rejected_offset),
    }


def get_run(session: Session, run_id: int) -> CalculationRun:
    run = session.get(CalculationRun, run_id)
    if run is None:
        raise NotFound(f"unknown run {run_id}; `esg calc runs` lists them")
    return run


def list_runs(session: Session, *, year: int | None = None) -> list[CalculationRun]:
    stmt = select(CalculationRun).order_by(CalculationRun.id)
    if year:
        stmt = stmt.where(CalculationRun.year == year)
    return list(session.scalars(stmt))
