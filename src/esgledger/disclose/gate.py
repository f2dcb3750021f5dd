"""The publication gate: a report is not published while error findings are open.

``esg report`` (and every other path that keeps a publication, the web's and the API's
included, since they all go through :func:`esgledger.disclose.publish.publish_report`) runs
the checks of the year first. An error finding must be fixed, or acknowledged with a reason
(``esg check acknowledge``); acknowledged ones are printed in the report's data-quality
statement. A preview is never refused: it is how a team sees what it would publish.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.orm import Session

from esgledger.checks import ERROR, Finding, run_checks
from esgledger.errors import EsgError, Exit
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.inputs import StoredInputs


class PublicationBlocked(EsgError):
    """Error findings are open: the report may be previewed, not published (exit 1)."""

    exit_code = Exit.CHECK_FAILED


def year_findings(
    session: Session,
    year: int,
    narrative: Path | None = None,
    *,
    tables: Mapping[int, dict[tuple[str, str], KpiFigure]] | None = None,
    inputs: StoredInputs | None = None,
) -> list[Finding]:
    """The year's findings, acknowledged ones included, as `esg check --year` finds them;
    ``tables`` are the report's KPI tables of this ledger state and ``inputs`` the stored
    rows they were built from, so neither is computed or read twice."""
    return run_checks(session, year, narrative=narrative, tables=tables, inputs=inputs)


def require_no_open_errors(year: int, findings: list[Finding]) -> None:
    """Refuse in one line, naming the count and the commands, while an error is open."""
    errors = [f for f in findings if f.severity == ERROR and f.acknowledged is None]
    if not errors:
        return
    count = f"{len(errors)} error finding" + ("s are" if len(errors) > 1 else " is")
    raise PublicationBlocked(
        f"the {year} report was not published: {count} open; see `esg check --year {year}`, "
        "then fix each or acknowledge it with `esg check acknowledge CODE --reason TEXT` "
        "(`esg report --preview` writes the files without publishing)"
    )
