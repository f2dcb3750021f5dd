"""Reading the assurance register for its page: engagements filtered by year, standard and
level, searched over ref, provider, the indicators and entities in scope and the statement,
sorted and paged in SQL (newest year first, then by ref)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from esgledger.ledger.listing import ListParams, Page, paginate
from esgledger.ledger.regcert_models import AssuranceEngagement
from esgledger.registers.assurance import engagement_dict
from esgledger.registers.assurance_import import LEVELS as LEVELS_OF

STANDARDS = tuple(LEVELS_OF)
LEVELS = tuple(dict.fromkeys(level for levels in LEVELS_OF.values() for level in levels))
SORT_KEYS: dict[str, Any] = {  # column attributes, as paginate sorts by them
    "year": AssuranceEngagement.year,
    "ref": AssuranceEngagement.ref,
    "provider": AssuranceEngagement.provider,
    "standard": AssuranceEngagement.standard,
    "level": AssuranceEngagement.level,
    "signed": AssuranceEngagement.signed_on,
}
SEARCHED = (
    AssuranceEngagement.ref,
    AssuranceEngagement.provider,
    AssuranceEngagement.metrics,
    AssuranceEngagement.entities,
    AssuranceEngagement.statement,
)


def engagements_query(
    *,
    year: int | None = None,
    standard: str | None = None,
    level: str | None = None,
    search: str | None = None,
) -> Select[Any]:
    """Engagements of ``year``, to ``standard`` at ``level`` (an unknown choice filters
    nothing out), containing ``search`` (any case) in a searched column."""
    stmt = select(AssuranceEngagement)
    if year is not None:
        stmt = stmt.where(AssuranceEngagement.year == year)
    if standard in STANDARDS:
        stmt = stmt.where(AssuranceEngagement.standard == standard)
    if level in LEVELS:
        stmt = stmt.where(AssuranceEngagement.level == level)
    if search:
        needle = search.strip().lower()
        stmt = stmt.where(or_(*(func.lower(c).contains(needle, autoescape=True) for c in SEARCHED)))
    return stmt


def page_engagements(session: Session, params: ListParams, **filters: Any) -> Page[dict[str, Any]]:
    """One page of engagements for the assurance page."""
    stmt = engagements_query(search=params.search, **filters)
    then_by = (AssuranceEngagement.ref.asc(), AssuranceEngagement.id.asc())
    found = paginate(session, stmt, params, SORT_KEYS, then_by)  # ties by ref, A to Z either way
    return found.with_rows([engagement_dict(e) for e in found.rows])
