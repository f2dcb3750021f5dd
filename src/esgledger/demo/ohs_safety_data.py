"""The demo's OHS safety registers (#17): each production plant's hazard register, its
emergency drills and its special-operation workers, over the three years.

- Hazards: 30 to 80 identified a plant-year (half again at the large plants), of all four
  risk levels, most corrected within weeks; as many still open at each year's end as the
  typed share of hazards corrected leaves (those identified in December, corrected in the
  following January).
- Drills: two to four a plant-year (fire, evacuation, chemical leak, first aid …).
- Special-operation workers: 8 to 25 posts a plant in China (electricians, welders, work at height,
  refrigeration, hazardous chemicals), each with an operation certificate valid six years
  (SAWS Order No. 30, 2010, art. 21), issued so that every post is certified on each year's
  last day, as the typed certified share (100 %) says; a few workers leave in mid-2024.

Deterministic (its own random stream), written as files and imported through the same
services as ``esg register ohs import-hazards|import-drills|import-operators``.
"""

from __future__ import annotations

import datetime as dt
import random as _random
from pathlib import Path

from esgledger.demo.files import write_rows
from esgledger.demo.kpi_data import kpi_model
from esgledger.demo.org import SITES, YEARS, country_of
from esgledger.demo.seed import rng
from esgledger.demo.stages import DemoContext

HAZARD_HEADER = ("ref", "entity", "identified_on", "category", "risk_level", "description",
                 "corrected_on")  # fmt: skip
DRILL_HEADER = ("ref", "entity", "held_on", "scenario", "participants")
OPERATOR_HEADER = ("entity", "person", "operation", "assigned_on", "certificate", "issued_on",
                   "expires_on", "left_on")  # fmt: skip
PLANTS = ("plant", "plant_large")
HAZARDS = (  # category, risk level, description
    ("object", "general", "Guard missing on a conveyor"),
    ("object", "significant", "Press brake interlock bypassed"),
    ("environment", "low", "Poor lighting in a stairwell"),
    ("environment", "general", "Noise above the action level at a line"),
    ("management", "low", "Lockout register not kept up to date"),
    ("management", "general", "Hot-work permit not countersigned"),
    ("person", "general", "Forklift driven too fast in an aisle"),
    ("person", "significant", "Work at height without a harness"),
    ("object", "major", "Solvent store ventilation failed"),
)
SCENARIOS = ("fire", "evacuation", "chemical_leak", "first_aid", "electrical")
OPERATIONS = ("electrical", "welding_cutting", "work_at_height", "refrigeration",
              "hazardous_chemicals")  # fmt: skip
LEFT = dt.date(2024, 6, 30)  # the day a few special-operation workers leave their posts
CERTIFICATE_YEARS = 6  # SAWS Order No. 30 (2010), art. 21: a certificate is valid six years


def _plants(year: int) -> list[str]:
    end = dt.date(year, 12, 31)
    return sorted(
        s for s, info in SITES.items()
        if info.archetype in PLANTS and (info.start is None or info.start <= end)
    )  # fmt: skip


Rows = list[tuple[object, ...]]


def _day(random: _random.Random, year: int, last: int = 364) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=random.randrange(last))


def _hazards() -> list[tuple[object, ...]]:
    random, rows = rng("ohs-hazards"), Rows()
    for year in YEARS:
        found = []
        for site in _plants(year):
            scale = 1.5 if SITES[site].archetype == "plant_large" else 1.0
            found += [site] * round(random.randint(30, 80) * scale)
        share = kpi_model().rounded("ohs.hazards_corrected_share", year) / 100
        still_open = len(found) - round(len(found) * share)
        for n, site in enumerate(found):
            category, level, text = HAZARDS[random.randrange(len(HAZARDS))]
            if n < still_open:  # identified in December, corrected the next January
                seen = dt.date(year, 12, random.randint(1, 28))
                fixed = dt.date(year + 1, 1, random.randint(5, 31))
            else:
                seen = _day(random, year, 330)
                fixed = seen + dt.timedelta(days=random.randint(1, 30))
            rows.append((f"HZD-{year}-{n + 1:04d}", site, seen.isoformat(), category, level,
                         text, fixed.isoformat()))  # fmt: skip
    return rows


def _drills() -> list[tuple[object, ...]]:
    random, rows = rng("ohs-drills"), Rows()
    for year in YEARS:
        for site in _plants(year):
            for _ in range(random.randint(2, 4)):
                rows.append((f"DRL-{year}-{len(rows) + 1:04d}", site,
                             _day(random, year).isoformat(),
                             SCENARIOS[random.randrange(len(SCENARIOS))],
                             random.randint(50, 400)))  # fmt: skip
    return rows


def _operators() -> list[tuple[object, ...]]:
    random, rows = rng("ohs-operators"), Rows()
    for site in (s for s in _plants(YEARS[-1]) if country_of(s) == "CN"):
        start = SITES[site].start or dt.date(2019, 1, 1)
        for n in range(random.randint(8, 25)):
            issued = max(start - dt.timedelta(days=30), dt.date(2020, 1, 1)) + dt.timedelta(
                days=random.randrange(400)
            )
            issued = min(issued, start - dt.timedelta(days=1)) if SITES[site].start else issued
            issued -= dt.timedelta(days=int(issued.month == 2 and issued.day == 29))
            assigned = max(issued, start)
            expires = issued.replace(year=issued.year + CERTIFICATE_YEARS)
            left = LEFT if n % 11 == 10 and assigned < LEFT else None
            rows.append((site, f"{site}-SO{n + 1:03d}", OPERATIONS[n % len(OPERATIONS)],
                         assigned.isoformat(), f"T{site}{n + 1:03d}", issued.isoformat(),
                         expires.isoformat(), left.isoformat() if left else ""))  # fmt: skip
    return rows


def ohs_safety_registers(ctx: DemoContext, folder: Path) -> dict[str, int]:
    """Import the hazards, drills and special-operation posts; the stage counts them."""
    from esgledger.registers.ohs_safety import import_drills, import_hazards, import_operators

    counts = {}
    for name, file, header, rows, importer in (
        ("OHS hazards", "ohs-hazards.csv", HAZARD_HEADER, _hazards(), import_hazards),
        ("OHS drills", "ohs-drills.csv", DRILL_HEADER, _drills(), import_drills),
        ("special-operation posts", "special-operators.csv", OPERATOR_HEADER, _operators(),
         import_operators),
    ):  # fmt: skip
        path = write_rows(folder / file, header, rows)
        importer(ctx.db, path, actor=ctx.actor)
        counts[name] = len(rows)
    return counts
