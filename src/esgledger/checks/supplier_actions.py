"""Supplier audit findings whose corrective action is overdue (#16.3): escalation in ``esg check``.

For the findings of audits whose final report is dated in the checked year, as of today: a
finding with no accepted plan (open, or its plan rejected) after its plan due date — stored
by the supplier-audit service (7 days after the report for Priority, 14 for Major and Minor)
— and a finding not verified closed after its planned completion. An error for a Priority
finding, a warning otherwise. The finding names the supplier, the audit and the date missed.
"""

from __future__ import annotations

import datetime as dt

from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext
from esgledger.checks.explained import said, worded_parts
from esgledger.checks.findings import ERROR, WARNING, Finding
from esgledger.suppliers.audits import GRADES, STATES

# The steps SupplierFinding.missed names, grades and states: words a page translates.
WORDS = (
    N_("corrective-action plan"),
    N_("verified correction"),
    *GRADES,
    *STATES,
    N_("corrected"),
)


def overdue_actions(ctx: CheckContext, today: dt.date | None = None) -> list[Finding]:
    today = today or dt.date.today()
    out = []
    for finding, supplier in ctx.reads.audit_findings(ctx.year):
        missed = finding.missed(today)
        if missed is None:
            continue
        what, due = missed
        out.append(
            Finding(
                rule="suppliers.action_overdue",
                severity=ERROR if finding.grade == "Priority" else WARNING,
                metrics=[],
                entity=None,
                year=ctx.year,
                expected=due.isoformat(),
                found=finding.state,
                dims={"supplier_finding": str(finding.id)},
                details={"supplier": supplier, "audit": finding.audit_id, "grade": finding.grade},
                **worded_parts(
                    said(
                        N_(
                            "The %(step)s for %(grade)s finding %(finding)s of supplier "
                            "%(supplier)s (audit %(audit)s) was due %(due)s; it is %(state)s."
                        ),
                        {
                            "finding": finding.id,
                            "supplier": supplier,
                            "audit": finding.audit_id,
                            "due": due.isoformat(),
                        },
                        words={"step": what, "grade": finding.grade, "state": finding.state},
                    ),
                    said(
                        N_(
                            "Chase the supplier and record the plan or its verification with "
                            "`esg suppliers finding move %(finding)s …`."
                        ),
                        {"finding": finding.id},
                    ),
                ),
            )
        )
    return out
