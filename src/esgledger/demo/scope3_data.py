"""The demo's Scope 3 records beyond the product models: the finance team's purchase ledger
(categories 1 and 2), the travel agency's statements (6), the logistics park's freight log
(4 and 9), the staff commuting survey (7), the waste treatment routes (5) and the year's
screening of all 15 categories.

Each record carries the column its method reads: a NAICS-6 code that exists in the EPA
supply-chain factors v1.3, a DESNZ 2025 vehicle or cabin key, a DESNZ disposal route. The
EPA factors are per 2022 US dollar and no cited exchange rate or price index ships, so the
ledger states its amounts in 2022 US dollars (``price_year`` 2022, as a finance team restating
its spend for an EEIO model would), never converted here with a guessed rate. Quantities are
illustrative (seeded, stable), not company data.
"""

from __future__ import annotations

import math

from esgledger.demo.activity_data import month_span, quarter_span
from esgledger.demo.org import SITES, YEARS
from esgledger.demo.products import SALES_YEAR
from esgledger.demo.seed import rng

BUYER = "SZ-NS"  # the headquarters park, where group procurement books the purchases
TRAVEL_ENTITY = "SZ-NS"
FREIGHT_ENTITY = "SZ-LG"
PRICE_YEAR = "2022"
# lines of the report year's ledger as the ERP exports them; earlier years come summarised
# (fewer, larger lines) to keep `esg demo` fast
PURCHASE_LINES = {2025: 20_000}
EARLIER_PURCHASE_LINES = 5_000
PURCHASE_HEADER = (
    "entity", "start", "end", "activity", "quantity", "unit", "invoice", "supplier", "naics",
    "price_year", "description",
)  # fmt: skip
TRAVEL_HEADER = ("entity", "start", "end", "activity", "quantity", "unit", "vehicle", "purpose")
FREIGHT_HEADER = ("entity", "start", "end", "activity", "quantity", "unit", "vehicle", "direction")
# (NAICS-6 of the EPA v1.3 file, what the demo buys, share of the year's spend).
GOODS = (
    ("334413", "image sensors and SoCs", 0.22),
    ("334418", "assembled camera and recorder boards", 0.14),
    ("334412", "bare printed circuit boards", 0.06),
    ("333314", "lens modules", 0.10),
    ("334419", "passive components and connectors", 0.07),
    ("334112", "hard disk drives for recorders", 0.09),
    ("335999", "power adapters", 0.04),
    ("335929", "cables and wire harnesses", 0.03),
    ("326199", "plastic housings", 0.05),
    ("331318", "aluminium die-cast housings", 0.04),
    ("322211", "corrugated packaging", 0.03),
    ("541330", "engineering services", 0.05),
    ("541511", "software development services", 0.05),
    ("493110", "third-party warehousing", 0.03),
)
CAPITAL = (
    ("333249", "SMT lines and test equipment", 0.45),
    ("334515", "electrical test instruments", 0.15),
    ("334111", "servers and workstations", 0.20),
    ("236220", "factory building works", 0.20),
)
GOODS_USD = 1.5e9  # 2023 spend on goods and services, in 2022 US dollars (grows 7 % a year)
CAPITAL_USD = 0.20e9
SUPPLIERS_PER_CODE = 6
# (activity, vehicle key of DESNZ 2025, annual 2023 passenger-km) — haul bands of DESNZ as
# a distance proxy: Chinese domestic flights are short-haul length.
TRAVEL = (
    ("travel.air", "short_haul_to_from_uk.economy.with_rf", 5.2e6),
    ("travel.air", "international_to_from_non_uk.economy.with_rf", 3.6e6),
    ("travel.air", "international_to_from_non_uk.business.with_rf", 0.7e6),
    ("travel.rail", "national_rail", 6.2e6),
    ("travel.road", "taxis.regular_taxi", 0.75e6),
)
# (activity, vehicle key, annual 2023 tonne-km, share shipped to customers: category 9)
FREIGHT = (
    ("freight.road", "hgv_all_diesel.all_hgvs.average_laden", 42e6, 0.55),
    ("freight.sea", "cargo_ship.container_ship.average", 310e6, 0.70),
    ("freight.air", "freight_flights.international_to_from_non_uk.with_rf", 4.2e6, 0.80),
)
# The commuting survey: staff per site archetype, one-way km, working days, mode shares of
# passenger-km (walking and cycling emit nothing and are left out of the rows).
STAFF = {"plant_large": 5200, "plant": 2100, "rd": 1600, "logistics": 420, "office": 140}
COMMUTE_KM, WORK_DAYS = 9.0, 235
COMMUTE_MODES = (
    ("travel.road", "bus.coach", 0.38),  # company shuttle coaches
    ("travel.road", "bus.average_local_bus", 0.18),
    ("travel.rail", "light_rail_and_tram", 0.22),  # metro
    ("travel.road", "taxis.regular_taxi", 0.07),
)


