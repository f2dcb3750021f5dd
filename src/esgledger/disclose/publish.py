"""Publishing a report: gather the model with every chapter that exists, then render."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from esgledger.disclose.render import write_report
from esgledger.disclose.report import build_report
from esgledger.ledger.db import Database


def publish_report(
    db: Database,
    year: int,
    *,
    out: Path,
    formats: list[str],
    sections: Path | None = None,
    years: int = 3,
) -> dict[str, Any]:
    """Write the report files; returns what was written and a summary of the model."""
    with db.read() as session:
        model = build_report(session, year, years=years, sections_dir=sections)
    files = write_report(model, out, formats)
    return {
        "year": year,
        "files": files,
        "sections": [s.id for s in model.sections],
        "appendix_tables": [t.title for t in model.appendix],
        "appendix_rows": sum(len(t.rows) for t in model.appendix),
        "indices": [i["framework"] for i in model.indices],
    }
