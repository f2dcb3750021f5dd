"""Issue #18: `esg calc` over a year larger than ``ESG_CALC_CHUNK_ROWS`` runs on the chunked
path (whole entities a chunk at a time, the input digest over a streamed pass) and stores
the run the in-memory path stores: the same figures to the bit, the same digest, editions,
coefficients and issues, and `esg calc explain` recomputes the same rows.

The demo's entities and 2024 activity file are imported on each backend; a chunk of 150
rows splits its 2,000-odd rows into many chunks and stream batches. Scope 3 is computed a
chunk of entities at a time too (its lines merged into one pass's order): the demo's 2025
(purchases, freight, travel, waste, product sales) gives the same lines, categories and
unresolved rows as the in-memory run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import select, text

from esgledger.calc import runs
from esgledger.calc.columnar_read import activity_batches, read_activities, rows_per_entity
from esgledger.calc.implied import IMPLIED_KEY
from esgledger.calc.issue_groups import GROUP_SCHEMA, listed_issues
from esgledger.calc.scope3.engine import scope3_parts
from esgledger.demo.activity_data import ACTIVITY_HEADER, activity_rows
from esgledger.demo.files import write_csv, write_xlsx
from esgledger.demo.org import ENTITY_HEADER, entity_rows
from esgledger.demo.products import (
    PRODUCT_HEADER,
    SALES_HEADER,
    SALES_YEAR,
    product_rows,
    sales_rows,
)
from esgledger.ledger.db import Database
from esgledger.ledger.issue_models import CalculationIssueGroup
from esgledger.ledger.models import CalculationCoefficient, CalculationRun
from tests.calc.demo_year import NAME, YEAR, fill_demo_year
from tests.calc.scope3.workspace import HEADER, row
from tests.conftest import Cli
from tests.factories import write_csv as write_rows
from tests.filled import filled_db

CHUNK_ROWS = "150"


FILLS: dict[str, tuple[str, Callable[[Database, Path], None]]] = {}  # fixture → (name, fill)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """As the suite's ``db``; for a test of a year in the ledger, a copy of the workspace
    its fill made once per run, where each test imported the same files (#20)."""
    for fixture, (name, fill) in FILLS.items():
        if fixture in request.fixturenames:
            yield from filled_db(request, tmp_path, name, fill)
            return
    yield request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


@pytest.fixture
def demo_year(cli: Cli) -> Cli:
    """A copy of the workspace :func:`~tests.calc.demo_year.fill_demo_year` filled."""
    return cli


FILLS["demo_year"] = (NAME, fill_demo_year)


def calc(cli: Cli, year: int = YEAR) -> dict[str, Any]:
    """``esg calc --json``: exit 1, the demo's water and waste rows have no factor."""
    return json.loads(cli("calc", "--year", str(year), "--json", expect=1).stdout)


GROUP_FRAME = {"id": pl.Int64, "run_id": pl.Int64, **GROUP_SCHEMA}


def stored(db: Database, run_id: int) -> tuple[dict[str, Any], list[tuple], list[tuple]]:
    """A run's stored totals, coefficient rows and issue rows, without ids of its own."""
    with db.read() as session:
        totals = json.loads(session.get(CalculationRun, run_id).totals)
        coefs = sorted(
            tuple(v for k, v in vars(c).items() if k not in ("_sa_instance_state", "run_id"))
            for c in session.scalars(
                select(CalculationCoefficient).where(CalculationCoefficient.run_id == run_id)
            )
        )
        groups = session.execute(
            select(*CalculationIssueGroup.__table__.c).where(CalculationIssueGroup.run_id == run_id)
        ).all()
        # every unresolved row listed from its group (#18: stored a group at a time)
        issues = (
            listed_issues(pl.DataFrame([g._asdict() for g in groups], schema=GROUP_FRAME))
            .select("activity_id", "entity_id", "quantity", "reason")
            .rows()
        )
    return totals, coefs, [tuple(i) for i in issues]


@pytest.mark.parametrize("boundary", [False, True], ids=["all-entities", "boundary"])
def test_esg_calc_in_chunks_stores_the_in_memory_run(
    demo_year: Cli, db: Database, monkeypatch: pytest.MonkeyPatch, boundary: bool
) -> None:
    if boundary:  # rows of entities outside the boundary are in the year, not in the run
        args = ("--year", str(YEAR), "--family", "energy_ghg", "--include", "PSD")
        demo_year("boundary", "create", "2024-ghg", *args, "--exclude", "WH")
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "0")  # in memory
    whole = calc(demo_year)
    monkeypatch.setenv("ESG_CALC_LINEAGE_ROWS", "0")  # in memory, keeping no result rows
    rowless = calc(demo_year)
    monkeypatch.delenv("ESG_CALC_LINEAGE_ROWS")
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", CHUNK_ROWS)
    chunked = calc(demo_year)
    assert chunked["activity_rows"] == whole["activity_rows"] > 10 * int(CHUNK_ROWS)
    wuhan = [e for e in whole["by_entity"] if e.startswith("WH")]
    assert bool(wuhan) is not boundary and chunked["boundary"] == whole["boundary"]
    for part in ("totals", "by_entity", "by_gas", "by_activity", "scope3", "unresolved"):
        assert chunked[part] == whole[part], part  # == on floats: the same bits
    assert whole["totals"]["scope2_market_tco2e"] > 0 and whole["scope3"]["by_category"]
    assert chunked["incomplete"] and chunked["incomplete_figures"] == whole["incomplete_figures"]
    assert chunked["editions"] == whole["editions"]
    assert chunked["input_digest"] == whole["input_digest"]  # streamed, the same bytes hashed
    chunked_totals, chunked_coefs, chunked_issues = stored(db, chunked["run_id"])
    whole_totals, whole_coefs, whole_issues = stored(db, whole["run_id"])
    assert chunked_coefs == whole_coefs and chunked_issues == whole_issues != []
    # no row per activity × gas was ever gathered: the run's rows are recomputed on demand
    assert chunked_totals.pop("lineage") == "recomputed" and "lineage" not in whole_totals
    # the factor checks' sums, added up chunk by chunk: those of the run in memory (#18)
    rowless_totals, _, _ = stored(db, rowless["run_id"])
    kept = chunked_totals.pop(IMPLIED_KEY)
    assert kept == rowless_totals[IMPLIED_KEY] and all(kept.values()), kept
    assert chunked_totals == whole_totals

    def explained(run_id: int) -> dict[str, Any]:
        args = ("calc", "explain", "--run", str(run_id), "--entity", "SZ-BA", "--json")
        return json.loads(demo_year(*args).stdout)

    figures = explained(chunked["run_id"])["figures"]
    assert figures == explained(whole["run_id"])["figures"] and figures


