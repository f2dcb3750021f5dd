"""Review commands under ``esg request``: submit, approve, return, lock, restate, comment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from esgledger.cli.acting import AsOption, IdArg, VersionOption, seen_version, show, who
from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.output import console, print_json
from esgledger.errors import InvalidInput
from esgledger.workflow import review


def _step(name: str, help_text: str) -> Callable[..., None]:
    def command(
        request_id: IdArg,
        if_version: VersionOption = None,
        as_user: AsOption = None,
        db: DbOption = None,
        json: JsonOption = False,
    ) -> None:
        with workspace(db).write() as session:
            step = getattr(review, name)
            req = step(
                session,
                who(session, as_user),
                request_id,
                version=seen_version(session, request_id, if_version),
            )
            show(session, req, json, f"Request {request_id} {req.state}")

    command.__doc__ = help_text
    return command


request_submit = _step("submit", "Submit the current value for review.")
request_approve = _step("approve", "Approve a submitted value (not your own submission).")


def request_return(
    request_id: IdArg,
    comment: Annotated[str, typer.Option("--comment", help="Why: shown to the owner.")],
    if_version: VersionOption = None,
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Return a submitted or approved request to its owner with a comment."""
    with workspace(db).write() as session:
        req = review.return_request(
            session,
            who(session, as_user),
            request_id,
            version=seen_version(session, request_id, if_version),
            comment=comment,
        )
        show(session, req, json, "Returned")


def request_lock(
    request_id: Annotated[int | None, typer.Argument(help="Request id.")] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Lock every approved request of a year.")
    ] = None,
    if_version: VersionOption = None,
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Lock approved values: later changes must be restatements with a reason."""
    if (request_id is None) == (year is None):
        raise InvalidInput("give a request id or --year (not both)")
    with workspace(db).write() as session:
        me = who(session, as_user)
        if year is not None:
            ids = review.lock_year(session, me, year)
            if json:
                print_json({"locked": ids})
            else:
                console.print(f"{len(ids)} requests locked.")
            return
        assert request_id is not None
        req = review.lock(
            session, me, request_id, version=seen_version(session, request_id, if_version)
        )
        show(session, req, json, "Locked")


def request_restate(
    request_id: IdArg,
    value: Annotated[str, typer.Option("--value", help="The corrected figure.")],
    unit: Annotated[str, typer.Option("--unit", help="Its unit.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (published with the figure).")],
    if_version: VersionOption = None,
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Restate a locked value: the old one stays as history, the request goes to review."""
    with workspace(db).write() as session:
        req = review.restate(
            session,
            who(session, as_user),
            request_id,
            version=seen_version(session, request_id, if_version),
            value=value,
            unit=unit,
            reason=reason,
        )
        show(session, req, json, f"Restated to {value} {unit}")


def request_comment(
    request_id: IdArg,
    text: Annotated[str, typer.Argument(help="The comment.")],
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add a comment to a request (no state change)."""
    with workspace(db).write() as session:
        review.comment(session, who(session, as_user), request_id, text)
    console.print(f"Comment added to request {request_id}.")


def add_to(group: typer.Typer) -> None:
    """Register the review commands in the ``esg request`` group."""
    group.command("submit")(request_submit)
    group.command("approve")(request_approve)
    group.command("return")(request_return)
    group.command("lock")(request_lock)
    group.command("restate")(request_restate)
    group.command("comment")(request_comment)
