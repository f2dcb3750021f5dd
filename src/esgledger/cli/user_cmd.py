"""User commands: accounts, roles, entity grants, passwords and API tokens.

Whoever can open the workspace database administers its users (like a database owner); the
change is recorded in the audit log under ``ESG_ACTOR``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from esgledger.auth.permissions import MATRIX, ROLE_HELP, ROLES, matrix_rows
from esgledger.auth.tokens import issue_token, list_tokens, revoke_token, token_dict
from esgledger.auth.users import (
    add_user,
    get_user,
    grant,
    list_users,
    revoke_grant,
    set_active,
    set_password,
    set_role,
    user_dict,
)
from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json, print_table

user_app = typer.Typer(
    help="Users, roles, entity grants, passwords and API tokens.", no_args_is_help=True
)
UserArg = Annotated[str, typer.Argument(help="Username.")]


def _ask_password() -> str:
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("add")
def user_add(
    username: UserArg,
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.")],
    name: Annotated[str, typer.Option("--name", help="Display name.")] = "",
    email: Annotated[str, typer.Option("--email", help="E-mail address.")] = "",
    password: Annotated[
        bool, typer.Option("--password", help="Ask for a password (else: API tokens only).")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Add a user with a role; data owners then need `esg user grant`."""
    secret = _ask_password() if password else None
    with workspace(db).write() as session:
        user = add_user(
            session,
            username=username,
            role=role,
            display_name=name,
            email=email,
            password=secret,
            actor=actor(),
        )
        result = user_dict(session, user)
    if json:
        print_json(result)
    else:
        console.print(f"Added user {result['username']} ({result['role']}).")


@user_app.command("list")
def user_list(db: DbOption = None, json: JsonOption = False) -> None:
    """List users with role, state and entity grants."""
    with workspace(db).read() as session:
        rows = [user_dict(session, u) for u in list_users(session)]
    if json:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} users",
        ["username", "name", "role", "active", "password", "grants"],
        (
            [
                r["username"],
                r["display_name"],
                r["role"],
                "yes" if r["active"] else "no",
                "yes" if r["password"] else "no",
                ", ".join(r["grants"]),
            ]
            for r in rows
        ),
    )


def _set_active(username: str, active: bool, db: str | None, json: bool) -> None:
    with workspace(db).write() as session:
        result = user_dict(session, set_active(session, username, active, actor=actor()))
    if json:
        print_json(result)
    else:
        console.print(f"User {result['username']} {'enabled' if active else 'disabled'}.")


@user_app.command("disable")
def user_disable(username: UserArg, db: DbOption = None, json: JsonOption = False) -> None:
    """Disable a user: password and tokens stop working; history keeps the name."""
    _set_active(username, False, db, json)


@user_app.command("enable")
def user_enable(username: UserArg, db: DbOption = None, json: JsonOption = False) -> None:
    """Enable a disabled user again."""
    _set_active(username, True, db, json)


@user_app.command("role")
def user_role(
    username: UserArg,
    role: Annotated[str, typer.Argument(help=f"One of {', '.join(ROLES)}.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Give a user another role; their sessions and tokens carry it from their next request."""
    with workspace(db).write() as session:
        result = user_dict(session, set_role(session, username, role, actor=actor()))
    if json:
        print_json(result)
    else:
        console.print(f"User {result['username']} is now {result['role']}.")


@user_app.command("grant")
def user_grant(
    username: UserArg,
    entity: Annotated[str, typer.Argument(help="Entity id; its whole subtree is covered.")],
    remove: Annotated[bool, typer.Option("--remove", help="Take the grant away.")] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Let a data owner enter and submit values for an entity and everything below it."""
    with workspace(db).write() as session:
        if remove:
            revoke_grant(session, username, entity, actor=actor())
        else:
            grant(session, username, entity, actor=actor())
        result = user_dict(session, get_user(session, username))
    if json:
        print_json(result)
    else:
        console.print(f"{result['username']} grants: {', '.join(result['grants']) or 'none'}.")


@user_app.command("password")
def user_password(username: UserArg, db: DbOption = None) -> None:
    """Set a user's password (asked twice, never echoed); stored as an argon2id hash."""
    secret = _ask_password()
    with workspace(db).write() as session:
        set_password(session, username, secret, actor=actor())
    console.print(f"Password of {username} set.")


@user_app.command("token")
def user_token(
    username: UserArg,
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Issue an API token and print it once: only its hash is stored."""
    with workspace(db).write() as session:
        plain, row = issue_token(session, username, name=name, actor=actor())
        result = {**token_dict(row), "token": plain}
    if json:
        print_json(result)
    else:
        console.print(f"Token {result['id']} for {username} (shown once, store it now):")
        console.print(plain, markup=False, highlight=False)


@user_app.command("tokens")
def user_tokens(username: UserArg, db: DbOption = None, json: JsonOption = False) -> None:
    """List a user's tokens by id and prefix (the tokens themselves are not stored)."""
    with workspace(db).read() as session:
        rows = [token_dict(t) for t in list_tokens(session, username)]
    if json:
        print_json(rows)
        return
    print_table(
        f"Tokens of {username}",
        ["id", "prefix", "name", "created", "revoked"],
        (
            [r["id"], r["prefix"] + "…", r["name"], r["created_at"], r["revoked_at"] or ""]
            for r in rows
        ),
    )


@user_app.command("revoke")
def user_revoke(
    token_id: Annotated[int, typer.Argument(help="Token id from `esg user tokens`.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Revoke an API token: it stops working at once."""
    with workspace(db).write() as session:
        result = token_dict(revoke_token(session, token_id, actor=actor()))
    if json:
        print_json(result)
    else:
        console.print(f"Token {token_id} revoked.")


@user_app.command("roles")
def user_roles(json: JsonOption = False) -> None:
    """The roles and what each may do (global, or on granted entities only)."""
    rows = matrix_rows()
    if json:
        print_json({"roles": ROLE_HELP, "actions": {a: cells for a, cells in rows}})
        return
    for role in MATRIX:
        console.print(f"[bold]{role}[/bold]: {ROLE_HELP[role]}")
    print_table(
        None,
        ["action", *MATRIX],
        (
            [a, *("✓" if c == "yes" else ("granted" if c else "") for c in cells.values())]
            for a, cells in rows
        ),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
