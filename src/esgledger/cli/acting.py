"""What every workflow command shares: the acting user, the request id, the version seen.

Workflow commands act as a user (``--as USERNAME``, default ``$ESG_ACTOR``) whose role and
grants are checked exactly as the API will check them. ``--if-version`` passes the version
you saw; a request changed since then is refused, naming who changed it.
"""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal
from esgledger.auth.users import principal
from esgledger.cli.common import actor
from esgledger.cli.output import console, print_json
from esgledger.errors import NotFound
from esgledger.ledger.workflow_models import DataRequest
from esgledger.workflow.requests import get_request, request_dict

AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this user [default: $ESG_ACTOR].", show_default=False),
]
IdArg = Annotated[int, typer.Argument(help="Request id (from `esg request list`).")]
VersionOption = Annotated[
    int | None,
    typer.Option("--if-version", help="The version you saw; refused if the request changed."),
]


def who(session: Session, as_user: str | None) -> Principal:
    name = as_user or actor()
    try:
        return principal(session, name)
    except NotFound:
        raise NotFound(
            f"no user {name!r} to act as; pass --as USERNAME or set ESG_ACTOR "
            "(`esg user list` lists users)"
        ) from None


def seen_version(session: Session, request_id: int, seen: int | None) -> int:
    return seen if seen is not None else get_request(session, request_id).version


def show(session: Session, req: DataRequest, json: bool, message: str) -> None:
    result = request_dict(session, req)
    if json:
        print_json(result)
    else:
        console.print(
            f"{message} (request {result['id']}: {result['state']}, version {result['version']})."
        )
