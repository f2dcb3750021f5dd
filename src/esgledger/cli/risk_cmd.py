"""`esg risk`: the enterprise risk register, its dictionary, scoring matrix and heat map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from esgledger.assess import risk as reg
from esgledger.assess import risk_settings
from esgledger.cli.assess_options import emit, parse_date
from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.errors import InvalidInput

risk_app = typer.Typer(
    help="Enterprise risk register: dictionary, scoring matrix, responses, reviews, heat map.",
    no_args_is_help=True,
)
categories_app = typer.Typer(help="The risk dictionary.", invoke_without_command=True)
risk_app.add_typer(categories_app, name="categories")

ImpactOption = Annotated[
    list[str] | None,
    typer.Option(
        "--impact",
        help="DIMENSION=1..5, repeat; dimensions: " + ", ".join(risk_settings.DIMENSIONS) + ".",
    ),
]
CodeArg = Annotated[str, typer.Argument(help="Risk code, e.g. RSK-001.")]


def parse_impacts(items: list[str] | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items or []:
        key, eq, value = item.partition("=")
        if not eq or not value.strip().isdigit():
            raise InvalidInput(f"--impact {item!r}: write DIMENSION=score, e.g. financial=4")
        out[key.strip().lower()] = int(value)
    return out


def _print_risks(title: str, rows: list[dict[str, Any]]) -> None:
    print_table(
        title,
        ["code", "title", "category", "entity", "L", "I", "score", "level", "response", "review"],
        (
            [
                r["code"],
                r["title"],
                r["category"],
                r["entity"],
                r["likelihood"],
                f"{r['impact']:g}",
                f"{r['score']:g}",
                r["level"],
                r["response"],
                (r["review_due"] or "") + (" OVERDUE" if r["overdue"] else ""),
            ]
            for r in rows
        ),
    )


@risk_app.command("add")
def add(
    title: Annotated[str, typer.Option("--title", help="Short name of the risk.")],
    category: Annotated[str, typer.Option("--category", help="Risk dictionary code.")],
    entity: Annotated[str, typer.Option("--entity", help="Owning business unit (entity id).")],
    likelihood: Annotated[int, typer.Option("--likelihood", help="1 rare … 5 almost certain.")],
    response: Annotated[str, typer.Option("--response", help="avoid, reduce, share or retain.")],
    rationale: Annotated[
        str, typer.Option("--rationale", help="Why this response (cost-benefit).")
    ],
    impact: ImpactOption = None,
    code: Annotated[str | None, typer.Option("--code", help="Code (default RSK-nnn).")] = None,
    cause: Annotated[str, typer.Option("--cause", help="Statement: the cause.")] = "",
    event: Annotated[str, typer.Option("--event", help="Statement: the event.")] = "",
    consequence: Annotated[
        str, typer.Option("--consequence", help="Statement: consequences.")
    ] = "",
    owner: Annotated[str, typer.Option("--owner", help="Risk owner (role or person).")] = "",
    review_due: Annotated[
        str | None, typer.Option("--review-due", help="Next review date.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Add a risk to the register (unnamed impact dimensions score 1)."""
    with workspace(db).write() as session:
        r = reg.add_risk(
            session,
            title=title,
            category=category,
            entity=entity,
            likelihood=likelihood,
            impacts=parse_impacts(impact),
            response=response,
            rationale=rationale,
            code=code,
            cause=cause,
            event=event,
            consequence=consequence,
            owner=owner,
            review_due=parse_date(review_due, "--review-due"),
            actor=actor(),
        )
        out = reg.risk_dict(r, risk_settings.get_matrix(session))
    emit(json, out, f"Added {out['code']}: score {out['score']:g}, level {out['level']}.")


