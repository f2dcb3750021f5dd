"""Carbon-price exposure of Scope 1 + 2 emissions: one transition risk, quantified.

    exposure(scenario, horizon) = emissions × (1 − free_share) × price(scenario, region, horizon)

- **emissions**: the reporting year's latest calculation run, Scope 1 + Scope 2
  *market-based* by default (the figure the company would pay for under a price on its own
  and its purchased-electricity emissions after instruments), or Scope 2 *location-based* on
  request. The same tonnes are priced at every horizon: a static exposure ("what today's
  emissions would cost at that horizon's price"), not a forecast of future emissions.
- **price**: the path point of the scenario for the region at the horizon's year; between two
  points of a path the price is interpolated linearly; outside the path's years there is no
  price (never extrapolated) and the row says so. A region matches a point by its code or by
  the point's country list (``CN`` matches IEA's "China, India, Indonesia, Brazil, South
  Africa" group). Workspace points (``esg climate prices set``) take precedence over shipped
  ones for the same scenario and year; a region-specific point over a group's.
- **free_share**: the share of emissions covered by free allocation (0 … 1), not priced.
- **currency**: the path's own (shipped IEA paths: USD in 2022 prices). Another currency only
  with a user-given ``rate`` (units of that currency per path-currency unit); no rates are
  shipped or fetched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.assess.climate import HORIZONS
from esgledger.calc.runs import get_run, list_runs, run_summary
from esgledger.catalog.climate import PricePoint, scenarios, shipped_price_points
from esgledger.errors import InvalidInput, NotFound
from esgledger.ledger import audit
from esgledger.ledger.assess_models import CarbonPricePoint
from esgledger.ledger.models import CalculationRun

SCOPE2_BASES = {"market": "scope2_market_tco2e", "location": "scope2_location_tco2e"}


def _user_points(session: Session) -> list[PricePoint]:
    return [
        PricePoint(
            scenario=p.scenario,
            region=p.region,
            countries=(),
            year=p.year,
            price=p.price,
            currency=p.currency,
            price_year=p.price_year,
            source=p.source,
            status=p.status,
            notes=p.notes,
        )
        for p in session.scalars(select(CarbonPricePoint).order_by(CarbonPricePoint.id))
    ]


def path_for(points: Iterable[PricePoint], region: str) -> list[PricePoint]:
    """One point per year for ``region``: workspace before shipped, own region before group."""
    chosen: dict[int, tuple[int, PricePoint]] = {}
    for p in points:
        if not p.covers(region):
            continue
        rank = (0 if p.status == "user" else 2) + (0 if p.region == region else 1)
        if p.year not in chosen or rank < chosen[p.year][0]:
            chosen[p.year] = (rank, p)
    path = [p for _rank, p in sorted(chosen.values(), key=lambda rp: rp[1].year)]
    currencies = {(p.currency, p.price_year) for p in path}
    if len(currencies) > 1:
        raise InvalidInput(
            f"the {region} path mixes currencies or price years {sorted(map(str, currencies))}; "
            "give workspace points in the same currency and price year"
        )
    return path


def price_at(path: Sequence[PricePoint], year: int) -> float | None:
    """The path's price in ``year``: a point, a linear interpolation, or None outside."""
    for p in path:
        if p.year == year:
            return p.price
    before = [p for p in path if p.year < year]
    after = [p for p in path if p.year > year]
    if not before or not after:
        return None
    a, b = before[-1], after[0]
    return a.price + (b.price - a.price) * (year - a.year) / (b.year - a.year)


def exposure_rows(
    emissions: float,
    paths: dict[str, list[PricePoint]],
    horizons: Sequence[int] = HORIZONS,
    *,
    free_share: float = 0.0,
    rate: float | None = None,
) -> list[dict[str, Any]]:
    """Exposure per scenario and horizon (pure arithmetic; see the module docstring)."""
    if not 0 <= free_share <= 1:
        raise InvalidInput(f"free allocation share must be between 0 and 1, not {free_share}")
    if rate is not None and not rate > 0:
        raise InvalidInput(f"the exchange rate must be positive, not {rate}")
    priced = emissions * (1 - free_share)
    rows = []
    for scenario, path in paths.items():
        for horizon in horizons:
            price = price_at(path, horizon)
            value = None if price is None else priced * price * (rate if rate else 1)
            rows.append(
                {
                    "scenario": scenario,
                    "horizon": horizon,
                    "price": price,
                    "path_currency": path[0].currency if path else None,
                    "price_year": path[0].price_year if path else None,
                    "priced_tco2e": priced,
                    "exposure": value,
                    "status": "ok" if price is not None else "no price for this year in the path",
                    "sources": sorted({p.source for p in path}),
                    "point_status": sorted({p.status for p in path}),
                }
            )
    return rows