def test_a_year_within_the_chunk_size_runs_in_memory(
    demo_year: Cli, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "100000")
    run = calc(demo_year)
    totals, _, _ = stored(db, run["run_id"])
    assert "lineage" not in totals  # result rows stored: the in-memory path ran


def fill_demo_sales_year(db: Database, folder: Path) -> None:
    """The demo's entities, product models and 2025 rows: Scope 3 in most categories."""
    cli = Cli(db)
    cli("import", "entities", str(write_csv(folder / "e.csv", ENTITY_HEADER, entity_rows())))
    products = write_xlsx(folder / "p.xlsx", "products", PRODUCT_HEADER, product_rows())
    cli("import", "products", str(products))
    for name, header, rows in (
        ("a.csv", ACTIVITY_HEADER, activity_rows(SALES_YEAR)),
        ("s.csv", SALES_HEADER, sales_rows()),
    ):
        cli("import", "activities", str(write_csv(folder / name, header, rows)))
    cli("import", "activities", str(write_rows(folder / "g.csv", HEADER, purchases())))


@pytest.fixture
def demo_sales_year(cli: Cli) -> Cli:
    """A copy of the workspace :func:`fill_demo_sales_year` filled."""
    return cli


FILLS["demo_sales_year"] = ("calc_demo_sales_year", fill_demo_sales_year)


