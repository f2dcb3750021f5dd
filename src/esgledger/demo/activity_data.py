"""Monthly activity data per site, as the sites' data owners would upload it.

Quantities start from an annual figure per site archetype (a large plant buys ~40–70 GWh of
electricity a year, an office well under 1 GWh), then get the site's scale, a yearly growth of
5–10 %, a seasonal shape (summer cooling, winter heating, the Spring Festival shutdown at
Chinese plants), a ramp-up for sites that open during the period, and ±3 % noise. Units are
those the sites use: ``10^4 m3`` of gas in China, GJ abroad, fuel-card tonnes of
gasoline, MWh in Brazil.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from functools import cache

from esgledger.catalog.instruments import ATTRIBUTES as INSTRUMENT_ATTRIBUTES
from esgledger.demo.org import (
    CERTIFICATE_SHARE,
    PPA_SHARE,
    SITES,
    SOLAR_MW,
    YEARS,
    Site,
    country_of,
)
from esgledger.demo.seed import rng

ACTIVITY_HEADER = (
    "entity",
    "start",
    "end",
    "activity",
    "quantity",
    "unit",
    "use",
    "instrument",
    "volume_basis",
    "treatment",
    # a certificate's or PPA's attributes: what the Scope 2 Quality Criteria are checked on
    *(c for c in INSTRUMENT_ATTRIBUTES if c != "instrument"),
)
_ARCHETYPES = ("plant_large", "plant", "rd", "logistics", "office")


@dataclass(frozen=True)
class Line:
    """One monthly activity line: annual 2023 quantity per archetype, in ``unit``."""

    activity: str
    unit: str
    annual: tuple[float, float, float, float, float]  # in _ARCHETYPES order
    use: str = ""
    season: str = "flat"  # flat, cooling, heating
    treatment: str = ""  # waste: the DESNZ disposal route the contractor reports (Scope 3 cat 5)


LINES: tuple[Line, ...] = (
    Line("electricity.purchased", "kWh", (55e6, 22e6, 9e6, 4e6, 0.45e6), season="cooling"),
    Line("fuel.natural_gas", "10^4 m3", (45, 18, 6, 0, 0), "stationary", "heating"),
    Line("fuel.diesel", "t", (25, 12, 2, 160, 0), "mobile"),
    Line("fuel.diesel", "t", (8, 4, 3, 1, 0), "stationary"),  # standby generators
    # the sites' fleet registers: passenger cars and light vans built after 1995 (IPCC 2006
    # Vol. 2 Table 3.2.2 gives gasoline CH4/N2O only per emission-control technology)
    Line("fuel.gasoline", "t", (30, 15, 8, 20, 4), "mobile_ldv_1995_or_later"),
    Line("water.municipal", "t", (450e3, 180e3, 90e3, 25e3, 8e3), season="cooling"),
    # no DESNZ factor for hazardous or "other recyclable" waste: the screening leaves them out
    Line("waste.hazardous", "t", (260, 90, 15, 2, 0)),
    Line("waste.recyclable_plastic", "t", (520, 210, 12, 60, 0), treatment="open_loop"),
    Line("waste.recyclable_wood", "t", (380, 150, 5, 140, 0), treatment="closed_loop"),
    Line("waste.recyclable_paper", "t", (950, 400, 40, 220, 2.5), treatment="closed_loop"),
    Line("waste.recyclable_metal", "t", (420, 160, 8, 20, 0), treatment="open_loop"),
    Line("waste.recyclable_other", "t", (160, 60, 4, 15, 0)),
    Line("waste.kitchen", "t", (480, 200, 120, 40, 6), treatment="composting"),
    Line("waste.office", "t", (150, 60, 90, 20, 8), treatment="incineration_with_energy_recovery"),
    Line("waste.general_industrial", "t", (1100, 420, 20, 60, 0), treatment="landfill"),
)

# Conversions from the China unit of a line to the unit a site reports in.
_CONVERT = {
    ("kWh", "MWh"): 1e-3,
    ("t", "L"): 1350.0,  # gasoline, 0.74 kg/L
    ("10^4 m3", "GJ"): 389.3,  # 38.93 MJ/m3 (net)
    ("10^4 m3", "Nm3"): 1e4,  # metered near normal conditions
    ("t", "m3"): 1.0,  # water
}
DECIMALS = {
    "kWh": 0,
    "MWh": 3,
    "t": 3,
    "10^4 m3": 4,
    "Nm3": 0,
    "GJ": 1,
    "L": 0,
    "kg": 1,
    "m3": 0,
    "RMB": 0,
    "person*km": 0,
    "t*km": 0,
}

# One-off refrigerant top-ups found in maintenance records: (site, year, month, activity, kg).
# Fuels an electronics maker does not burn (coal, coke, kiln gases, fuel oil, kerosene) and
# on-site wind are left out on purpose.
REFRIGERANT_TOPUPS = (
    ("SZ-BA", 2023, 8, "refrigerant.hfc_134a", 180.0),
    ("WH-P1", 2023, 6, "refrigerant.r410a", 35.0),
    ("IN-P1", 2023, 5, "refrigerant.hcfc_22", 22.0),  # older split units, being phased out
    ("SZ-NS", 2024, 7, "refrigerant.r410a", 42.0),
    ("CD-P1", 2024, 5, "refrigerant.r32", 18.5),
    ("SZ-NS", 2024, 8, "refrigerant.r404a", 6.5),  # canteen cold room
    ("SZ-BA", 2025, 9, "refrigerant.hfc_134a", 150.0),
    ("HZ-P1", 2025, 7, "refrigerant.r410a", 28.0),
    ("SUZ-P1", 2025, 11, "refrigerant.sf6", 3.5),
    ("VN-P1", 2025, 4, "refrigerant.r32", 12.0),
)


def month_span(year: int, month: int) -> tuple[str, str]:
    last = calendar.monthrange(year, month)[1]
    return f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last:02d}"


def _wave(month: int) -> float:
    """+1 in July/August, −1 in January: the shape of cooling, heating and sunshine."""
    return math.cos(2 * math.pi * (month - 7.5) / 12)


def _shape(season: str, site: Site, month: int) -> float:
    """Seasonal weight of a month (mean about 1 over the year)."""
    wave = _wave(month)
    amp = 0.05 if "overseas" in site.features else 0.15
    weight = {"cooling": 1 + amp * wave, "heating": 1 - 2 * amp * wave}.get(season, 1.0)
    if month == 2 and site.archetype.startswith("plant") and "overseas" not in site.features:
        weight *= 0.78  # Spring Festival shutdown
    return weight


def _active_months(site: Site, year: int) -> list[tuple[int, float]]:
    """(month, ramp factor) for months the site operated in ``year``."""
    out = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        if site.start and first < site.start:
            continue
        age = (
            0
            if site.start is None
            else (first.year - site.start.year) * 12 + first.month - site.start.month
        )
        ramp = (0.45, 0.7, 0.9)[age] if site.start and age < 3 else 1.0
        out.append((month, ramp))
    return out


def _growth(entity: str, year: int) -> float:
    """Cumulative activity growth since the first year (5–10 % a year, site-specific)."""
    factor = 1.0
    for y in YEARS[1:]:
        if y <= year:
            factor *= 1 + rng("growth", entity, y).uniform(0.05, 0.10)
    return factor


def _fmt(quantity: float, unit: str) -> str:
    return f"{quantity:.{DECIMALS.get(unit, 3)}f}"


def _row(
    entity: str,
    start: str,
    end: str,
    activity: str,
    qty: float,
    unit: str,
    use: str = "",
    instrument: str = "",
    volume_basis: str = "",
    treatment: str = "",
    **instrument_attributes: str,
) -> dict[str, str]:
    return {
        **dict.fromkeys(ACTIVITY_HEADER, ""),
        **instrument_attributes,
        "entity": entity,
        "start": start,
        "end": end,
        "activity": activity,
        "quantity": _fmt(qty, unit),
        "unit": unit,
        "use": use,
        "instrument": instrument,
        "volume_basis": volume_basis,
        "treatment": treatment,
    }


def _monthly(entity: str, site: Site, year: int, line: Line) -> list[tuple[int, float]]:
    """(month, quantity in the line's China unit) for one line."""
    annual = line.annual[_ARCHETYPES.index(site.archetype)] * site.scale * _growth(entity, year)
    if annual <= 0:
        return []
    noise = rng("activity", entity, line.activity, line.use, year)
    weights = [_shape(line.season, site, m) for m in range(1, 13)]
    mean = sum(weights) / 12
    return [
        (m, annual / 12 * weights[m - 1] / mean * ramp * (1 + noise.gauss(0, 0.03)))
        for m, ramp in _active_months(site, year)
    ]


def _site_lines(entity: str, site: Site) -> list[Line]:
    lines = [
        ln for ln in LINES if not (ln.activity == "fuel.natural_gas" and "no_gas" in site.features)
    ]
    if "lpg" in site.features:
        lines.append(Line("fuel.lpg", "t", (60, 40, 0, 0, 0), "stationary"))
    return lines


def quarter_span(year: int, quarter: int) -> tuple[str, str]:
    """First and last day of quarter 0–3."""
    return month_span(year, quarter * 3 + 1)[0], month_span(year, quarter * 3 + 3)[1]


def _per_month(
    entity: str, year: int, activity: str, unit: str, values: dict[int, float], **attrs: str
) -> list[dict[str, str]]:
    return [
        _row(entity, *month_span(year, m), activity, v, unit, **attrs) for m, v in values.items()
    ]


def _qualities(entity: str, year: int, kind: str, ids: str) -> dict[str, str]:
    """The attributes the Scope 2 Quality Criteria are checked on (``calc.instruments``): the
    demo's instruments are of the year, from the site's own market, tracked and retired for
    the group (a certificate batch per quarter with its own id)."""
    return {
        "energy_source": "solar" if kind in ("GEC", "I-REC") else "wind",
        "vintage": str(year),
        "market": country_of(entity),
        "tracking_system": f"{kind} register" if ids else "green power trading contract",
        "certificate_ids": ids,
        "retired": "yes" if ids else "",
        "retired_for": "Pengcheng Smart Devices",
    }


def _electricity_rows(
    entity: str, site: Site, year: int, kwh: list[tuple[int, float]]
) -> list[dict[str, str]]:
    """Certificates (quarterly), PPA deliveries and on-site PV (monthly) beside the grid supply."""
    idx = YEARS.index(year)
    rows: list[dict[str, str]] = []
    cert = CERTIFICATE_SHARE.get(entity, (0.0, 0.0, 0.0))[idx]
    kind = "I-REC" if "overseas" in site.features else "GEC"
    for q in range(4) if cert else ():
        total = sum(v for m, v in kwh if q * 3 < m <= q * 3 + 3)
        if total:
            activity = "certificate.renewable_electricity"
            qualities = _qualities(entity, year, kind, f"{kind}-{entity}-{year}Q{q + 1}")
            rows.append(
                _row(
                    entity,
                    *quarter_span(year, q),
                    activity,
                    total * cert,
                    "kWh",
                    instrument=kind,
                    **qualities,
                )
            )
    ppa = PPA_SHARE.get(entity, (0.0, 0.0, 0.0))[idx]
    if ppa:
        unit = site.unit_for("electricity.purchased", "kWh")
        factor = ppa * _CONVERT.get(("kWh", unit), 1.0)
        instrument = "green power trade" if site.archetype == "plant_large" else "wind PPA"
        rows += _per_month(
            entity,
            year,
            "contract.renewable_ppa",
            unit,
            {m: v * factor for m, v in kwh},
            instrument=instrument,
            **_qualities(entity, year, instrument, ""),
            attributes_conveyed="yes",
        )
    mw = SOLAR_MW.get(entity, (0.0, 0.0, 0.0))[idx]
    if mw:
        noise = rng("solar", entity, year)  # ~1,050 kWh per kW a year in southern China
        pv = {
            m: mw * 1000 * 1050 / 12 * (1 + 0.3 * _wave(m)) * (1 + noise.gauss(0, 0.06))
            for m in range(1, 13)
        }
        rows += _per_month(entity, year, "electricity.onsite_solar", "kWh", pv)
    return rows


def _water_rows(
    entity: str, site: Site, year: int, municipal: list[tuple[int, float]]
) -> list[dict[str, str]]:
    """Groundwater or surface water (overseas plants only) and the discharge of all withdrawal."""
    unit = site.unit_for("water.municipal", "t")
    rows: list[dict[str, str]] = []
    ratio = 0.82 if site.archetype.startswith("plant") else 0.9
    for m, v in municipal:
        total = v
        for feature, activity, share in (
            ("groundwater", "water.groundwater", 0.35),
            ("surface", "water.surface", 0.45),
        ):
            if feature in site.features:
                rows.append(_row(entity, *month_span(year, m), activity, v * share, unit))
                total += v * share
        rows.append(
            _row(
                entity,
                *month_span(year, m),
                "water.discharge",
                total * ratio,
                site.unit_for("water.discharge", unit),
            )
        )
    return rows


def _heat_rows(entity: str, site: Site, year: int) -> list[dict[str, str]]:
    """Northern district heating in winter, steam from the park's CHP, district cooling."""
    rows: list[dict[str, str]] = []
    growth = _growth(entity, year) * site.scale
    noise = rng("heat", entity, year)

    def jitter() -> float:
        return 1 + noise.gauss(0, 0.04)

    if "heat" in site.features:
        annual = (6000 if site.archetype == "rd" else 1800) * growth  # GJ
        season = {1: 1.3, 2: 1.1, 3: 0.7, 11: 0.8, 12: 1.1}
        heat = {m: annual * w / sum(season.values()) * jitter() for m, w in season.items()}
        rows += _per_month(entity, year, "heat.purchased", "GJ", heat)
    if "steam" in site.features:
        # the park CHP bills steam by its metered heat content (GJ), as its statement prints it
        steam = {m: 30_800 * growth / 12 * jitter() for m in range(1, 13)}  # GJ
        rows += _per_month(entity, year, "steam.purchased", "GJ", steam)
    if "cooling" in site.features:
        cool = {
            m: 1.7e6 * growth / 12 * max(0.2, 1 + 0.8 * _wave(m)) * jitter() for m in range(1, 13)
        }  # kWh of cooling energy
        rows += _per_month(entity, year, "cooling.purchased", "kWh", cool)
    return rows


def _site_rows(entity: str, site: Site, year: int) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for line in _site_lines(entity, site):
        monthly = _monthly(entity, site, year, line)
        unit = site.unit_for(line.activity, line.unit)
        factor = _CONVERT.get((line.unit, unit), 1.0)
        # Chinese gas bills state volume at reference conditions, which the NDRC factors
        # (per 10^4 Nm3) take as normal volume: the sites say so on their rows.
        basis = "normal" if unit == "10^4 m3" else ""
        rows.extend(
            _row(
                entity,
                *month_span(year, m),
                line.activity,
                v * factor,
                unit,
                line.use,
                "",
                basis,
                line.treatment,
            )
            for m, v in monthly
        )
        if line.activity == "electricity.purchased":
            rows.extend(_electricity_rows(entity, site, year, monthly))
        elif line.activity == "water.municipal":
            rows.extend(_water_rows(entity, site, year, [(m, v * factor) for m, v in monthly]))
    rows.extend(_heat_rows(entity, site, year))
    for ident, y, month, activity, kg in REFRIGERANT_TOPUPS:
        if ident == entity and y == year:
            rows.append(_row(entity, *month_span(year, month), activity, kg, "kg"))
    return rows


@cache
def _rows(year: int) -> tuple[tuple[tuple[str, str], ...], ...]:
    out = [row for entity, site in SITES.items() for row in _site_rows(entity, site, year)]
    return tuple(tuple(row.items()) for row in out)


def activity_rows(year: int) -> list[dict[str, str]]:
    """Every activity row of ``year`` as the upload file holds it (strings, site by site)."""
    return [dict(row) for row in _rows(year)]


def activity_total(year: int, activity: str, entities: set[str], units: dict[str, float]) -> float:
    """Σ quantity of ``activity`` in ``year`` over ``entities``, converted with ``units``."""
    return sum(
        float(r["quantity"]) * units[r["unit"]]
        for r in activity_rows(year)
        if r["activity"] == activity and r["entity"] in entities
    )
