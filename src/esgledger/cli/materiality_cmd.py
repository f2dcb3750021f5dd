"""`esg materiality`: double (or legacy single) materiality assessments.

Assessments, topics, groups, scoring, the matrix and its chart, approval and comparison live
here; respondents, tokens, responses and IROs in :mod:`esgledger.cli.survey_cmd`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from esgledger.assess import approval, matrix
from esgledger.assess import materiality as mat
from esgledger.assess.charts import materiality_chart
from esgledger.catalog.topics import libraries
from esgledger.cli.assess_options import NameOption, YearOption, emit, fmt, parse_date
from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json, print_table

materiality_app = typer.Typer(
    help="Double materiality: topics, stakeholder surveys, scoring, matrix, approval, IROs.",
    no_args_is_help=True,
)
topics_app = typer.Typer(help="The topics of an assessment.", no_args_is_help=True)
groups_app = typer.Typer(help="Stakeholder groups and their weights.", no_args_is_help=True)
materiality_app.add_typer(topics_app, name="topics")
materiality_app.add_typer(groups_app, name="groups")


@materiality_app.command("create")
def create(
    year: YearOption,
    name: NameOption = None,
    mode: Annotated[
        str, typer.Option("--mode", help="double (impact × financial) or single (legacy tiers).")
    ] = "double",
    rule: Annotated[
        str,
        typer.Option(
            "--rule",
            help="double: highly material on both axes; esrs: highly material on either axis.",
        ),
    ] = "double",
    weighting: Annotated[
        str,
        typer.Option("--weighting", help="respondent (equal per respondent) or group (per group)."),
    ] = "respondent",
    low: Annotated[float, typer.Option("--low", help="Lower class threshold.")] = 1 / 3,
    high: Annotated[float, typer.Option("--high", help="Upper class threshold.")] = 2 / 3,
    library: Annotated[
        str,
        typer.Option("--library", help=f"Topic library: {', '.join(libraries())} or none."),
    ] = "szse2024",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Create an assessment with the library's topics and the default stakeholder groups."""
    with workspace(db).write() as session:
        a = mat.create_assessment(
            session,
            year=year,
            name=name,
            mode=mode,
            rule=rule,
            weighting=weighting,
            low=low,
            high=high,
            library=library,
            actor=actor(),
        )
        out = mat.assessment_dict(session, a)
    if json:
        print_json(out)
    else:
        console.print(
            f"Created {out['name']!r} ({out['mode']}, rule {out['rule']}) with "
            f"{out['topics']} topics from {out['library']}."
        )


