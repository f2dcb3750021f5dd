"""Renderers: one self-contained HTML file, a PDF of the same HTML, and an XLSX workbook
(written by :mod:`esgledger.disclose.workbook`, byte-reproducible from the ledger's time)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from esgledger.disclose import headings
from esgledger.disclose.edition_env import edition_environment
from esgledger.disclose.locale_format import long_date
from esgledger.disclose.report import ReportModel
from esgledger.disclose.workbook import write_xlsx

FORMATS = ("html", "pdf", "xlsx")
HTML_LANG = {"en": "en", "zh": "zh-Hans"}  # <html lang>: the PDF's language tag as well


def render_html(model: ReportModel, lang: str = "en") -> str:
    """The report as one HTML file in ``lang``: the same model, so the same figures."""
    year = int(model.year)
    return (
        edition_environment(lang)
        .get_template("report.html.j2")
        .render(
            m=model,
            h=headings,
            lang=lang,
            html_lang=HTML_LANG[lang],
            period_start=long_date(dt.date(year, 1, 1), lang),
            period_end=long_date(dt.date(year, 12, 31), lang),
            published=long_date(dt.date.fromisoformat(model.generated), lang)
            if lang != "en"
            else model.generated,
        )
    )


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


def edition_stem(year: int, lang: str) -> str:
    """``esg-report-2025`` for the English edition (the default, as before), else
    ``esg-report-2025.zh``: the two editions' files sit side by side."""
    return f"esg-report-{year}" + ("" if lang == "en" else f".{lang}")


def edition_kind(kind: str, lang: str) -> str:
    """A written file's key: ``pdf`` for English, ``zh.pdf`` for the Chinese edition."""
    return kind if lang == "en" else f"{lang}.{kind}"


def write_report(
    model: ReportModel,
    out: Path,
    formats: list[str],
    *,
    document_time: dt.datetime | None = None,
    lang: str = "en",
    html: str | None = None,
) -> dict[str, str]:
    """Write the asked formats of the ``lang`` edition into ``out``; returns key → file path
    (keys as :func:`edition_kind`); ``html`` is the edition's HTML when already rendered."""
    out.mkdir(parents=True, exist_ok=True)
    stem = edition_stem(model.year, lang)
    written: dict[str, str] = {}
    html = html or render_html(model, lang)
    if "html" in formats:
        (out / f"{stem}.html").write_text(html, encoding="utf-8")
        written[edition_kind("html", lang)] = str(out / f"{stem}.html")
    if "pdf" in formats:
        written[edition_kind("pdf", lang)] = str(write_pdf(model, out / f"{stem}.pdf", html))
    if "xlsx" in formats:
        path = out / f"{stem}.xlsx"
        written[edition_kind("xlsx", lang)] = str(write_xlsx(model, path, document_time, lang))
    return written
