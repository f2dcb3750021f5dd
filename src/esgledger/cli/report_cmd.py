"""``esg report``: the ESG report of a year as HTML, PDF and XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json
from esgledger.disclose.edition import parse_langs
from esgledger.disclose.publish import publish_report
from esgledger.errors import InvalidInput


def report(
    year: Annotated[int, typer.Option("--year", help="Reporting year.")],
    format: Annotated[
        str, typer.Option("--format", help="Comma-separated: html, pdf, xlsx.")
    ] = "html,pdf,xlsx",
    out: Annotated[Path, typer.Option("--out", help="Folder to write the files into.")] = Path(
        "report"
    ),
    sections: Annotated[
        Path | None, typer.Option("--sections", help="Folder of narrative Markdown sections.")
    ] = None,
    years: Annotated[int, typer.Option("--years", help="Years side by side in the appendix.")] = 3,
    preview: Annotated[
        bool,
        typer.Option("--preview", help="Only write the files; do not keep them as a publication."),
    ] = False,
    assurance: Annotated[
        Path | None,
        typer.Option(
            "--assurance",
            help="The assurance provider's statement (Markdown or text), printed as given; "
            "without it the report says it is not externally assured.",
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help="Editions, comma-separated: en, zh or zh,en. One ledger, the same figures; "
            "the Chinese edition reads NAME.zh.md beside each narrative section and its files "
            "are named esg-report-YEAR.zh.*.",
        ),
    ] = "en",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Write the report: narrative, charts, KPI appendix, content indices, verification.

    The files are also kept in the ledger as the year's next edition (byte for byte, with
    their SHA-256), for the web app, the API and auditors; `--preview` skips that. A
    publication is refused (exit 1) while error findings of `esg check` are open and not
    acknowledged (`esg check acknowledge`); a preview never is.
    """
    formats = [f.strip().lower() for f in format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in ("html", "pdf", "xlsx")]
    if unknown or not formats:
        raise InvalidInput(f"--format {format!r}: use html, pdf and/or xlsx, comma-separated")
    langs = parse_langs(lang)
    written = publish_report(
        workspace(db),
        year,
        out=out,
        formats=formats,
        sections=sections,
        years=years,
        archive_as=None if preview else actor(),
        assurance=assurance,
        langs=tuple(langs),
    )
    if json:
        print_json(written)
    else:
        for kind, path in written["files"].items():
            console.print(f"{kind.upper()}: {path}")
        if written["archived"]:
            edition = written["archived"][0]["edition"]
            console.print(f"Kept in the ledger as edition {edition} of the {year} report.")


def register(app: typer.Typer) -> None:
    app.command()(report)
