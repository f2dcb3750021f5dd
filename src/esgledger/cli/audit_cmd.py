"""Audit commands: verify the hash chain and read the log."""

from __future__ import annotations

from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import EsgError
from esgledger.ledger import audit, audit_deep

audit_app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


class ChainBroken(EsgError):
    exit_code = 1


HeadOption = Annotated[
    str | None,
    typer.Option(
        "--head",
        metavar="SEQ:HASH",
        help="A head saved earlier with `esg audit head`: the chain must still contain it.",
    ),
]
DeepOption = Annotated[
    bool,
    typer.Option("--deep", help="Also recompute every data digest from the tables."),
]


@audit_app.command("verify")
def audit_verify(
    head: HeadOption = None, deep: DeepOption = False, db: DbOption = None, json: JsonOption = False
) -> None:
    """Check every event's hash and link; name the first event that does not fit."""
    anchor = audit.Head.parse(head) if head else None
    with workspace(db).read() as session:
        result = audit.verify(session, anchor=anchor)
        data = audit_deep.verify_data(session) if deep and result.ok else None
    ok = result.ok and (data is None or data.ok)
    if json:
        print_json({**result.as_dict(), "ok": ok, "chain_ok": result.ok, "data": _data(data)})
        if not ok:
            raise typer.Exit(1)
        return
    if not result.ok:
        raise ChainBroken(
            f"audit chain broken at event {result.broken_id}: {result.reason} "
            f"({result.events} events before it verify)"
        )
    for note in data.notes if data else []:
        console.print(f"note: {note}")
    if data is not None and not data.ok:
        for problem in data.problems:
            console.print(f"[red]{problem}[/red]")
        raise ChainBroken(
            f"audit data check failed: {len(data.problems)} of {data.scopes} data scopes "
            "do not match their digests (listed above)"
        )
    console.print(_verified_line(result, data, anchor))


def _data(data: audit_deep.DeepResult | None) -> dict[str, object] | None:
    return data.as_dict() if data else None


def _verified_line(
    result: audit.VerifyResult, data: audit_deep.DeepResult | None, anchor: audit.Head | None
) -> str:
    line = f"Audit chain verifies: {result.events} events, head {result.head or 'none'}."
    if anchor is not None:
        line += f" It contains the anchored head {anchor.seq}."
    if data is not None:
        line += f" Data digests match for {data.scopes} scopes."
    return line


@audit_app.command("head")
def audit_head(db: DbOption = None, json: JsonOption = False) -> None:
    """Print the newest event as SEQ:HASH, to keep outside the workspace (mail, ticket, TSA)."""
    with workspace(db).read() as session:
        top = audit.head(session)
    if json:
        print_json({"seq": top.seq, "hash": top.hash} if top else None)
    elif top is None:
        console.print("The audit chain is empty.")
    else:
        console.print(str(top), soft_wrap=True)


@audit_app.command("log")
def audit_log(
    limit: Annotated[int, typer.Option("--limit", help="How many of the newest events.")] = 50,
    action: Annotated[
        str | None, typer.Option("--action", help="Only this action, e.g. import.kpis.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List the newest audit events."""
    with workspace(db).read() as session:
        events = audit.events(session, limit=limit, action=action)
        rows = [
            {
                "id": e.id,
                "ts": e.ts.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "subject": e.subject,
                "payload": e.payload,
                "hash": e.hash,
            }
            for e in events
        ]
    if json:
        import json as _json

        for r in rows:
            r["payload"] = _json.loads(r["payload"])
        print_json(rows)
    else:
        print_table(
            "Audit log (newest first)",
            ["id", "time (UTC)", "actor", "action", "subject"],
            ([r["id"], r["ts"][:19], r["actor"], r["action"], r["subject"]] for r in rows),
        )


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
