"""Evidence commands under ``esg request evidence``: attach, list and fetch files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.acting import AsOption, IdArg, who
from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import InvalidInput
from esgledger.workflow import evidence as ev

evidence_app = typer.Typer(help="Evidence files of a request.", no_args_is_help=True)


@evidence_app.command("add")
def evidence_add(
    request_id: IdArg,
    file: Annotated[Path, typer.Argument(help="The file to attach.")],
    as_user: AsOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Attach a file to a draft or returned request (stored in the database)."""
    with workspace(db).write() as session:
        row = ev.evidence_dict(
            ev.add_evidence_file(session, who(session, as_user), request_id, file)
        )
    if json:
        print_json(row)
    else:
        console.print(
            f"Evidence {row['id']}: {row['name']}, {row['size']} bytes, "
            f"sha256 {row['sha256'][:12]}…"
        )


@evidence_app.command("list")
def evidence_list(
    request_id: IdArg, as_user: AsOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """List a request's evidence files."""
    with workspace(db).read() as session:
        rows = [
            ev.evidence_dict(f)
            for f in ev.list_evidence(session, who(session, as_user), request_id)
        ]
    if json:
        print_json(rows)
    else:
        print_table(
            f"Evidence of request {request_id}",
            ["id", "name", "size", "sha256", "by"],
            (
                [r["id"], r["name"], r["size"], r["sha256"][:16] + "…", r["uploaded_by"]]
                for r in rows
            ),
        )


@evidence_app.command("get")
def evidence_get(
    evidence_id: Annotated[int, typer.Argument(help="Evidence id.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the file.")],
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Write an evidence file out, byte for byte (its SHA-256 is checked first)."""
    if out.exists():
        raise InvalidInput(f"{out} exists; choose another --out")
    with workspace(db).read() as session:
        row = ev.get_evidence(session, who(session, as_user), evidence_id)
        out.write_bytes(row.content)
    console.print(f"Wrote {out} ({row.size} bytes).")
