"""The data-quality statement: what the checks found, and what was acknowledged and why.

A reader is told the open findings (by severity and rule) and every acknowledged one with
its reviewer's reason, so a figure published with a known defect is never silent.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from esgledger.checks import ERROR, Finding
from esgledger.checks.explained import message_of


def _about(finding: Finding) -> str:
    where = ", ".join(finding.metrics[:3]) + (" …" if len(finding.metrics) > 3 else "")
    return f"{where} ({finding.year})" if where else str(finding.year)


def quality_statement(findings: list[Finding]) -> dict[str, Any]:
    """Counts of open findings by severity and rule, and the acknowledged ones with reasons."""
    open_ = [f for f in findings if f.acknowledged is None]
    acknowledged = [f for f in findings if f.acknowledged is not None]
    rules = Counter((f.severity, f.rule) for f in open_)
    return {
        "open_errors": sum(f.severity == ERROR for f in open_),
        "open_warnings": sum(f.severity != ERROR for f in open_),
        "open_by_rule": [
            {"severity": severity, "rule": rule, "count": n}
            for (severity, rule), n in sorted(rules.items())
        ],
        "acknowledged": [
            {
                "number": number,
                "id": entry_id(number),
                "metrics": list(f.metrics),
                "year": f.year,
                "severity": f.severity,
                "rule": f.rule,
                "about": _about(f),
                "explanation": f.explanation,
                "message": message_of(f),  # the explanation in each edition's words (#19)
                "reason": f.acknowledged["comment"] if f.acknowledged else "",
                "actor": f.acknowledged["actor"] if f.acknowledged else "",
                "at": (f.acknowledged["at"] if f.acknowledged else "")[:10],
            }
            for number, f in enumerate(acknowledged, start=1)
        ],
    }


def entry_id(number: int) -> str:
    """The HTML id of an acknowledged finding's entry in the data-quality statement."""
    return f"dq-{number}"


def acknowledged_figures(statement: dict[str, Any] | None) -> dict[tuple[str, int], list[int]]:
    """(metric, year) → the numbers of the acknowledged findings about that figure: a printed
    figure a finding stands against carries a marker to its entry."""
    out: dict[tuple[str, int], list[int]] = {}
    for entry in (statement or {}).get("acknowledged", []):
        for metric in entry["metrics"]:
            out.setdefault((metric, int(entry["year"])), []).append(entry["number"])
    return out
