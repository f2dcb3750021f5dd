"""Building the demo: write the input files, import them through the real services, create
the boundaries, run the later stages, and summarise what is in the workspace.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from esgledger.catalog import metrics
from esgledger.demo.activity_data import ACTIVITY_HEADER, activity_rows
from esgledger.demo.defects import store_carried_over
from esgledger.demo.files import write_csv, write_xlsx
from esgledger.demo.kpi_data import (
    KPI_HEADER,
    dimension_columns,
    kpi_rows,
    restatement_rows,
    unit_kind,
)
from esgledger.demo.org import (
    BOUNDARIES,
    ENTITY_HEADER,
    REPORT_YEAR,
    ROOT,
    SITES,
    YEARS,
    BoundarySpec,
)
from esgledger.demo.org import entity_rows as org_entity_rows
from esgledger.demo.products import (
    PRODUCT_HEADER,
    SALES_HEADER,
    SALES_YEAR,
    product_rows,
    sales_rows,
)
from esgledger.demo.scope3_stage import import_scope3, write_scope3_inputs
from esgledger.demo.stages import STAGES, DemoContext, Stage, StageReport
from esgledger.demo.supplier_factors import COOLING_COP, COP_FILE, write_cop_file
from esgledger.errors import Conflict, InvalidInput
from esgledger.ingest.readers import read_table
from esgledger.ledger import audit
from esgledger.ledger.activities import import_activities
from esgledger.ledger.boundaries import boundary_dict, create_boundary, list_boundaries
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.factors import import_edition
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.models import ActivityRecord, Entity, KpiValue
from esgledger.ledger.products import import_products
from esgledger.ledger.workspace import init_workspace

ACTOR = "demo"
PRODUCTS_FILE = "products.xlsx"
SALES_FILE = f"product-sales-{SALES_YEAR}.csv"
XLSX_YEAR = YEARS[-1]  # this year's activity file comes as a workbook, to show XLSX import
OnStage = Callable[[str, StageReport], None]


@dataclass
class DemoSummary:
    """What the demo built and where to look."""

    database: str
    inputs: str
    files: list[str]
    entities: int
    entities_by_kind: dict[str, int]
    sites: int
    activity_records: int
    activity_records_by_year: dict[int, int]
    kpi_values: int
    restatements: int
    boundaries: list[dict[str, Any]]
    audit_events: int
    audit_ok: bool
    stages: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def write_inputs(inputs: Path) -> list[Path]:
    """The files a sustainability team would hold, written into ``inputs``."""
    inputs.mkdir(parents=True, exist_ok=True)
    files = [write_csv(inputs / "entities.csv", ENTITY_HEADER, org_entity_rows())]
    for spec in BOUNDARIES:
        if spec.members:
            rows = [{"entity": e, "share": "1"} for e in spec.members]
            files.append(write_csv(inputs / f"boundary-{spec.code}.csv", ("entity", "share"), rows))
    for year in YEARS:
        name = f"activities-{year}"
        if year == XLSX_YEAR:
            files.append(
                write_xlsx(
                    inputs / f"{name}.xlsx", "activities", ACTIVITY_HEADER, activity_rows(year)
                )
            )
        else:
            files.append(write_csv(inputs / f"{name}.csv", ACTIVITY_HEADER, activity_rows(year)))
    files.append(write_cop_file(inputs))
    files.append(write_xlsx(inputs / PRODUCTS_FILE, "products", PRODUCT_HEADER, product_rows()))
    files.append(write_csv(inputs / SALES_FILE, SALES_HEADER, sales_rows()))
    files.extend(write_scope3_inputs(inputs))
    header = (*KPI_HEADER, *dimension_columns())
    for year in YEARS:
        files.append(write_csv(inputs / f"kpis-{year}.csv", header, kpi_rows(year)))
    restated = restatement_rows()
    if restated:
        files.append(write_csv(inputs / "kpis-restatement.csv", header, restated))
    return files


def prepare_dir(out_dir: Path, *, force: bool) -> None:
    """Create ``out_dir``; refuse a non-empty one unless ``force``, which replaces only the
    workspace database and ``inputs/``."""
    if out_dir.exists() and not out_dir.is_dir():
        raise Conflict(f"{out_dir} is a file, not a folder; choose another --out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise Conflict(
            f"{out_dir} is not empty; pass --force to replace its esg.db and inputs/, "
            "or choose another --out"
        )
    for name in ("esg.db", "esg.db-wal", "esg.db-shm", "esg.db-journal", "esg.db.writer-lock"):
        (out_dir / name).unlink(missing_ok=True)
    shutil.rmtree(out_dir / "inputs", ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)


def _members(path: Path) -> dict[str, float]:
    """A boundary member file (columns entity, share), as ``esg boundary create --members``."""
    frame = read_table(path, kind="members").frame
    return {row["entity"].strip(): float(row["share"] or 1) for row in frame.iter_rows(named=True)}


def _import_entities(ctx: DemoContext) -> StageReport:
    summary = import_entities(ctx.db, ctx.inputs / "entities.csv", actor=ctx.actor)
    return {"entities": summary.added}


def _import_factors(ctx: DemoContext) -> StageReport:
    """The cooling supplier's COP: a workspace edition with its source, as a user imports it."""
    summary = import_edition(ctx.db, ctx.inputs / COP_FILE, COOLING_COP, actor=ctx.actor)
    return {summary["edition"]: summary["factors"]}


