"""Collection templates: one XLSX per owner or entity that a business unit fills offline.

The ``kpis`` sheet is a KPI import file: columns ``entity, year, metric, value, unit``, the
breakdown columns, ``status``, ``note`` and ``restatement_reason``, exactly as
``esg import kpis`` reads them, followed by reference columns whose names start with
``ref_`` (metric name, last year's value, due date, request id and version). The KPI import
reads only the columns it knows, so the reference columns are ignored and a filled template
imports unchanged, through the same validation; the workflow's upload also uses
``ref_request``/``ref_version`` to refuse rows whose request changed since the template was
made. Excel data validation offers the units that fit each metric, a number ≥ 0 for
``value``, and the members of each breakdown. A ``readme`` sheet explains all this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.auth.users import get_user
from esgledger.catalog import dimensions, metrics
from esgledger.errors import NotFound
from esgledger.ingest.kpis import STATUSES
from esgledger.kpi.figures import parse_dims
from esgledger.kpi.scope import Scopes
from esgledger.kpi.values import kpi_table
from esgledger.ledger.entities import get_entity, subtree
from esgledger.ledger.models import Entity, KpiValue
from esgledger.ledger.workflow_models import DataRequest
from esgledger.spreadsheets import keep_text
from esgledger.units import compatible
from esgledger.workflow.requests import current_value
from esgledger.workflow.states import EDITABLE

# Units offered besides the catalog's own, when they fit the metric.
EXTRA_UNITS = (
    "kg",
    "t",
    "10^4 t",
    "L",
    "m3",
    "10^4 m3",
    "kWh",
    "MWh",
    "GWh",
    "GJ",
    "kgce",
    "tce",
    "kgCO2e",
    "tCO2e",
    "RMB",
    "RMB million",
    "RMB billion",
    "person",
    "person-times",
    "hour",
    "case",
    "piece",
    "count",
    "%",
    "m2",
    "MW",
)
HEAD = ["entity", "year", "metric", "value", "unit"]
TAIL = ["status", "note", "restatement_reason"]
REFS = [
    "ref_metric_name",
    "ref_entity_name",
    "ref_last_year",
    "ref_last_year_unit",
    "ref_due_date",
    "ref_state",
    "ref_request",
    "ref_version",
]
REF_FILL = PatternFill("solid", fgColor="E7E6E6")


@cache
def units_for(metric_id: str) -> tuple[str, ...]:
    """Units that measure what the metric measures, its own unit first."""
    m = metrics()[metric_id]
    candidates = [m.unit, m.published_unit, *(x.unit for x in metrics().values()), *EXTRA_UNITS]
    out: dict[str, None] = {}
    for unit in candidates:
        if unit and "," not in unit and compatible(unit, m.unit):
            out[unit] = None
    return tuple(out)


def template_requests(
    session: Session, *, year: int, owner: str | None = None, entity: str | None = None
) -> list[DataRequest]:
    """Draft and returned requests of a year, for one owner and/or one entity's subtree."""
    stmt = select(DataRequest).where(
        DataRequest.year == year, DataRequest.state.in_(sorted(EDITABLE))
    )
    if owner:
        stmt = stmt.where(DataRequest.owner_id == get_user(session, owner).id)
    if entity:
        stmt = stmt.where(DataRequest.entity_id.in_(subtree(session, entity)))
    rows = list(
        session.scalars(
            stmt.order_by(DataRequest.entity_id, DataRequest.metric_id, DataRequest.dims)
        )
    )
    if not rows:
        who = " ".join(
            x
            for x in (f"owned by {owner}" if owner else "", f"for {entity}" if entity else "")
            if x
        )
        raise NotFound(
            f"no open data requests for {year} {who}".strip()
            + "; issue them with `esg request issue`"
        )
    return rows


