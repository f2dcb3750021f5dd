"""``esg suppliers saq``: self-assessment questionnaires sent to suppliers through one-time
links, their answers, reminders and scores (issue #16)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import InvalidInput

saq_app = typer.Typer(
    help="Supplier self-assessment questionnaires: define, send links, answers, reminders.",
    no_args_is_help=True,
)
NameArgument = Annotated[str, typer.Argument(help="The questionnaire's name.")]
LINK_COLUMNS = ["questionnaire", "supplier", "state", "issued_at", "expires_at", "score"]


def _table(title: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print(f"{title}: none.")
        return
    print_table(title, columns, [[r[c] for c in columns] for r in rows])


@saq_app.command("define")
def define_cmd(
    file: Annotated[Path, typer.Argument(help="TOML file (docs/suppliers.md shows one).")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Store a questionnaire: sections, questions, answer types, weights, evidence."""
    from esgledger.suppliers.questionnaire import definition_from_json, load_definition
    from esgledger.suppliers.saq import define

    definition = load_definition(file)
    with workspace(db).write() as session:
        row = define(session, definition, actor=actor())
        result = {
            "name": row.name,
            "questions": len(definition_from_json(row.definition).questions),
            "sha256": row.sha256,
        }
    if json:
        print_json(result)
    else:
        console.print(f"Questionnaire {result['name']!r}: {result['questions']} questions.")


@saq_app.command("list")
def list_cmd(db: DbOption = None, json: JsonOption = False) -> None:
    """The questionnaires defined."""
    from esgledger.suppliers.saq import questionnaires

    with workspace(db).read() as session:
        rows = questionnaires(session)
    if json:
        print_json(rows)
    else:
        _table("Questionnaires", ["name", "questions", "sha256"], rows)


@saq_app.command("send")
def send_cmd(
    name: NameArgument,
    suppliers: Annotated[list[str], typer.Argument(help="Supplier ids.")],
    days: Annotated[int, typer.Option(help="Days the links stay valid (1-365).")] = 30,
    reissue: Annotated[
        bool, typer.Option("--reissue", help="Replace links not answered yet.")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """One-time links for suppliers, valid --days days; each token is printed once and
    opens /supplier-questionnaire/TOKEN in the web app."""
    from esgledger.suppliers.saq import send

    with workspace(db).write() as session:
        issued = send(session, name, suppliers, days=days, actor=actor(), reissue=reissue)
    if json:
        print_json(issued)
    else:
        _table(f"Links to {name} (shown once)", ["supplier", "token", "expires"], issued)


@saq_app.command("links")
def links_cmd(
    name: Annotated[str | None, typer.Argument(help="Only this questionnaire.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Every link with its state (open, expired, answered) and score."""
    from esgledger.suppliers.saq import links

    with workspace(db).read() as session:
        rows = links(session, name)
    if json:
        print_json(rows)
    else:
        _table("Questionnaire links", LINK_COLUMNS, rows)


@saq_app.command("reminders")
def reminders_cmd(
    name: Annotated[str | None, typer.Argument(help="Only this questionnaire.")] = None,
    within: Annotated[int, typer.Option(help="Links expiring within this many days.")] = 7,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Open links expiring soon, with the contacts to remind."""
    from esgledger.suppliers.saq import reminders

    if within < 0:
        raise InvalidInput(f"--within must be 0 or more days, not {within}")
    with workspace(db).read() as session:
        rows = reminders(session, name, within_days=within)
    if json:
        print_json(rows)
    else:
        shown = [r | {"contacts": "; ".join(r["contacts"])} for r in rows]
        _table("To remind", ["questionnaire", "supplier", "expires_at", "contacts"], shown)


@saq_app.command("answer")
def answer_cmd(
    token: Annotated[
        str,
        typer.Argument(
            help='The supplier\'s link token (an older one starting with "-" goes after "--").'
        ),
    ],
    file: Annotated[
        Path, typer.Argument(help="CSV/XLSX with columns question, answer (and evidence).")
    ],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Enter a supplier's answers given on paper, spending its link (evidence paths are
    relative to the file)."""
    from esgledger.suppliers.saq import submit
    from esgledger.suppliers.saq_answers import answers_from_file

    answers, uploads = answers_from_file(file)
    with workspace(db).write() as session:
        value = submit(session, token, answers, uploads, actor=actor())
    if json:
        print_json({"score": round(value, 2)})
    else:
        console.print(f"Answers stored; score {value:.2f} of 100.")
