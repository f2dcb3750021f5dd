"""Content index commands (index, gaps, omissions) and the shipped framework catalogs."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from esgledger.catalog.frameworks import (
    FRAMEWORK_IDS,
    disclosures,
    frameworks,
    groups,
    mapping_2016_to_2021,
    s2_to_tcfd,
)
from esgledger.catalog.frameworks import framework as get_framework
from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.disclose.gaps import report_gap_analysis
from esgledger.disclose.omissions import reasons_for, record_omission, withdraw_omission
from esgledger.disclose.publish import printed_indices
from esgledger.errors import InvalidInput

index_app = typer.Typer(
    help="The content index: where the report answers each disclosure of a framework.",
    invoke_without_command=True,
)
frameworks_app = typer.Typer(
    help="Shipped disclosure frameworks: GRI, SZSE No. 17, IFRS S2, TCFD, ESRS E1.",
    no_args_is_help=True,
)

FrameworkOption = Annotated[
    str | None,
    typer.Option("--framework", help=f"Framework: {', '.join(FRAMEWORK_IDS)}."),
]
YearOption = Annotated[int | None, typer.Option("--year", help="Reporting year.")]


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


SectionsOption = Annotated[
    Path | None,
    typer.Option(
        "--sections",
        help="Folder of narrative Markdown sections, as given to `esg report`: the rows are "
        "those that report prints.",
    ),
]


@index_app.callback()
def index(
    ctx: typer.Context,
    year: YearOption = None,
    framework_id: FrameworkOption = None,
    sections: SectionsOption = None,
    all_entries: Annotated[
        bool, typer.Option("--all", help="Also list disclosures the report does not cover.")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Each disclosure: where the report answers it, or its reason for omission.

    Read off the report `esg report --sections` renders, so each row is the row its printed
    index (and its XLSX) shows: the same headings and KPI rows, the same reason for omission.
    """
    if ctx.invoked_subcommand is not None:
        return
    if year is None or framework_id is None:
        raise InvalidInput(
            "give --year YEAR and --framework FRAMEWORK (or a subcommand: gaps, omit)"
        )
    fid = get_framework(framework_id).id
    with workspace(db).read() as session:
        result = printed_indices(session, year, (fid,), sections=sections)[fid]
    if json:
        print_json(result.as_dict(all_entries=all_entries))
        return
    rows = [
        [e.code, _short(e.title), e.printed(), e.status + ("" if e.required else " (optional)")]
        for e in result.entries
        if all_entries or e.in_index
    ]
    print_table(
        f"{result.name} — content index {year}",
        ["code", "disclosure", "answered in / omission", "status"],
        rows,
    )
    counts = result.counts()
    console.print(", ".join(f"{n} {status}" for status, n in counts.items() if n))


