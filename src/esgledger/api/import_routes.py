"""Imports over HTTP: entities, activity data and KPI values from an uploaded file.

The upload is stored under its own name in a private temporary folder and handed to the
very function ``esg import …`` calls, so validation, messages and atomicity are the same:
a refused file is a 422 problem listing every row problem, and nothing is stored.
Data owners may import activities only for entities they were granted: the file's
``entity`` column is checked before anything is written. KPI values are figures the request
workflow governs, so their import goes through :mod:`esgledger.workflow.kpi_imports`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile

from esgledger.api import schemas as s
from esgledger.api.deps import WriterDep, as_json, require_some, uploaded
from esgledger.auth.permissions import Principal, can, require
from esgledger.ingest.readers import read_table
from esgledger.ledger.activities import import_activities
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.workflow.kpi_imports import import_kpi_file

router = APIRouter(tags=["imports"])
SUFFIXES = (".csv", ".xlsx", ".parquet")
ERRORS = s.problems(400, 401, 403, 409, 413, 422)

FileField = Annotated[UploadFile, File(description="CSV, XLSX or Parquet file.")]
SheetField = Annotated[str | None, Form(max_length=100, description="XLSX sheet.")]


def _import(
    request: Request,
    write: WriterDep,
    file: UploadFile,
    sheet: str | None,
    *,
    kind: str,
    action: str,
    run: Callable[[Database, Path, str, str | None], dict[str, Any]],
) -> Response:
    user = write.principal()
    require_some(user, action)
    with uploaded(file, suffixes=SUFFIXES) as path:
        if not can(user, action):
            _within_scope(user, action, path, sheet, kind)
        result = run(request.app.state.db, path, user.username, sheet or None)
    return as_json(result)


def _within_scope(user: Principal, action: str, path: Path, sheet: str | None, kind: str) -> None:
    """Refuse (403) a file naming an entity outside the user's grants."""
    frame = read_table(path, sheet=sheet, kind=kind).frame
    if "entity" not in frame.columns:
        return  # the import itself refuses the file with the usual message
    for entity in frame["entity"].drop_nulls().str.strip_chars().unique().sort().to_list():
        require(user, action, entity=entity)


@router.post(
    "/imports/entities",
    summary="Import the organisation tree (id, name, parent, country, subdivision[, kind])",
    response_model=s.EntityImport,
    responses=ERRORS,
)
def import_entities_api(
    request: Request, write: WriterDep, file: FileField, sheet: SheetField = None
) -> Response:
    return _import(
        request,
        write,
        file,
        sheet,
        kind="entities",
        action="entities.write",
        run=lambda db, p, actor, sh: import_entities(db, p, actor=actor, sheet=sh).as_dict(),
    )


@router.post(
    "/imports/activities",
    summary="Import activity data (entity, start, end, activity, quantity, unit, attributes)",
    response_model=s.ActivityImport,
    responses=ERRORS,
)
def import_activities_api(
    request: Request, write: WriterDep, file: FileField, sheet: SheetField = None
) -> Response:
    return _import(
        request,
        write,
        file,
        sheet,
        kind="activities",
        action="activities.write",
        run=lambda db, p, actor, sh: import_activities(db, p, actor=actor, sheet=sh),
    )


@router.post(
    "/imports/kpis",
    summary="Import reported KPI values (entity, year, metric, value, unit, dimensions…)",
    description="ESG managers and admins import into the ledger; a figure with a data request "
    "is refused and changes through its request. A data owner's file enters values into their "
    "own draft or returned requests (as `/requests/upload`), to be submitted and reviewed.",
    response_model=s.KpiImport,
    responses=ERRORS,
)
def import_kpis_api(
    request: Request, write: WriterDep, file: FileField, sheet: SheetField = None
) -> Response:
    user = write.principal()
    require_some(user, "kpis.write")
    with uploaded(file, suffixes=SUFFIXES) as path:
        result = import_kpi_file(request.app.state.db, user, path, sheet=sheet or None)
    return as_json(result)
