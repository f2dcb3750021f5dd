"""Risk tiers: a score from 1 (low) to 3 (high) per dimension, their weighted mean, a tier.

Dimensions (levels set by :mod:`.policy`): the supplier's country; the riskiest of its
commodities; its share of the imported spend in its currency; open Priority and Major audit
findings; the score of the questionnaire it answered last (:mod:`.saq`; by default below 80
is medium, below 60 high). A dimension without data is "not available" with
its reason and left out of the mean (never counted as low risk); a supplier with no
dimension available gets no tier. A new tier row is stored only when the tier changes, so
a supplier's rows are its tier history.

A supplier whose cooperation ended (``ended_on``) on or before the assessment day gets no
new tier and no obligation (a tier decided on a day binds from that day on, when there is
no cooperation left); it is reported as "cooperation ended YYYY-MM-DD" and its earlier
tier rows stay as its history.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.ledger import audit, digests
from esgledger.ledger.supplier_models import (
    Supplier,
    SupplierAudit,
    SupplierFinding,
    SupplierTier,
)
from esgledger.suppliers.policy import Policy
from esgledger.suppliers.register import known_ids
from esgledger.suppliers.saq import latest_scores

NO_FINDINGS = "not available: no audit of this supplier is done"
SERIOUS = ("Priority", "Major")
NO_QUESTIONNAIRE = "not available: the supplier answered no questionnaire"


@dataclass(frozen=True)
class Assessment:
    """One supplier's scores and tier (``None`` when no dimension had data)."""

    supplier: str
    scores: dict[str, int | str]  # dimension → level 1-3, or the reason it is not available
    score: float | None
    tier: str | None
    previous: str | None = None
    obligations: dict[str, Any] = field(default_factory=dict)
    ended_on: dt.date | None = None  # set when the cooperation ended by the assessment day

    @property
    def note(self) -> str | None:
        """Why the supplier gets no tier although it has data, or None."""
        return None if self.ended_on is None else ended_note(self.ended_on)

    @property
    def changed(self) -> bool:
        return self.tier is not None and self.tier != self.previous

    def as_dict(self) -> dict[str, Any]:
        return {
            "supplier": self.supplier,
            "tier": self.tier,
            "previous": self.previous,
            "score": None if self.score is None else round(self.score, 4),
            "dimensions": self.scores,
            "obligations": self.obligations,
            "ended_on": None if self.ended_on is None else self.ended_on.isoformat(),
            "note": self.note,
        }


def ended_note(day: dt.date) -> str:
    return f"cooperation ended {day.isoformat()}"


def ended_by(supplier: Supplier, on: dt.date | None) -> bool:
    """True when the supplier's cooperation ended on or before ``on`` (None: no day given)."""
    return on is not None and supplier.ended_on is not None and supplier.ended_on <= on


def _level(value: float, medium: float, high: float, *, descending: bool = False) -> int:
    if descending:
        return 3 if value < high else 2 if value < medium else 1
    return 3 if value >= high else 2 if value >= medium else 1


def _spend_totals(suppliers: list[Supplier]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for s in suppliers:
        if s.spend is not None and s.spend_unit:
            totals[s.spend_unit] += s.spend
    return totals


def open_serious_findings(session: Session) -> dict[str, int]:
    """Per supplier with a done audit: its Priority and Major findings not verified closed."""
    out = dict.fromkeys(
        session.scalars(select(SupplierAudit.supplier_id).where(SupplierAudit.state == "done")), 0
    )
    stmt = (
        select(SupplierAudit.supplier_id, SupplierFinding.id)
        .join(SupplierAudit, SupplierAudit.id == SupplierFinding.audit_id)
        .where(SupplierFinding.grade.in_(SERIOUS), SupplierFinding.state != "verified_closed")
    )
    for supplier, _finding in session.execute(stmt):
        out[supplier] = out.get(supplier, 0) + 1
    return out


def dimension_scores(
    supplier: Supplier,
    policy: Policy,
    spend_totals: dict[str, float],
    findings: dict[str, int] | None = None,
    questionnaires: dict[str, float] | None = None,
) -> dict[str, int | str]:
    out: dict[str, int | str] = {
        "country": policy.country.get(supplier.country, policy.country_default)
    }
    commodities = [c.strip().lower() for c in supplier.commodities.split(";") if c.strip()]
    out["commodity"] = (
        max(policy.commodity.get(c, policy.commodity_default) for c in commodities)
        if commodities
        else "not available: no commodities recorded"
    )
    total = spend_totals.get(supplier.spend_unit or "", 0.0)
    if supplier.spend is None or total <= 0:
        out["spend"] = "not available: no spend imported"
    else:
        out["spend"] = _level(supplier.spend / total, *policy.spend_shares)
    found = (findings or {}).get(supplier.id)
    out["findings"] = NO_FINDINGS if found is None else _level(found, *policy.findings)
    answered = (questionnaires or {}).get(supplier.id)
    out["questionnaire"] = (
        NO_QUESTIONNAIRE
        if answered is None
        else _level(answered, *policy.questionnaire, descending=True)
    )
    return out


def assess(
    session: Session,
    policy: Policy,
    supplier_ids: list[str] | None = None,
    *,
    on: dt.date | None = None,
) -> list[Assessment]:
    """Every (or each given) supplier's assessment on ``on``, without storing anything."""
    wanted = set(known_ids(session, supplier_ids))
    everyone = list(session.scalars(select(Supplier).order_by(Supplier.id)))
    totals = _spend_totals(everyone)
    # compared with the tier in force on the assessment day (a back-dated assessment must
    # not compare with a later decision); the latest decision when no day is given
    current = tiers_as_at(session, on) if on is not None else current_tiers(session)
    findings = open_serious_findings(session)
    scores_of = latest_scores(session)
    out = []
    for supplier in (s for s in everyone if s.id in wanted):
        if ended_by(supplier, on):
            out.append(
                Assessment(supplier.id, {}, None, None, current.get(supplier.id),
                           ended_on=supplier.ended_on)
            )  # fmt: skip
            continue
        scores = dimension_scores(supplier, policy, totals, findings, scores_of)
        weighted = [
            (policy.weights[d], v)
            for d, v in scores.items()
            if isinstance(v, int) and policy.weights[d] > 0
        ]
        weight = sum(w for w, _ in weighted)
        score = sum(w * v for w, v in weighted) / weight if weight else None
        tier = policy.tier_of(score) if score is not None else None
        obligation = policy.obligations.get(tier or "")
        out.append(
            Assessment(
                supplier.id,
                scores,
                score,
                tier,
                current.get(supplier.id),
                _obligation_dict(obligation) if obligation else {},
            )
        )
    return out


def _obligation_dict(obligation: Any) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(obligation).items()}


