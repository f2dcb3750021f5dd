"""Board figures counted from the board register: size, independent, executive and women
directors, directors by age band and their combined tenure at year end, board meetings and
attendance (GRI 2-9, 405-1).

An entity's board is covered in a year when a member was appointed by the year's end: its
counts are then figures even when zero. A group's figures are its own board's, not a sum of
boards: the board of an entity whose ancestor also has a board in the register yields no
figure, and the top board's figures say which boards were left out (``esg kpi explain``).
Shares, average tenure and the attendance rate are catalog formulas over these counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.models import Entity
from esgledger.ledger.register_models import BoardAttendance, BoardMember

MEMBERS, ATTENDANCE = "board_members", "board_attendance"
DAYS_PER_YEAR = 365.25
# metric → whether a serving member counts in it
COUNTS: dict[str, Callable[[BoardMember], bool]] = {
    "governance.board.size": lambda m: True,
    "governance.board.independent_directors": lambda m: m.independent,
    "governance.board.executive_directors": lambda m: m.executive,
    "governance.board.women": lambda m: m.gender == "female",
}


AGE_BANDS = ("18-30", "31-40", "41-50", "above_50", "unknown")  # the catalog's members


def age_band(age: int) -> str:
    """The catalog's ``age_band`` member for an age at year end."""
    if age <= 30:
        return "18-30"
    if age <= 40:
        return "31-40"
    if age <= 50:
        return "41-50"
    return "above_50"


def _top_boards(session: Session, entities: set[str]) -> dict[str, list[str]]:
    """Each covered entity without a covered ancestor → the covered entities below it."""
    parents = dict(session.execute(select(Entity.id, Entity.parent_id)).all())
    tops: dict[str, list[str]] = defaultdict(list)
    for entity in sorted(entities):
        top, current, seen = entity, parents.get(entity), {entity}
        while current is not None and current not in seen:
            if current in entities:
                top = current
            seen.add(current)
            current = parents.get(current)
        tops[top].extend([entity] if top != entity else [])
    return tops


def board_figures(session: Session, year: int) -> list[RegisterFigure]:
    """The year's board figures per top board in the register."""
    end = dt.date(year, 12, 31)
    members = list(session.scalars(select(BoardMember).where(BoardMember.appointed_on <= end)))
    attendance = list(
        session.scalars(
            select(BoardAttendance).where(
                BoardAttendance.body == "board",
                BoardAttendance.held_on >= dt.date(year, 1, 1),
                BoardAttendance.held_on <= end,
            )
        )
    )
    out = []
    for entity, below in sorted(_top_boards(session, {m.entity_id for m in members}).items()):
        board = _Board(year, entity, below)
        out.extend(board.composition([m for m in members if m.entity_id == entity]))
        out.extend(board.meetings([a for a in attendance if a.entity_id == entity]))
    return out


class _Board:
    """One top board's figures for a year."""

    def __init__(self, year: int, entity: str, below: list[str]):
        self.year, self.entity, self.end = year, entity, dt.date(year, 12, 31)
        self.note = f"leaves out the boards of {', '.join(below)} (below {entity})" if below else ""

    def _figure(
        self,
        metric: str,
        value: float,
        unit: str,
        register: str,
        ids: list[int],
        dims: dict[str, str] | None = None,
    ) -> RegisterFigure:
        return RegisterFigure(
            metric, self.year, self.entity, value, unit, register, tuple(ids), dims or {}, self.note
        )

    def composition(self, members: list[BoardMember]) -> list[RegisterFigure]:
        """Counts of the directors serving at year end, by age band, and their tenure."""
        serving = [m for m in members if m.serves_on(self.end)]
        out = []
        for metric, counts in COUNTS.items():
            ids = [m.id for m in serving if counts(m)]
            out.append(self._figure(metric, len(ids), "person", MEMBERS, ids))
        by_band: dict[str, list[int]] = {band: [] for band in AGE_BANDS}  # a real 0 too
        for m in serving:
            by_band[age_band(self.year - m.birth_year)].append(m.id)
        for band, ids in sorted(by_band.items()):
            out.append(
                self._figure(
                    "governance.board.size", len(ids), "person", MEMBERS, ids, {"age_band": band}
                )
            )
        tenure = sum((self.end - m.appointed_on).days / DAYS_PER_YEAR for m in serving)
        ids = [m.id for m in serving]
        out.append(self._figure("governance.board.tenure_years", tenure, "year", MEMBERS, ids))
        return out

    def meetings(self, held: list[BoardAttendance]) -> list[RegisterFigure]:
        """Board meetings and attendance; none without attendance rows (never a 0 % rate)."""
        if not held:
            return []
        first: dict[str, int] = {}
        for a in sorted(held, key=lambda a: a.id):
            first.setdefault(a.meeting_ref, a.id)
        present = [a.id for a in held if a.attendance == "present"]
        return [
            self._figure(
                "governance.board.meetings", len(first), "count", ATTENDANCE, sorted(first.values())
            ),
            self._figure(
                "governance.board.attendance_expected",
                len(held),
                "person_times",
                ATTENDANCE,
                [a.id for a in held],
            ),
            self._figure(
                "governance.board.attendance_present",
                len(present),
                "person_times",
                ATTENDANCE,
                present,
            ),
        ]
