"""Certification figures counted from the certification register: the sites, and the sites
holding an ISO 9001, 14001, 45001 or 50001 certificate in force on 31 December.

A site is an entity of kind site or park; it counts as certified to a standard when a
certificate of the standard held by the site itself (not for one of its product models) is
in force at the year's end — issued by then, not expired, not withdrawn. A group-wide
certificate names no site, so it certifies none. Once the register holds any certificate it
covers every entity: each yields its figures (1 or 0 sites), so the roll-up counts the
sites of the boundary and the shares of certified sites are catalog formulas over them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.models import Entity
from esgledger.ledger.regcert_models import SITE_KINDS, Certificate

REGISTER = "certificates"
SITES = "certification.sites"
# standard → the metric counting the sites certified to it
SITE_STANDARDS = {
    "ISO 9001": "certification.iso9001.sites",
    "ISO 14001": "certification.iso14001.sites",
    "ISO 45001": "certification.iso45001.sites",
    "ISO 50001": "certification.iso50001.sites",
}


def certification_figures(session: Session, year: int) -> list[RegisterFigure]:
    """Per entity: 1 when it is a site (0 otherwise), and per standard 1 when it is a site
    certified at the year's end; none while the register is empty."""
    end = dt.date(year, 12, 31)
    certificates = list(session.scalars(select(Certificate).order_by(Certificate.id)))
    if not certificates:
        return []
    held: dict[tuple[str, str], list[int]] = defaultdict(list)
    for c in certificates:
        if not c.product_model and c.standard in SITE_STANDARDS and c.valid_on(end):
            held[(c.entity_id, c.standard)].append(c.id)
    out = []
    for entity, kind in session.execute(select(Entity.id, Entity.kind).order_by(Entity.id)):
        site = kind in SITE_KINDS
        out.append(RegisterFigure(SITES, year, entity, 1 if site else 0, "count", REGISTER))
        for standard, metric in SITE_STANDARDS.items():
            ids = held.get((entity, standard), []) if site else []
            out.append(
                RegisterFigure(metric, year, entity, 1 if ids else 0, "count", REGISTER, tuple(ids))
            )
    return out