@risk_app.command("update")
def update(
    code: CodeArg,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    category: Annotated[str | None, typer.Option("--category", help="New category.")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="New owning entity.")] = None,
    likelihood: Annotated[int | None, typer.Option("--likelihood", help="1 … 5.")] = None,
    impact: ImpactOption = None,
    response: Annotated[str | None, typer.Option("--response", help="New response.")] = None,
    rationale: Annotated[str | None, typer.Option("--rationale", help="New rationale.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="New owner.")] = None,
    review_due: Annotated[str | None, typer.Option("--review-due", help="Next review.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="open or closed.")] = None,
    note: Annotated[str, typer.Option("--note", help="Why it changed.")] = "",
    expect_version: Annotated[
        int | None, typer.Option("--expect-version", help="Refuse if not at this version.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Edit a risk: a new version is stored and the earlier ones are kept."""
    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "title": title,
            "category": category,
            "entity_id": entity,
            "likelihood": likelihood,
            "response": response,
            "rationale": rationale,
            "owner": owner,
            "status": status,
            "review_due": parse_date(review_due, "--review-due"),
        }.items()
        if v is not None
    }
    changes.update({f"impact_{d}": v for d, v in parse_impacts(impact).items()})
    with workspace(db).write() as session:
        r = reg.update_risk(
            session, code, changes, note=note, expected_version=expect_version, actor=actor()
        )
        out = reg.risk_dict(r, risk_settings.get_matrix(session))
    emit(json, out, f"{code} is now at version {out['version']} (level {out['level']}).")


@risk_app.command("review")
def review(
    code: CodeArg,
    date: Annotated[str, typer.Option("--date", help="Date of the review (YYYY-MM-DD).")],
    next_review: Annotated[str, typer.Option("--next", help="Next review date (YYYY-MM-DD).")],
    note: Annotated[str, typer.Option("--note", help="Review note.")] = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Record a review and the next review date."""
    on, nxt = parse_date(date, "--date"), parse_date(next_review, "--next")
    assert on is not None and nxt is not None
    with workspace(db).write() as session:
        r = reg.review_risk(
            session, code, reviewed_on=on, next_review=nxt, note=note, actor=actor()
        )
        out = reg.risk_dict(r, risk_settings.get_matrix(session))
    emit(json, out, f"{code} reviewed on {date}; next review {next_review}.")


@risk_app.command("list")
def list_cmd(
    level: Annotated[str | None, typer.Option("--level", help="high, medium or low.")] = None,
    category: Annotated[
        str | None, typer.Option("--category", help="Category (and below).")
    ] = None,
    closed: Annotated[bool, typer.Option("--closed", help="Include closed risks.")] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List the register with scores and levels under the current matrix."""
    with workspace(db).read() as session:
        rows = reg.list_risks(session, level=level, category=category, include_closed=closed)
    if json:
        print_json(rows)
    else:
        _print_risks(f"Risk register ({len(rows)})", rows)


@risk_app.command("show")
def show(code: CodeArg, db: DbOption = None, json: JsonOption = False) -> None:
    """Show one risk with its full history of versions."""
    with workspace(db).read() as session:
        out = reg.risk_dict(reg.get_risk(session, code), risk_settings.get_matrix(session))
        out["history"] = reg.history(session, code)
    if json:
        print_json(out)
        return
    _print_risks(code, [out])
    s = out["statement"]
    console.print(f"cause: {s['cause']}\nevent: {s['event']}\nconsequence: {s['consequence']}")
    for h in out["history"]:
        console.print(f"v{h['version']} {h['changed_at'][:19]} {h['actor']}: {h['note']}")


@risk_app.command("overdue")
def overdue(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date (default today).")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Open risks whose review date has passed."""
    with workspace(db).read() as session:
        rows = reg.overdue(session, as_of=parse_date(as_of, "--as-of"))
    if json:
        print_json(rows)
        return
    print_table(
        f"Overdue reviews ({len(rows)})",
        ["code", "title", "owner", "due", "days"],
        ([r["code"], r["title"], r["owner"], r["review_due"], r["days_overdue"]] for r in rows),
    )


@risk_app.command("matrix")
def matrix_cmd(
    impact_rule: Annotated[
        str | None, typer.Option("--impact-rule", help="max or mean over dimensions.")
    ] = None,
    high: Annotated[float | None, typer.Option("--high", help="High if score ≥ this.")] = None,
    medium: Annotated[float | None, typer.Option("--medium", help="Medium if ≥ this.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Show the scoring matrix, or change it (levels are recomputed for every risk)."""
    database = workspace(db)
    if impact_rule is None and high is None and medium is None:
        with database.read() as session:
            m = risk_settings.get_matrix(session)
    else:
        with database.write() as session:
            now = risk_settings.get_matrix(session)
            m = risk_settings.set_matrix(
                session,
                impact_rule=impact_rule or now.impact_rule,
                high_cutoff=now.high_cutoff if high is None else high,
                medium_cutoff=now.medium_cutoff if medium is None else medium,
                actor=actor(),
            )
    emit(
        json,
        m.as_dict(),
        f"level = likelihood × {m.impact_rule}(impacts): high ≥ "
        f"{m.high_cutoff:g}, medium ≥ {m.medium_cutoff:g}, else low",
    )


@risk_app.command("heatmap")
def heatmap(
    out: Annotated[Path, typer.Option("--out", help="Chart file: .svg or .png.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Draw the likelihood × impact heat map of the open risks."""
    with workspace(db).read() as session:
        rows = reg.list_risks(session)
        path = reg.heatmap(session, out)
    emit(json, {"chart": str(path), "risks": len(rows)}, f"Wrote {path}")


@categories_app.callback()
def categories_list(ctx: typer.Context, db: DbOption = None, json: JsonOption = False) -> None:
    """List the risk dictionary (shipped and workspace categories)."""
    if ctx.invoked_subcommand is not None:
        return
    with workspace(db).read() as session:
        rows = list(risk_settings.categories(session).values())
    if json:
        print_json(rows)
        return
    print_table(
        "Risk dictionary",
        ["code", "name", "parent", "origin"],
        ([r["code"], r["name"], r["parent"], r["origin"]] for r in rows),
    )


@categories_app.command("add")
def categories_add(
    code: Annotated[str, typer.Argument(help="New category code, e.g. esg.water.")],
    category_name: Annotated[str, typer.Option("--category-name", help="Its name.")],
    parent: Annotated[str, typer.Option("--parent", help="Parent category code.")] = "",
    description: Annotated[str, typer.Option("--description", help="What it covers.")] = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Extend the risk dictionary."""
    with workspace(db).write() as session:
        out = risk_settings.add_category(
            session,
            code=code,
            name=category_name,
            parent=parent,
            description=description,
            actor=actor(),
        )
    emit(json, out, f"Added category {code!r}.")


def register(app: typer.Typer) -> None:
    app.add_typer(risk_app, name="risk")
