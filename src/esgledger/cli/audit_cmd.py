"""Audit commands: verify the hash chain and read the log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import EsgError, Exit, IntegrityFailure, InvalidInput
from esgledger.ledger import activity_store, audit, audit_deep, head_signing

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
KeyOption = Annotated[
    Path,
    typer.Option(
        "--key",
        help="The workspace's private signing key (keep it apart from the database; "
        "its public key is KEY.pub).",
    ),
]
SignatureOption = Annotated[
    str | None,
    typer.Option(
        "--signature",
        help="The signature `esg audit head --sign` printed for the --head (needs --public-key).",
    ),
]
PublicKeyOption = Annotated[
    str | None,
    typer.Option(
        "--public-key",
        help="The workspace's public key: base64 as `esg audit keygen` printed it, "
        "or its .pub file.",
    ),
]
DEFAULT_KEY = Path("esg-audit.key")
DeepOption = Annotated[
    bool,
    typer.Option("--deep", help="Also recompute every data digest from the tables."),
]


@audit_app.command("verify")
def audit_verify(
    head: HeadOption = None,
    signature: SignatureOption = None,
    public_key: PublicKeyOption = None,
    deep: DeepOption = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Check every event's hash and link; name the first event that does not fit."""
    anchor = audit.Head.parse(head) if head else None
    if (signature is None) != (public_key is None) or (signature and anchor is None):
        raise InvalidInput("--signature and --public-key go together, with the --head they sign")
    if anchor is not None and signature is not None and public_key is not None:
        head_signing.check_signature(anchor, signature, public_key)
    with workspace(db).read() as session:
        result = audit.verify(session, anchor=anchor)
        data = audit_deep.verify_data(session) if deep and result.ok else None
        files = activity_store.verify_files(session) if data is not None else []
    ok = result.ok and (data is None or data.ok) and not files
    if json:
        print_json(
            {
                **result.as_dict(),
                "ok": ok,
                "chain_ok": result.ok,
                "data": _data(data),
                **({"store_problems": files} if deep else {}),
            }
        )
        if files:
            raise typer.Exit(Exit.INTEGRITY)
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
    if files:
        for problem in [*(data.problems if data else []), *files]:
            console.print(f"[red]{problem}[/red]")
        raise IntegrityFailure(
            f"audit data check failed: {len(files)} activity store files do not match what "
            "their imports registered (listed above)"
        )
    if data is not None and not data.ok:
        for problem in data.problems:
            console.print(f"[red]{problem}[/red]")
        raise ChainBroken(
            f"audit data check failed: {len(data.problems)} of {data.scopes} data scopes "
            "do not match their digests (listed above)"
        )
    console.print(_verified_line(result, data, anchor, signed=signature is not None))


def _data(data: audit_deep.DeepResult | None) -> dict[str, object] | None:
    return data.as_dict() if data else None


def _verified_line(
    result: audit.VerifyResult,
    data: audit_deep.DeepResult | None,
    anchor: audit.Head | None,
    *,
    signed: bool = False,
) -> str:
    line = f"Audit chain verifies: {result.events} events, head {result.head or 'none'}."
    if anchor is not None:
        by = ", signed with the workspace key" if signed else ""
        line += f" It contains the anchored head {anchor.seq}{by}."
    if data is not None:
        line += f" Data digests match for {data.scopes} scopes."
    return line


@audit_app.command("head")
def audit_head(
    sign: Annotated[
        bool, typer.Option("--sign", help="Also sign the head with the workspace key (--key).")
    ] = False,
    key: KeyOption = DEFAULT_KEY,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Print the newest event as SEQ:HASH, to keep outside the workspace (mail, ticket, TSA)."""
    with workspace(db).read() as session:
        top = audit.head(session)
    signed = head_signing.sign_head(top, key) if sign and top is not None else None
    if json:
        out = {"seq": top.seq, "hash": top.hash} if top else None
        if out is not None and signed is not None:
            out |= {"signature": signed[0], "public_key": signed[1]}
        print_json(out)
    elif top is None:
        console.print("The audit chain is empty.")
    else:
        console.print(str(top), soft_wrap=True)
        if signed is not None:
            console.print(f"signature: {signed[0]}", soft_wrap=True)


@audit_app.command("keygen")
def audit_keygen(key: KeyOption = DEFAULT_KEY, json: JsonOption = False) -> None:
    """Make the workspace's Ed25519 key for signing heads; prints the public key to share."""
    public = head_signing.generate_key(key)
    pub_file = head_signing.public_path(key)
    if json:
        print_json({"key": str(key), "public_key": public, "public_key_file": str(pub_file)})
        return
    console.print(
        f"Wrote the private key to {key} (readable by you only; keep it apart from the "
        f"database) and the public key to {pub_file}.",
        soft_wrap=True,
    )
    console.print(f"public key: {public}", soft_wrap=True)


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
