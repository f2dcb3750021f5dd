"""Reasons for omission, recorded in the audit log rather than a table.

An omission is an audit event (action ``index.omission``, subject
``<framework>:<year>:<code>``) so who omitted what, when and why is part of the hash chain.
The latest event per disclosure and year wins; a withdrawal is an event too.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.frameworks import disclosure, framework, omission_reasons
from esgledger.catalog.messages import N_, translate
from esgledger.catalog.translations import has_text, text
from esgledger.disclose.edition_env import entered
from esgledger.disclose.szse_elements import element_row
from esgledger.errors import InvalidInput, NotFound
from esgledger.ledger import audit
from esgledger.ledger.models import AuditEvent

ACTION = "index.omission"
NOT_MATERIAL = "not material"  # for frameworks that omit non-material topics (not GRI)
_ALIASES = {
    "n/a": "not applicable",
    "na": "not applicable",
    "legal prohibition": "legal prohibitions",
    "confidentiality": "confidentiality constraints",
    "confidentiality constraint": "confidentiality constraints",
    "information unavailable": "information unavailable/incomplete",
    "information incomplete": "information unavailable/incomplete",
    "unavailable": "information unavailable/incomplete",
    "incomplete": "information unavailable/incomplete",
}


@dataclass(frozen=True)
class Omission:
    """A stated reason why a disclosure (or part of it) is not reported for a year."""

    framework: str
    code: str
    year: int
    reason: str
    explanation: str
    requirement: str  # the part omitted, e.g. "2-21-b"; empty = the whole disclosure
    actor: str
    recorded_at: str
    event_id: int
    generated: bool = False  # stated by the report itself for want of a recorded reason
    # A generated explanation as a message and its values, so each edition words it in its
    # language (:func:`omission_text`); a recorded one is printed as it was entered.
    message: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """How the index prints it: ``information unavailable/incomplete — no 2025 value …``."""
        part = f"{self.requirement}: " if self.requirement else ""
        return f"{part}{self.reason} — {self.explanation}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "text": self.text}


# GRI 1's four reasons for omission (and "not material") in the editions' words.
REASON_WORDS = {
    "not applicable": N_("not applicable"),
    "legal prohibitions": N_("legal prohibitions"),
    "confidentiality constraints": N_("confidentiality constraints"),
    "information unavailable/incomplete": N_("information unavailable/incomplete"),
    NOT_MATERIAL: N_("not material"),
}


def omission_text(omission: dict[str, Any], lang: str) -> str:
    """How an edition's index prints an omission (:meth:`Omission.as_dict`): the reason in
    ``lang``, the generated explanation in ``lang``, a recorded one as it was entered."""
    if lang == "en":
        return str(omission["text"])
    reason = omission["reason"]
    said = translate(REASON_WORDS[reason], lang) if reason in REASON_WORDS else reason
    values = dict(omission.get("values") or {})
    if "kpis" in values:
        values["kpis"] = translate(", ", lang).join(
            text("metric", m, lang) if has_text("metric", m, lang) else m for m in values["kpis"]
        )
    if "element" in values:
        element = values["element"]
        values["element"] = (
            translate(ELEMENT_WORDS[element], lang) if element in ELEMENT_WORDS else element
        )
    message = str(omission.get("message") or "")
    explanation = (
        Markup(translate(message, lang)) % values
        if message
        else entered(omission["explanation"], lang)
    )
    part = (
        Markup("{}{}").format(omission["requirement"], translate(": ", lang))
        if omission["requirement"]
        else Markup("")
    )
    return part + said + " — " + explanation


ELEMENT_WORDS = {
    "governance": N_("governance"),
    "strategy": N_("strategy"),
    "impact, risk and opportunity management": N_("impact, risk and opportunity management"),
    "metrics and targets": N_("metrics and targets"),
}


def reasons_for(framework_id: str) -> tuple[str, ...]:
    """GRI 1's four reasons; frameworks built on materiality also accept ``not material``."""
    base = omission_reasons()
    return base if framework_id.startswith("gri-") else (*base, NOT_MATERIAL)


