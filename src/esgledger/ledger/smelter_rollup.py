"""The smelter roll-up: smelters across suppliers' latest declarations, by smelter id, with
each smelter's status from the conformant-smelter list the user imported (issue #16).

A supplier counts with its latest declaration of the template (by effective date, then the
order of import); with ``year``, the latest effective by the year's end. Smelter rows without
an identification number cannot be matched across suppliers: they are counted apart as
unidentified, never merged by name. Without an imported list a status is "not available",
never "not conformant". It lives with the tables because both the supplier commands and the
register figures (``kpi``) count from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.ledger.supplier_models import ConformantSmelter, MineralDeclaration, MineralSmelter

NO_LIST = "not available: no conformant-smelter list imported"
NOT_LISTED = "not on the conformant-smelter list"
CONFORMANT = "conformant"


@dataclass
class RolledSmelter:
    metal: str
    smelter_id: str
    name: str
    country: str
    suppliers: set[str] = field(default_factory=set)
    status: str = NO_LIST

    @property
    def conformant(self) -> bool:
        return self.status.lower() == CONFORMANT

    def as_dict(self) -> dict[str, object]:
        return {
            "metal": self.metal,
            "smelter_id": self.smelter_id,
            "name": self.name,
            "country": self.country,
            "suppliers": len(self.suppliers),
            "status": self.status,
        }


@dataclass
class Rollup:
    template: str
    declarations: dict[str, int]  # supplier → its counted declaration
    smelters: list[RolledSmelter]
    unidentified: int  # smelter rows without an identification number
    has_list: bool
    in_use: set[str] = field(default_factory=set)  # metals any counted supplier uses

    def as_dict(self) -> dict[str, object]:
        """The body ``esg suppliers cmrt rollup --json`` prints and the API returns."""
        share, note = self.conformant_share()
        return {
            "template": self.template,
            "suppliers": len(self.declarations),
            "unidentified_rows": self.unidentified,
            "conformant_share": share,
            "conformant_note": note,
            "smelters": [s.as_dict() for s in self.smelters],
        }

    def conformant_share(self) -> tuple[float | None, str]:
        """Conformant smelters / identified smelters, in %, or None and why."""
        if not self.has_list:
            return None, NO_LIST
        if not self.smelters:
            return None, "not available: the declarations name no identified smelter"
        count = sum(s.conformant for s in self.smelters)
        share = 100.0 * count / len(self.smelters)
        return share, f"{count} of {len(self.smelters)} identified smelters"


def latest_declarations(
    session: Session, template: str, year: int | None, *, in_year: bool = False
) -> dict[str, int]:
    """Supplier → id of its latest declaration of ``template`` (by the end of ``year``;
    with ``in_year``, only a latest one effective in the year counts)."""
    stmt = select(
        MineralDeclaration.supplier_id, MineralDeclaration.id, MineralDeclaration.effective_on
    ).where(MineralDeclaration.template == template)
    if year is not None:
        stmt = stmt.where(MineralDeclaration.effective_on <= dt.date(year, 12, 31))
    latest: dict[str, tuple[dt.date, int]] = {}
    for supplier, ident, day in session.execute(stmt):
        if supplier not in latest or (day, ident) > latest[supplier]:
            latest[supplier] = (day, ident)
    return {
        s: ident
        for s, (day, ident) in latest.items()
        if not (in_year and year is not None and day.year != year)
    }


def rollup(
    session: Session, *, template: str = "CMRT", year: int | None = None, in_year: bool = False
) -> Rollup:
    """Smelters of the suppliers' latest declarations, one entry per (metal, smelter id)."""
    declarations = latest_declarations(session, template, year, in_year=in_year)
    by_declaration = {ident: supplier for supplier, ident in declarations.items()}
    has_list = bool(session.scalar(select(func.count()).select_from(ConformantSmelter)))
    statuses = {
        (metal, ident): status
        for ident, metal, status in session.execute(
            select(ConformantSmelter.smelter_id, ConformantSmelter.metal, ConformantSmelter.status)
        )
    }
    rolled: dict[tuple[str, str], RolledSmelter] = {}
    unidentified = 0
    ids = list(by_declaration)
    for start in range(0, len(ids), 500):
        stmt = select(MineralSmelter).where(
            MineralSmelter.declaration_id.in_(ids[start : start + 500])
        )
        for row in session.scalars(stmt.order_by(MineralSmelter.id)):
            if row.smelter_id is None:
                unidentified += 1
                continue
            key = (row.metal, row.smelter_id)
            if key not in rolled:
                status = statuses.get(key, NOT_LISTED) if has_list else NO_LIST
                rolled[key] = RolledSmelter(row.metal, row.smelter_id, row.name, row.country,
                                            status=status)  # fmt: skip
            rolled[key].suppliers.add(by_declaration[row.declaration_id])
    in_use: set[str] = set()
    for start in range(0, len(ids), 500):
        stmt2 = select(MineralDeclaration.in_use).where(
            MineralDeclaration.id.in_(ids[start : start + 500])
        )
        for text in session.scalars(stmt2):
            in_use.update(m for m in text.split(";") if m)
    smelters = sorted(rolled.values(), key=lambda s: (s.metal, s.smelter_id))
    return Rollup(template, declarations, smelters, unidentified, has_list, in_use)