def open_years(session: Session, *, owner: str | None = None) -> list[tuple[int, int]]:
    """(year, open requests) with draft or returned requests, newest first: the years a
    template can be made for, the first being the one an owner is filling now."""
    stmt = (
        select(DataRequest.year, func.count())
        .where(DataRequest.state.in_(sorted(EDITABLE)))
        .group_by(DataRequest.year)
        .order_by(DataRequest.year.desc())
    )
    if owner:
        stmt = stmt.where(DataRequest.owner_id == get_user(session, owner).id)
    return [(int(year), int(count)) for year, count in session.execute(stmt)]


def build_template(
    session: Session, *, year: int, owner: str | None = None, entity: str | None = None
) -> Workbook:
    """The workbook for ``owner`` and/or ``entity`` (see the module docstring)."""
    if entity:
        get_entity(session, entity)
    requests = template_requests(session, year=year, owner=owner, entity=entity)
    dim_cols = sorted({d for r in requests for d in metrics()[r.metric_id].dimensions})
    header = [*HEAD, *dim_cols, *TAIL, *REFS]
    last = _last_year(session, requests, year)
    names: dict[str, str] = dict(session.execute(select(Entity.id, Entity.name)).all())
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "kpis"
    ws.append(header)
    for req in requests:
        ws.append(_row(session, req, dim_cols, last, names))
    lists = wb.create_sheet("lists")
    lists.sheet_state = "hidden"
    _style(ws, header)
    _validate(ws, lists, header, requests, dim_cols)
    _readme(
        wb.create_sheet("readme", 0),
        year=year,
        owner=owner,
        entity=entity,
        rows=len(requests),
        dim_cols=dim_cols,
    )
    wb.active = 1  # open on the kpis sheet
    return keep_text(wb)


def write_template(
    session: Session,
    path: str | Path,
    *,
    year: int,
    owner: str | None = None,
    entity: str | None = None,
) -> dict[str, Any]:
    wb = build_template(session, year=year, owner=owner, entity=entity)
    wb.save(path)
    rows = wb["kpis"].max_row - 1
    return {"path": str(path), "year": year, "owner": owner, "entity": entity, "rows": rows}


def _row(
    session: Session,
    req: DataRequest,
    dim_cols: Sequence[str],
    last: dict[tuple[str, str, str], tuple[float | None, str]],
    names: dict[str, str],
) -> list[Any]:
    m = metrics()[req.metric_id]
    dims = parse_dims(req.dims)
    value = current_value(session, req)
    number = value.value if value is not None and value.status == "reported" else None
    status = value.status if value is not None and value.status != "reported" else ""
    previous, previous_unit = last.get((req.entity_id, req.metric_id, req.dims), (None, ""))
    return [
        req.entity_id,
        req.year,
        req.metric_id,
        number,
        value.unit if value else m.unit,
        *(dims.get(d, "") for d in dim_cols),
        status,
        value.note if value else "",
        "",
        m.name,
        names.get(req.entity_id, ""),
        previous,
        previous_unit,
        req.due_date,
        req.state,
        req.id,
        req.version,
    ]


def _last_year(
    session: Session, requests: list[DataRequest], year: int
) -> dict[tuple[str, str, str], tuple[float | None, str]]:
    """Last year's value per (entity, metric, dims): the entity's own current value, or for
    the group root the KPI table's figure (which includes calculated and rolled-up ones)."""
    keys = {(r.entity_id, r.metric_id, r.dims) for r in requests}
    out: dict[tuple[str, str, str], tuple[float | None, str]] = {}
    for v in session.scalars(
        select(KpiValue).where(KpiValue.is_current, KpiValue.year == year - 1)
    ):
        key = (v.entity_id, v.metric_id, v.dims)
        if key in keys and v.value is not None:
            out[key] = (v.value, v.unit)
    root = Scopes(session, year - 1).root
    missing = [k for k in keys if k[0] == root and k not in out]
    if missing:
        table = kpi_table(session, year - 1)
        for key in missing:
            figure = table.get((key[1], key[2]))
            if figure is not None and figure.value is not None:
                out[key] = (figure.value, figure.unit)
    return out


