"""`esg materiality respondents|issue|respond|responses|iro`: the survey and IRO records."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from esgledger.assess import approval, respondents, survey
from esgledger.assess import materiality as mat
from esgledger.cli.assess_options import NameOption, YearOption, emit
from esgledger.cli.common import DbOption, JsonOption, SheetOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import print_json, print_table
from esgledger.ingest.readers import read_table

respondents_app = typer.Typer(help="Survey respondents.", no_args_is_help=True)
responses_app = typer.Typer(help="Survey responses.", no_args_is_help=True)
iro_app = typer.Typer(
    help="Impacts, risks and opportunities of material topics.", no_args_is_help=True
)


@respondents_app.command("list")
def respondents_list(
    year: YearOption, name: NameOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """List respondents, their group, and whether they have a token and have answered."""
    with workspace(db).read() as session:
        rows = respondents.respondents_of(session, mat.get_assessment(session, year, name))
    if json:
        print_json(rows)
        return
    print_table(
        f"Respondents ({len(rows)})",
        ["name", "group", "axis", "weight", "token", "responded"],
        (
            [
                r["name"],
                r["group"],
                r["axis"],
                f"{r['weight']:g}",
                "yes" if r["token_issued"] else "",
                "yes" if r["responded"] else "",
            ]
            for r in rows
        ),
    )


@respondents_app.command("add")
def respondents_add(
    respondent: Annotated[str, typer.Argument(help="Respondent name or code, e.g. INV-001.")],
    group: Annotated[str, typer.Option("--group", help="Stakeholder group code.")],
    year: YearOption,
    weight: Annotated[float, typer.Option("--weight", help="Respondent weight (> 0).")] = 1.0,
    name: NameOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Add one respondent to a group."""
    with workspace(db).write() as session:
        a = mat.get_assessment(session, year, name)
        respondents.add_respondent(
            session, a, group=group, name=respondent, weight=weight, actor=actor()
        )
    emit(json, {"added": respondent, "group": group}, f"Added {respondent!r} to {group!r}.")


@respondents_app.command("import")
def respondents_import(
    path: Annotated[Path, typer.Argument(help="CSV/XLSX with columns name, group[, weight].")],
    year: YearOption,
    name: NameOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Add respondents from a file, all or nothing."""
    with unexpected_failures(path.name), workspace(db).write() as session:
        a = mat.get_assessment(session, year, name)
        added = respondents.import_respondents(session, a, path, actor=actor())
    emit(json, {"added": added}, f"Added {added} respondents.")


def issue(
    year: YearOption,
    group: Annotated[str | None, typer.Option("--group", help="Only this group.")] = None,
    reissue: Annotated[
        bool, typer.Option("--reissue", help="Replace the tokens of those who have not answered.")
    ] = False,
    name: NameOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Issue one-time questionnaire tokens; they are printed once, only hashes are kept."""
    with workspace(db).write() as session:
        a = mat.get_assessment(session, year, name)
        tokens = respondents.issue_tokens(session, a, group=group, reissue=reissue, actor=actor())
    if json:
        print_json(tokens)
        return
    print_table(
        f"Tokens issued ({len(tokens)}): shown once, send each to its respondent",
        ["respondent", "group", "token"],
        ([t["respondent"], t["group"], t["token"]] for t in tokens),
    )


def respond(
    token: Annotated[str, typer.Option("--token", help="The respondent's one-time token.")],
    path: Annotated[
        Path | None, typer.Argument(help="Questionnaire file (CSV/XLSX), one row per topic.")
    ] = None,
    rate: Annotated[
        list[str] | None,
        typer.Option(
            "--rate",
            help="Instead of a file: TOPIC:key=value,… e.g. climate-change:valence=negative,"
            "actuality=actual,scale=5,scope=4,irremediability=3 (repeat per topic).",
        ),
    ] = None,
    sheet: SheetOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Submit a questionnaire with a token; it is accepted once."""
    with unexpected_failures(path.name if path is not None else "--rate"):
        if path is not None:
            table = read_table(path, sheet=sheet, kind="responses")
        else:
            table = survey.rows_table([survey.parse_rate(r) for r in rate or []])
        out = survey.submit(workspace(db), token, table, actor=actor())
    emit(
        json, asdict(out), f"Recorded {out.responses} responses for {out.assessment!r}. Thank you."
    )


@responses_app.command("import")
def responses_import(
    path: Annotated[Path, typer.Argument(help="CSV/XLSX: respondent or token, topic, scores.")],
    year: YearOption,
    name: NameOption = None,
    sheet: SheetOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Import responses, all or nothing; every bad row is named."""
    with unexpected_failures(path.name):
        out = survey.import_responses(
            workspace(db), year, path, name=name, actor=actor(), sheet=sheet
        )
    emit(json, asdict(out), f"Recorded {out.responses} responses of {out.respondents} respondents.")


@iro_app.command("add")
def iro_add(
    topic: Annotated[str, typer.Option("--topic", help="Topic code (must be material).")],
    kind: Annotated[str, typer.Option("--kind", help="impact, risk or opportunity.")],
    text: Annotated[str, typer.Option("--text", help="What the impact, risk or opportunity is.")],
    year: YearOption,
    risk: Annotated[str, typer.Option("--risk", help="Linked risk-register code.")] = "",
    name: NameOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Record an impact, risk or opportunity of a material topic."""
    with workspace(db).write() as session:
        a = mat.get_assessment(session, year, name)
        approval.add_iro(
            session, a, topic=topic, kind=kind, text=text, risk_code=risk, actor=actor()
        )
    emit(json, {"topic": topic, "kind": kind, "text": text}, f"Recorded the {kind} of {topic!r}.")


@iro_app.command("list")
def iro_list(
    year: YearOption, name: NameOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """List the IRO records."""
    with workspace(db).read() as session:
        rows = approval.iros_of(session, mat.get_assessment(session, year, name))
    if json:
        print_json(rows)
        return
    print_table(
        "Impacts, risks and opportunities",
        ["topic", "kind", "text", "risk"],
        ([r["topic_name"], r["kind"], r["text"], r["risk_code"]] for r in rows),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(respondents_app, name="respondents")
    app.add_typer(responses_app, name="responses")
    app.add_typer(iro_app, name="iro")
    app.command("issue")(issue)
    app.command("respond")(respond)
