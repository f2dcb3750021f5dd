"""Data collection commands: ``esg request`` issue, list, overdue, show, enter, upload.

The review steps (:mod:`review_cmd`), evidence files (:mod:`evidence_cmd`) join the same
group, and ``esg template`` (:mod:`template_cmd`) is registered with it. How the acting user
and the version seen are given is explained in :mod:`esgledger.cli.acting`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from esgledger.cli import evidence_cmd, review_cmd, template_cmd
from esgledger.cli.acting import AsOption, IdArg, VersionOption, seen_version, show, who
from esgledger.cli.common import DbOption, JsonOption, SheetOption, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.output import console, print_json, print_table
from esgledger.workflow import evidence as ev
from esgledger.workflow import review
from esgledger.workflow.requests import (
    get_request,
    issue_requests,
    list_requests,
    overdue,
    request_dict,
)
from esgledger.workflow.values import enter_value, upload_values

request_app = typer.Typer(
    help="Data requests: issue, enter, upload, submit, approve, return, lock, evidence.",
    no_args_is_help=True,
)


@request_app.command("issue")
def request_issue(
    year: Annotated[int, typer.Option("--year", help="Reporting year.")],
    metric: Annotated[list[str], typer.Option("--metric", help="Metric id (repeat).")],
    owner: Annotated[str, typer.Option("--owner", help="User who fills the values.")],
    due: Annotated[dt.datetime, typer.Option("--due", formats=["%Y-%m-%d"], help="Due date.")],
    entity: Annotated[list[str] | None, typer.Option("--entity", help="Entity (repeat).")] = None,
    boundary: Annotated[
        str | None, typer.Option("--boundary", help="Every member of this boundary.")
    ] = None,
    subtree: Annotated[
        str | None, typer.Option("--subtree", help="This entity and everything below it.")
    ] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="Reviewer.")] = None,
    breakdowns: Annotated[
        bool, typer.Option("--breakdowns", help="Also one request per breakdown member.")
    ] = False,
    instructions: Annotated[str, typer.Option("--instructions", help="Shown to the owner.")] = "",
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Issue requests for every metric × entity; existing ones are left as they are."""
    with workspace(db).write() as session:
        result = issue_requests(
            session,
            who(session, as_user),
            year=year,
            metrics=metric,
            owner=owner,
            due=due.date(),
            entities=entity or [],
            boundary=boundary,
            subtree_of=subtree,
            reviewer=reviewer,
            breakdowns=breakdowns,
            instructions=instructions,
        )
    if json:
        print_json(result)
    else:
        console.print(f"{result['created']} requests issued, {result['existing']} existed.")


def _print_requests(rows: list[dict[str, Any]], title: str) -> None:
    print_table(
        title,
        ["id", "year", "entity", "metric", "dims", "owner", "due", "state", "value", "unit", "v"],
        (
            [
                r["id"],
                r["year"],
                r["entity"],
                r["metric"],
                ";".join(f"{k}={v}" for k, v in r["dims"].items()),
                r["owner"],
                r["due"] + (" overdue" if r["overdue"] else ""),
                r["state"],
                "" if r["value"] is None else f"{r['value']:g}",
                r["unit"] or "",
                r["version"],
            ]
            for r in rows
        ),
    )


@request_app.command("list")
def request_list(
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    state: Annotated[str | None, typer.Option("--state", help="Only this state.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Only this owner's.")] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Only this entity's subtree.")
    ] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="Only this metric.")] = None,
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List the requests you may read, with state, value and version."""
    with workspace(db).read() as session:
        me = who(session, as_user)
        rows = [
            request_dict(session, r)
            for r in list_requests(
                session, me, year=year, state=state, owner=owner, entity=entity, metric=metric
            )
        ]
    if json:
        print_json(rows)
    else:
        _print_requests(rows, f"{len(rows)} requests")


@request_app.command("overdue")
def request_overdue(
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    today: Annotated[
        dt.datetime | None,
        typer.Option("--today", formats=["%Y-%m-%d"], help="Count from this date."),
    ] = None,
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Requests past their due date and not yet approved."""
    day = today.date() if today else None
    with workspace(db).read() as session:
        me = who(session, as_user)
        rows = [
            request_dict(session, r, today=day) for r in overdue(session, me, today=day, year=year)
        ]
    if json:
        print_json(rows)
    else:
        _print_requests(rows, f"{len(rows)} overdue requests")


@request_app.command("show")
def request_show(
    request_id: IdArg, as_user: AsOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """One request with its value, comments and evidence files."""
    with workspace(db).read() as session:
        me = who(session, as_user)
        files = [ev.evidence_dict(f) for f in ev.list_evidence(session, me, request_id)]
        result = {
            **request_dict(session, get_request(session, request_id)),
            "comments": review.comments(session, request_id),
            "evidence": files,
        }
    if json:
        print_json(result)
        return
    for key in (
        "id",
        "year",
        "entity",
        "metric",
        "dims",
        "owner",
        "reviewer",
        "due",
        "state",
        "version",
        "value",
        "unit",
        "status",
        "updated_by",
        "updated_at",
    ):
        console.print(f"{key}: {result[key]}", markup=False)
    for c in result["comments"]:
        console.print(f"[{c['kind']}] {c['at']} {c['author']}: {c['body']}", markup=False)
    for f in result["evidence"]:
        console.print(f"evidence {f['id']}: {f['name']} ({f['size']} bytes)", markup=False)


@request_app.command("enter")
def request_enter(
    request_id: IdArg,
    value: Annotated[str, typer.Option("--value", help="A number, or /, n.a., -.")],
    unit: Annotated[str, typer.Option("--unit", help="Unit of the value.")],
    note: Annotated[str, typer.Option("--note", help="Shown with the figure.")] = "",
    reason: Annotated[
        str, typer.Option("--reason", help="Restatement reason, to replace a recorded value.")
    ] = "",
    if_version: VersionOption = None,
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Enter or correct the value of a draft or returned request."""
    with workspace(db).write() as session:
        req = enter_value(
            session,
            who(session, as_user),
            request_id,
            version=seen_version(session, request_id, if_version),
            value=value,
            unit=unit,
            note=note,
            reason=reason,
        )
        show(session, req, json, f"Value {value} {unit} entered")


@request_app.command("upload")
def request_upload(
    file: Annotated[Path, typer.Argument(help="A filled template, or any KPI file.")],
    sheet: SheetOption = None,
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Enter every row of a filled template into its request, all or nothing."""
    with unexpected_failures(file.name), workspace(db).write() as session:
        result = upload_values(session, who(session, as_user), file, sheet=sheet)
    if json:
        print_json(result)
    else:
        console.print(
            f"{file.name}: {result['added']} added, {result['updated']} updated, "
            f"{result['restated']} restated, {result['unchanged']} unchanged."
        )


def register(app: typer.Typer) -> None:
    review_cmd.add_to(request_app)
    request_app.add_typer(evidence_cmd.evidence_app, name="evidence")
    app.add_typer(request_app, name="request")
    app.command("template")(template_cmd.template)