def current_tiers(session: Session, *, on: dt.date | None = None) -> dict[str, str]:
    """Each supplier's latest tier. With ``on``, the tier as it stood that day: the last
    decision on or before it (a supplier first tiered later has none yet), and none for a
    supplier whose cooperation ended on or before it (its tier rows stay, as history)."""
    if on is None:
        stmt = select(SupplierTier.supplier_id, SupplierTier.tier).order_by(SupplierTier.id)
        return {supplier: tier for supplier, tier in session.execute(stmt)}
    return tiers_as_at(session, on, active=True)


def _as_at(on: dt.date) -> Any:
    """The tier rows decided on or before ``on``, in the order they took force."""
    return (
        select(SupplierTier)
        .where(SupplierTier.decided_on <= on)
        .order_by(SupplierTier.decided_on, SupplierTier.id)
    )


def tiers_as_at(session: Session, on: dt.date, *, active: bool = False) -> dict[str, str]:
    """Each supplier's tier in force on ``on``: the last decision on or before it, whatever
    was decided later. ``active`` leaves out suppliers whose cooperation ended by then."""
    stmt = _as_at(on).with_only_columns(SupplierTier.supplier_id, SupplierTier.tier)
    if active:
        stmt = stmt.join(Supplier, Supplier.id == SupplierTier.supplier_id).where(
            Supplier.ended_on.is_(None) | (Supplier.ended_on > on)
        )
    return {supplier: tier for supplier, tier in session.execute(stmt)}


def tier_on(session: Session, supplier_id: str, on: dt.date) -> dict[str, Any]:
    """The decision in force for one supplier on ``on`` (tier and day decided; None before
    its first decision)."""
    known_ids(session, [supplier_id])
    rows = session.scalars(_as_at(on).where(SupplierTier.supplier_id == supplier_id)).all()
    last = rows[-1] if rows else None
    return {
        "supplier": supplier_id,
        "on": on.isoformat(),
        "tier": last.tier if last else None,
        "decided_on": last.decided_on.isoformat() if last else None,
    }


def tiered_after(session: Session, on: dt.date) -> int:
    """How many suppliers still in cooperation on ``on`` had no tier then but got one later."""
    before = select(SupplierTier.supplier_id).where(SupplierTier.decided_on <= on)
    stmt = (
        select(func.count(func.distinct(SupplierTier.supplier_id)))
        .join(Supplier, Supplier.id == SupplierTier.supplier_id)
        .where(
            SupplierTier.decided_on > on,
            SupplierTier.supplier_id.not_in(before),
            Supplier.ended_on.is_(None) | (Supplier.ended_on > on),
        )
    )
    return session.scalar(stmt) or 0


def record_tiers(
    session: Session,
    policy: Policy,
    *,
    on: dt.date,
    actor: str,
    supplier_ids: list[str] | None = None,
) -> list[Assessment]:
    """Assess and store a tier row for each supplier whose tier changed (one audit event)."""
    results = assess(session, policy, supplier_ids, on=on)
    changed = [r for r in results if r.changed]
    for r in changed:
        session.add(
            SupplierTier(
                supplier_id=r.supplier,
                decided_on=on,
                tier=r.tier,
                score=r.score,
                dimensions=json.dumps(r.scores, sort_keys=True, ensure_ascii=False),
                policy_sha256=policy.sha256,
                actor=actor,
            )
        )
    if changed:
        session.flush()
        digests.touch_suppliers(session, [r.supplier for r in changed])
        audit.record(
            session,
            actor=actor,
            action="suppliers.tier",
            subject=digests.SUPPLIER_REGISTER,
            payload={
                "on": on.isoformat(),
                "policy": policy.sha256,
                "changed": {r.supplier: [r.previous, r.tier] for r in changed},
            },
        )
    return results


def tier_history(session: Session, supplier_id: str) -> list[dict[str, Any]]:
    known_ids(session, [supplier_id])
    rows = session.scalars(
        select(SupplierTier)
        .where(SupplierTier.supplier_id == supplier_id)
        .order_by(SupplierTier.decided_on, SupplierTier.id)
    )
    return [
        {
            "decided_on": r.decided_on.isoformat(),
            "tier": r.tier,
            "score": round(r.score, 4),
            "dimensions": json.loads(r.dimensions),
            "policy": r.policy_sha256,
            "actor": r.actor,
        }
        for r in rows
    ]
