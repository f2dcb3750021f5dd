"""Supplier commands: import the register's files, list and show suppliers, run the
onboarding gate, score risk tiers and show their history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, JsonOption, SheetOption, actor, workspace
from esgledger.cli.import_guard import unexpected_failures
from esgledger.cli.minerals_cmd import minerals_app
from esgledger.cli.output import console, print_json, print_table
from esgledger.cli.saq_cmd import saq_app
from esgledger.ingest.suppliers import SHEETS
from esgledger.ledger.listing import parse_list
from esgledger.suppliers import audits
from esgledger.suppliers.gate import screen
from esgledger.suppliers.policy import load_policy
from esgledger.suppliers.register import (
    DEFAULT_SORT,
    SORT,
    known_ids,
    page_suppliers,
    supplier_detail,
    supplier_dict,
)
from esgledger.suppliers.register_import import import_register
from esgledger.suppliers.tiering import assess, record_tiers, tier_history, tier_on

suppliers_app = typer.Typer(
    help="Supplier register: suppliers, sites, contacts, agreements, certifications.",
    no_args_is_help=True,
)
KINDS = ", ".join(SHEETS)


@suppliers_app.command("import")
def import_cmd(
    kind: Annotated[str, typer.Argument(help=f"What the file holds: {KINDS}.")],
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file.", show_default=False)],
    sheet: SheetOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Add and update register rows from a file, all or nothing (docs/suppliers.md lists
    the columns of each kind)."""
    with unexpected_failures(file.name):
        summary = import_register(
            workspace(db), file, kind=kind, actor=actor(), sheet=sheet
        ).as_dict()
    if json:
        print_json(summary)
    else:
        console.print(
            f"{file.name}: {summary['added']} {kind} added, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged."
        )


