"""The supplier questionnaire (SAQ) response rate from the links sent (#16).

The group's figure (the root entity), shown once a questionnaire link exists. A link
*counts* in the year it was issued; it *responded* when its answers came back (any time
after, so a year's rate can still rise until its last link expires). Lineage: the links.
"""

from __future__ import annotations

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.models import Entity
from esgledger.ledger.supplier_models import SupplierSaqLink

REGISTER = "supplier_questionnaires"
RESPONSE = "supply_chain.saq.response_rate"


def saq_figures(session: Session, year: int) -> list[RegisterFigure]:
    roots = list(session.scalars(select(Entity.id).where(Entity.parent_id.is_(None))))
    if len(roots) != 1 or session.scalar(select(SupplierSaqLink.id).limit(1)) is None:
        return []
    stmt = select(SupplierSaqLink.id, SupplierSaqLink.answered_at.is_not(None)).where(
        extract("year", SupplierSaqLink.issued_at) == year
    )
    sent = list(session.execute(stmt.order_by(SupplierSaqLink.id)))
    if not sent:
        why = [coded("no_questionnaire", year=year)]
        return [
            RegisterFigure(RESPONSE, year, roots[0], None, "%", REGISTER, (), {}, note_of(why), why)
        ]
    answered = sum(1 for _, done in sent if done)
    note = [coded("questionnaire_answered", a=answered, b=len(sent), year=year)]
    value = 100.0 * answered / len(sent)
    rows = tuple(ident for ident, _ in sent)
    return [
        RegisterFigure(
            RESPONSE, year, roots[0], value, "%", REGISTER, rows, {}, note_of(note), note
        )
    ]