def _activity_file(inputs: Path, year: int) -> Path:
    return inputs / (f"activities-{year}.xlsx" if year == XLSX_YEAR else f"activities-{year}.csv")


def _import_activities(ctx: DemoContext) -> StageReport:
    report: dict[str, object] = {}
    for year in ctx.years:
        path = _activity_file(ctx.inputs, year)
        summary = import_activities(ctx.db, path, actor=ctx.actor)
        report[path.name] = summary["rows"]
    return report


def _import_products(ctx: DemoContext) -> StageReport:
    """The product catalogue (a workbook) and a year of units sold, for categories 11 and 12."""
    if SALES_YEAR not in ctx.years:
        return {}
    models = import_products(ctx.db, ctx.inputs / PRODUCTS_FILE, actor=ctx.actor)
    sales = import_activities(ctx.db, ctx.inputs / SALES_FILE, actor=ctx.actor)
    return {PRODUCTS_FILE: len(models["added"]), SALES_FILE: sales["rows"]}


def _create_boundary(ctx: DemoContext, spec: BoundarySpec) -> int:
    members = _members(ctx.inputs / f"boundary-{spec.code}.csv") if spec.members else None
    with ctx.db.write() as session:
        boundary = create_boundary(
            session,
            code=spec.code,
            year=spec.year,
            family=spec.family,
            include=spec.include,
            members=members,
            basis=spec.basis,
            change_note=spec.change_note,
            actor=ctx.actor,
        )
        return int(boundary_dict(session, boundary)["members"])


def _create_boundaries(ctx: DemoContext) -> StageReport:
    return {spec.code: _create_boundary(ctx, spec) for spec in BOUNDARIES}


def _import_kpis(ctx: DemoContext) -> StageReport:
    report: dict[str, object] = {}
    for year in ctx.years:
        report[f"kpis-{year}.csv"] = import_kpis(
            ctx.db, ctx.inputs / f"kpis-{year}.csv", actor=ctx.actor
        )["added"]
    restatement = ctx.inputs / "kpis-restatement.csv"
    if restatement.exists():
        report["restated"] = import_kpis(ctx.db, restatement, actor=ctx.actor)["restated"]
    report.update(store_carried_over(ctx.db, actor=ctx.actor))  # a planted defect
    skipped = [m.id for m in metrics().values() if m.kind == "reported" and not unit_kind(m.unit)]
    if skipped:  # a catalog unit the registry cannot read: say so rather than fail the demo
        report["skipped (unknown unit)"] = ", ".join(skipped)
    return report