def _growth(year: int) -> float:
    return 1.07 ** (year - YEARS[0])


def _cell(value: float) -> str:
    return f"{value:.2f}"


def purchase_supplier(code: str, n: int) -> str:
    """The supplier-register id of the ``n``-th supplier of NAICS ``code`` (the purchase
    ledger names suppliers by the id the supplier register knows them by)."""
    return f"P{code}-{n}"


def purchase_rows(year: int) -> list[dict[str, str]]:
    """The year's purchase ledger (``PURCHASE_LINES`` lines), goods and capital goods, each
    with its supplier, NAICS-6 code and price year; amounts log-normal around a mean that
    makes the year's total (deterministic per year)."""
    draw = rng("purchases", year)
    count = PURCHASE_LINES.get(year, EARLIER_PURCHASE_LINES)
    capital_lines = count // 20
    books = (
        ("spend.purchased_goods", GOODS, GOODS_USD, count - capital_lines),
        ("spend.capital_goods", CAPITAL, CAPITAL_USD, capital_lines),
    )
    rows: list[dict[str, str]] = []
    for activity, items, spend, lines in books:
        total = spend * _growth(year)
        weights = [w for _, _, w in items]
        picks = draw.choices(range(len(items)), weights, k=lines)
        raw = [draw.lognormvariate(0, 1.1) for _ in picks]
        per_code: dict[int, float] = {}
        for pick, r in zip(picks, raw, strict=True):
            per_code[pick] = per_code.get(pick, 0.0) + r
        for pick, r in zip(picks, raw, strict=True):
            code, what, share = items[pick]
            amount = total * share / sum(weights) * r / per_code[pick]  # the code's share
            start, end = month_span(year, draw.randint(1, 12))
            rows.append(
                {
                    "entity": BUYER,
                    "start": start,
                    "end": end,
                    "activity": activity,
                    "quantity": _cell(amount),
                    "unit": "USD",
                    "invoice": f"INV-{year}-{len(rows) + 1:06d}",
                    "supplier": purchase_supplier(code, draw.randint(1, SUPPLIERS_PER_CODE)),
                    "naics": code,
                    "price_year": PRICE_YEAR,
                    "description": what,
                }
            )
    return rows


def travel_rows(year: int) -> list[dict[str, str]]:
    """Business travel per quarter (agency statements) and the commuting survey per site."""
    rows: list[dict[str, str]] = []
    for activity, vehicle, annual in TRAVEL:
        noise = rng("travel", vehicle, year)
        for q in range(4):
            qty = annual * _growth(year) / 4 * (1 + noise.gauss(0, 0.08))
            start, end = quarter_span(year, q)
            rows.append(_travel(TRAVEL_ENTITY, start, end, activity, qty, vehicle, "business"))
    for entity, site in SITES.items():
        staff = STAFF[site.archetype] * site.scale
        if site.start and site.start.year > year:
            continue
        pkm = staff * 2 * COMMUTE_KM * WORK_DAYS
        noise = rng("commuting", entity, year)
        for activity, vehicle, share in COMMUTE_MODES:
            qty = pkm * share * (1 + noise.gauss(0, 0.05))
            rows.append(
                _travel(
                    entity, f"{year}-01-01", f"{year}-12-31", activity, qty, vehicle, "commuting"
                )
            )
    return rows


def _travel(
    entity: str, start: str, end: str, activity: str, qty: float, vehicle: str, purpose: str
) -> dict[str, str]:
    return {
        "entity": entity,
        "start": start,
        "end": end,
        "activity": activity,
        "quantity": f"{math.floor(qty)}",
        "unit": "person*km",
        "vehicle": vehicle,
        "purpose": purpose,
    }


