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
from typing import Any

from esgledger.catalog.frameworks import Disclosure
from esgledger.catalog.messages import N_
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
    explained: tuple[str, dict[str, Any]],
    requirement: str = "",
) -> Omission:
    """An omission the report states; ``explained`` is its message and values, worded in
    English here and in each edition's language by :func:`~.omissions.omission_text`."""
    message, values = explained
    english = {k: ", ".join(v) if isinstance(v, list) else v for k, v in values.items()}
    if "names" in english:
        english["kpis"] = english.pop("names")
    framework_id, code = item if isinstance(item, tuple) else (item.framework, item.code)
    return Omission(
        framework=framework_id,
        code=code,
        year=year,
        reason=reason,
        explanation=message % english,
        requirement=requirement,
        actor=GENERATED_BY,
        recorded_at="",
        event_id=0,
        generated=True,
        message=message,
        values={k: v for k, v in values.items() if k != "names"},
    )


def asks_for_scope3(item: Disclosure) -> bool:
    return bool(SCOPE3.search(f"{item.title} {item.notes}"))


def is_scope3(metric_id: str) -> bool:
    """A KPI that holds Scope 3 emissions (``ghg.scope3``, ``ghg.scope3.cat1`` …)."""
    return metric_id == "ghg.scope3" or metric_id.startswith("ghg.scope3.")


def scope3_explanation(year: int) -> tuple[str, dict[str, Any]]:
    """Why Scope 3 is omitted: the catalog has no Scope 3 KPI, or the year has no figure."""
    if not any(is_scope3(m) for m in metrics()):
        return N_(
            "this report gives no Scope 3 figure for %(year)s: no KPI of the catalog holds "
            "Scope 3 emissions, so Scope 3 is not reported"
        ), {"year": year}
    return N_(
        "this report gives no Scope 3 figure for %(year)s: the ledger holds no %(year)s Scope 3 "
        "emissions calculated by `esg calc`, so Scope 3 is not reported"
    ), {"year": year}


def unanswered(
    item: Disclosure, year: int, missing_kpis: Sequence[str], ids: Sequence[str] = ()
) -> Omission:
    """Why a disclosure nothing in the report answers is omitted, from what is missing
    (``missing_kpis`` by name, ``ids`` the same KPIs' catalog ids for the editions)."""
    if asks_for_scope3(item) and not missing_kpis:
        return _omission(item, year, UNAVAILABLE, scope3_explanation(year))
    if missing_kpis:
        explained = (
            N_("the ledger has no %(year)s value for %(kpis)s"),
            {"year": year, "names": list(missing_kpis), "kpis": list(ids or missing_kpis)},
        )
    else:
        explained = (
            N_("no heading of this report holds it and no KPI of the catalog answers it"),
            {},
        )
    return _omission(item, year, UNAVAILABLE, explained)


def scope3_part(item: Disclosure, year: int) -> Omission:
    """The Scope 3 part of a disclosure otherwise answered (e.g. IFRS S2 29(a))."""
    return _omission(item, year, UNAVAILABLE, scope3_explanation(year), requirement="Scope 3")


def element_unanswered(framework_id: str, code: str, element: str, year: int) -> Omission:
    """One of the four elements of a double-material topic that no heading holds."""
    explained = (
        N_("no heading of this report holds the topic's %(element)s disclosure"),
        {"element": element.lower()},
    )
    return _omission((framework_id, code), year, UNAVAILABLE, explained)


def not_material(item: Disclosure, year: int, assessed: bool) -> Omission:
    """A topic outside the material ones: omitted as not material, saying how that is known."""
    if assessed:
        message = N_("the %(year)s double materiality assessment did not find it material")
    else:
        message = N_(
            "no %(year)s materiality assessment is recorded, and the report does not cover it"
        )
    return _omission(item, year, NOT_MATERIAL, (message, {"year": year}))
