"""Settings of the risk register: the scoring matrix and the risk dictionary.

Scoring matrix (one row per workspace; absent means these defaults): impact = the maximum
over the seven dimensions (``impact_rule=max``) or their mean (``mean``); score =
likelihood × impact (1-25); level = high if score ≥ ``high_cutoff`` (15), medium if score ≥
``medium_cutoff`` (8), else low. The dictionary is the shipped taxonomy
(``catalog/data/risk_dictionary.csv``) plus the workspace's own categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.risks import default_risk_dictionary
from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.ledger import audit
from esgledger.ledger.assess_models import RiskCategory, RiskMatrix
from esgledger.ledger.models import utcnow

DIMENSIONS = (
    "financial",
    "reputational",
    "legal",
    "safety",
    "operational",
    "environmental",
    "other",
)
IMPACT_RULES = ("max", "mean")


@dataclass(frozen=True)
class Matrix:
    """How a risk's likelihood and impacts become a level (see the module docstring)."""

    impact_rule: str = "max"
    high_cutoff: float = 15.0
    medium_cutoff: float = 8.0

    def impact(self, impacts: dict[str, int]) -> float:
        values = [impacts[d] for d in DIMENSIONS]
        return float(max(values)) if self.impact_rule == "max" else sum(values) / len(values)

    def score(self, likelihood: int, impacts: dict[str, int]) -> float:
        return likelihood * self.impact(impacts)

    def level(self, score: float) -> str:
        if score >= self.high_cutoff:
            return "high"
        return "medium" if score >= self.medium_cutoff else "low"

    def as_dict(self) -> dict[str, Any]:
        return {
            "impact_rule": self.impact_rule,
            "high_cutoff": self.high_cutoff,
            "medium_cutoff": self.medium_cutoff,
        }


def get_matrix(session: Session) -> Matrix:
    row = session.get(RiskMatrix, 1)
    return Matrix(row.impact_rule, row.high_cutoff, row.medium_cutoff) if row else Matrix()


def set_matrix(
    session: Session, *, impact_rule: str, high_cutoff: float, medium_cutoff: float, actor: str
) -> Matrix:
    if impact_rule not in IMPACT_RULES:
        raise InvalidInput(f"impact rule must be max or mean, not {impact_rule!r}")
    if not 1 <= medium_cutoff < high_cutoff <= 25:
        raise InvalidInput("cut-offs must satisfy 1 ≤ medium < high ≤ 25 (scores run 1-25)")
    row = session.get(RiskMatrix, 1)
    if row is None:
        row = RiskMatrix(id=1, actor=actor)
        session.add(row)
    row.impact_rule, row.high_cutoff, row.medium_cutoff = impact_rule, high_cutoff, medium_cutoff
    row.actor, row.updated_at = actor, utcnow()
    session.flush()
    matrix = get_matrix(session)
    audit.record(
        session, actor=actor, action="risk.matrix", subject="risk:matrix", payload=matrix.as_dict()
    )
    return matrix


# ---------------------------------------------------------------------------------------------
# The dictionary


def categories(session: Session) -> dict[str, dict[str, str]]:
    """Shipped categories, then the workspace's own, by code."""
    out = {
        c.code: {
            "code": c.code,
            "name": c.name,
            "parent": c.parent,
            "description": c.description,
            "origin": "shipped",
        }
        for c in default_risk_dictionary().values()
    }
    for c in session.scalars(select(RiskCategory).order_by(RiskCategory.code)):
        out[c.code] = {
            "code": c.code,
            "name": c.name,
            "parent": c.parent,
            "description": c.description,
            "origin": "workspace",
        }
    return out


def add_category(
    session: Session,
    *,
    code: str,
    name: str,
    parent: str = "",
    description: str = "",
    actor: str,
) -> dict[str, str]:
    known = categories(session)
    if code in known:
        raise Conflict(f"risk category {code!r} already exists ({known[code]['origin']})")
    if parent and parent not in known:
        raise NotFound(f"unknown parent category {parent!r}; `esg risk categories` lists them")
    if not code.strip() or not name.strip():
        raise InvalidInput("a category needs a code and a name")
    session.add(
        RiskCategory(code=code, name=name, parent=parent, description=description, actor=actor)
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="risk.category.add",
        subject=f"risk-category:{code}",
        payload={"name": name, "parent": parent, "description": description},
    )
    return categories(session)[code]
