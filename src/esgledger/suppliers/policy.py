"""The supplier policy: onboarding criteria, risk dimensions, tiers and their obligations.

The rules behind tiers are not published by the companies that use them (spec SYSTEM.md §12),
so they are configuration: a TOML file (``esg suppliers policy`` prints the defaults below).
The defaults follow the spec: the entry gate asks for ISO 9001, REACH and RoHS 2.0 and the
integrity agreement, CSR commitment and NDA signed at entry; tiers are low / medium / high
with the 2020 obligations (low: sign the CSR commitment; medium: yearly self-assessment;
high: yearly on-site audit). Country and commodity risk levels are the workspace's own: the
defaults rate every country medium and every commodity low, except the minerals of the
conflict-minerals programme (tin, tantalum, tungsten, gold, cobalt), rated high.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from esgledger.suppliers.toml_files import load_toml

DIMENSIONS = ("country", "commodity", "spend", "findings", "questionnaire")
LEVELS = (1, 2, 3)  # low, medium, high risk on each dimension


@dataclass(frozen=True)
class Criterion:
    """One requirement of the gate: a valid certificate or a signed agreement in force."""

    kind: str  # certification | agreement
    name: str  # a certification standard, or an agreement kind
    family: str  # environmental | social | other (GRI 308-1 / 414-1 count the first two)


@dataclass(frozen=True)
class Obligation:
    """What a tier asks of a supplier."""

    agreements: tuple[str, ...] = ()
    questionnaire_months: int | None = None
    audit_months: int | None = None
    audit_mode: str | None = None  # on-site | remote


@dataclass(frozen=True)
class Policy:
    criteria: tuple[Criterion, ...]
    weights: dict[str, float]
    country: dict[str, int]
    country_default: int
    commodity: dict[str, int]
    commodity_default: int
    spend_shares: tuple[float, float]  # share of total spend from which medium, high
    findings: tuple[float, float]  # open Priority/Major findings from which medium, high
    questionnaire: tuple[float, float]  # questionnaire score (0-100) below which medium, high
    tiers: tuple[tuple[str, float], ...]  # (tier, highest score it takes), ascending
    obligations: dict[str, Obligation] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def tier_of(self, score: float) -> str:
        for tier, highest in self.tiers:
            if score <= highest:
                return tier
        return self.tiers[-1][0]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"sha256": self.sha256}


DEFAULT = Policy(
    criteria=(
        Criterion("certification", "ISO 9001", "other"),
        Criterion("certification", "REACH", "environmental"),
        Criterion("certification", "RoHS 2.0", "environmental"),
        Criterion("agreement", "integrity_agreement", "social"),
        Criterion("agreement", "csr_commitment", "social"),
        Criterion("agreement", "nda", "other"),
    ),
    weights=dict.fromkeys(DIMENSIONS, 1.0),
    country={},
    country_default=2,
    commodity={"tin": 3, "tantalum": 3, "tungsten": 3, "gold": 3, "cobalt": 3},
    commodity_default=1,
    spend_shares=(0.01, 0.05),
    findings=(1, 3),
    questionnaire=(80.0, 60.0),
    tiers=(("low", 5 / 3), ("medium", 7 / 3), ("high", 3.0)),
    obligations={
        "low": Obligation(agreements=("csr_commitment",)),
        "medium": Obligation(questionnaire_months=12),
        "high": Obligation(questionnaire_months=12, audit_months=12, audit_mode="on-site"),
    },
)


def load_policy(path: str | Path | None) -> Policy:
    """The policy of a TOML file (keys it leaves out keep their defaults), or the default."""
    if path is None:
        return DEFAULT
    return load_toml(path, "policy", _policy)


def _policy(data: dict[str, Any]) -> Policy:
    unknown = set(data) - {"gate", "risk", "tiers", "obligations"}
    if unknown:
        raise ValueError(
            f"unknown section {sorted(unknown)[0]!r}; sections: gate, risk, tiers, obligations"
        )
    d, risk = DEFAULT, data.get("risk", {})
    weights = {**d.weights, **risk.get("weights", {})}
    country = risk.get("country", d.country)
    commodity = risk.get("commodity", d.commodity)
    gate = data.get("gate", {})
    criteria = [_criterion(c) for c in gate["criteria"]] if "criteria" in gate else d.criteria
    bounds = data.get("tiers", {}).get("bounds")
    obligations = data.get("obligations")
    return Policy(
        criteria=tuple(criteria),
        weights={k: _weight(k, v) for k, v in weights.items()},
        country={str(k).upper(): _level(f"risk.country.{k}", v) for k, v in country.items()},
        country_default=_level(
            "risk.country_default", risk.get("country_default", d.country_default)
        ),
        commodity={str(k).lower(): _level(f"risk.commodity.{k}", v) for k, v in commodity.items()},
        commodity_default=_level(
            "risk.commodity_default", risk.get("commodity_default", d.commodity_default)
        ),
        spend_shares=_pair("risk.spend_shares", risk.get("spend_shares", d.spend_shares)),
        findings=_pair("risk.findings", risk.get("findings", d.findings)),
        questionnaire=_pair(
            "risk.questionnaire", risk.get("questionnaire", d.questionnaire), descending=True
        ),
        tiers=_tiers(bounds) if bounds is not None else d.tiers,
        obligations=(
            {str(k): _obligation(str(k), v) for k, v in obligations.items()}
            if obligations is not None
            else d.obligations
        ),
    )


def _obligation(tier: str, item: dict[str, Any]) -> Obligation:
    unknown = set(item) - {"agreements", "questionnaire_months", "audit_months", "audit_mode"}
    if unknown:
        raise ValueError(f"obligations.{tier}: unknown key {sorted(unknown)[0]!r}")
    return Obligation(**{**item, "agreements": tuple(item.get("agreements", ()))})


def _criterion(item: dict[str, Any]) -> Criterion:
    criterion = Criterion(str(item["kind"]), str(item["name"]), str(item.get("family", "other")))
    if criterion.kind not in ("certification", "agreement"):
        raise ValueError(f"gate criterion kind {criterion.kind!r}: use certification or agreement")
    if criterion.family not in ("environmental", "social", "other"):
        raise ValueError(
            f"gate criterion family {criterion.family!r}: use environmental, social or other"
        )
    return criterion


def _weight(name: str, given: Any) -> float:
    if name not in DIMENSIONS:
        raise ValueError(f"risk.weights.{name}: not one of {', '.join(DIMENSIONS)}")
    value = float(given)
    if not 0 <= value <= 100:
        raise ValueError(f"risk.weights.{name} must be between 0 and 100, not {value}")
    return value


def _level(name: str, value: Any) -> int:
    if value not in LEVELS or isinstance(value, bool):
        raise ValueError(f"{name} must be 1 (low), 2 (medium) or 3 (high), not {value!r}")
    return int(value)


def _pair(name: str, value: Any, *, descending: bool = False) -> Any:
    first, second = (float(v) for v in value)
    if (first < second) == descending and first != second:
        order = "above" if descending else "below"
        raise ValueError(f"{name}: the medium threshold must be {order} the high one")
    return (first, second)


def _tiers(bounds: list[list[Any]]) -> tuple[tuple[str, float], ...]:
    tiers = tuple((str(name), float(highest)) for name, highest in bounds)
    highs = [h for _, h in tiers]
    if not tiers or highs != sorted(highs) or highs[-1] < 3:
        raise ValueError("tiers.bounds must rise and the last must reach 3 (the highest score)")
    return tiers
