"""The supplier register over HTTP (read): suppliers, tier history, audits and findings,
CMRT/EMRT declarations and the smelter roll-up.

Bodies are the dicts ``esg suppliers list|show|history|audit list|finding list --json``
print; every endpoint needs ``suppliers.read``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.auth.permissions import require
from esgledger.http_shared.paging import list_query, with_page_headers
from esgledger.ledger.listing import ListParams
from esgledger.ledger.smelter_rollup import rollup
from esgledger.suppliers.audits import list_audits, list_findings
from esgledger.suppliers.declarations import list_declarations
from esgledger.suppliers.register import (
    DEFAULT_SORT,
    SORT,
    page_suppliers,
    supplier_detail,
    supplier_dict,
)
from esgledger.suppliers.tiering import tier_history, tier_on

router = APIRouter()
ERRORS = s.problems(401, 403, 404, 422)


class SupplierOut(s.Out):
    id: str
    name: str
    parent_group: str | None = None
    country: str
    commodities: list[str]
    spend: float | None = None
    spend_unit: str | None = None
    entity: str | None = None
    onboarded_on: str | None = None
    ended_on: str | None = None


class SupplierDetail(SupplierOut):
    sites: list[dict[str, Any]]
    contacts: list[dict[str, Any]]
    agreements: list[dict[str, Any]]
    certifications: list[dict[str, Any]]
    spend_in_year: dict[str, Any] | None = None


@router.get(
    "/suppliers",
    tags=["suppliers"],
    summary="The supplier register, one page at a time",
    description="One page (`limit`, `page`); `Link` (RFC 8288) and `X-Total-Count` headers "
    "page on. `q` searches id, name and parent group.",
    response_model=list[SupplierOut],
    responses=ERRORS,
)
def suppliers(
    request: Request,
    session: SessionDep,
    user: UserDep,
    params: Annotated[ListParams, Depends(list_query(tuple(SORT), DEFAULT_SORT))],
    country: Annotated[
        str | None, Query(max_length=2, description="Only suppliers in this country.")
    ] = None,
    commodity: Annotated[
        str | None, Query(max_length=100, description="Only suppliers of this commodity.")
    ] = None,
) -> Response:
    require(user, "suppliers.read")
    found = page_suppliers(session, params, country=country, commodity=commodity)
    body = as_json([supplier_dict(r) for r in found.rows])
    return with_page_headers(body, request.url, found)


@router.get(
    "/suppliers/{supplier_id}",
    tags=["suppliers"],
    summary="One supplier with its sites, contacts, agreements and certifications",
    response_model=SupplierDetail,
    responses=ERRORS,
)
def supplier(
    supplier_id: Annotated[str, Path(max_length=64, description="Supplier id.")],
    session: SessionDep,
    user: UserDep,
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="Also the spend of this year.")
    ] = None,
) -> Response:
    require(user, "suppliers.read")
    return as_json(supplier_detail(session, supplier_id, year=year))


SupplierId = Annotated[str, Path(max_length=64, description="Supplier id.")]
OnlySupplier = Annotated[str | None, Query(max_length=64, description="Only this supplier.")]


@router.get(
    "/suppliers/{supplier_id}/tiers",
    tags=["suppliers"],
    summary="A supplier's risk-tier history, oldest first; with `on`, the tier in force that day",
    description="Without `on`, every decision oldest first; with `on` (YYYY-MM-DD), the "
    "decision in force that day as `esg suppliers history --on` prints it (`tier` and "
    "`decided_on` null before the first decision).",
    response_model=list[dict[str, Any]] | dict[str, Any],
    responses=ERRORS,
)
def supplier_tiers(
    supplier_id: SupplierId,
    session: SessionDep,
    user: UserDep,
    on: Annotated[
        dt.date | None, Query(description="Only the tier in force this day (YYYY-MM-DD).")
    ] = None,
) -> Response:
    require(user, "suppliers.read")
    if on is not None:
        return as_json(tier_on(session, supplier_id, on))
    return as_json(tier_history(session, supplier_id))


@router.get(
    "/supplier-audits",
    tags=["suppliers"],
    summary="Supplier audits, oldest first",
    response_model=list[dict[str, Any]],
    responses=ERRORS,
)
def supplier_audits(session: SessionDep, user: UserDep, supplier: OnlySupplier = None) -> Response:
    require(user, "suppliers.read")
    return as_json(list_audits(session, supplier=supplier))


@router.get(
    "/supplier-findings",
    tags=["suppliers"],
    summary="Audit findings with state and due dates; `overdue_on` keeps the overdue ones",
    response_model=list[dict[str, Any]],
    responses=ERRORS,
)
def supplier_findings(
    session: SessionDep,
    user: UserDep,
    supplier: OnlySupplier = None,
    overdue_on: Annotated[
        dt.date | None, Query(description="Only findings overdue on this day (YYYY-MM-DD).")
    ] = None,
) -> Response:
    require(user, "suppliers.read")
    return as_json(list_findings(session, supplier=supplier, overdue_on=overdue_on))


@router.get(
    "/supplier-declarations",
    tags=["suppliers"],
    summary="Suppliers' stored CMRT/EMRT declarations, oldest first, with their warnings",
    response_model=list[dict[str, Any]],
    responses=ERRORS,
)
def supplier_declarations(
    session: SessionDep, user: UserDep, supplier: OnlySupplier = None
) -> Response:
    require(user, "suppliers.read")
    return as_json(list_declarations(session, supplier=supplier))


@router.get(
    "/supplier-smelters",
    tags=["suppliers"],
    summary="Smelters rolled up across suppliers' latest declarations, with their status",
    description="Each supplier's latest CMRT (or EMRT) by effective date, by the end of "
    "`year` if given; smelters by (metal, smelter id) with the suppliers naming them and the "
    "status from the imported conformant-smelter list.",
    response_model=dict[str, Any],
    responses=s.problems(401, 403, 422),
)
def supplier_smelters(
    session: SessionDep,
    user: UserDep,
    template: Annotated[str, Query(pattern="^(CMRT|EMRT)$", description="CMRT or EMRT.")] = "CMRT",
    year: Annotated[
        int | None,
        Query(ge=1900, le=2100, description="Declarations effective by this year's end."),
    ] = None,
) -> Response:
    require(user, "suppliers.read")
    return as_json(rollup(session, template=template, year=year).as_dict())
