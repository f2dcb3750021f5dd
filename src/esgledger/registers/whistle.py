"""The whistleblowing and grievance register: anonymous intake, follow-up, case handling.

A compliance officer issues one-time intake links, each for an entity and a channel (only
the token's SHA-256 is stored, like survey links). A reporter who opens one writes a report
without an account and receives, once, a case code and a passphrase; the passphrase is kept
as an argon2 hash (like passwords) and wrong ones count against the login rate limit
(:func:`esgledger.auth.sessions.check_attempts`), keyed by the case code and the address.

Cases then move through :data:`CASES` (transitions as data): triage, investigation by a
named compliance officer, an outcome (substantiated or not), corrective action, closure and
the non-retaliation follow-up. Every step is audit-logged without the case's content, which
only compliance officers read (``cases.read``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.passwords import dummy_hash, hash_password, verify_password
from esgledger.auth.permissions import PermissionDenied, Principal, require
from esgledger.auth.sessions import check_attempts, count_failure, forget_failures
from esgledger.auth.tokens import one_time_token, token_hash
from esgledger.catalog.messages import N_
from esgledger.errors import ConcurrentChange, Conflict, InvalidInput, NotFound, worded
from esgledger.ledger import audit, digests
from esgledger.ledger.models import Entity, utcnow
from esgledger.ledger.register_models import WhistleCase, WhistleLink, WhistleMessage
from esgledger.ledger.workflow_models import User
from esgledger.registers.states import Flow
from esgledger.registers.transitions import move

REGISTER = "whistleblowing"
CASE_TYPES = ("corruption", "fraud", "harassment", "human_rights", "data", "other")
CHANNELS = ("web", "hotline", "email", "letter", "in_person")
OUTCOMES = ("substantiated", "unsubstantiated")
MAX_TEXT = 8000  # characters of a report or a message
# Directive (EU) 2019/1937 art. 9(1)(f): feedback within three months of the
# acknowledgement; a case closed within this many days of receipt is "within SLA".
CLOSE_WITHIN_DAYS = 90
CASES = Flow(
    register=REGISTER,
    initial="received",
    moves={
        "received": ("triaged", "closed"),
        "triaged": ("investigating", "closed"),
        "investigating": ("corrective_action", "closed"),
        "corrective_action": ("closed",),
        "closed": ("followed_up",),
    },
    # received: acknowledge within 7 days (Directive (EU) 2019/1937 art. 9(1)(b));
    # investigating: 90 days (art. 9(1)(f), three months). Triage 14, corrective action 60
    # and the non-retaliation follow-up within 180 days of closure are defaults chosen here.
    sla_days={
        "received": 7,
        "triaged": 14,
        "investigating": 90,
        "corrective_action": 60,
        "closed": 180,
    },
)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on a hotline


def _choice(value: str, choices: tuple[str, ...], what: str) -> str:
    value = value.strip().lower()
    if value not in choices:
        raise worded(
            InvalidInput(f"{what} {value!r} is not one of {', '.join(choices)}"),
            N_("%(what)s %(value)r is not one of %(choices)s"),
            {"value": value, "choices": ", ".join(choices)},
            {"what": what},
        )
    return value


def _text(value: str, what: str, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise worded(InvalidInput(f"{what} is empty"), N_("%(what)s is empty"), {}, {"what": what})
    if len(value) > MAX_TEXT:
        raise worded(
            InvalidInput(f"{what} is longer than {MAX_TEXT} characters"),
            N_("%(what)s is longer than %(max)s characters"),
            {"max": MAX_TEXT},
            {"what": what},
        )
    return value


# ---------------------------------------------------------------------------------------------
# Intake


def issue_links(
    session: Session, user: Principal, *, entity: str, channel: str = "web", count: int = 1
) -> list[str]:
    """``count`` new one-time intake tokens for ``entity``; returned once, hashes kept."""
    require(user, "cases.handle")
    channel = _choice(channel, CHANNELS, N_("channel"))
    if session.get(Entity, entity) is None:
        raise NotFound(f"unknown entity {entity!r}; `esg entities list` lists them")
    if not 1 <= count <= 1000:
        raise InvalidInput(f"links are issued 1 to 1000 at a time, not {count}")
    tokens = [one_time_token() for _ in range(count)]
    for token in tokens:
        session.add(
            WhistleLink(
                token_hash=token_hash(token),
                entity_id=entity,
                channel=channel,
                issued_by=user.username,
            )
        )
    session.flush()
    audit.record(
        session,
        actor=user.username,
        action=f"register.{REGISTER}.links",
        subject=f"{REGISTER}:{entity}",
        payload={"entity": entity, "channel": channel, "links": count},
    )
    return tokens


def open_link(session: Session, token: str) -> WhistleLink:
    """The unused intake link behind ``token``; NotFound for an unknown or used one."""
    link = session.scalar(select(WhistleLink).where(WhistleLink.token_hash == token_hash(token)))
    if not token.strip() or link is None:
        message = N_("unknown reporting link: it was not issued, or was mistyped")
        raise worded(NotFound(message), message, {})
    if link.used_at is not None:
        message = N_(
            "this reporting link was used already; follow your report up with its case code"
        )
        raise worded(Conflict(message), message, {})
    return link


@dataclass(frozen=True)
class Receipt:
    """What a reporter keeps: shown once, never stored in clear."""

    code: str
    passphrase: str


def _new_code(session: Session) -> str:
    while True:
        code = "WB-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if session.scalar(select(WhistleCase.id).where(WhistleCase.ref == code)) is None:
            return code


def _new_case(
    session: Session, *, entity: str, channel: str, case_type: str, description: str
) -> tuple[WhistleCase, Receipt]:
    passphrase = "-".join(secrets.token_hex(3) for _ in range(4))
    now = utcnow()
    case = WhistleCase(
        ref=_new_code(session),
        entity_id=entity,
        channel=channel,
        case_type=_choice(case_type, CASE_TYPES, N_("type")),
        description=_text(description, N_("the report")),
        passphrase_hash=hash_password(passphrase),
        received_at=now,
        state=CASES.initial,
        state_changed_at=now,
    )
    session.add(case)
    session.flush()
    digests.touch(session, digests.batch_scope(None))  # the next audit event digests it
    return case, Receipt(case.ref, passphrase)


def submit_report(session: Session, token: str, *, case_type: str, description: str) -> Receipt:
    """An anonymous report through a one-time link; the link is spent by it."""
    link = open_link(session, token)
    case, receipt = _new_case(
        session,
        entity=link.entity_id,
        channel=link.channel,
        case_type=case_type,
        description=description,
    )
    link.used_at = case.received_at
    audit.record(
        session,
        actor="anonymous",
        action=f"register.{REGISTER}.report",
        subject=f"{REGISTER}:{case.ref}",
        payload={"entity": case.entity_id, "channel": case.channel},
    )
    return receipt


def record_case(
    session: Session,
    user: Principal,
    *,
    entity: str,
    channel: str,
    case_type: str,
    description: str,
) -> Receipt:
    """A case received by another channel (a hotline call, a letter), typed by an officer;
    the receipt goes back to the reporter through that channel."""
    require(user, "cases.handle")
    if session.get(Entity, entity) is None:
        raise NotFound(f"unknown entity {entity!r}; `esg entities list` lists them")
    case, receipt = _new_case(
        session,
        entity=entity,
        channel=_choice(channel, CHANNELS, N_("channel")),
        case_type=case_type,
        description=description,
    )
    audit.record(
        session,
        actor=user.username,
        action=f"register.{REGISTER}.record",
        subject=f"{REGISTER}:{case.ref}",
        payload={"entity": case.entity_id, "channel": case.channel},
    )
    return receipt


# ---------------------------------------------------------------------------------------------
# The reporter's follow-up


class WrongPassphrase(PermissionDenied):
    """The case code or the passphrase is wrong (one message for both)."""


def _throttle_key(code: str) -> str:
    return f"case:{code.strip().upper()[:32]}"


def follow_up(session: Session, code: str, passphrase: str, *, client: str) -> WhistleCase:
    """The case behind ``code`` when ``passphrase`` is its own; rate-limited like login.

    A wrong pair is counted (the caller commits the failure even though this raises) and
    answered with one message whatever was wrong, so codes cannot be probed.
    """
    key = _throttle_key(code)
    check_attempts(session, key, client=client)
    case = session.scalar(select(WhistleCase).where(WhistleCase.ref == code.strip().upper()))
    stored = case.passphrase_hash if case is not None else dummy_hash()
    if case is None or not verify_password(stored, passphrase.strip()):
        count_failure(session, key, client=client)
        audit.record(
            session,
            actor="anonymous",
            action=f"register.{REGISTER}.follow_up_failed",
            subject=f"{REGISTER}:{code.strip().upper()[:32]}",
            payload={"client": client[:100]},
        )
        message = N_("the case code or the passphrase is wrong")
        raise worded(WrongPassphrase(message), message, {})
    forget_failures(session, key)
    return case


def record_throttled(session: Session, code: str, *, client: str, retry_after: int) -> None:
    """Audit a follow-up refused by the rate limit (in its own transaction, as for logins)."""
    audit.record(
        session,
        actor="anonymous",
        action=f"register.{REGISTER}.follow_up_throttled",
        subject=f"{REGISTER}:{code.strip().upper()[:32]}",
        payload={"client": client[:100], "retry_after": retry_after},
    )


def add_message(session: Session, case: WhistleCase, *, author: str, body: str) -> None:
    """A message on the case, from the reporter or from compliance (audited without text)."""
    session.add(WhistleMessage(case_id=case.id, author=author, body=_text(body, N_("the message"))))
    session.flush()
    audit.record(
        session,
        actor="anonymous" if author == "reporter" else author,
        action=f"register.{REGISTER}.message",
        subject=f"{REGISTER}:{case.ref}",
        payload={"from": "reporter" if author == "reporter" else "compliance"},
    )


def reply(session: Session, user: Principal, *, code: str, body: str) -> None:
    require(user, "cases.handle")
    add_message(session, get_case(session, user, code), author=user.username, body=body)


def reporter_view(session: Session, case: WhistleCase) -> dict[str, object]:
    """What the reporter sees: state, dates and messages, never the officers' names."""
    messages = session.scalars(
        select(WhistleMessage).where(WhistleMessage.case_id == case.id).order_by(WhistleMessage.id)
    )
    return {
        "code": case.ref,
        "type": case.case_type,
        "received": case.received_at.date().isoformat(),
        "state": case.state,
        "outcome": case.outcome,
        "messages": [
            {
                "from": "you" if m.author == "reporter" else "compliance",
                "at": m.at.isoformat(timespec="minutes"),
                "body": m.body,
            }
            for m in messages
        ],
    }