def purchases() -> list[list[Any]]:
    """Monthly purchases with the NAICS code the demo's rows lack, entities interleaved in
    id order (a group's rows lie far apart), some with the supplier's footprint (two
    methods: two lines of one group)."""
    sites = ["WH-P1", "SZ-BA", "VN-P1", "HZ-P1", "DE", "US", "BR-P1"]
    rows = []
    for i in range(42):
        site, naics = sites[i % len(sites)], ("327310", "331110")[i % 2]
        supplier = {"supplier_kgco2e": "500"} if site in ("SZ-BA", "DE") else {}
        cells = row(site, SALES_YEAR, "spend.purchased_goods", 1000 + 37 * i, "USD", **supplier,
                    naics=naics)  # fmt: skip
        month = 1 + i // 14
        cells[1:3] = [f"{SALES_YEAR}-{month:02d}-01", f"{SALES_YEAR}-{month:02d}-28"]
        rows.append(cells)
    return rows


def scope3_lines(db: Database, run_id: int) -> list[tuple[Any, ...]]:
    """A run's stored Scope 3 lines in their order, without the run's id."""
    query = text(
        "SELECT position, category, entity_id, activity, method, used, tco2e, detail"
        " FROM calculation_scope3_lines WHERE run_id = :run ORDER BY position"
    )
    with db.read() as session:
        return [tuple(r) for r in session.execute(query, {"run": run_id})]