@index_app.command("gaps")
def index_gaps(
    year: Annotated[int, typer.Option("--year", help="Reporting year.")],
    framework_id: Annotated[
        list[str] | None,
        typer.Option(
            "--framework",
            help="Only this framework (repeat; default: the year's GRI edition and the others).",
        ),
    ] = None,
    sections: SectionsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Required disclosures with nothing behind them, and entries whose KPIs are all missing.

    Read off the report `esg report --sections` renders, so each gap is a row its printed
    index shows without an answer, with the reason for omission it prints meanwhile.
    """
    with workspace(db).read() as session:
        report = report_gap_analysis(session, year, framework_id or None, sections=sections)
    if json:
        print_json(report.as_dict())
        return
    if not report.gaps:
        console.print(f"No gaps in {year} for {', '.join(report.frameworks)}.")
        return
    print_table(
        f"{len(report.gaps)} gaps in {year}",
        ["framework", "code", "disclosure", "gap", "the index prints"],
        (
            [g.framework, g.code, _short(g.title, 50), g.kind, g.omission or "not reported"]
            for g in report.gaps
        ),
    )
    console.print(
        "Close a gap with a report section, a KPI value, or a reason: "
        f"`esg index omit --year {year} --framework F --disclosure CODE --reason … "
        "--explanation …` (`--json` gives a hint per gap)."
    )


@index_app.command("omit")
def index_omit(
    year: Annotated[int, typer.Option("--year", help="Reporting year.")],
    framework_id: Annotated[str, typer.Option("--framework", help="Framework id.")],
    code: Annotated[
        str,
        typer.Option(
            "--disclosure",
            help="Index row: a disclosure code (2-21), or an SZSE topic's element "
            '("response to climate change/governance").',
        ),
    ],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="not applicable | legal prohibitions | confidentiality constraints | "
            "information unavailable/incomplete (other frameworks also: not material).",
        ),
    ] = None,
    explanation: Annotated[
        str, typer.Option("--explanation", help="Why, as the content index should print it.")
    ] = "",
    requirement: Annotated[
        str, typer.Option("--requirement", help="Only this requirement is omitted, e.g. 2-21-b.")
    ] = "",
    withdraw: Annotated[
        bool, typer.Option("--withdraw", help="Take back the recorded omission.")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Record (audit-logged) why a disclosure is omitted for a year; the latest record wins."""
    if withdraw:
        with workspace(db).write() as session:
            withdraw_omission(
                session, year=year, framework_id=framework_id, code=code, actor=actor()
            )
        if json:
            print_json({"withdrawn": True, "framework": framework_id, "code": code, "year": year})
        else:
            console.print(f"Omission of {framework_id} {code} for {year} withdrawn.")
        return
    if reason is None:
        choices = "; ".join(reasons_for(get_framework(framework_id).id))
        raise InvalidInput(f"give --reason (one of: {choices}) and --explanation")
    with workspace(db).write() as session:
        omission = record_omission(
            session,
            year=year,
            framework_id=framework_id,
            code=code,
            reason=reason,
            explanation=explanation,
            requirement=requirement,
            actor=actor(),
        )
    if json:
        print_json(omission.as_dict())
        return
    console.print(
        f"Recorded: {omission.framework} {omission.code} omitted in {year} "
        f"({omission.reason}), audit event {omission.event_id}."
    )
    item = disclosures(omission.framework).get(omission.code)  # element rows: not in the catalog
    if item is not None and item.omission == "unverified":
        console.print("[yellow]note[/yellow]: whether the standard permits this is unverified.")


def _framework_row(fid: str) -> dict[str, Any]:
    fw = get_framework(fid)
    return {
        "id": fw.id,
        "name": fw.name,
        "name_zh": fw.name_zh,
        "edition": fw.edition,
        "publisher": fw.publisher,
        "published": fw.published,
        "effective": fw.effective,
        "citation": fw.citation,
        "notes": fw.notes,
        "disclosures": len(disclosures(fid)),
        "groups": len(groups(fid)),
    }


@frameworks_app.command("list")
def frameworks_list(json: JsonOption = False) -> None:
    """List the shipped frameworks with edition, publisher and number of disclosures."""
    rows = [_framework_row(fid) for fid in frameworks()]
    if json:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} frameworks",
        ["id", "name", "edition", "published", "disclosures"],
        ([r["id"], r["name"], r["edition"], r["published"], r["disclosures"]] for r in rows),
    )


@frameworks_app.command("show")
def frameworks_show(
    framework: Annotated[str, typer.Argument(help="Framework id, e.g. gri-2021.")],
    json: JsonOption = False,
) -> None:
    """Show a framework's citation and every disclosure with what GRI 1 (or the standard) asks."""
    fw = get_framework(framework)
    items = [
        {k: v for k, v in asdict(d).items() if k != "framework"}
        for d in disclosures(fw.id).values()
    ]
    result: dict[str, Any] = _framework_row(fw.id)
    result["groups"] = [asdict(g) for g in groups(fw.id).values()]
    result["disclosures"] = items
    if fw.id == "gri-2016":
        result["mapping_to_gri_2021"] = [asdict(m) for m in mapping_2016_to_2021()]
    if fw.id in ("ifrs-s2", "tcfd"):
        result["ifrs_s2_to_tcfd"] = [asdict(m) for m in s2_to_tcfd()]
    if json:
        print_json(result)
        return
    console.print(f"[bold]{fw.name}[/bold] ({fw.edition}; {fw.publisher}, {fw.published})")
    console.print(f"Citation: {fw.citation}")
    print_table(
        None,
        ["code", "title", "group", "required", "omission", "status"],
        (
            [
                d["code"],
                _short(d["title"], 70),
                d["group"],
                d["required"],
                d["omission"],
                d["status"],
            ]
            for d in items
        ),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")
    app.add_typer(frameworks_app, name="frameworks")
