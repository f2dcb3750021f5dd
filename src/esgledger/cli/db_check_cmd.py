"""``esg db check``: storage integrity, the audit chain and its data digests, in one pass."""

from __future__ import annotations

import typer
from sqlalchemy.orm import Session

from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.output import console, print_json
from esgledger.errors import IntegrityFailure
from esgledger.ledger import audit, audit_deep, integrity
from esgledger.ledger.verify_claims import ClaimCheck, check_claims


def db_check(db: DbOption = None, json: JsonOption = False) -> None:
    """Check the database's pages and indexes, read every row, verify the audit chain deep."""
    with workspace(db).read() as session:
        storage = integrity.check_storage(session)
        chain = audit.verify(session)
        data = audit_deep.verify_data(session) if chain.ok else None
        claims, unread = _claims(session)
    problems = [*storage.problems]
    if not chain.ok:
        problems.append(f"audit chain broken at event {chain.broken_id}: {chain.reason}")
    problems += data.problems if data else []
    problems += claims.problems() if claims else [unread]
    if json:
        print_json(
            {
                "ok": not problems,
                "storage": storage.as_dict(),
                "audit": chain.as_dict(),
                "data": data.as_dict() if data else None,
                "certificate_claims": claims.as_dict()
                if claims
                else {"ok": False, "problems": [unread]},
            }
        )
    else:
        _print(storage, chain, data, problems)
    if problems:
        raise typer.Exit(1)


def _claims(session: Session) -> tuple[ClaimCheck | None, str]:
    """Certificate ids shared by live rows or unclaimed (a store file that no longer
    matches its import is a problem of its own, not a crash)."""
    try:
        return check_claims(session), ""
    except IntegrityFailure as exc:
        return None, f"certificate claims not checked: {exc}"


def _print(
    storage: integrity.StorageResult,
    chain: audit.VerifyResult,
    data: audit_deep.DeepResult | None,
    problems: list[str],
) -> None:
    console.print(f"Storage: {storage.engine_check}; {sum(storage.rows.values())} rows read.")
    for note in data.notes if data else []:
        console.print(f"note: {note}")
    for problem in problems:
        console.print(f"[red]{problem}[/red]", soft_wrap=True)
    if problems:
        console.print(f"[red]Database check failed: {len(problems)} problems.[/red]")
    else:
        console.print(
            f"Database check passed: audit chain of {chain.events} events, head {chain.head}; "
            f"data digests match for {data.scopes if data else 0} scopes."
        )