def normalise_reason(reason: str, framework_id: str) -> str:
    text = " ".join(reason.strip().lower().replace("_", " ").replace("-", " ").split())
    text = _ALIASES.get(text, text)
    allowed = reasons_for(framework_id)
    if text not in allowed:
        choices = "; ".join(f'"{r}"' for r in allowed)
        raise InvalidInput(f"unknown reason for omission {reason!r}; use one of: {choices}")
    return text


def _subject(framework_id: str, year: int, code: str) -> str:
    return f"{framework_id}:{year}:{code}"


@dataclass(frozen=True)
class Row:
    """An index row a reason can be recorded for: a disclosure, or an SZSE topic's element."""

    code: str
    title: str
    omission_permitted: bool


def index_row(framework_id: str, code: str) -> Row:
    """The row ``code`` names in ``framework_id``'s index (its canonical code), or NotFound.

    Besides the framework's disclosures, SZSE No. 17 prints four element rows under each
    double-material topic (``<topic>/<element>``); the guideline permits a reason for each.
    """
    element = element_row(framework_id, code)
    if element is not None:
        return Row(element.code, element.title, True)
    item = disclosure(framework_id, code)
    return Row(item.code, item.title, item.omission_permitted)


def record_omission(
    session: Session,
    *,
    year: int,
    framework_id: str,
    code: str,
    reason: str,
    explanation: str,
    requirement: str = "",
    actor: str,
) -> Omission:
    """Record why a disclosure is omitted for a year; refused where the standard forbids it."""
    fw = framework(framework_id)
    item = index_row(fw.id, code)
    if not item.omission_permitted:
        raise InvalidInput(
            f"{fw.id} {item.code} ({item.title}) cannot be omitted: the standard permits no "
            "reason for omission for it; report it instead"
        )
    if not explanation.strip():
        raise InvalidInput("give --explanation: each reason for omission needs an explanation")
    payload = {
        "framework": fw.id,
        "code": item.code,
        "year": year,
        "reason": normalise_reason(reason, fw.id),
        "explanation": explanation.strip(),
        "requirement": requirement.strip(),
    }
    event = audit.record(
        session,
        actor=actor,
        action=ACTION,
        subject=_subject(fw.id, year, item.code),
        payload=payload,
    )
    return _from_event(event, payload)


def withdraw_omission(
    session: Session, *, year: int, framework_id: str, code: str, actor: str
) -> None:
    """Take back the current omission of a disclosure for a year (the history stays)."""
    fw = framework(framework_id)
    item = index_row(fw.id, code)
    if item.code not in latest_omissions(session, year, fw.id):
        raise NotFound(f"no omission is recorded for {fw.id} {item.code} in {year}")
    audit.record(
        session,
        actor=actor,
        action=ACTION,
        subject=_subject(fw.id, year, item.code),
        payload={"framework": fw.id, "code": item.code, "year": year, "withdrawn": True},
    )


def latest_omissions(session: Session, year: int, framework_id: str) -> dict[str, Omission]:
    """The omission in force per disclosure code for a year: the latest event wins."""
    prefix = f"{framework_id}:{year}:"
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == ACTION, AuditEvent.subject.startswith(prefix, autoescape=True))
        .order_by(AuditEvent.id)
    )
    current: dict[str, Omission] = {}
    for event in events:
        payload = json.loads(event.payload)
        code = payload["code"]
        if payload.get("withdrawn"):
            current.pop(code, None)
        else:
            current[code] = _from_event(event, payload)
    return current


def _from_event(event: AuditEvent, payload: dict[str, Any]) -> Omission:
    return Omission(
        framework=payload["framework"],
        code=payload["code"],
        year=int(payload["year"]),
        reason=payload["reason"],
        explanation=payload["explanation"],
        requirement=payload.get("requirement", ""),
        actor=event.actor,
        recorded_at=event.ts.isoformat(timespec="seconds"),
        event_id=event.id,
    )
