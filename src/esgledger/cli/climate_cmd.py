"""`esg climate`: TCFD risks and opportunities, scenarios, carbon prices and exposure."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from esgledger.assess import carbon, climate
from esgledger.catalog.climate import scenarios, tcfd_categories
from esgledger.cli.assess_options import emit, parse_date
from esgledger.cli.common import DbOption, JsonOption, actor, workspace
from esgledger.cli.output import console, print_json, print_table

climate_app = typer.Typer(
    help="Climate risks and opportunities (TCFD), scenarios, carbon-price exposure.",
    no_args_is_help=True,
)
prices_app = typer.Typer(
    help="Carbon-price paths (shipped and your own).", invoke_without_command=True
)
climate_app.add_typer(prices_app, name="prices")
CodeArg = Annotated[str, typer.Argument(help="Item code, e.g. R4 or O8.")]


@climate_app.command("import")
def import_cmd(
    path: Annotated[
        Path,
        typer.Argument(
            help="Inventory file: id, kind, tcfd_category, name, rating_<year>…, impact, response."
        ),
    ],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Import climate items and their ratings, all or nothing."""
    with workspace(db).write() as session:
        out = climate.import_items(session, path, actor=actor())
    emit(json, out, f"Imported {out['items']} items with {out['ratings']} ratings.")


