"""The certification, assurance and giving registers over HTTP (#17): certificates with
their status at a year's end (filtered, searched, paged), the assurance engagements and the
donations. Bodies are the dicts ``esg register certifications|assurance|giving … --json``
print; reading needs ``kpis.read`` (the rows are the figures' evidence)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.auth.permissions import require
from esgledger.registers.assurance import year_engagements
from esgledger.registers.certification_listing import list_certificates
from esgledger.registers.giving import list_donations
from esgledger.registers.listing import MAX_LIMIT

router = APIRouter()
ERRORS = s.problems(401, 403, 422)


class CertificateOut(s.Out):
    id: int
    entity: str
    standard: str
    number: str
    body: str
    product_model: str | None = None
    scope: str
    issued_on: str
    expires_on: str
    withdrawn_on: str | None = None
    surveillance: list[str]
    status: str


class CertificatePage(s.Out):
    total: int
    rows: list[CertificateOut]


@router.get(
    "/registers/certifications",
    tags=["registers"],
    summary="Certificates with their validity, surveillance audits and status",
    response_model=CertificatePage,
    responses=ERRORS,
)
def certificates(
    session: SessionDep,
    user: UserDep,
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="Status at its end (default: today).")
    ] = None,
    entity: Annotated[str | None, Query(max_length=64, description="Only this entity.")] = None,
    standard: Annotated[
        str | None, Query(max_length=64, description="Only this standard, e.g. ISO 14001.")
    ] = None,
    status: Annotated[
        Literal["valid", "expired", "withdrawn", "not_yet_valid"] | None,
        Query(description="Only certificates with this status."),
    ] = None,
    search: Annotated[
        str | None, Query(max_length=100, description="Number, body, scope or product contains.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many.")] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="Skip this many.")] = 0,
) -> Response:
    require(user, "kpis.read")
    return as_json(
        list_certificates(
            session,
            year=year,
            entity=entity,
            standard=standard,
            status=status,
            search=search,
            limit=limit,
            offset=offset,
        )
    )


class EngagementOut(s.Out):
    ref: str
    year: int
    provider: str
    standard: str
    standard_name: str
    level: str
    metrics: list[str]
    entities: list[str]
    signed_on: str
    statement: str
    statement_sha256: str


@router.get(
    "/registers/assurance",
    tags=["registers"],
    summary="External assurance engagements: provider, standard, level, scope, statement",
    response_model=list[EngagementOut],
    responses=ERRORS,
)
def engagements(
    session: SessionDep,
    user: UserDep,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Only this year.")] = None,
) -> Response:
    require(user, "kpis.read")
    return as_json(year_engagements(session, year))


class DonationOut(s.Out):
    ref: str
    entity: str
    date: str
    programme: str
    recipient_type: str
    form: str
    amount: float
    currency: str


class DonationPage(s.Out):
    total: int
    rows: list[DonationOut]


@router.get(
    "/registers/giving/donations",
    tags=["registers"],
    summary="Donations in the currency they were given in, newest first",
    response_model=DonationPage,
    responses=ERRORS,
)
def donations(
    session: SessionDep,
    user: UserDep,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Only this year.")] = None,
    entity: Annotated[str | None, Query(max_length=64, description="Only this entity.")] = None,
    programme: Annotated[
        str | None, Query(max_length=128, description="Only this programme.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many.")] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="Skip this many.")] = 0,
) -> Response:
    require(user, "kpis.read")
    return as_json(
        list_donations(
            session, year=year, entity=entity, programme=programme, limit=limit, offset=offset
        )
    )
