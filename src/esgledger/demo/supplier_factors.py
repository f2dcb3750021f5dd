"""The demo's own factor edition: the district-cooling supplier's chiller COP.

No open factor set gives purchased cooling, so the calculation turns cooling into the
electricity that made it, at a COP the supplier states (docs/heat-steam-cooling.md). The
demo's Shenzhen R&D centre buys district cooling; its (fictional) supplier's annual
statement gives the plant's seasonal COP. Imported like any user edition, with its source.
"""

from __future__ import annotations

from pathlib import Path

from esgledger.demo.files import write_csv
from esgledger.ledger.factors import EditionMeta

COP_FILE = "factors-cooling-cop.csv"
COP_HEADER = ("kind", "activity", "parameter", "region", "value", "unit", "table_ref", "notes")
COOLING_COP = EditionMeta(
    edition="demo-nanshan-cooling-cop",
    series="user.nanshan_district_cooling",
    publisher="Nanshan district-cooling supplier (fictional demo supplier)",
    title="Annual energy statement to customers: seasonal COP of the cooling plant",
    citation="Demo data: the supplier's annual statement, section 'plant efficiency' "
    "(seasonal COP, kWh of cooling delivered per kWh of electricity used)",
    region="CN-GD",
    status="unverified",
    notes="Fictional supplier of the demo group; not a published factor.",
)


def write_cop_file(inputs: Path) -> Path:
    """The supplier's COP as a factor file the demo imports (one value for all years)."""
    row = {
        "kind": "fuel_parameter",
        "activity": "cooling.purchased",
        "parameter": "cop",
        "region": "CN-GD",
        "value": "4.6",
        "unit": "dimensionless",
        "table_ref": "plant efficiency, seasonal COP",
        "notes": "demo data",
    }
    return write_csv(inputs / COP_FILE, COP_HEADER, [row])