def _style(ws: Worksheet, header: list[str]) -> None:
    bold = Font(bold=True)
    for i, name in enumerate(header, 1):
        cell = ws.cell(row=1, column=i)
        cell.font = bold
        width = 12 if name not in ("metric", "ref_metric_name", "ref_entity_name") else 36
        ws.column_dimensions[get_column_letter(i)].width = max(width, len(name) + 2)
        if name.startswith("ref_"):
            for row in ws.iter_rows(min_row=1, max_row=ws.max_row, min_col=i, max_col=i):
                row[0].fill = REF_FILL
        if name == "ref_due_date":
            for row in ws.iter_rows(min_row=2, max_row=ws.max_row, min_col=i, max_col=i):
                row[0].number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"


def _validate(
    ws: Worksheet,
    lists: Worksheet,
    header: list[str],
    requests: list[DataRequest],
    dim_cols: list[str],
) -> None:
    """Excel data validation: units per metric, value ≥ 0, status words, breakdown members."""
    col = {name: get_column_letter(i) for i, name in enumerate(header, 1)}
    end = len(requests) + 1
    value = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="value",
        error="Enter a number ≥ 0. If there is no figure, leave value empty and choose a status.",
    )
    value.add(f"{col['value']}2:{col['value']}{end}")
    ws.add_data_validation(value)
    columns: list[tuple[str, Sequence[str]]] = [("status", STATUSES)]
    columns += [(d, dimensions()[d].members) for d in dim_cols]
    by_metric: dict[str, list[int]] = {}
    for i, req in enumerate(requests, 2):
        by_metric.setdefault(req.metric_id, []).append(i)
    columns += [(f"unit:{m}", units_for(m)) for m in by_metric]
    ranges: dict[str, str] = {}
    for j, (name, values) in enumerate(columns, 1):
        letter = get_column_letter(j)
        lists.cell(row=1, column=j, value=name)
        for k, item in enumerate(values, 2):
            lists.cell(row=k, column=j, value=item)
        ranges[name] = f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(values) + 1}"
    for name in ["status", *dim_cols]:
        ws.add_data_validation(_list_rule(ranges[name], f"{col[name]}2:{col[name]}{end}", name))
    for metric_id, rows in by_metric.items():
        cells = [f"{col['unit']}{r}" for r in rows]
        ws.add_data_validation(_list_rule(ranges[f"unit:{metric_id}"], cells, "unit"))


def _list_rule(source: str, cells: str | list[str], title: str) -> DataValidation:
    rule = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=f"Choose a {title} from the list.",
    )
    for cell in [cells] if isinstance(cells, str) else cells:
        rule.add(cell)
    return rule


def _readme(
    ws: Worksheet,
    *,
    year: int,
    owner: str | None,
    entity: str | None,
    rows: int,
    dim_cols: list[str],
) -> None:
    who = ", ".join(
        x
        for x in (f"owner {owner}" if owner else "", f"entity {entity} and below" if entity else "")
        if x
    )
    lines = [
        f"ESG data collection {year}" + (f" — {who}" if who else ""),
        f"Generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {rows} values to fill.",
        "",
        "How to fill the 'kpis' sheet:",
        "1. Enter each figure in 'value' (a number ≥ 0) and check its 'unit' (choose from "
        "the list: only units that fit the metric are offered).",
        "2. No figure? Leave 'value' empty and choose 'status': not_disclosed, "
        "not_applicable or missing.",
        "3. Do not change entity, year, metric"
        + (f" or the breakdown columns ({', '.join(dim_cols)})" if dim_cols else "")
        + ": they identify the request.",
        "4. 'note' is free text shown with the figure. 'restatement_reason' is needed only "
        "when you change a value that is already recorded.",
        "5. Columns starting with 'ref_' (grey) are for reference: last year's value, due "
        "date, request number. They are ignored when the file is imported.",
        "6. Every row needs a value or a status; delete rows you will not report.",
        "",
        "Upload the filled file on the web app's Upload page (Data requests → Template and "
        "upload), or hand it back to the ESG team.",
        "The file is checked whole: if any row is wrong, nothing is stored and every problem "
        "is listed with its row and column.",
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120
