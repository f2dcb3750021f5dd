"""Renderers: one self-contained HTML file, a PDF of the same HTML, and an XLSX workbook
(written by :mod:`esgledger.disclose.workbook`, byte-reproducible from the ledger's time)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from esgledger.disclose import headings
from esgledger.disclose.report import ReportModel
from esgledger.disclose.workbook import write_xlsx

FORMATS = ("html", "pdf", "xlsx")


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("esgledger.disclose", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )


def render_html(model: ReportModel) -> str:
    return _environment().get_template("report.html.j2").render(m=model, h=headings)


def write_html(model: ReportModel, path: Path) -> Path:
    path.write_text(render_html(model), encoding="utf-8")
    return path


PDF_VARIANT = "pdf/ua-1"  # tagged for screen readers; title, author and language from <head>


def write_pdf(model: ReportModel, path: Path, html: str | None = None) -> Path:
    """The PDF is the same HTML through WeasyPrint: one source for both, tagged as PDF/UA."""
    from weasyprint import HTML

    HTML(string=html or render_html(model), base_url=str(path.parent)).write_pdf(
        str(path), pdf_variant=PDF_VARIANT
    )
    return path


def write_report(
    model: ReportModel,
    out: Path,
    formats: list[str],
    *,
    document_time: dt.datetime | None = None,
) -> dict[str, str]:
    """Write the asked formats into ``out``; returns format → file path."""
    out.mkdir(parents=True, exist_ok=True)
    stem = f"esg-report-{model.year}"
    written: dict[str, str] = {}
    html = render_html(model)
    if "html" in formats:
        (out / f"{stem}.html").write_text(html, encoding="utf-8")
        written["html"] = str(out / f"{stem}.html")
    if "pdf" in formats:
        written["pdf"] = str(write_pdf(model, out / f"{stem}.pdf", html))
    if "xlsx" in formats:
        written["xlsx"] = str(write_xlsx(model, out / f"{stem}.xlsx", document_time))
    return written
