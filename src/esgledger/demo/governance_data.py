"""The demo's certification register (#17): each production plant's ISO 9001, 14001 and
45001 certificates, and ISO 50001 at the large plants, over two three-year cycles.

A plant running since before the three years holds certificates issued in September 2021
and renewed in September 2024; a plant opened within them is certified about half a year
after opening. No certificate lapses unrenewed, so the demo's certification figures count
every plant and its check findings stay as they were. The certification bodies are the
demo's own placeholders. Written as a file and imported through the same service as
``esg register certifications import``.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from esgledger.demo.org import SITES
from esgledger.demo.stages import DemoContext

HEADER = ("entity", "standard", "number", "body", "issued_on", "expires_on", "surveillance")
BODIES = ("Demo Certification Body A", "Demo Certification Body B")
PLANTS = ("plant", "plant_large")
FIRST_CYCLE = dt.date(2021, 9, 1)
CYCLE_YEARS = 3  # ISO/IEC 17021-1: a certification cycle is three years


def _standards(archetype: str) -> tuple[str, ...]:
    base = ("ISO 9001", "ISO 14001", "ISO 45001")
    return (*base, "ISO 50001") if archetype == "plant_large" else base


def _cycle(issued: dt.date) -> tuple[dt.date, dt.date, str]:
    """Issued, expiring and the two yearly surveillance audits of one cycle."""
    expires = issued.replace(year=issued.year + CYCLE_YEARS) - dt.timedelta(days=1)
    audits = "; ".join(issued.replace(year=issued.year + n).isoformat() for n in (1, 2))
    return issued, expires, audits


def _rows() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for n, (site, info) in enumerate(sorted(SITES.items())):
        if info.archetype not in PLANTS:
            continue
        starts = (
            [FIRST_CYCLE, FIRST_CYCLE.replace(year=FIRST_CYCLE.year + CYCLE_YEARS)]
            if info.start is None
            else [(info.start + dt.timedelta(days=183)).replace(day=1)]
        )
        body = BODIES[n % len(BODIES)]
        for standard in _standards(info.archetype):
            for issued in starts:
                issued_on, expires_on, audits = _cycle(issued)
                number = f"{standard.replace(' ', '')}-{site}-{issued_on.year}"
                rows.append((site, standard, number, body, issued_on, expires_on, audits))
    return rows


def governance_registers(ctx: DemoContext, folder: Path) -> dict[str, int]:
    """Import the certificates, the assurance engagement, the giving year and the OHS
    hazards, drills and special-operation posts; the stage's report counts them."""
    from esgledger.demo.giving_data import assurance_and_giving
    from esgledger.demo.ohs_safety_data import ohs_safety_registers
    from esgledger.registers.certifications import import_certificates

    rows = _rows()
    path = folder / "certificates.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        out.writerows(rows)
    import_certificates(ctx.db, path, actor=ctx.actor)
    return {
        "certificates": len(rows),
        **assurance_and_giving(ctx, folder),
        **ohs_safety_registers(ctx, folder),
    }