# ---------------------------------------------------------------------------------------------
# Handling


def get_case(session: Session, user: Principal, code: str) -> WhistleCase:
    require(user, "cases.read")
    case = session.scalar(select(WhistleCase).where(WhistleCase.ref == code.strip().upper()))
    if case is None:
        raise worded(
            NotFound(f"{REGISTER}: no case {code!r}"),
            N_("whistleblowing: no case %(code)r"),
            {"code": code},
        )
    return case


def _investigator(session: Session, name: str) -> str:
    user = session.scalar(select(User).where(User.username == name.strip().lower()))
    if user is None or not user.active or user.role != "compliance_officer":
        raise InvalidInput(
            f"investigator {name!r} must be an active compliance officer, independent of the "
            "reported line (`esg user add NAME --role compliance_officer`)"
        )
    return user.username


@dataclass(frozen=True)
class Step:
    """What a move adds to the case: its investigator, outcome, corrective action, notes."""

    target: str
    investigator: str = ""
    outcome: str = ""
    corrective_action: str = ""
    note: str = ""


def _apply(session: Session, case: WhistleCase, step: Step) -> None:
    """Check and write what ``step.target`` needs before the state changes."""
    if step.target == "investigating":
        case.investigator = _investigator(session, step.investigator)
    if step.outcome:
        case.outcome = _choice(step.outcome, OUTCOMES, N_("outcome"))
    if step.target == "corrective_action":
        if case.outcome != "substantiated":
            raise InvalidInput("corrective action follows a substantiated outcome; give --outcome")
        case.corrective_action = _text(step.corrective_action, N_("the corrective action"))
    if step.target == "closed":
        if case.state in ("investigating", "corrective_action") and not case.outcome:
            raise InvalidInput("an investigated case closes with an outcome; give --outcome")
        if case.state in ("received", "triaged"):
            _text(step.note, N_("the reason for closing without investigation"))
        case.closed_at = utcnow()
    if step.target == "followed_up":
        case.retaliation_note = _text(step.note, N_("the non-retaliation follow-up note"))


def advance(
    session: Session, user: Principal, *, code: str, step: Step, seen_version: int | None = None
) -> WhistleCase:
    """Move a case along :data:`CASES` (optimistic locking; audit-logged without content)."""
    case = get_case(session, user, code)
    require(user, "cases.handle")
    if seen_version is not None and case.version != seen_version:
        raise ConcurrentChange(
            f"{REGISTER} {case.ref} changed since version {seen_version} (now {case.version}); "
            "reload it and try again"
        )
    CASES.check(case.state, step.target)
    _apply(session, case, step)
    if step.target == "closed" and step.note:
        add_message(session, case, author=user.username, body=step.note)
    moved = move(
        session,
        WhistleCase,
        CASES,
        ref=case.ref,
        target=step.target,
        actor=user.username,
        seen_version=seen_version,
        note="outcome: " + case.outcome if step.outcome else "",
    )
    assert isinstance(moved, WhistleCase)
    return moved


def closed_within_sla(case: WhistleCase) -> bool:
    return case.closed_at is not None and case.closed_at - case.received_at <= dt.timedelta(
        days=CLOSE_WITHIN_DAYS
    )
