"""Publishing a report: gather the model with every chapter that exists, then render."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.atomic import commit_set, staged_set
from esgledger.catalog.outline import report_sections
from esgledger.checks import Finding
from esgledger.checks.context import SPAN as CHECKED_YEARS
from esgledger.disclose import indices_cache
from esgledger.disclose.anchors import RenderedAnchors, rendered_anchors
from esgledger.disclose.archive import archive_files, published_dict
from esgledger.disclose.assurance import assurance_statement
from esgledger.disclose.assurance_register import assurance_extras
from esgledger.disclose.chapters import assessment_chapters
from esgledger.disclose.edition import edition_models
from esgledger.disclose.gate import require_no_open_errors, year_findings
from esgledger.disclose.governance_section import governance_section
from esgledger.disclose.index import ContentIndex, content_index
from esgledger.disclose.methodology import methodology
from esgledger.disclose.omissions import latest_omissions
from esgledger.disclose.quality import quality_statement
from esgledger.disclose.render import render_html, write_report
from esgledger.disclose.report import ReportModel, build_report
from esgledger.disclose.scope3_section import scope3_section
from esgledger.disclose.social_registers import social_section
from esgledger.disclose.statement_of_use import gri_statement, statement_parts
from esgledger.disclose.supply_chain_section import supply_chain_section
from esgledger.disclose.szse_index import szse_materiality, with_elements
from esgledger.disclose.topic_chapters import topic_sections
from esgledger.errors import InvalidInput, storage_failure
from esgledger.faults import fault_point
from esgledger.kpi.inputs import read_grouped_inputs
from esgledger.kpi.series import SeriesAndTables, kpi_series_and_tables
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.settings import get_settings

INDEX_FRAMEWORKS = ("gri-2021", "szse-17", "ifrs-s2", "esrs-e1")
CHARTLESS = frozenset({"xlsx"})  # formats that print no chart: a report of them draws none
PRINTED_YEARS = 3  # the years side by side in the report `esg index` reads its rows off


def index_frameworks(year: int) -> tuple[str, ...]:
    """The indices a year's report prints: GRI 2016 before 2022, else GRI 2021, and the rest."""
    return ("gri-2016", "szse-17") if year <= 2021 else INDEX_FRAMEWORKS


def report_indices(
    session: Session,
    year: int,
    model: ReportModel,
    anchors: RenderedAnchors,
    frameworks: tuple[str, ...] | None = None,
) -> list[ContentIndex]:
    """The content indices of the rendered report: rows point only at ``anchors`` it has."""
    figures = model.tables.get(year) if model.tables else None
    szse = szse_materiality(session, year)
    out = []
    for fid in frameworks or index_frameworks(year):
        index = content_index(
            session,
            year,
            fid,
            sections=report_sections().values(),
            figures=figures,
            material=szse.material if fid == "szse-17" else None,
            anchors=anchors,
            assessed=szse.material is not None,
        )
        if fid == "szse-17":
            with_elements(index, szse.double, anchors, latest_omissions(session, year, fid))
        if fid == "gri-2021":
            claim = get_settings().gri_claim
            index.statement = gri_statement(index, model.company, claim)
            index.statement_parts = statement_parts(index, model.company, claim)
        out.append(index)
    return out


def prepare_report(
    session: Session,
    year: int,
    *,
    years: int = 3,
    sections: Path | None = None,
    findings: list[Finding] | None = None,
    assurance: str | None = None,
    series_and_tables: SeriesAndTables | None = None,
    drawn: bool = True,
) -> tuple[ReportModel, list[ContentIndex]]:
    """The report model with its chapters and indices, the indices read off its own HTML.

    ``findings`` are the year's check findings (the data-quality statement); computed when
    not given, so a preview and ``esg index gaps`` read the same report a publication prints.
    ``series_and_tables`` (:func:`esgledger.kpi.series.kpi_series_and_tables`) are computed
    once and shared by the checks and the chapters. Not ``drawn``, no chart is drawn: the
    indices read anchors, and a chart holds none (``esg index`` renders no chart).
    """
    if series_and_tables is None:
        series_and_tables = kpi_series_and_tables(session, year, years=years)
    if findings is None:
        findings = year_findings(session, year, sections, tables=series_and_tables[1])
    quality = quality_statement(findings)
    model = build_report(
        session,
        year,
        years=years,
        sections_dir=sections,
        series_and_tables=series_and_tables,
        quality=quality,
        drawn=drawn,
    )
    model.sections = topic_sections(session, year, model.sections, tables=model.tables)
    model.extras["quality"] = quality
    model.extras["assurance"] = assurance
    model.extras.update(assurance_extras(session, year))
    model.extras["governance"] = governance_section(model.series, year)
    model.extras["methodology"] = methodology(session, model.series, index_frameworks(year))
    model.extras["chapters"] = assessment_chapters(
        session, year, model.sections, tables=model.tables, drawn=drawn
    )
    model.extras["scope3"] = scope3_section(session, year)
    model.extras["social_registers"] = social_section(model.series)
    model.extras["supply_chain"] = supply_chain_section(session, year)
    indices = report_indices(session, year, model, rendered_anchors(render_html(model)))
    model.indices = [i.as_report_dict() for i in indices]
    return model, indices


