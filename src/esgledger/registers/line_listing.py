"""Reading the complaints and vulnerability registers for the interfaces: the staged
register's listing (:mod:`.staged`) under each register's own names, kept for the callers
that name one register."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from esgledger.ledger.listing import ListParams, Page
from esgledger.registers.complaints import STAGED as COMPLAINTS
from esgledger.registers.staged import list_rows, page_rows
from esgledger.registers.vulnerabilities import STAGED as VULNERABILITIES

COMPLAINT_SORTS = COMPLAINTS.sorts
VULNERABILITY_SORTS = VULNERABILITIES.sorts


def page_complaints(session: Session, params: ListParams, **filters: Any) -> Page[dict[str, Any]]:
    """One page of complaints for the page: filters, search over ref and product line, sort."""
    return page_rows(session, COMPLAINTS, params, **filters)


def page_vulnerabilities(
    session: Session, params: ListParams, **filters: Any
) -> Page[dict[str, Any]]:
    """One page of vulnerabilities for the page: filters, search, sort."""
    return page_rows(session, VULNERABILITIES, params, **filters)


def list_complaints(session: Session, **filters: Any) -> dict[str, Any]:
    """``{"total", "rows"}``: complaints matching the filters, newest first."""
    return list_rows(session, COMPLAINTS, **filters)


def list_vulnerabilities(session: Session, **filters: Any) -> dict[str, Any]:
    """``{"total", "rows"}``: vulnerabilities matching the filters, newest first."""
    return list_rows(session, VULNERABILITIES, **filters)
