"""#17 the newer registers' imports read XLSX as they read CSV: the same rows from a workbook
(dates and times typed as Excel dates, numbers as numbers) give the same stored rows, and a
bad cell in a workbook is named by its row and column, nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from esgledger.errors import ImportRejected
from esgledger.ledger.db import Database
from esgledger.ledger.ohs_models import Drill, Hazard, SpecialOperator
from esgledger.ledger.register_models import Complaint, OhsIncident, Vulnerability
from esgledger.registers.complaints import import_complaints
from esgledger.registers.ohs import import_incidents
from esgledger.registers.ohs_safety import import_drills, import_hazards, import_operators
from esgledger.registers.vulnerabilities import import_vulnerabilities
from tests.checks.workspace import ACTOR, Workspace
from tests.factories import write_xlsx
from tests.registers import complaint_files, ohs_files, ohs_safety_files, vulnerability_files


def _typed(cell: object) -> object:
    """A cell as Excel would hold it: a date or a date and time, a number, else text."""
    text = str(cell)
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            moment = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return moment if fmt != "%Y-%m-%d" else moment.date()
    try:
        return int(text.replace(",", ""))
    except ValueError:
        return cell


CASES: list[tuple[str, Callable[..., Any], Any, Sequence[str], list[list[Any]], str, str]] = [
    # name, importer, model, header, rows, a column to spoil, its bad value
    ("complaints", import_complaints, Complaint, complaint_files.HEADER,
     complaint_files.COMPLAINTS, "severity", "urgent"),
    ("vulnerabilities", import_vulnerabilities, Vulnerability, vulnerability_files.HEADER,
     vulnerability_files.ROWS, "cvss_score", "eleven"),
    ("incidents", import_incidents, OhsIncident, ohs_files.INCIDENT_HEADER, ohs_files.INCIDENTS,
     "kind", "sprain"),
    ("hazards", import_hazards, Hazard, ohs_safety_files.HAZARD_HEADER, ohs_safety_files.HAZARDS,
     "risk_level", "red"),
    ("drills", import_drills, Drill, ohs_safety_files.DRILL_HEADER, ohs_safety_files.DRILLS,
     "scenario", "party"),
    ("operators", import_operators, SpecialOperator, ohs_safety_files.OPERATOR_HEADER,
     ohs_safety_files.OPERATORS, "operation", "juggling"),
]  # fmt: skip


def _count(db: Database, model: Any) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_a_workbook_imports_as_its_csv_does(
    sqlite_db: Database, tmp_path: Path, case: tuple[Any, ...]
) -> None:
    name, importer, model, header, rows, column, bad = case
    Workspace(sqlite_db, tmp_path)
    typed = [[_typed(c) for c in row] for row in rows]
    spoilt = [list(r) for r in typed]
    spoilt[1][list(header).index(column)] = bad
    with pytest.raises(ImportRejected) as caught:
        importer(sqlite_db, write_xlsx(tmp_path / f"bad-{name}.xlsx", {name: (header, spoilt)}),
                 actor=ACTOR)  # fmt: skip
    assert f"bad-{name}.xlsx, row 3, column '{column}'" in str(caught.value), str(caught.value)
    assert _count(sqlite_db, model) == 0
    done = importer(sqlite_db, write_xlsx(tmp_path / f"{name}.xlsx", {name: (header, typed)}),
                    actor=ACTOR)  # fmt: skip
    assert done.added == len(rows) and _count(sqlite_db, model) == len(rows)
