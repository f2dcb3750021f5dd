"""The onboarding gate: does a supplier meet the policy's entry criteria on a given day?

A certification criterion is met by a certificate of that standard (letter case and spaces
ignored) valid on the day; an agreement criterion by an agreement of that kind signed by the
day and not expired. Each screening is stored with the criteria it found unmet, whether
environmental and social criteria were checked (GRI 308-1, 414-1 count those), and the
policy's digest, in one write with one audit event.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ledger import audit, digests
from esgledger.ledger.supplier_models import (
    SupplierAgreement,
    SupplierCertification,
    SupplierScreening,
)
from esgledger.suppliers.policy import Criterion, Policy
from esgledger.suppliers.register import known_ids


@dataclass(frozen=True)
class Screening:
    supplier: str
    passed: bool
    unmet: list[str]
    environmental: bool
    social: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "supplier": self.supplier,
            "passed": self.passed,
            "unmet": self.unmet,
            "environmental": self.environmental,
            "social": self.social,
        }


def _norm(text: str) -> str:
    return "".join(text.lower().split())


def evaluate(
    session: Session, policy: Policy, supplier_ids: list[str], on: dt.date
) -> list[Screening]:
    """Each supplier's screening against ``policy`` on ``on``, without storing anything."""
    known_ids(session, supplier_ids)
    certs: dict[str, set[str]] = defaultdict(set)
    for supplier, standard in session.execute(
        select(SupplierCertification.supplier_id, SupplierCertification.standard).where(
            SupplierCertification.expires_on >= on,
            (SupplierCertification.issued_on.is_(None)) | (SupplierCertification.issued_on <= on),
        )
    ):
        certs[supplier].add(_norm(standard))
    signed: dict[str, set[str]] = defaultdict(set)
    for supplier, kind in session.execute(
        select(SupplierAgreement.supplier_id, SupplierAgreement.kind).where(
            SupplierAgreement.signed_on <= on,
            (SupplierAgreement.expires_on.is_(None)) | (SupplierAgreement.expires_on >= on),
        )
    ):
        signed[supplier].add(kind)
    families = {c.family for c in policy.criteria}
    out = []
    for ident in supplier_ids:
        unmet = [_reason(c) for c in policy.criteria if not _met(c, certs[ident], signed[ident])]
        out.append(
            Screening(ident, not unmet, unmet, "environmental" in families, "social" in families)
        )
    return out


def _met(criterion: Criterion, certs: set[str], signed: set[str]) -> bool:
    if criterion.kind == "certification":
        return _norm(criterion.name) in certs
    return criterion.name in signed


def _reason(criterion: Criterion) -> str:
    if criterion.kind == "certification":
        return f"no valid {criterion.name} certificate"
    return f"no {criterion.name.replace('_', ' ')} in force"


def screen(
    session: Session, policy: Policy, supplier_ids: list[str], *, on: dt.date, actor: str
) -> list[Screening]:
    """Evaluate and store the screenings (one audit event for all of them)."""
    results = evaluate(session, policy, supplier_ids, on)
    for r in results:
        session.add(
            SupplierScreening(
                supplier_id=r.supplier,
                screened_on=on,
                passed=r.passed,
                environmental=r.environmental,
                social=r.social,
                unmet=json.dumps(r.unmet, ensure_ascii=False),
                policy_sha256=policy.sha256,
                actor=actor,
            )
        )
    session.flush()
    digests.touch_suppliers(session, [r.supplier for r in results])
    audit.record(
        session,
        actor=actor,
        action="suppliers.screen",
        subject=digests.SUPPLIER_REGISTER,
        payload={
            "on": on.isoformat(),
            "policy": policy.sha256,
            "passed": [r.supplier for r in results if r.passed],
            "failed": [r.supplier for r in results if not r.passed],
        },
    )
    return results
