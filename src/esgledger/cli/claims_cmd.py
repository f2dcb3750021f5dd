"""``esg db claims``: certificate ids of live instrument rows against ``certificate_claims``
(``ledger.verify_claims``), and the backfill of what data older than that table left
unclaimed."""

from __future__ import annotations

from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json
from esgledger.ledger import audit
from esgledger.ledger.verify_claims import backfill_claims, check_claims

BackfillOption = Annotated[
    bool,
    typer.Option(
        "--backfill",
        help="Claim the ids no claim names yet; refused, claiming nothing, while a live "
        "row shares an id with another.",
    ),
]


def db_claims(
    backfill: BackfillOption = False, db: DbOption = None, json: JsonOption = False
) -> None:
    """Find certificate ids two live instrument rows share, or no claim names (ledger and store)."""
    database = workspace(db)
    if backfill:
        with database.write() as session:
            found = backfill_claims(session)
            if found.unclaimed:
                audit.record(
                    session,
                    actor=actor(),
                    action="certificate_claims.backfill",
                    subject="certificate_claims",
                    payload={"claimed": len(found.unclaimed), "instrument_rows": found.rows},
                )
        claimed = len(found.unclaimed)
        if json:
            print_json({"claimed": claimed, "instrument_rows": found.rows})
        else:
            console.print(
                f"Claimed {claimed} certificate ids of {found.rows} live instrument rows."
            )
        return
    with database.read() as session:
        found = check_claims(session)
    if json:
        print_json(found.as_dict())
    else:
        for problem in found.problems():
            console.print(f"[red]{problem}[/red]", soft_wrap=True)
        if found.ok:
            console.print(
                f"Certificate claims match the {found.rows} live instrument rows: no id shared, "
                "none unclaimed."
            )
    if not found.ok:
        raise typer.Exit(1)
