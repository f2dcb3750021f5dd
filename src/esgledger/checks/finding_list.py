"""Findings as a long list: the sort keys and the search both the API and the page use.

Findings are computed, not stored, so they page in memory
(:func:`esgledger.ledger.listing.page_of_list`) with these keys; the default order,
``severity``, puts errors before warnings and keeps the checks' own order within each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from esgledger.checks.findings import Finding

SORT_KEYS: dict[str, Callable[[Finding], Any]] = {
    "severity": lambda f: f.severity,  # "error" before "warning"
    "rule": lambda f: f.rule,
    "entity": lambda f: f.entity or "",
    "metric": lambda f: f.metrics[0] if f.metrics else "",
    "key": lambda f: f.key,
}
DEFAULT_SORT = "severity"


def matches(finding: Finding, text: str) -> bool:
    """Search text (lower case) in the check, the KPIs, the entity, the explanation or key."""
    fields = (
        finding.rule,
        finding.entity or "",
        finding.explanation,
        finding.key,
        *finding.metrics,
    )
    return any(text in field.lower() for field in fields)