LEDGER_STAGES: list[tuple[str, Stage]] = [
    ("entities", _import_entities),
    ("factors", _import_factors),
    ("activities", _import_activities),
    ("products", _import_products),
    ("scope3 records", import_scope3),
    ("boundaries", _create_boundaries),
    ("kpis", _import_kpis),
]


def _open(
    target: Database | str | Path, inputs: Path | None, force: bool
) -> tuple[Database, Path, Path | None]:
    """(database, inputs folder, demo folder) for a folder path or an existing workspace."""
    if isinstance(target, Database):
        if inputs is None:
            raise InvalidInput("give inputs_dir: where to write the demo's input files")
        with target.read() as session:
            if session.scalar(select(func.count()).select_from(Entity)):
                raise Conflict(
                    f"{target.display} already holds entities; the demo needs an empty workspace"
                )
        return target, inputs, None
    out_dir = Path(target)
    prepare_dir(out_dir, force=force)
    db, _created = init_workspace(str(out_dir / "esg.db"), actor=ACTOR)
    return db, inputs or out_dir / "inputs", out_dir


def build(
    target: Database | str | Path,
    *,
    inputs_dir: Path | None = None,
    force: bool = False,
    stages: Sequence[tuple[str, Stage]] | None = None,
    on_stage: OnStage | None = None,
    actor: str = ACTOR,
) -> DemoSummary:
    """Build the demo group into a folder (``DIR/esg.db`` + ``DIR/inputs``) or into an
    existing, empty workspace ``Database`` (then ``inputs_dir`` is required).

    ``stages`` defaults to :data:`esgledger.demo.stages.STAGES`; ``on_stage`` is called with
    each stage's name and report as it finishes. Example::

        summary = build(tmp_path / "demo")
        assert summary.entities == 43
    """
    started = time.perf_counter()
    db, inputs, out_dir = _open(target, inputs_dir, force)
    files = write_inputs(inputs)
    ctx = DemoContext(
        db=db,
        inputs=inputs,
        out_dir=out_dir,
        years=YEARS,
        report_year=REPORT_YEAR,
        root=ROOT,
        actor=actor,
    )
    reports = []
    for name, stage in [*LEDGER_STAGES, *(STAGES if stages is None else stages)]:
        report = dict(stage(ctx))
        reports.append({"name": name, "report": report})
        if on_stage:
            on_stage(name, report)
    summary = summarise(db, inputs, files)
    summary.stages = reports
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def summarise(db: Database, inputs: Path, files: list[Path]) -> DemoSummary:
    """Counts read back from the workspace, not from the generator."""
    with db.read() as session:
        kinds = dict(session.execute(select(Entity.kind, func.count()).group_by(Entity.kind)).all())
        by_year: dict[int, int] = {}
        for start, count in session.execute(
            select(ActivityRecord.start, func.count()).group_by(ActivityRecord.start)
        ):
            by_year[start.year] = by_year.get(start.year, 0) + count
        current = session.scalar(
            select(func.count()).select_from(KpiValue).where(KpiValue.is_current)
        )
        restated = session.scalar(
            select(func.count()).select_from(KpiValue).where(KpiValue.restates_id.is_not(None))
        )
        boundaries = [boundary_dict(session, b) for b in list_boundaries(session)]
        check = audit.verify(session)
        sites = session.scalar(select(func.count()).select_from(Entity).where(Entity.id.in_(SITES)))
    return DemoSummary(
        database=db.display,
        inputs=str(inputs),
        files=[f.name for f in files],
        entities=sum(kinds.values()),
        entities_by_kind=dict(sorted(kinds.items())),
        sites=sites or 0,
        activity_records=sum(by_year.values()),
        activity_records_by_year=dict(sorted(by_year.items())),
        kpi_values=current or 0,
        restatements=restated or 0,
        boundaries=boundaries,
        audit_events=check.events,
        audit_ok=check.ok,
    )