def freight_rows(year: int) -> list[dict[str, str]]:
    """The logistics park's freight log per quarter: inbound (category 4) and to customers
    (category 9), by mode."""
    rows: list[dict[str, str]] = []
    for activity, vehicle, annual, downstream in FREIGHT:
        noise = rng("freight", vehicle, year)
        for q in range(4):
            qty = annual * _growth(year) / 4 * (1 + noise.gauss(0, 0.08))
            start, end = quarter_span(year, q)
            for direction, share in (("upstream", 1 - downstream), ("downstream", downstream)):
                rows.append(
                    {
                        "entity": FREIGHT_ENTITY,
                        "start": start,
                        "end": end,
                        "activity": activity,
                        "quantity": f"{math.floor(qty * share)}",
                        "unit": "t*km",
                        "vehicle": vehicle,
                        "direction": direction,
                    }
                )
    return rows


SCREENING_HEADER = (
    "category", "relevant", "reason", "note", "method", "data_quality", "excluded_activities",
)  # fmt: skip
CAT3_NOTE = (
    "Well-to-tank of the fuels burnt, from DESNZ 2025 (UK supply chains, a geographic proxy). "
    "Left out: T&D losses and well-to-tank of purchased electricity, because no cited factor "
    "exists for the Chinese or other non-UK grids in the shipped editions or the Chinese "
    "factor notes (the UK's are no proxy for another grid); and natural gas metered in volume, "
    "because the shipped DESNZ edition holds its well-to-tank per kWh of net calorific value "
    "only: DESNZ 2025 also prints one per cubic metre (11_100_1004_1_1), not shipped, because "
    "neither its flat file nor its methodology paper states the temperature and pressure of "
    "that cubic metre."
)
CAT5_NOTE = (
    "Disposal routes reported by the waste contractors, DESNZ 2025 waste factors (UK proxy). "
    "Left out: hazardous waste and other recyclable waste (wire harness, oiled paper), for "
    "which DESNZ 2025 gives no factor."
)
# category, relevant, reason, note, method, data quality (1 very good … 5 very poor), left out
SCREENING = (
    (1, "yes", "size", "Purchase ledger in 2022 USD, EPA supply-chain factors v1.3 (US "
     "economy: a geographic proxy).", "spend_based", 4, ""),
    (2, "yes", "size", "Capital purchases in 2022 USD, EPA v1.3.", "spend_based", 4, ""),
    (3, "yes", "size", CAT3_NOTE, "average_data", 3, "electricity.purchased|fuel.natural_gas"),
    (4, "yes", "influence", "Inbound freight log in tonne-km, DESNZ 2025.", "distance_based", 3,
     ""),
    (5, "yes", "stakeholders", CAT5_NOTE, "waste_type", 3,
     "waste.hazardous|waste.recyclable_other"),
    (6, "yes", "stakeholders", "Air, rail and taxi passenger-km from the travel agency, "
     "DESNZ 2025 (air with radiative forcing). Hotel stays, optional in the Scope 3 "
     "Standard, are not included.", "distance_based", 3, ""),
    (7, "yes", "stakeholders", "Staff commuting survey: passenger-km by shuttle coach, bus, "
     "metro and taxi, DESNZ 2025.", "distance_based", 4, ""),
    (8, "no", "no_activity", "Leased offices and warehouses are inside the operational-control "
     "boundary (Scope 1 and 2).", "", "", ""),
    (9, "yes", "size", "Outbound freight to customers in tonne-km, DESNZ 2025.",
     "distance_based", 3, ""),
    (10, "no", "no_activity", "Cameras and recorders are sold as finished products; no "
     "further processing.", "", "", ""),
    (11, "yes", "size", "Product models: power by mode, hours, lifetime, units sold by country, "
     "grid factor of the country of sale.", "use_phase", 3, ""),
    (12, "yes", "sector_guidance", "Product mass by material and treatment, DESNZ 2025 waste "
     "factors.", "end_of_life", 4, ""),
    (13, "no", "no_activity", "The group leases no assets out.", "", "", ""),
    (14, "no", "no_activity", "The group has no franchises.", "", "", ""),
    (15, "no", "size", "Minority investments are small against the expected total.", "", "",
     ""),
)  # fmt: skip


NO_SALES = " No product sales were loaded for {year}: not available."


def screening_rows(year: int) -> list[dict[str, str]]:
    """The year's screening of the 15 categories as the screening import reads it; years
    without product sales say so on categories 11 and 12 (still relevant: not available)."""
    rows = []
    for row in SCREENING:
        cells = list(row)
        if row[0] in (11, 12) and year != SALES_YEAR:
            cells[3] = f"{cells[3]}{NO_SALES.format(year=year)}"
        rows.append({c: str(cell) for c, cell in zip(SCREENING_HEADER, cells, strict=True)})
    return rows