@suppliers_app.command("list")
def list_cmd(
    country: Annotated[str | None, typer.Option(help="Only suppliers in this country.")] = None,
    commodity: Annotated[str | None, typer.Option(help="Only suppliers of this commodity.")] = None,
    search: Annotated[str | None, typer.Option(help="Text in id, name or parent group.")] = None,
    sort: Annotated[
        str, typer.Option(help=f"Sort by {', '.join(SORT)}; prefix - for descending.")
    ] = DEFAULT_SORT,
    limit: Annotated[int, typer.Option(help="Rows per page (1-1000).")] = 100,
    page: Annotated[int, typer.Option(help="Page, from 1.")] = 1,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """One page of suppliers, filtered and sorted."""
    params = parse_list(
        keys=tuple(SORT), default_sort=DEFAULT_SORT, limit=limit, page=page, sort=sort,
        search=search,
    )  # fmt: skip
    with workspace(db).read() as session:
        found = page_suppliers(session, params, country=country, commodity=commodity)
        rows = [supplier_dict(s) for s in found.rows]
    if json:
        print_json({"total": found.total, "page": params.page, "rows": rows})
        return
    print_table(
        f"{found.total} suppliers (page {params.page} of {found.pages})",
        ["id", "name", "country", "parent group", "commodities", "spend"],
        (
            [
                r["id"],
                r["name"],
                r["country"],
                r["parent_group"],
                "; ".join(r["commodities"]),
                "" if r["spend"] is None else f"{r['spend']:,.2f} {r['spend_unit']}",
            ]
            for r in rows
        ),
    )


@suppliers_app.command("show")
def show_cmd(
    supplier: Annotated[str, typer.Argument(help="Supplier id.")],
    year: Annotated[
        int | None, typer.Option(help="Also the spend of this year (purchase lines first).")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """One supplier with its sites, contacts, agreements and certifications."""
    with workspace(db).read() as session:
        detail = supplier_detail(session, supplier, year=year)
    if json:
        print_json(detail)
        return
    console.print(f"{detail['id']}  {detail['name']}  ({detail['country']})")
    since = detail["onboarded_on"] or "an unrecorded day"
    ended = f", ended {detail['ended_on']}" if detail["ended_on"] else ", still in cooperation"
    console.print(f"onboarded {since}{ended}")
    for part in ("sites", "contacts", "agreements", "certifications"):
        rows = detail[part]
        if rows:
            columns = list(rows[0])
            print_table(part, columns, ([r[c] for c in columns] for r in rows))
        else:
            console.print(f"{part}: none")
    if "spend_in_year" in detail:
        spend = detail["spend_in_year"]
        text = ", ".join(f"{v:,.2f} {u}" for u, v in spend["by_unit"].items())
        console.print(f"spend {year}: {text} ({spend['source']})" if text else spend["note"])


PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", help="Supplier policy (TOML) [default: the shipped defaults]."),
]
OnOption = Annotated[
    dt.datetime | None,
    typer.Option("--on", formats=["%Y-%m-%d"], help="As of this day [default: today]."),
]
SuppliersArg = Annotated[
    list[str] | None, typer.Argument(help="Supplier ids [default: every supplier].")
]


def _day(on: dt.datetime | None) -> dt.date:
    return on.date() if on else dt.date.today()


@suppliers_app.command("policy")
def policy_cmd(policy: PolicyOption = None) -> None:
    """Print the policy in force (criteria, risk levels, tiers, obligations) as JSON."""
    print_json(load_policy(policy).as_dict())


@suppliers_app.command("screen")
def screen_cmd(
    suppliers: SuppliersArg = None,
    policy: PolicyOption = None,
    on: OnOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Run the onboarding gate and store each supplier's screening (criteria unmet)."""
    rules = load_policy(policy)
    with workspace(db).write() as session:
        ids = known_ids(session, suppliers or None)
        results = [r.as_dict() for r in screen(session, rules, ids, on=_day(on), actor=actor())]
    if json:
        print_json(results)
        return
    passed = sum(r["passed"] for r in results)
    print_table(
        f"{passed} of {len(results)} suppliers pass the gate",
        ["supplier", "passed", "unmet"],
        ([r["supplier"], "yes" if r["passed"] else "no", "; ".join(r["unmet"])] for r in results),
    )


@suppliers_app.command("tier")
def tier_cmd(
    suppliers: SuppliersArg = None,
    policy: PolicyOption = None,
    on: OnOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the tiers without storing them.")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Score each supplier's risk and store a new tier where it changed (tier history)."""
    rules = load_policy(policy)
    database = workspace(db)
    with database.read() if dry_run else database.write() as session:
        if dry_run:
            found = assess(session, rules, suppliers or None, on=_day(on))
        else:
            found = record_tiers(
                session, rules, on=_day(on), actor=actor(), supplier_ids=suppliers or None
            )
        results = [r.as_dict() for r in found]
    if json:
        print_json(results)
        return
    changed = sum(r["tier"] is not None and r["tier"] != r["previous"] for r in results)
    print_table(
        f"{changed} tiers changed" + (" (not stored: --dry-run)" if dry_run else ""),
        ["supplier", "tier", "was", "score", "not available"],
        (
            [
                r["supplier"],
                r["tier"] or f"none ({r['note'] or 'no dimension has data'})",
                r["previous"],
                r["score"],
                ", ".join(d for d, v in r["dimensions"].items() if isinstance(v, str)),
            ]
            for r in results
        ),
    )


@suppliers_app.command("history")
def history_cmd(
    supplier: Annotated[str, typer.Argument(help="Supplier id.")],
    on: Annotated[
        dt.datetime | None,
        typer.Option("--on", formats=["%Y-%m-%d"], help="Only the tier in force that day."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """A supplier's tier history, oldest first (or, with --on, the decision in force then)."""
    with workspace(db).read() as session:
        if on is not None:
            found = tier_on(session, supplier, on.date())
            if json:
                print_json(found)
            else:
                tier = found["tier"]
                said = f"{tier} (decided {found['decided_on']})" if tier else "no tier yet"
                console.print(f"{supplier} on {found['on']}: {said}")
            return
        rows = tier_history(session, supplier)
    if json:
        print_json(rows)
        return
    print_table(
        f"{supplier}: {len(rows)} tier decisions",
        ["from", "tier", "score", "by"],
        ([r["decided_on"], r["tier"], r["score"], r["actor"]] for r in rows),
    )


audit_app = typer.Typer(help="Supplier audits: plan, report, list.", no_args_is_help=True)
finding_app = typer.Typer(help="Audit findings and their corrective actions.", no_args_is_help=True)
suppliers_app.add_typer(audit_app, name="audit")
suppliers_app.add_typer(finding_app, name="finding")
suppliers_app.add_typer(minerals_app, name="cmrt")
suppliers_app.add_typer(saq_app, name="saq")


@audit_app.command("plan")
def audit_plan_cmd(
    supplier: Annotated[str, typer.Argument(help="Supplier id.")],
    on: Annotated[dt.datetime, typer.Option("--on", formats=["%Y-%m-%d"], help="Planned day.")],
    auditor: Annotated[str, typer.Option(help="Who audits (firm or person).")],
    mode: Annotated[str, typer.Option(help=f"{', '.join(audits.MODES)}.")] = "on-site",
    site: Annotated[str | None, typer.Option(help="The supplier's site audited.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Plan an audit of a supplier (or one of its sites)."""
    with workspace(db).write() as session:
        row = audits.plan_audit(
            session, supplier=supplier, planned_on=on.date(), mode=mode, auditor=auditor,
            site=site, actor=actor(),
        )  # fmt: skip
        result = audits.audit_dict(row)
    print_json(result) if json else console.print(f"Planned audit {result['id']} of {supplier}.")


@audit_app.command("report")
def audit_report_cmd(
    audit_id: Annotated[int, typer.Argument(help="Audit id.")],
    done: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="Day audited.")],
    report: Annotated[
        dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="Day of the final report.")
    ],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Mark an audit done; its findings' plan due dates run from the report's day."""
    with workspace(db).write() as session:
        row = audits.report_audit(
            session, audit_id, done_on=done.date(), report_on=report.date(), actor=actor()
        )
        result = audits.audit_dict(row)
    print_json(result) if json else console.print(f"Audit {audit_id} done.")


@audit_app.command("list")
def audit_list_cmd(
    supplier: Annotated[str | None, typer.Option(help="Only this supplier.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Audits, oldest first."""
    with workspace(db).read() as session:
        rows = audits.list_audits(session, supplier=supplier)
    if json:
        print_json(rows)
        return
    columns = ["id", "supplier", "mode", "state", "planned_on", "report_on", "auditor"]
    print_table(f"{len(rows)} audits", columns, ([r[c] for c in columns] for r in rows))


@finding_app.command("add")
def finding_add_cmd(
    audit_id: Annotated[int, typer.Argument(help="Audit id.")],
    grade: Annotated[str, typer.Option(help=f"{', '.join(audits.GRADES)}.")],
    text: Annotated[str, typer.Option(help="What was found.")],
    family: Annotated[str, typer.Option(help=f"{', '.join(audits.FAMILIES)}.")] = "other",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Record a finding of an audit."""
    with workspace(db).write() as session:
        finding = audits.add_finding(
            session, audit_id, grade=grade, family=family, text=text, actor=actor()
        )
        result = audits.finding_dict(finding, audits.get_audit(session, audit_id))
    print_json(result) if json else console.print(f"Finding {result['id']} recorded.")


@finding_app.command("move")
def finding_move_cmd(
    finding_id: Annotated[int, typer.Argument(help="Finding id.")],
    to: Annotated[
        str, typer.Argument(help="plan_submitted, plan_approved, plan_rejected, verified_closed.")
    ],
    root_cause: Annotated[str | None, typer.Option(help="Plan: the root cause.")] = None,
    corrective: Annotated[str | None, typer.Option(help="Plan: the corrective action.")] = None,
    preventive: Annotated[str | None, typer.Option(help="Plan: the preventive action.")] = None,
    complete_by: Annotated[
        dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Plan: completion day.")
    ] = None,
    on: Annotated[
        dt.datetime | None,
        typer.Option(
            "--on", formats=["%Y-%m-%d"], help="The step's day (closure: the day verified)."
        ),
    ] = None,
    if_version: Annotated[
        int | None, typer.Option(help="The version you saw; refused if it changed.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Move a finding along open → plan_submitted → plan_approved (or plan_rejected, then
    resubmitted) → verified_closed."""
    with workspace(db).write() as session:
        finding = audits.move_finding(
            session, finding_id, to, actor=actor(), version=if_version,
            on=on.date() if on else None, root_cause=root_cause, corrective=corrective,
            preventive=preventive, planned_completion=complete_by.date() if complete_by else None,
        )  # fmt: skip
        result = audits.finding_dict(finding, audits.get_audit(session, finding.audit_id))
    print_json(result) if json else console.print(f"Finding {finding_id} is {to}.")


@finding_app.command("list")
def finding_list_cmd(
    supplier: Annotated[str | None, typer.Option(help="Only this supplier.")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only findings overdue today (or --on).")
    ] = False,
    on: OnOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Audit findings with their state and due dates."""
    with workspace(db).read() as session:
        rows = audits.list_findings(
            session, supplier=supplier, overdue_on=_day(on) if overdue else None
        )
    if json:
        print_json(rows)
        return
    columns = ["id", "supplier", "grade", "state", "plan_due", "planned_completion", "closed_on"]
    print_table(f"{len(rows)} findings", columns, ([r[c] for c in columns] for r in rows))


def register(app: typer.Typer) -> None:
    app.add_typer(suppliers_app, name="suppliers")