def printed_indices(
    session: Session,
    year: int,
    frameworks: tuple[str, ...] | None = None,
    *,
    sections: Path | None = None,
) -> dict[str, ContentIndex]:
    """The content indices of the report ``esg report --sections`` renders, by framework.

    The report's own indices, row for row as its index pages and its XLSX print them; a
    framework it does not print (TCFD, say) is read off the same rendered report.
    ``esg index`` and ``esg index gaps`` answer from here.
    """
    key = indices_cache.indices_key(session, year, sections)
    kept = indices_cache.load(session, key)
    if kept is not None and all(f in kept for f in frameworks or ()):
        return kept
    # The check findings only fill the data-quality statement's text, never a heading or a
    # KPI row an index row points at: the rows are those of the report, without the checks'
    # cost (the test comparing `esg index` with the published report holds this). Nor the
    # charts: no row points into one (tests/disclose/test_index_undrawn.py holds this).
    model, printed = prepare_report(
        session, year, years=PRINTED_YEARS, sections=sections, findings=[], drawn=False
    )
    by_id = {**(kept or {}), **{i.framework: i for i in printed}}
    missing = tuple(f for f in frameworks or () if f not in by_id)
    if missing:
        anchors = rendered_anchors(render_html(model))
        by_id.update(
            {i.framework: i for i in report_indices(session, year, model, anchors, missing)}
        )
    indices_cache.keep(session, key, by_id)
    return by_id


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
    langs: tuple[str, ...] = ("en",),
) -> dict[str, Any]:
    """Write the report files; returns what was written and a summary of the model.

    With ``archive_as`` (the publishing actor) the files are also kept in the ledger as the
    year's next edition (:mod:`esgledger.disclose.archive`); without it this is a preview.
    The files replace an earlier set in ``out`` as a set, and only once the ledger has kept
    them (:mod:`esgledger.atomic`): a crash or a full disk leaves the earlier set as it was.
    A publication is refused while error findings are open (:mod:`esgledger.disclose.gate`).
    ``assurance`` is the assurance provider's statement (:mod:`esgledger.disclose.assurance`).
    ``langs`` are the editions to write (:mod:`esgledger.disclose.edition`): one model, the
    same figures, each edition's words and narrative in its language.
    """
    statement = assurance_statement(assurance) if assurance is not None else None
    with db.read() as session:
        # The stored values (grouped in the database) and KPI tables are read and computed
        # once, for the checks (which look back CHECKED_YEARS) and the chapters.
        inputs = read_grouped_inputs(session, year - max(years, CHECKED_YEARS) + 1, year)
        shared = kpi_series_and_tables(session, year, years=years, inputs=inputs)
        findings = year_findings(session, year, sections, tables=shared[1], inputs=inputs)
        del inputs  # the years' grouped values: not held while the report renders
        if archive_as is not None:
            require_no_open_errors(year, findings)
        drawn = not CHARTLESS.issuperset(formats)  # the workbooks print no chart
        model, printed = prepare_report(
            session,
            year,
            years=years,
            sections=sections,
            findings=findings,
            assurance=statement,
            series_and_tables=shared,
            drawn=drawn,
        )
        editions = edition_models(session, model, sections, langs, drawn=drawn)
        data_time = ledger_time(session)
        if years == PRINTED_YEARS:  # what `esg index` reads: kept for its next call
            key = indices_cache.indices_key(session, year, sections)
            indices_cache.keep(session, key, {i.framework: i for i in printed})
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out} is a file; give a folder for the report files")
    try:
        with staged_set(out, f"esg-report-{year}") as staging:
            staged: dict[str, str] = {}
            for lang, (edition, html) in editions.items():
                staged |= write_report(
                    edition, staging, formats, document_time=data_time, lang=lang, html=html
                )
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