@climate_app.command("add")
def add(
    code: CodeArg,
    kind: Annotated[str, typer.Option("--kind", help="risk or opportunity.")],
    category: Annotated[str, typer.Option("--category", help="TCFD category code or name.")],
    item_name: Annotated[str, typer.Option("--item-name", help="What the item is.")],
    impact: Annotated[str, typer.Option("--impact", help="Impact text.")] = "",
    response: Annotated[str, typer.Option("--response", help="Response text.")] = "",
    risk: Annotated[str, typer.Option("--risk", help="Linked risk-register code.")] = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Add a climate risk or opportunity."""
    with workspace(db).write() as session:
        climate.add_item(
            session,
            code=code,
            kind=kind,
            category=category,
            name=item_name,
            impact=impact,
            response=response,
            risk_code=risk,
            actor=actor(),
        )
    emit(json, {"added": code}, f"Added {kind} {code}.")


@climate_app.command("rate")
def rate(
    code: CodeArg,
    horizon: Annotated[int, typer.Option("--horizon", help="Anchor year, e.g. 2030.")],
    level: Annotated[str, typer.Option("--level", help="Low, Medium or High.")],
    scenario: Annotated[
        str, typer.Option("--scenario", help="Scenario code (default: the published rating).")
    ] = "",
    rationale: Annotated[str, typer.Option("--rationale", help="Why.")] = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Rate an item for a horizon (and optionally one scenario)."""
    with workspace(db).write() as session:
        climate.rate(
            session,
            code,
            horizon=horizon,
            level=level,
            scenario=scenario,
            rationale=rationale,
            actor=actor(),
        )
    emit(
        json,
        {"code": code, "horizon": horizon, "scenario": scenario, "level": level},
        f"{code} {horizon}{' ' + scenario if scenario else ''}: {level}",
    )


@climate_app.command("review")
def review(
    code: CodeArg,
    by: Annotated[
        str, typer.Option("--by", help="Reviewing body, e.g. carbon-neutrality committee.")
    ],
    date: Annotated[str, typer.Option("--date", help="Review date (YYYY-MM-DD).")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Record who reviewed an item and when."""
    on = parse_date(date, "--date")
    assert on is not None
    with workspace(db).write() as session:
        climate.review(session, code, by=by, on=on, actor=actor())
    emit(json, {"code": code, "reviewed_by": by, "reviewed_on": date}, f"{code} reviewed.")


@climate_app.command("list")
def list_cmd(
    kind: Annotated[str | None, typer.Option("--kind", help="risk or opportunity.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List items with their published rating per horizon."""
    with workspace(db).read() as session:
        rows = climate.list_items(session, kind=kind)
    if json:
        print_json(rows)
        return
    horizons = sorted({h for r in rows for h in r["ratings"]})
    print_table(
        f"Climate risks and opportunities ({len(rows)})",
        ["code", "kind", "category", "name", *horizons],
        (
            [
                r["code"],
                r["kind"],
                r["category_name"],
                r["name"],
                *(r["ratings"].get(h, {}).get("level", "") for h in horizons),
            ]
            for r in rows
        ),
    )


@climate_app.command("scenarios")
def scenarios_cmd(json: JsonOption = False) -> None:
    """List the shipped scenarios and TCFD categories."""
    data = {
        "scenarios": [asdict(s) for s in scenarios().values()],
        "categories": [asdict(c) for c in tcfd_categories().values()],
    }
    if json:
        print_json(data)
        return
    print_table(
        "Scenarios",
        ["code", "family", "applies to", "warming", "source"],
        (
            [s["code"], s["family"], s["applies_to"], s["warming_desc"], s["source"]]
            for s in data["scenarios"]
        ),
    )


def _price_text(row: dict[str, Any]) -> str:
    real = f" ({row['price_year']} prices)" if row["price_year"] else ""
    return f"{row['price']:g} {row['currency']}{real}"


@prices_app.callback()
def prices_list(ctx: typer.Context, db: DbOption = None, json: JsonOption = False) -> None:
    """List carbon-price points (workspace points override shipped ones)."""
    if ctx.invoked_subcommand is not None:
        return
    with workspace(db).read() as session:
        rows = carbon.list_prices(session)
    if json:
        print_json(rows)
        return
    print_table(
        "Carbon-price points",
        ["scenario", "region", "year", "price", "origin", "status", "source"],
        (
            [
                r["scenario"],
                r["region"],
                r["year"],
                _price_text(r),
                r["origin"],
                r["status"],
                r["source"],
            ]
            for r in rows
        ),
    )


@prices_app.command("set")
def prices_set(
    scenario: Annotated[str, typer.Option("--scenario", help="Scenario code, e.g. NZE.")],
    region: Annotated[str, typer.Option("--region", help="Region code, e.g. CN.")],
    year: Annotated[int, typer.Option("--year", help="Year of the point.")],
    price: Annotated[float, typer.Option("--price", help="Price per tonne CO2.")],
    currency: Annotated[str, typer.Option("--currency", help="Currency, e.g. USD.")],
    source: Annotated[str, typer.Option("--source", help="Document and table it comes from.")],
    price_year: Annotated[
        int | None, typer.Option("--price-year", help="Real-terms base year of the price.")
    ] = None,
    notes: Annotated[str, typer.Option("--notes", help="Notes.")] = "",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Add or replace a workspace price point."""
    with workspace(db).write() as session:
        carbon.set_price(
            session,
            scenario=scenario,
            region=region,
            year=year,
            price=price,
            currency=currency,
            price_year=price_year,
            source=source,
            notes=notes,
            actor=actor(),
        )
    emit(
        json,
        {"scenario": scenario, "region": region, "year": year, "price": price},
        f"{scenario} {region} {year}: {price:g} {currency.upper()}/tCO2",
    )


@prices_app.command("remove")
def prices_remove(
    scenario: Annotated[str, typer.Option("--scenario", help="Scenario code.")],
    region: Annotated[str, typer.Option("--region", help="Region code.")],
    year: Annotated[int, typer.Option("--year", help="Year of the point.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Remove a workspace price point (shipped points come back into use)."""
    with workspace(db).write() as session:
        carbon.remove_price(session, scenario=scenario, region=region, year=year, actor=actor())
    emit(json, {"removed": [scenario, region, year]}, f"Removed {scenario} {region} {year}.")


@climate_app.command("exposure")
def exposure(
    year: Annotated[int, typer.Option("--year", help="Year whose emissions are priced.")],
    run: Annotated[
        int | None, typer.Option("--run", help="Calculation run (default: the year's latest).")
    ] = None,
    scope2: Annotated[str, typer.Option("--scope2", help="market or location.")] = "market",
    region: Annotated[str, typer.Option("--region", help="Price region, e.g. CN.")] = "CN",
    scenario: Annotated[
        list[str] | None, typer.Option("--scenario", help="Scenario (repeat; default NZE, STEPS).")
    ] = None,
    horizon: Annotated[
        list[int] | None, typer.Option("--horizon", help="Horizon year (repeat).")
    ] = None,
    free_share: Annotated[
        float, typer.Option("--free-share", help="Share covered by free allocation, 0-1.")
    ] = 0.0,
    rate: Annotated[
        float | None, typer.Option("--rate", help="Units of --currency per path currency unit.")
    ] = None,
    currency: Annotated[str | None, typer.Option("--currency", help="Convert to this.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Carbon-price exposure of Scope 1 + 2 under each scenario's price path and horizon."""
    with workspace(db).read() as session:
        out = carbon.exposure(
            session,
            year,
            run_id=run,
            scope2=scope2,
            region=region,
            scenario_codes=scenario or ["NZE", "STEPS"],
            horizons=horizon or climate.HORIZONS,
            free_share=free_share,
            rate=rate,
            currency=currency,
        )
    if json:
        print_json(out)
        return
    e = out["emissions"]
    console.print(
        f"{year} run {out['run_id']}: Scope 1 + Scope 2 ({scope2}-based) = "
        f"{e['total_tco2e']:,.0f} tCO2e; free allocation {free_share:.0%}"
    )
    print_table(
        None,
        ["scenario", "horizon", "price /tCO2", f"exposure ({out['currency']})", "note"],
        (
            [
                r["scenario"],
                r["horizon"],
                "" if r["price"] is None else f"{r['price']:,.1f}",
                "" if r["exposure"] is None else f"{r['exposure']:,.0f}",
                r["status"] if r["price"] is None else ", ".join(r["point_status"]),
            ]
            for r in out["rows"]
        ),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(climate_app, name="climate")
