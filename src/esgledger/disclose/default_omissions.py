"""Reasons for omission the report states itself when the user has recorded none.

An index row is never blank: a disclosure the report cannot answer says "information
unavailable/incomplete" with an explanation built from what is missing (the KPIs without a
value for the year, no heading that holds it, no Scope 3 figure). A reason recorded with
``esg index omit`` always wins over these. Frameworks built on materiality (SZSE No. 17)
state "not material" for the topics the materiality assessment did not find material.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from esgledger.catalog.frameworks import Disclosure
from esgledger.catalog.metrics import metrics
from esgledger.disclose.omissions import NOT_MATERIAL, Omission

UNAVAILABLE = "information unavailable/incomplete"
GENERATED_BY = "esgledger (no reason recorded)"
# Disclosures that ask for Scope 3 by name; the KPI catalog holds no Scope 3 figure.
# "Scope 3", "Scopes 1; 2 and 3" (the catalog's notes), "Scopes 1, 2, 3" (ESRS E1-6's title).
SCOPE3 = re.compile(r"scope\s*3|scopes\s*1\s*[,;]\s*2\s*(?:,|and)\s*(?:and\s*)?3", re.IGNORECASE)


def _omission(
    item: Disclosure | tuple[str, str],
    year: int,
    reason: str,
    explanation: str,
    requirement: str = "",
) -> Omission:
    framework_id, code = item if isinstance(item, tuple) else (item.framework, item.code)
    return Omission(
        framework=framework_id,
        code=code,
        year=year,
        reason=reason,
        explanation=explanation,
        requirement=requirement,
        actor=GENERATED_BY,
        recorded_at="",
        event_id=0,
        generated=True,
    )


def asks_for_scope3(item: Disclosure) -> bool:
    return bool(SCOPE3.search(f"{item.title} {item.notes}"))


def is_scope3(metric_id: str) -> bool:
    """A KPI that holds Scope 3 emissions (``ghg.scope3``, ``ghg.scope3.cat1`` …)."""
    return metric_id == "ghg.scope3" or metric_id.startswith("ghg.scope3.")


def scope3_explanation(year: int) -> str:
    """Why Scope 3 is omitted: the catalog has no Scope 3 KPI, or the year has no figure."""
    if not any(is_scope3(m) for m in metrics()):
        return (
            f"this report gives no Scope 3 figure for {year}: no KPI of the catalog holds "
            "Scope 3 emissions, so Scope 3 is not reported"
        )
    return (
        f"this report gives no Scope 3 figure for {year}: the ledger holds no {year} Scope 3 "
        "emissions calculated by `esg calc`, so Scope 3 is not reported"
    )


def unanswered(item: Disclosure, year: int, missing_kpis: Sequence[str]) -> Omission:
    """Why a disclosure nothing in the report answers is omitted, from what is missing."""
    if asks_for_scope3(item) and not missing_kpis:
        return _omission(item, year, UNAVAILABLE, scope3_explanation(year))
    if missing_kpis:
        names = ", ".join(missing_kpis)
        explanation = f"the ledger has no {year} value for {names}"
    else:
        explanation = "no heading of this report holds it and no KPI of the catalog answers it"
    return _omission(item, year, UNAVAILABLE, explanation)


def scope3_part(item: Disclosure, year: int) -> Omission:
    """The Scope 3 part of a disclosure otherwise answered (e.g. IFRS S2 29(a))."""
    return _omission(item, year, UNAVAILABLE, scope3_explanation(year), requirement="Scope 3")


def element_unanswered(framework_id: str, code: str, element: str, year: int) -> Omission:
    """One of the four elements of a double-material topic that no heading holds."""
    explanation = f"no heading of this report holds the topic's {element.lower()} disclosure"
    return _omission((framework_id, code), year, UNAVAILABLE, explanation)


def not_material(item: Disclosure, year: int, assessed: bool) -> Omission:
    """A topic outside the material ones: omitted as not material, saying how that is known."""
    if assessed:
        explanation = f"the {year} double materiality assessment did not find it material"
    else:
        explanation = (
            f"no {year} materiality assessment is recorded, and the report does not cover it"
        )
    return _omission(item, year, NOT_MATERIAL, explanation)