@materiality_app.command("list")
def list_cmd(
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List assessments."""
    with workspace(db).read() as session:
        rows = [mat.assessment_dict(session, a) for a in mat.list_assessments(session, year=year)]
    if json:
        print_json(rows)
        return
    print_table(
        "Materiality assessments",
        ["year", "name", "mode", "rule", "topics", "respondents", "responses", "status"],
        (
            [
                r["year"],
                r["name"],
                r["mode"],
                r["rule"],
                r["topics"],
                r["respondents"],
                r["responses"],
                r["status"],
            ]
            for r in rows
        ),
    )


@materiality_app.command("libraries")
def libraries_cmd(json: JsonOption = False) -> None:
    """List the shipped topic libraries."""
    if json:
        print_json(libraries())
    else:
        print_table("Topic libraries", ["library", "topics"], libraries().items())


@topics_app.command("list")
def topics_list(
    year: YearOption, name: NameOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """List an assessment's topics."""
    with workspace(db).read() as session:
        a = mat.get_assessment(session, year, name)
        rows = [mat.topic_dict(t) for t in mat.topics_of(session, a)]
    if json:
        print_json(rows)
    else:
        print_table(
            f"Topics ({len(rows)})",
            ["code", "name", "domain", "SZSE No.17", "GRI"],
            ([r["code"], r["name"], r["domain"], r["szse17"], r["gri"]] for r in rows),
        )


@topics_app.command("add")
def topics_add(
    code: Annotated[str, typer.Argument(help="Short code, e.g. tax-compliance.")],
    topic_name: Annotated[str, typer.Option("--topic-name", help="The topic's name.")],
    year: YearOption,
    domain: Annotated[str, typer.Option("--domain", help="Domain or category.")] = "",
    szse17: Annotated[str, typer.Option("--szse17", help="SZSE No.17 topic.")] = "",
    gri: Annotated[str, typer.Option("--gri", help="GRI disclosures.")] = "",
    name: NameOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Add a topic (before responses arrive)."""
    with workspace(db).write() as session:
        a = mat.get_assessment(session, year, name)
        t = mat.add_topic(
            session,
            a,
            code=code,
            name=topic_name,
            domain=domain,
            szse17=szse17,
            gri=gri,
            actor=actor(),
        )
        out = mat.topic_dict(t)
    emit(json, out, f"Added topic {code!r}.")


@topics_app.command("remove")
def topics_remove(
    code: Annotated[str, typer.Argument(help="Topic code.")],
    year: YearOption,
    name: NameOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Remove a topic (before responses arrive)."""
    with workspace(db).write() as session:
        mat.remove_topic(session, mat.get_assessment(session, year, name), code, actor=actor())
    emit(json, {"removed": code}, f"Removed topic {code!r}.")


@topics_app.command("rename")
def topics_rename(
    code: Annotated[str, typer.Argument(help="Topic code.")],
    new_name: Annotated[str, typer.Option("--to", help="The new name.")],
    year: YearOption,
    name: NameOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Rename a topic (before responses arrive)."""
    with workspace(db).write() as session:
        a = mat.get_assessment(session, year, name)
        out = mat.topic_dict(mat.rename_topic(session, a, code, new_name, actor=actor()))
    emit(json, out, f"Renamed {code!r} to {new_name!r}.")


def _group_rows(session: Any, a: Any) -> list[dict[str, Any]]:
    return [
        {"code": g.code, "name": g.name, "axis": g.axis, "weight": g.weight}
        for g in mat.groups_of(session, a)
    ]


@groups_app.command("list")
def groups_list(
    year: YearOption, name: NameOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """List stakeholder groups, the axis each rates and its weight."""
    with workspace(db).read() as session:
        rows = _group_rows(session, mat.get_assessment(session, year, name))
    if json:
        print_json(rows)
    else:
        print_table(
            "Stakeholder groups",
            ["code", "name", "axis", "weight"],
            ([r["code"], r["name"], r["axis"], f"{r['weight']:g}"] for r in rows),
        )


@groups_app.command("weight")
def groups_weight(
    code: Annotated[str, typer.Argument(help="Group code.")],
    weight: Annotated[float, typer.Option("--weight", help="New weight (> 0).")],
    year: YearOption,
    name: NameOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Set a group's weight."""
    with workspace(db).write() as session:
        a = mat.get_assessment(session, year, name)
        mat.set_group_weight(session, a, code, weight, actor=actor())
        rows = _group_rows(session, a)
    emit(json, rows, f"Group {code!r} now weighs {weight:g}.")


@groups_app.command("add")
def groups_add(
    code: Annotated[str, typer.Argument(help="Group code.")],
    group_name: Annotated[str, typer.Option("--group-name", help="The group's name.")],
    axis: Annotated[
        str, typer.Option("--axis", help="impact or financial (single: stakeholder or business).")
    ],
    year: YearOption,
    weight: Annotated[float, typer.Option("--weight", help="Weight (> 0).")] = 1.0,
    name: NameOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Add a stakeholder group."""
    with workspace(db).write() as session:
        a = mat.get_assessment(session, year, name)
        mat.add_group(
            session, a, code=code, name=group_name, axis=axis, weight=weight, actor=actor()
        )
        rows = _group_rows(session, a)
    emit(json, rows, f"Added group {code!r} ({axis}).")


def _print_matrix(out: dict[str, Any]) -> None:
    a = out["assessment"]
    y_axis, x_axis = a["axes"]
    state = "stored" if out["stored"] else "live (not yet stored: run `esg materiality score`)"
    if out["stale"]:
        state += "; STALE: responses or weights changed since"
    console.print(f"{a['name']} ({a['year']}), rule {a['rule']}, {state}")
    print_table(
        None,
        ["topic", y_axis, "level", x_axis, "level", "material", "tier", "robust"],
        (
            [
                t["topic"],
                fmt(t[f"{y_axis}_score"]),
                t[f"{y_axis}_level"].split("_")[0],
                fmt(t[f"{x_axis}_score"]),
                t[f"{x_axis}_level"].split("_")[0],
                "yes" if t["material"] else "",
                t["tier"],
                "yes" if t["robust"] else "no: " + ", ".join(t["sensitive_to"]),
            ]
            for t in out["topics"]
        ),
    )


@materiality_app.command("score")
def score(
    year: YearOption, name: NameOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Score the responses and store the result (replacing an unapproved earlier one)."""
    with workspace(db).write() as session:
        out = matrix.score(session, mat.get_assessment(session, year, name), actor=actor())
    if json:
        print_json(out)
    else:
        _print_matrix(out)


@materiality_app.command("show")
def show(
    year: YearOption, name: NameOption = None, db: DbOption = None, json: JsonOption = False
) -> None:
    """Show the matrix: per topic its normalised scores, classes and robustness."""
    with workspace(db).read() as session:
        a = mat.get_assessment(session, year, name)
        out = matrix.show(session, a)
        out["approvals"] = approval.approvals_of(session, a)
    if json:
        print_json(out)
    else:
        _print_matrix(out)


@materiality_app.command("chart")
def chart(
    out: Annotated[Path, typer.Option("--out", help="Chart file: .svg or .png.")],
    year: YearOption,
    name: NameOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Draw the materiality matrix with threshold lines and numbered topics."""
    with workspace(db).read() as session:
        shown = matrix.show(session, mat.get_assessment(session, year, name))
    path = materiality_chart(shown, out)
    emit(json, {"chart": str(path)}, f"Wrote {path}")


@materiality_app.command("approve")
def approve(
    body: Annotated[str, typer.Option("--body", help="Approving body, e.g. Board of directors.")],
    date: Annotated[str, typer.Option("--date", help="Date of the decision (YYYY-MM-DD).")],
    resolution: Annotated[str, typer.Option("--resolution", help="Resolution text.")],
    year: YearOption,
    name: NameOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Record the approval of the stored scoring; the assessment is then locked."""
    when = parse_date(date, "--date")
    assert when is not None
    with workspace(db).write() as session:
        a = mat.get_assessment(session, year, name)
        approval.approve(session, a, body=body, date=when, resolution=resolution, actor=actor())
        out = mat.assessment_dict(session, a)
    emit(json, out, f"Approved by {body} on {date}; locked.")


@materiality_app.command("compare")
def compare(
    year: YearOption,
    against: Annotated[int, typer.Option("--against", help="Year of the earlier assessment.")],
    name: NameOption = None,
    against_name: Annotated[
        str | None, typer.Option("--against-name", help="Name of the earlier assessment.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Tier changes (high / moderate / low) against an earlier assessment."""
    with workspace(db).read() as session:
        rows = matrix.compare(
            session,
            mat.get_assessment(session, year, name),
            mat.get_assessment(session, against, against_name),
        )
    if json:
        print_json(rows)
        return
    print_table(
        f"Tier changes {against} → {year}",
        ["topic", f"{against}", f"{year}", "change"],
        ([r["name"], r["previous_tier"] or "", r["tier"] or "", r["change"]] for r in rows),
    )


def register(app: typer.Typer) -> None:
    from esgledger.cli import survey_cmd

    survey_cmd.register(materiality_app)
    app.add_typer(materiality_app, name="materiality")
