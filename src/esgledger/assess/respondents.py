"""Respondents of a materiality survey and their one-time tokens.

A respondent belongs to a stakeholder group (whose axis decides the questionnaire) and may
carry a weight. Tokens come from :func:`~esgledger.auth.tokens.one_time_token`; only their
SHA-256 is stored, and :func:`issue_tokens` returns them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.assess.materiality import get_group, groups_of, require_open, topics_of
from esgledger.auth.tokens import one_time_token, token_hash
from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, InvalidInput, NotFound, worded
from esgledger.ingest.checker import Checker, Message, blank, cell, parse_number, with_row_numbers
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger import audit
from esgledger.ledger.assess_models import MaterialityAssessment, Respondent, StakeholderGroup
from esgledger.ledger.models import utcnow

# ---------------------------------------------------------------------------------------------
# Respondents and tokens


def add_respondent(
    session: Session,
    a: MaterialityAssessment,
    *,
    group: str,
    name: str,
    weight: float = 1.0,
    actor: str,
) -> Respondent:
    require_open(a)
    if not name.strip():
        raise InvalidInput("a respondent needs a name (a code is fine, e.g. INV-001)")
    if not weight > 0:
        raise InvalidInput(f"a respondent weight must be positive, not {weight}")
    g = get_group(session, a, group)
    if session.scalar(
        select(Respondent.id).where(Respondent.assessment_id == a.id, Respondent.name == name)
    ):
        raise Conflict(f"respondent {name!r} already exists in assessment {a.name!r}")
    respondent = Respondent(assessment_id=a.id, group_id=g.id, name=name.strip(), weight=weight)
    session.add(respondent)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="materiality.respondent.add",
        subject=f"materiality:{a.id}",
        payload={"respondents": [[respondent.name, group, weight]]},
    )
    return respondent


def import_respondents(
    session: Session, a: MaterialityAssessment, path: str | Path, *, actor: str
) -> int:
    """Respondents from a file with columns ``name, group`` (and optional ``weight``)."""
    require_open(a)
    table = read_table(path, kind="respondents")
    groups = {g.code: g.id for g in groups_of(session, a)}
    stored = set(session.scalars(select(Respondent.name).where(Respondent.assessment_id == a.id)))
    frame = _validate_people(table, groups, stored)
    for row in frame.iter_rows(named=True):
        session.add(
            Respondent(
                assessment_id=a.id,
                group_id=groups[row["group"]],
                name=row["name"],
                weight=row["_weight"],
            )
        )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="materiality.respondent.import",
        subject=f"materiality:{a.id}",
        payload={"source": table.source, "sha256": table.sha256, "respondents": frame.height},
    )
    return frame.height


def _validate_people(table: Table, groups: dict[str, int], stored: set[str]) -> pl.DataFrame:
    """Respondent rows with their weight, or :class:`ImportRejected` naming every bad row."""
    check = Checker(table.source)
    if not check.require_columns(table.frame, ["name", "group"]):
        check.raise_if_any()
    frame = with_row_numbers(table.frame)
    if "weight" not in frame.columns:
        frame = frame.with_columns(pl.lit("1").alias("weight"))
    frame = frame.with_columns(
        pl.col("name").str.strip_chars(),
        pl.col("group").str.strip_chars(),
        pl.when(blank("weight")).then(1.0).otherwise(parse_number("weight")).alias("_weight"),
    )
    no_name = N_("a respondent needs a name")
    check.flag(frame, blank("name"), "name", no_name, Message(no_name))
    check.flag(
        frame,
        ~pl.col("group").is_in(sorted(groups)),
        "group",
        pl.format("unknown group '{}'; the assessment has " + ", ".join(groups), pl.col("group")),
        cell(
            N_("unknown group %(cell)r; the assessment has %(groups)s"),
            "group",
            groups=pl.lit(", ".join(groups)),
        ),
    )
    weight = N_("weight must be a positive number")
    check.flag(frame, ~(pl.col("_weight") > 0), "weight", weight, Message(weight))
    check.flag(
        frame,
        pl.col("name").is_in(sorted(stored)),
        "name",
        pl.format("respondent '{}' already exists", pl.col("name")),
        cell(N_("respondent %(cell)r already exists"), "name"),
    )
    check.flag(
        frame,
        pl.col("name").is_duplicated() & ~blank("name"),
        "name",
        pl.format("respondent '{}' appears more than once", pl.col("name")),
        cell(N_("respondent %(cell)r appears more than once"), "name"),
    )
    check.raise_if_any()
    return frame


def respondents_of(session: Session, a: MaterialityAssessment) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Respondent, StakeholderGroup.code, StakeholderGroup.axis)
        .join(StakeholderGroup, StakeholderGroup.id == Respondent.group_id)
        .where(Respondent.assessment_id == a.id)
        .order_by(Respondent.id)
    )
    return [
        {
            "name": r.name,
            "group": code,
            "axis": axis,
            "weight": r.weight,
            "token_issued": r.issued_at is not None,
            "responded": r.responded_at is not None,
        }
        for r, code, axis in rows
    ]


def issue_tokens(
    session: Session,
    a: MaterialityAssessment,
    *,
    group: str | None = None,
    reissue: bool = False,
    actor: str,
) -> list[dict[str, str]]:
    """New one-time tokens for respondents who have none (``reissue``: who have not answered).

    The tokens are returned once; only their hashes are stored.
    """
    require_open(a)
    stmt = (
        select(Respondent, StakeholderGroup.code)
        .join(StakeholderGroup, StakeholderGroup.id == Respondent.group_id)
        .where(Respondent.assessment_id == a.id, Respondent.responded_at.is_(None))
        .order_by(Respondent.id)
    )
    if group:
        stmt = stmt.where(StakeholderGroup.id == get_group(session, a, group).id)
    issued = []
    now = utcnow()
    for respondent, code in session.execute(stmt):
        if respondent.token_hash and not reissue:
            continue
        token = one_time_token()
        respondent.token_hash, respondent.issued_at = token_hash(token), now
        issued.append({"respondent": respondent.name, "group": code, "token": token})
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="materiality.tokens.issue",
        subject=f"materiality:{a.id}",
        payload={"respondents": [t["respondent"] for t in issued], "reissue": reissue},
    )
    return issued


@dataclass(frozen=True)
class Invitation:
    """What a one-time survey link opens: who answers, for which assessment, on which topics."""

    respondent: str
    group: str
    axis: str  # the group's instrument: impact, financial, stakeholder or business
    assessment: str
    year: int
    closed: bool  # the assessment was approved: answers are no longer accepted
    answered: bool  # the link was used already
    topics: list[tuple[str, str]]  # (code, name)


def invitation(session: Session, token: str) -> Invitation:
    """The questionnaire a token stands for; NotFound for a token never issued or replaced."""
    row = session.execute(
        select(Respondent, StakeholderGroup, MaterialityAssessment)
        .join(StakeholderGroup, StakeholderGroup.id == Respondent.group_id)
        .join(MaterialityAssessment, MaterialityAssessment.id == Respondent.assessment_id)
        .where(Respondent.token_hash == token_hash(token))
    ).first()
    if not token.strip() or row is None:
        message = N_("unknown survey link: it was not issued, or a newer one replaced it")
        raise worded(NotFound(message), message, {})
    respondent, group, a = row
    return Invitation(
        respondent=respondent.name,
        group=group.name,
        axis=group.axis,
        assessment=a.name,
        year=a.year,
        closed=a.status == "approved",
        answered=respondent.responded_at is not None,
        topics=[(t.code, t.name) for t in topics_of(session, a)],
    )