def latest_run(session: Session, year: int, run_id: int | None = None) -> CalculationRun:
    """The given run (it must be of ``year``) or the year's latest."""
    if run_id is not None:
        run = get_run(session, run_id)
        if run.year != year:
            raise NotFound(f"calculation run {run_id} is for {run.year}, not {year}")
        return run
    runs = list_runs(session, year=year)
    if not runs:
        raise NotFound(f"no calculation run for {year}; run `esg calc --year {year}` first")
    return runs[-1]


def exposure(
    session: Session,
    year: int,
    *,
    run_id: int | None = None,
    scope2: str = "market",
    region: str = "CN",
    scenario_codes: Sequence[str] = ("NZE", "STEPS"),
    horizons: Sequence[int] = HORIZONS,
    free_share: float = 0.0,
    rate: float | None = None,
    currency: str | None = None,
) -> dict[str, Any]:
    """The carbon-price exposure of a year's Scope 1 + 2 under each scenario and horizon."""
    if scope2 not in SCOPE2_BASES:
        raise InvalidInput(f"scope 2 basis must be market or location, not {scope2!r}")
    if (rate is None) != (currency is None):
        raise InvalidInput("give both --rate and --currency to convert, or neither")
    run = latest_run(session, year, run_id)
    totals = run_summary(run)["totals"]
    scope1, scope2_value = float(totals["scope1_tco2e"]), float(totals[SCOPE2_BASES[scope2]])
    points = [*_user_points(session), *shipped_price_points()]
    paths = {}
    for code in scenario_codes:
        path = path_for([p for p in points if p.scenario == code], region)
        if not path:
            raise NotFound(
                f"no carbon-price path for scenario {code!r} and region {region!r}; "
                "`esg climate prices list` shows them, `esg climate prices set` adds"
            )
        paths[code] = path
    rows = exposure_rows(scope1 + scope2_value, paths, horizons, free_share=free_share, rate=rate)
    path_currency = {r["path_currency"] for r in rows}
    return {
        "year": year,
        "run_id": run.id,
        "scope2_basis": scope2,
        "emissions": {
            "scope1_tco2e": scope1,
            f"scope2_{scope2}_tco2e": scope2_value,
            "total_tco2e": scope1 + scope2_value,
        },
        "free_share": free_share,
        "region": region,
        "currency": currency or "/".join(sorted(c for c in path_currency if c)),
        "rate": rate,
        "method": "emissions × (1 − free share) × price; static emissions; linear interpolation "
        "between path points, none outside",
        "rows": rows,
    }


def set_price(
    session: Session,
    *,
    scenario: str,
    region: str,
    year: int,
    price: float,
    currency: str,
    price_year: int | None,
    source: str,
    notes: str = "",
    actor: str,
) -> CarbonPricePoint:
    """Add or replace a workspace price point (it overrides a shipped one)."""
    if not price >= 0:
        raise InvalidInput(f"a carbon price cannot be negative ({price})")
    if not source.strip():
        raise InvalidInput("say where the price comes from (--source)")
    if scenario not in scenarios():
        raise InvalidInput(f"unknown scenario {scenario!r}; one of {', '.join(scenarios())}")
    point = session.scalar(
        select(CarbonPricePoint).where(
            CarbonPricePoint.scenario == scenario,
            CarbonPricePoint.region == region,
            CarbonPricePoint.year == year,
        )
    )
    if point is None:
        point = CarbonPricePoint(scenario=scenario, region=region, year=year, actor=actor)
        session.add(point)
    point.price, point.currency, point.price_year = price, currency.upper(), price_year
    point.source, point.notes, point.actor = source.strip(), notes, actor
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="climate.price.set",
        subject=f"carbon-price:{scenario}:{region}:{year}",
        payload={
            "price": price,
            "currency": point.currency,
            "price_year": price_year,
            "source": point.source,
        },
    )
    return point


def remove_price(session: Session, *, scenario: str, region: str, year: int, actor: str) -> None:
    point = session.scalar(
        select(CarbonPricePoint).where(
            CarbonPricePoint.scenario == scenario,
            CarbonPricePoint.region == region,
            CarbonPricePoint.year == year,
        )
    )
    if point is None:
        raise NotFound(
            f"no workspace price point {scenario} {region} {year} (shipped points "
            "cannot be removed, only overridden)"
        )
    session.delete(point)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="climate.price.remove",
        subject=f"carbon-price:{scenario}:{region}:{year}",
        payload={},
    )


def list_prices(session: Session) -> list[dict[str, Any]]:
    points = [*_user_points(session), *shipped_price_points()]
    return [
        {
            "scenario": p.scenario,
            "region": p.region,
            "countries": list(p.countries),
            "year": p.year,
            "price": p.price,
            "currency": p.currency,
            "price_year": p.price_year,
            "origin": "workspace" if p.status == "user" else "shipped",
            "status": p.status,
            "source": p.source,
            "notes": p.notes,
        }
        for p in points
    ]
