"""The demo's product catalogue and a year of sales: cameras and recorders sold in over 100
countries, for Scope 3 use of sold products (11) and end-of-life (12).

Illustrative engineering figures for a video-surveillance maker (power by mode from typical
datasheets of such products, 24/7 operation, lifetimes with a low/high range), not company
data. Sales go to countries the shipped grid factors cover (MEE/NBS for China, OWID/Ember
life-cycle factors elsewhere); a country without a cited factor would stay unresolved.
"""

from __future__ import annotations

from esgledger.demo.seed import rng
from esgledger.ingest.products import OPTIONAL, REQUIRED

PRODUCT_HEADER = (*REQUIRED, *OPTIONAL)
SALES_HEADER = ("entity", "start", "end", "activity", "quantity", "unit", "product", "country")
SALES_YEAR = 2025
# code, name, (low, lifetime, high) years, modes (name, W, h/year), materials (kg, treatment)
CATALOGUE = (
    ("IPC-B4", "4 MP bullet network camera", (4, 6, 8),
     (("day", 4.0, 4380), ("night_ir", 5.5, 4380)),
     (("plastic", 0.25, "landfill"), ("metal", 0.35, "open_loop"),
      ("electronics", 0.08, "open_loop"), ("paper", 0.15, "closed_loop"))),
    ("IPC-D2", "2 MP dome network camera", (4, 6, 8),
     (("day", 3.2, 4380), ("night_ir", 4.5, 4380)),
     (("plastic", 0.30, "landfill"), ("metal", 0.12, "open_loop"),
      ("electronics", 0.06, "open_loop"), ("paper", 0.12, "closed_loop"))),
    ("PTZ-25X", "PTZ camera, 25x zoom", (5, 7, 9),
     (("day", 18.0, 4380), ("night_ir_heater", 24.0, 4380)),
     (("plastic", 0.60, "landfill"), ("metal", 2.40, "open_loop"),
      ("electronics", 0.35, "open_loop"), ("paper", 0.80, "closed_loop"))),
    ("THM-384", "Thermal bullet camera", (6, 8, 10),
     (("operating", 7.0, 8760),),
     (("plastic", 0.20, "landfill"), ("metal", 1.10, "open_loop"),
      ("electronics", 0.15, "open_loop"), ("paper", 0.40, "closed_loop"))),
    ("DB-1", "Video doorbell", (3, 5, 7),
     (("active", 3.0, 400), ("standby", 1.2, 8360)),
     (("plastic", 0.15, "landfill"), ("electronics", 0.04, "landfill"),
      ("paper", 0.10, "closed_loop"))),
    ("NVR-8", "8-channel network video recorder, 1 HDD", (5, 7, 9),
     (("recording", 10.0, 8760),),
     (("plastic", 0.20, "landfill"), ("metal", 0.90, "open_loop"),
      ("electronics", 0.45, "open_loop"), ("paper", 0.50, "closed_loop"))),
    ("NVR-32", "32-channel network video recorder, 4 HDD", (5, 7, 9),
     (("recording", 45.0, 8760),),
     (("plastic", 0.40, "landfill"), ("metal", 4.20, "open_loop"),
      ("electronics", 1.60, "open_loop"), ("paper", 1.20, "closed_loop"))),
    ("DVR-16", "16-channel digital video recorder", (4, 6, 8),
     (("recording", 16.0, 8760),),
     (("plastic", 0.30, "landfill"), ("metal", 1.50, "open_loop"),
      ("electronics", 0.60, "open_loop"), ("paper", 0.60, "closed_loop"))),
)  # fmt: skip
# Share of each model in units sold.
MIX = {
    "IPC-B4": 0.34, "IPC-D2": 0.30, "PTZ-25X": 0.04, "THM-384": 0.02,
    "DB-1": 0.12, "NVR-8": 0.10, "NVR-32": 0.02, "DVR-16": 0.06,
}  # fmt: skip
UNITS_SOLD = 12_000_000  # cameras and recorders sold in the year, all models
CHINA_SHARE = 0.40
# The selling entity per market (all in the 2025 energy/GHG boundary) and its countries.
MARKETS = {
    "SH": ("CN",),
    "DE": (
        "DE", "FR", "GB", "IT", "ES", "NL", "BE", "PL", "SE", "AT", "CH", "CZ", "PT", "RO",
        "HU", "GR", "DK", "FI", "NO", "IE", "SK", "BG", "HR", "SI", "LT", "LV", "EE", "RS",
        "UA", "BA", "AL", "MK", "ME", "MD", "LU", "CY", "MT", "IS", "GE", "AM", "AZ", "KZ",
        "UZ",
    ),
    "US": (
        "US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "EC", "UY", "PY", "BO", "VE", "PA",
        "CR", "GT", "HN", "SV", "NI", "DO", "JM", "TT",
    ),
    "AE": (
        "AE", "SA", "QA", "KW", "OM", "BH", "JO", "LB", "IQ", "EG", "MA", "DZ", "TN", "TR",
        "IL", "NG", "KE", "GH", "ZA", "ET", "TZ", "UG", "SN", "CI", "CM", "AO", "ZM", "MZ",
        "NA", "BW", "RW", "PK",
    ),
    "ID": (
        "ID", "IN", "TH", "VN", "MY", "SG", "PH", "JP", "KR", "AU", "NZ", "BD", "LK", "NP",
        "KH", "LA", "MM", "MN", "TW", "HK", "MO", "BN", "FJ", "PG",
    ),
}  # fmt: skip


def product_rows() -> list[dict[str, str]]:
    """The catalogue as the product import reads it: one row per use mode or material."""
    rows: list[list[object]] = []
    for code, name, (low, life, high), modes, materials in CATALOGUE:
        head = [code, name, life, low, high]
        rows += [[*head, "use", mode, watts, hours, "", ""] for mode, watts, hours in modes]
        rows += [[*head, "material", m, "", "", kg, how] for m, kg, how in materials]
    return [_cells(PRODUCT_HEADER, row) for row in rows]


def sales_rows() -> list[dict[str, str]]:
    """Units sold per (selling entity, model, country) in the sales year: China takes
    ``CHINA_SHARE``, the other countries random weights (seeded, so the demo is stable)."""
    abroad = [(e, c) for e, cs in MARKETS.items() if e != "SH" for c in cs]
    draw = rng("product-sales", SALES_YEAR)
    weights = [draw.paretovariate(1.2) for _ in abroad]
    total = sum(weights)
    shares = [("SH", "CN", CHINA_SHARE)] + [
        (e, c, (1 - CHINA_SHARE) * w / total) for (e, c), w in zip(abroad, weights, strict=True)
    ]
    start, end = f"{SALES_YEAR}-01-01", f"{SALES_YEAR}-12-31"
    rows: list[list[object]] = []
    for entity, country, share in shares:
        for code, mix in MIX.items():
            units = round(UNITS_SOLD * share * mix)
            if units:
                rows.append([entity, start, end, "product.sold", units, "piece", code, country])
    return [_cells(SALES_HEADER, row) for row in rows]


def _cells(header: tuple[str, ...], row: list[object]) -> dict[str, str]:
    return {column: str(cell) for column, cell in zip(header, row, strict=True)}