def test_scope3_in_chunks_of_entities_is_the_in_memory_scope3(
    demo_sales_year: Cli, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "0")
    whole = calc(demo_sales_year, SALES_YEAR)
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", CHUNK_ROWS)
    sizes: dict[str, list[int]] = {"whole": [], "batches": [], "scope3": []}

    def recorded(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        """``real`` (the real function), the rows of what it returns or is given counted."""

        def call(*args: Any, **kwargs: Any) -> Any:
            if name == "scope3":
                sizes[name].append(args[0].height)
            result = real(*args, **kwargs)
            if name == "whole":
                sizes[name].append(result.height)
            return counted(result) if name == "batches" else result

        def counted(batches: Iterator[Any]) -> Iterator[Any]:
            for batch in batches:
                sizes[name].append(batch.height)
                yield batch

        return call

    monkeypatch.setattr(runs, "read_activities", recorded("whole", read_activities))
    monkeypatch.setattr(runs, "activity_batches", recorded("batches", activity_batches))
    monkeypatch.setattr(runs, "scope3_parts", recorded("scope3", scope3_parts))
    chunked = calc(demo_sales_year, SALES_YEAR)
    # bounded: the year read once, a chunk at a time; Scope 3 given a chunk of entities at a
    # time (at most a chunk of rows, or one entity's rows when it has more)
    with db.read() as session:
        largest = max(rows_per_entity(session, SALES_YEAR).values())
    assert largest < whole["activity_rows"] / 10 and sizes["whole"] == []
    assert sum(sizes["batches"]) == whole["activity_rows"]
    assert max(sizes["batches"]) <= int(CHUNK_ROWS)
    assert len(sizes["scope3"]) > 10 and max(sizes["scope3"]) <= max(int(CHUNK_ROWS), largest)
    assert sum(sizes["scope3"]) == whole["activity_rows"]
    assert chunked["activity_rows"] == whole["activity_rows"] > 10 * int(CHUNK_ROWS)
    for part in ("totals", "by_entity", "by_gas", "by_activity", "scope3", "unresolved"):
        assert chunked[part] == whole[part], part  # == on floats: the same bits
    categories = whole["scope3"]["by_category"]
    calculated = [k for k, c in categories.items() if c["status"] == "calculated"]
    assert {"cat1", "cat11", "cat12"} <= set(calculated), calculated
    assert whole["totals"]["scope3_tco2e"] > 0
    assert chunked["input_digest"] == whole["input_digest"]
    lines = scope3_lines(db, chunked["run_id"])
    assert lines == scope3_lines(db, whole["run_id"]) and len(lines) > 20
    assert len({line[2] for line in lines}) > 3  # lines of many entities, so many chunks
    chunked_totals, chunked_coefs, chunked_issues = stored(db, chunked["run_id"])
    whole_totals, whole_coefs, whole_issues = stored(db, whole["run_id"])
    assert chunked_issues == whole_issues and chunked_coefs == whole_coefs
    chunked_totals.pop("lineage")
    assert all(chunked_totals.pop(IMPLIED_KEY).values())  # kept: no result rows stored
    assert chunked_totals == whole_totals

    def explained(run_id: int) -> dict[str, Any]:
        args = ("calc", "explain", "--run", str(run_id), "--metric", "ghg.scope3", "--json")
        return json.loads(demo_sales_year(*args).stdout)

    figures = explained(chunked["run_id"]) | {"run_id": None}
    assert figures == explained(whole["run_id"]) | {"run_id": None} and figures["rows"]


@pytest.fixture
def store_sales_year(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The demo's 2025 (Scope 3 in most categories) kept in the activity store alone, in
    three import batches, no ledger row in the year."""
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store"))  # needed on PostgreSQL
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, entity_rows())))
    products = write_xlsx(tmp_path / "p.xlsx", "products", PRODUCT_HEADER, product_rows())
    cli("import", "products", str(products))
    files = (
        write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, activity_rows(SALES_YEAR)),
        write_csv(tmp_path / "s.csv", SALES_HEADER, sales_rows()),
        write_rows(tmp_path / "g.csv", HEADER, purchases()),
    )
    for path in files:
        cli("import", "activities", str(path), "--store")
    return cli


def test_a_store_only_year_in_chunks_is_the_spilled_and_in_memory_run(
    store_sales_year: Cli, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#15: a year in the store alone whose import batches each fit in a chunk is read from
    the store's files (no temporary Parquet); one whose batch is larger than a chunk goes
    through the spill. Both store the in-memory run: digest, figures, Scope 3 lines, rows."""
    from esgledger.calc.spill import SpilledYear
    from esgledger.calc.store_year import StoreYear
    from esgledger.ledger.activity_store import largest_batch

    reads: dict[str, int] = {"store": 0, "spill": 0}

    def counted(name: str, real: Callable[..., pl.DataFrame]) -> Callable[..., pl.DataFrame]:
        def chunk(self: Any, entities: list[str]) -> pl.DataFrame:
            reads[name] += 1
            return real(self, entities)

        return chunk

    monkeypatch.setattr(StoreYear, "chunk", counted("store", StoreYear.chunk))
    monkeypatch.setattr(SpilledYear, "chunk", counted("spill", SpilledYear.chunk))
    with db.read() as session:
        largest = largest_batch(session, SALES_YEAR)
        year_rows = sum(rows_per_entity(session, SALES_YEAR).values())
    assert 0 < largest < year_rows  # a chunk can hold every batch and not the year
    runs_by_path: dict[str, dict[str, Any]] = {}
    for path, chunk_rows in (("memory", 0), ("store", largest), ("spill", largest // 3)):
        monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", str(chunk_rows))
        before = dict(reads)
        runs_by_path[path] = calc(store_sales_year, SALES_YEAR)
        took = {name: reads[name] - before[name] for name in reads}
        if path == "memory":
            assert took == {"store": 0, "spill": 0}
        else:  # only the path named read chunks, and several
            other = "spill" if path == "store" else "store"
            assert took[other] == 0 and took[path] > 1, (path, took)
    whole = runs_by_path.pop("memory")
    assert whole["totals"]["scope3_tco2e"] > 0 and whole["activity_rows"] == year_rows
    whole_lines = scope3_lines(db, whole["run_id"])
    whole_totals, whole_coefs, whole_issues = stored(db, whole["run_id"])
    assert len(whole_lines) > 20
    for path, run in runs_by_path.items():
        for part in ("input_digest", "activity_rows", "totals", "by_entity", "by_gas",
                     "by_activity", "scope3", "unresolved"):  # fmt: skip
            assert run[part] == whole[part], (path, part)  # == on floats: the same bits
        assert scope3_lines(db, run["run_id"]) == whole_lines, path
        totals, coefs, issues = stored(db, run["run_id"])
        assert (coefs, issues) == (whole_coefs, whole_issues), path
        totals.pop("lineage")
        assert all(totals.pop(IMPLIED_KEY).values()), path  # kept: no result rows stored
        assert totals == whole_totals, path
