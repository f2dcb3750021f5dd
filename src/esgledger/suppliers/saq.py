"""Sending questionnaires to suppliers through one-time links, and taking their answers.

A link works like a materiality survey link (:mod:`esgledger.assess.respondents`): the
token comes from :func:`~esgledger.auth.tokens.one_time_token`, is returned once, and only
its SHA-256 is stored. It opens one questionnaire for one supplier, expires after a number
of days and is spent by the answers it brings back (a second use is refused). Answers are scored by
:mod:`.questionnaire`; the score feeds the questionnaire dimension of the risk tier.
Evidence files are bounded like request evidence and stored in the database, their SHA-256
kept in the answers so the register's digest covers them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mimetypes
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.tokens import one_time_token, token_hash
from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.ledger import audit, digests
from esgledger.ledger.models import utcnow
from esgledger.ledger.supplier_models import (
    Supplier,
    SupplierContact,
    SupplierQuestionnaire,
    SupplierSaqEvidence,
    SupplierSaqLink,
)
from esgledger.suppliers.questionnaire import Definition, definition_from_json, score
from esgledger.suppliers.register import known_ids, refuse_ended
from esgledger.workflow.evidence import MAX_BYTES
from esgledger.workflow.file_names import file_name

MAX_DAYS = 365
MAX_FILES = 20  # evidence files per answer sheet


def define(session: Session, definition: Definition, *, actor: str) -> SupplierQuestionnaire:
    """Store a questionnaire; the same one again is a no-op, a changed one under a used
    name is refused (answers stay tied to the questions they answered)."""
    found = session.scalar(
        select(SupplierQuestionnaire).where(SupplierQuestionnaire.name == definition.name)
    )
    if found is not None:
        if found.sha256 == definition.sha256:
            return found
        raise Conflict(
            f"questionnaire {definition.name!r} exists with other questions; give the new "
            "version a new name"
        )
    row = SupplierQuestionnaire(
        name=definition.name,
        definition=definition.canonical,
        sha256=definition.sha256,
        created_by=actor,
    )
    session.add(row)
    session.flush()
    payload = {"questionnaire": row.name, "sha256": row.sha256}
    _changed(session, actor, "suppliers.saq.define", payload, [])
    return row


def get_questionnaire(session: Session, name: str) -> SupplierQuestionnaire:
    row = session.scalar(select(SupplierQuestionnaire).where(SupplierQuestionnaire.name == name))
    if row is None:
        raise NotFound(
            f"unknown questionnaire {name!r}; `esg suppliers saq list` lists the defined ones"
        )
    return row


def questionnaires(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(SupplierQuestionnaire).order_by(SupplierQuestionnaire.id))
    return [
        {
            "name": q.name,
            "questions": len(definition_from_json(q.definition).questions),
            "sha256": q.sha256,
        }
        for q in rows
    ]


def send(
    session: Session,
    name: str,
    supplier_ids: list[str],
    *,
    days: int,
    actor: str,
    reissue: bool = False,
    now: dt.datetime | None = None,
) -> list[dict[str, str]]:
    """A one-time link per supplier, valid ``days`` days; the tokens are returned once.

    A supplier that has a link already is refused unless ``reissue`` (which replaces the
    token, so the old link stops working); one that answered is refused always.
    """
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"a link is valid 1 to {MAX_DAYS} days, not {days}")
    q = get_questionnaire(session, name)
    ids = known_ids(session, supplier_ids)
    now = now or utcnow()
    refuse_ended(session, ids, now.date(), "questionnaire")
    links = {
        link.supplier_id: link
        for link in session.scalars(
            select(SupplierSaqLink).where(
                SupplierSaqLink.questionnaire_id == q.id, SupplierSaqLink.supplier_id.in_(ids)
            )
        )
    }
    for supplier in ids:
        link = links.get(supplier)
        if link is not None and link.answered_at is not None:
            raise Conflict(f"supplier {supplier} answered questionnaire {name!r} already")
        if link is not None and not reissue:
            raise Conflict(
                f"supplier {supplier} has a link to questionnaire {name!r}; send with "
                "--reissue to replace it"
            )
    issued = []
    for supplier in ids:
        token = one_time_token()
        link = links.get(supplier) or SupplierSaqLink(questionnaire_id=q.id, supplier_id=supplier)
        link.token_hash, link.issued_by = token_hash(token), actor
        link.issued_at, link.expires_at = now, now + dt.timedelta(days=days)
        session.add(link)
        issued.append(
            {"supplier": supplier, "token": token, "expires": link.expires_at.isoformat()}
        )
    session.flush()
    payload = {"questionnaire": name, "suppliers": ids, "days": days, "reissue": reissue}
    _changed(session, actor, "suppliers.saq.send", payload, list(ids))
    return issued


@dataclass(frozen=True)
class Invitation:
    """What a link opens: the questionnaire, for whom, until when."""

    supplier: str
    supplier_name: str
    questionnaire: Definition
    expires_at: dt.datetime


def _link(session: Session, token: str, now: dt.datetime) -> SupplierSaqLink:
    link = None
    if token.strip():
        link = session.scalar(
            select(SupplierSaqLink).where(SupplierSaqLink.token_hash == token_hash(token))
        )
    if link is None:
        raise NotFound("unknown questionnaire link: it was not issued, or a newer one replaced it")
    if link.answered_at is not None:
        raise Conflict("this questionnaire link was used already: the answers are in")
    if link.expires_at <= now:
        raise Conflict(
            f"this questionnaire link expired on {link.expires_at:%Y-%m-%d}; ask your "
            "contact for a new one"
        )
    return link


def open_link(session: Session, token: str, *, now: dt.datetime | None = None) -> Invitation:
    """The questionnaire behind a token; NotFound if unknown, Conflict if spent or expired."""
    link = _link(session, token, now or utcnow())
    q = session.get_one(SupplierQuestionnaire, link.questionnaire_id)
    supplier = session.get_one(Supplier, link.supplier_id)
    return Invitation(
        supplier.id, supplier.name, definition_from_json(q.definition), link.expires_at
    )


@dataclass(frozen=True)
class Upload:
    """An evidence file sent with the answer to ``question``."""

    question: str
    name: str
    content: bytes
    media_type: str = ""


def submit(
    session: Session,
    token: str,
    answers: dict[str, str],
    uploads: list[Upload] | tuple[Upload, ...] = (),
    *,
    actor: str | None = None,
    now: dt.datetime | None = None,
) -> float:
    """Check, score and store a supplier's answers, spending the link; returns the score.
    Nothing is written when an answer or a file is refused. ``actor``: a user entering
    answers given on paper (else the supplier itself is the actor)."""
    now = now or utcnow()
    link = _link(session, token, now)
    q = session.get_one(SupplierQuestionnaire, link.questionnaire_id)
    definition = definition_from_json(q.definition)
    check_uploads(len(uploads))
    files = [_checked(u, definition) for u in uploads]
    scored = score(definition, answers, {u.question for u, _ in files})
    stored = {
        "answers": scored.answers,
        "evidence": [
            {"question": u.question, "name": n, "sha256": hashlib.sha256(u.content).hexdigest()}
            for u, n in files
        ],
    }
    for upload, name in files:
        session.add(
            SupplierSaqEvidence(
                link_id=link.id,
                question=upload.question,
                name=name,
                media_type=upload.media_type
                or mimetypes.guess_type(name)[0]
                or "application/octet-stream",
                size=len(upload.content),
                sha256=hashlib.sha256(upload.content).hexdigest(),
                content=bytes(upload.content),
            )
        )
    link.answers = json.dumps(stored, sort_keys=True, ensure_ascii=False)
    link.score, link.answered_at = scored.score, now
    session.flush()
    payload = {"questionnaire": q.name, "supplier": link.supplier_id, "score": scored.score}
    who = actor or f"supplier:{link.supplier_id}"
    _changed(session, who, "suppliers.saq.answer", payload, [link.supplier_id])
    return scored.score


def _checked(upload: Upload, definition: Definition) -> tuple[Upload, str]:
    name = file_name(upload.name)
    if definition.question(upload.question) is None:
        raise InvalidInput(f"evidence {name!r} names unknown question {upload.question!r}")
    if not upload.content:
        raise InvalidInput(f"evidence file {name!r} is empty")
    if len(upload.content) > MAX_BYTES:
        raise InvalidInput(
            f"evidence file {name!r} is {len(upload.content) / 1e6:.1f} MB; the limit is "
            f"{MAX_BYTES // (1024 * 1024)} MB"
        )
    return upload, name


def check_uploads(count: int) -> None:
    """Refuse an answer sheet with more evidence files than :data:`MAX_FILES`."""
    if count > MAX_FILES:
        raise InvalidInput(f"{count} evidence files; the limit is {MAX_FILES} per questionnaire")


def latest_scores(session: Session) -> dict[str, float]:
    """Each supplier's score from the questionnaire it answered last."""
    stmt = (
        select(SupplierSaqLink.supplier_id, SupplierSaqLink.score)
        .where(SupplierSaqLink.answered_at.is_not(None))
        .order_by(SupplierSaqLink.answered_at, SupplierSaqLink.id)
    )
    return {supplier: value for supplier, value in session.execute(stmt) if value is not None}


