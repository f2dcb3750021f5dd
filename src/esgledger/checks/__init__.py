"""Data-quality checks: rules over the KPI ledger that return findings a reviewer can read,
fix or acknowledge (SYSTEM.md §7, the 19 defect classes of published reports).

A run of the checks (:func:`run_checks`) reads the year's KPI table, the two years before,
the stored rows behind them and the calculation runs, and returns :class:`Finding` objects:
rule id, severity (error / warning as §7's E / W), metrics, entity (None for group figures),
year, expected, found, a one-sentence explanation, a fix and a stable ``key``. Nothing is
written; findings are output, not errors.

Modules, one concept each:

- :mod:`.findings` — the :class:`Finding` record and its key (hash of rule, metrics, entity,
  year and breakdown).
- :mod:`.tolerance` — rounding tolerance from each figure's printed precision, propagated
  (SYSTEM.md §6), and how a finding states the difference against it.
- :mod:`.context` — what every rule reads, loaded once per run; "has data", "exact".
- :mod:`.reads` — the one seam to storage: what a run asks (:class:`CheckReads`), answered
  by :mod:`.session_reads` (the read layer over a session: every query the rules need) or
  by :mod:`.plain_inputs` (values given in memory: the rules tested without a database).
- :mod:`.arithmetic` — the declarative rules of ``catalog/data/checks.csv`` (sums, parts ≤
  wholes, identities with standard coefficients, ratios) and breakdowns that must add up to
  their total (classes 2, 3, 4, 10).
- :mod:`.rollup` — the group's value against the sum of its entities' values (class 2).
- :mod:`.duplicates` — the same figure stored twice with different values, and a reported
  figure against the one recomputed from the ledger (class 1).
- :mod:`.narrative` — numbers typed in Markdown narrative next to a metric's name (class 1).
- :mod:`.measures` — units or definitions that changed between years (class 6).
- :mod:`.yoy` — year-on-year jumps, downgraded when a boundary change explains them (class 7).
- :mod:`.coverage` — boundary members without data (classes 7, 14).
- :mod:`.energy` and :mod:`.factors` — implied factors against the standard and the year
  before, factor editions and method options that changed between runs (class 5).
- :mod:`.incomplete` — a calculation run with unresolved activity rows (its figures are
  incomplete).
- :mod:`.claims` — content-index disclosures without data (class 8).
- :mod:`.status` — restated prior years, preliminary values, labels without values,
  scope-qualified figures mixed with group totals (classes 11, 12, 14, 17; class 13 is the
  skip every exact rule applies to bounds and approximations).
- :mod:`.acks` — acknowledgements as ``finding.ack`` audit events (no table of their own).
- :mod:`.engine` — :func:`run_checks`, :func:`open_findings` and the rule list.

Example::

    from esgledger.checks import open_findings
    with db.read() as session:
        for f in open_findings(session, 2025):
            print(f.severity, f.rule, f.explanation)
"""

from esgledger.checks.acks import acknowledge, acknowledgements
from esgledger.checks.engine import RULES, find_finding, open_findings, run_checks
from esgledger.checks.findings import ERROR, WARNING, Finding

__all__ = [
    "ERROR",
    "RULES",
    "WARNING",
    "Finding",
    "acknowledge",
    "acknowledgements",
    "find_finding",
    "open_findings",
    "run_checks",
]
