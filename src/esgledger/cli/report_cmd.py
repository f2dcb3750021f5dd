"""``esg report``: the ESG report of a year as HTML, PDF and XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.output import console, print_json
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
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Write the report: narrative, charts, KPI appendix, content indices, verification."""
    formats = [f.strip().lower() for f in format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in ("html", "pdf", "xlsx")]
    if unknown or not formats:
        raise InvalidInput(f"--format {format!r}: use html, pdf and/or xlsx, comma-separated")
    written = publish_report(
        workspace(db), year, out=out, formats=formats, sections=sections, years=years
    )
    if json:
        print_json(written)
    else:
        for kind, path in written["files"].items():
            console.print(f"{kind.upper()}: {path}")


def register(app: typer.Typer) -> None:
    app.command()(report)
