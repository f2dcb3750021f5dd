"""Publishing a report: gather the model with every chapter that exists, then render."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.atomic import commit_set, staged_set
from esgledger.catalog.outline import report_sections
from esgledger.disclose.archive import archive_files, published_dict
from esgledger.disclose.assurance import assurance_statement
from esgledger.disclose.chapters import assessment_chapters
from esgledger.disclose.gate import require_no_open_errors, year_findings
from esgledger.disclose.index import content_index
from esgledger.disclose.methodology import methodology
from esgledger.disclose.quality import quality_statement
from esgledger.disclose.render import write_report
from esgledger.disclose.report import ReportModel, build_report
from esgledger.disclose.topic_chapters import topic_sections
from esgledger.errors import InvalidInput, storage_failure
from esgledger.faults import fault_point
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent

INDEX_FRAMEWORKS = ("gri-2021", "szse-17", "ifrs-s2", "tcfd")
ALWAYS_PRESENT = ("about-report", "kpi-appendix", "content-index", "verification")


def index_frameworks(year: int) -> tuple[str, ...]:
    """The frameworks the report of ``year`` indexes (GRI 2016 before GRI 2021 took effect)."""
    return ("gri-2016", "szse-17") if year <= 2021 else INDEX_FRAMEWORKS


def content_indices(session: Session, year: int, model: ReportModel) -> list[dict[str, Any]]:
    """The content indices the report prints, linking only to sections the report has."""
    present = (
        {s.id for s in model.sections}
        | {c["anchor"] for c in model.extras.get("chapters", [])}
        | set(ALWAYS_PRESENT)
    )
    sections = [s for s in report_sections().values() if s.anchor in present]
    figures = model.tables.get(year) if model.tables else None
    return [
        content_index(session, year, f, sections=sections, figures=figures).as_report_dict()
        for f in index_frameworks(year)
    ]


NOT_DATA = ("user.", "token.", "report.")  # sign-ins, tokens, publications: no figure changes


def ledger_time(session: Session) -> dt.datetime | None:
    """When the data last changed: the report's document time, so rendering the same data
    again (after its publication, say) gives the same bytes and the published SHA-256."""
    return session.scalar(
        select(AuditEvent.ts)
        .where(*(AuditEvent.action.not_like(f"{prefix}%") for prefix in NOT_DATA))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def publish_report(
    db: Database,
    year: int,
    *,
    out: Path,
    formats: list[str],
    sections: Path | None = None,
    years: int = 3,
    archive_as: str | None = None,
    assurance: Path | None = None,
) -> dict[str, Any]:
    """Write the report files; returns what was written and a summary of the model.

    With ``archive_as`` (the publishing actor) the files are also kept in the ledger as the
    year's next edition (:mod:`esgledger.disclose.archive`); without it this is a preview.
    The files replace an earlier set in ``out`` as a set, and only once the ledger has kept
    them (:mod:`esgledger.atomic`): a crash or a full disk leaves the earlier set as it was.
    A publication is refused while error findings are open (:mod:`esgledger.disclose.gate`).
    ``assurance`` is the assurance provider's statement (:mod:`esgledger.disclose.assurance`).
    """
    statement = assurance_statement(assurance) if assurance is not None else None
    with db.read() as session:
        findings = year_findings(session, year, sections)
        if archive_as is not None:
            require_no_open_errors(year, findings)
        model = build_report(session, year, years=years, sections_dir=sections)
        model.sections = topic_sections(session, year, model.sections)
        model.extras["quality"] = quality_statement(findings)
        model.extras["assurance"] = statement
        model.extras["methodology"] = methodology(session, model.series, index_frameworks(year))
        model.extras["chapters"] = assessment_chapters(session, year)
        model.indices = content_indices(session, year, model)
        data_time = ledger_time(session)
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out} is a file; give a folder for the report files")
    try:
        with staged_set(out, f"esg-report-{year}") as staging:
            staged = write_report(model, staging, formats, document_time=data_time)
            fault_point("report.staged")
            archived: list[dict[str, Any]] = []
            if archive_as is not None:
                with db.write() as session:
                    rows = archive_files(session, year, staged, actor=archive_as)
                    archived = [published_dict(r) for r in rows]
            commit_set(staging)
    except OSError as exc:
        raise storage_failure(exc, f"write the report into {out}") or exc from None
    files = {kind: str(out / Path(path).name) for kind, path in staged.items()}
    return {
        "year": year,
        "files": files,
        "archived": archived,
        "sections": [s.id for s in model.sections],
        "appendix_tables": [t.title for t in model.appendix],
        "appendix_rows": sum(len(t.rows) for t in model.appendix),
        "indices": [i["framework"] for i in model.indices],
    }
