"""Issue #18: a run's ``run:N`` data digest is taken from the frames it inserts, not by reading
back the rows it has just written (a million issue rows at 10⁷ activity rows). It must be the
digest a fresh read of the stored rows gives (what ``esg audit verify --deep`` recomputes),
on SQLite and PostgreSQL, also for awkward text and floats; a frame that cannot be spelled
with certainty (NaN, -0.0) is left to the read-back."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.calc.run_rows import insert_digested
from esgledger.ledger import digests
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent, CalculationRun
from tests.calc.workspace import calc_runner, year_row
from tests.conftest import Cli
from tests.ledger.test_digest_queries import slow_digest

AWKWARD_TEXT = ['a"b', "back\\slash", "new\nline\r", "tab\t", "\x01\x1f", "é 中文 😀", "", "x" * 64]
AWKWARD_FLOATS = [0.1 + 0.2, 1e-05, 1e16, 1.5e300, 5e-324, -123456789.125, 2.0, 1 / 3]


def _run_payload(db: Database) -> dict[str, Any]:
    with db.read() as session:
        payload = session.scalars(
            select(AuditEvent.payload).where(AuditEvent.action == "calc.run")
        ).one()
    [data] = json.loads(payload)["data"]
    return dict(data)


def test_a_runs_digest_from_its_frames_is_the_digest_of_its_stored_rows(
    cli: Cli, db: Database, tmp_path: Path
) -> None:
    run = calc_runner(cli, tmp_path)
    out = run(
        [
            year_row("SZ", "electricity.purchased", 1234.5678, "MWh"),
            year_row("CD", "fuel.diesel", 12.25, "t"),
            year_row("VN1", "fuel.diesel", 0.1 + 0.2, "t"),
            # no factor in Vietnam: issue rows
            year_row("VN1", "fuel.natural_gas", 5.0, "10^4 m3", use="stationary_commercial"),
        ],
        expect=None,
    )
    recorded = _run_payload(db)
    with db.read() as session:
        fresh = slow_digest(session, digests.run_scope(out["run_id"]))
    assert recorded == fresh
    tables = recorded["tables"]
    for table in ("calculation_coefficients", "calculation_results", "calculation_issue_groups"):
        assert tables[table][0] > 0, table  # each table holds rows, so the test means something


def _new_run(session: Session) -> int:
    """An empty stored run, for rows to point at."""
    run = CalculationRun(
        actor="t", year=2024, profile="default", options="{}", editions="{}",
        input_digest="", totals="{}", activity_rows=0, unresolved=0,
    )  # fmt: skip
    session.add(run)
    session.flush()
    return run.id


def _results(run_id: int, covered: list[float | None]) -> pl.DataFrame:
    """Result rows with awkward text and floats (the first CO2e null)."""
    rows = len(AWKWARD_FLOATS)
    return pl.DataFrame(
        {
            "run_id": [run_id] * rows,
            "activity_id": list(range(rows)),
            "entity_id": AWKWARD_TEXT,
            "coef_id": list(range(rows)),
            "quantity": ["scope2_market"] * rows,
            "value": AWKWARD_FLOATS,
            "co2e": [None, *AWKWARD_FLOATS[1:]],
            "covered": covered,
        },
        schema_overrides={"covered": pl.Float64},
    )


def test_awkward_text_and_floats_digest_like_their_read_back(db: Database) -> None:
    known: digests.Known = {}
    rows = len(AWKWARD_TEXT)
    with db.write() as session:
        run_id = _new_run(session)
        issues = pl.DataFrame(
            {
                "run_id": [run_id] * rows,
                "activity_id": list(range(10**12, 10**12 + rows)),
                "entity_id": AWKWARD_TEXT,
                "activity": ["" if i % 3 == 0 else "fuel.diesel" for i in range(rows)],
                "quantity": ["scope1"] * rows,
                "reason": list(reversed(AWKWARD_TEXT)),
            }
        )
        results = _results(run_id, [None] * rows)
        not_certain = results.with_columns(
            pl.Series("value", [-0.0, *AWKWARD_FLOATS[1:]]),
            pl.Series("co2e", [math.nan, *AWKWARD_FLOATS[1:]]),
        )
        insert_digested(session, "calculation_issues", issues, known)
        insert_digested(session, "calculation_results", results, known)
        spelled = dict(known)
        insert_digested(session, "calculation_results", not_certain, known)
        assert known == spelled, "a frame with -0.0 or NaN is left to the read-back"
        stored = digests.digest(session, digests.run_scope(run_id))["tables"]
    assert spelled["calculation_issues"] == stored["calculation_issues"]
    assert spelled["calculation_issues"][0] == rows
    # the digest of the results read back covers both frames: the spelled one alone differs
    assert stored["calculation_results"][0] == 2 * rows


def test_a_frames_digest_equals_the_read_back_of_the_same_rows(db: Database) -> None:
    known: digests.Known = {}
    with db.write() as session:
        run_id = _new_run(session)
        insert_digested(
            session, "calculation_results", _results(run_id, [*AWKWARD_FLOATS[:-1], None]), known
        )
        stored = digests.digest(session, digests.run_scope(run_id))["tables"]
    assert known["calculation_results"] == stored["calculation_results"]
    assert stored["calculation_results"][0] == len(AWKWARD_FLOATS)