def links(
    session: Session, name: str | None = None, *, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Every link with its state (answered, expired or open) and score."""
    now = now or utcnow()
    stmt = (
        select(SupplierSaqLink, SupplierQuestionnaire.name)
        .join(SupplierQuestionnaire, SupplierQuestionnaire.id == SupplierSaqLink.questionnaire_id)
        .order_by(SupplierSaqLink.id)
    )
    if name is not None:
        stmt = stmt.where(SupplierSaqLink.questionnaire_id == get_questionnaire(session, name).id)
    return [_link_dict(link, q, now) for link, q in session.execute(stmt)]


def _link_dict(link: SupplierSaqLink, questionnaire: str, now: dt.datetime) -> dict[str, Any]:
    state = (
        "answered"
        if link.answered_at is not None
        else "expired"
        if link.expires_at <= now
        else "open"
    )
    return {
        "questionnaire": questionnaire,
        "supplier": link.supplier_id,
        "state": state,
        "issued_at": link.issued_at.isoformat(),
        "expires_at": link.expires_at.isoformat(),
        "answered_at": link.answered_at.isoformat() if link.answered_at else None,
        "score": None if link.score is None else round(link.score, 2),
    }


def reminders(
    session: Session,
    name: str | None = None,
    *,
    within_days: int = 7,
    now: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """Open links expiring within ``within_days`` days, with the supplier's contacts to
    remind (expired links are listed by :func:`links`; they need a reissue, not a reminder)."""
    now = now or utcnow()
    due = [
        row
        for row in links(session, name, now=now)
        if row["state"] == "open"
        and dt.datetime.fromisoformat(row["expires_at"]) <= now + dt.timedelta(days=within_days)
    ]
    contacts: dict[str, list[str]] = {}
    stmt = select(SupplierContact).where(
        SupplierContact.supplier_id.in_([r["supplier"] for r in due])
    )
    for c in session.scalars(stmt.order_by(SupplierContact.id)):
        contacts.setdefault(c.supplier_id, []).append(_contact(c))
    return [r | {"contacts": contacts.get(r["supplier"], [])} for r in due]


def _contact(c: SupplierContact) -> str:
    return f"{c.name} <{c.email}>"


def _changed(
    session: Session, actor: str, action: str, payload: dict[str, Any], suppliers: list[str]
) -> None:
    """One audit event; only ``suppliers``' register rows (and the shared tables) re-digested."""
    digests.touch_suppliers(session, suppliers)
    audit.record(
        session, actor=actor, action=action, subject=digests.SUPPLIER_REGISTER, payload=payload
    )
