"""The demo group: a Shenzhen-listed electronics manufacturer, its sites and its boundaries.

Pengcheng Smart Devices is fictional but shaped like the company in the shared spec: a
headquarters campus in Shenzhen with several parks, production bases in five Chinese
provinces and two municipalities, R&D centres, sales companies, and overseas production and
sales subsidiaries under a Hong Kong holding. Its energy/GHG boundary is a list of Chinese
sites in 2023 and 2024 and becomes all legal entities in China plus the overseas subsidiaries
in 2025 (SYSTEM.md §4); its environment boundary differs slightly every year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

YEARS = (2023, 2024, 2025)
REPORT_YEAR = YEARS[-1]
ROOT = "PSD"

ENTITY_HEADER = ("id", "name", "kind", "parent", "country", "subdivision")

_G, _LE, _P, _S = "group", "legal_entity", "park", "site"

# id, name, kind, parent, country, subdivision (ISO 3166-1 / 3166-2)
ENTITIES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("PSD", "Pengcheng Smart Devices Co., Ltd.", _G, "", "CN", "CN-GD"),
    ("SZ", "Pengcheng Smart Devices (Shenzhen) Co., Ltd.", _LE, "PSD", "CN", "CN-GD"),
    ("SZ-HQ", "Shenzhen headquarters campus", _P, "SZ", "CN", "CN-GD"),
    ("SZ-NS", "Nanshan headquarters park", _P, "SZ-HQ", "CN", "CN-GD"),
    ("SZ-BA", "Bao'an intelligent manufacturing park", _P, "SZ-HQ", "CN", "CN-GD"),
    ("SZ-LG", "Longgang logistics park", _P, "SZ-HQ", "CN", "CN-GD"),
    ("SZ-GM", "Guangming R&D and pilot-production park", _P, "SZ-HQ", "CN", "CN-GD"),
    ("HZ", "Pengcheng Smart Devices (Huizhou) Co., Ltd.", _LE, "PSD", "CN", "CN-GD"),
    ("HZ-P1", "Huizhou Zhongkai plant", _S, "HZ", "CN", "CN-GD"),
    ("DG", "Pengcheng Precision Components (Dongguan) Co., Ltd.", _LE, "PSD", "CN", "CN-GD"),
    ("DG-P1", "Dongguan Songshan Lake plant", _S, "DG", "CN", "CN-GD"),
    ("WH", "Pengcheng Smart Devices (Wuhan) Co., Ltd.", _LE, "PSD", "CN", "CN-HB"),
    ("WH-P1", "Wuhan Optics Valley plant", _S, "WH", "CN", "CN-HB"),
    ("WH-P2", "Wuhan Caidian plant", _S, "WH", "CN", "CN-HB"),
    ("SUZ", "Pengcheng Smart Devices (Suzhou) Co., Ltd.", _LE, "PSD", "CN", "CN-JS"),
    ("SUZ-P1", "Suzhou Industrial Park plant", _S, "SUZ", "CN", "CN-JS"),
    ("NJ", "Pengcheng Software (Nanjing) Co., Ltd.", _LE, "PSD", "CN", "CN-JS"),
    ("NJ-RD", "Nanjing software R&D centre", _S, "NJ", "CN", "CN-JS"),
    ("CD", "Pengcheng Smart Devices (Chengdu) Co., Ltd.", _LE, "PSD", "CN", "CN-SC"),
    ("CD-P1", "Chengdu Shuangliu plant", _S, "CD", "CN", "CN-SC"),
    ("HF", "Pengcheng Smart Devices (Hefei) Co., Ltd.", _LE, "PSD", "CN", "CN-AH"),
    ("HF-P1", "Hefei Xinzhan plant", _S, "HF", "CN", "CN-AH"),
    ("CQ", "Pengcheng Smart Devices (Chongqing) Co., Ltd.", _LE, "PSD", "CN", "CN-CQ"),
    ("CQ-P1", "Chongqing Liangjiang plant", _S, "CQ", "CN", "CN-CQ"),
    ("XA", "Pengcheng Research Institute (Xi'an) Co., Ltd.", _LE, "PSD", "CN", "CN-SN"),
    ("XA-RD", "Xi'an R&D centre", _S, "XA", "CN", "CN-SN"),
    ("SH", "Pengcheng Smart Devices (Shanghai) Trading Co., Ltd.", _LE, "PSD", "CN", "CN-SH"),
    ("SH-OF", "Shanghai sales office", _S, "SH", "CN", "CN-SH"),
    ("BJ", "Pengcheng Technical Services (Beijing) Co., Ltd.", _LE, "PSD", "CN", "CN-BJ"),
    ("BJ-OF", "Beijing service centre", _S, "BJ", "CN", "CN-BJ"),
    ("INTL", "Pengcheng International Holdings Ltd.", _LE, "PSD", "HK", ""),
    ("VN", "Pengcheng Smart Devices Vietnam Co., Ltd.", _LE, "INTL", "VN", "VN-56"),
    ("VN-P1", "Bac Ninh plant", _S, "VN", "VN", "VN-56"),
    ("IN", "Pengcheng Smart Devices India Pvt. Ltd.", _LE, "INTL", "IN", "IN-MH"),
    ("IN-P1", "Pune Chakan plant", _S, "IN", "IN", "IN-MH"),
    ("BR", "Pengcheng Smart Devices do Brasil Ltda.", _LE, "INTL", "BR", "BR-SP"),
    ("BR-P1", "Manaus plant", _S, "BR", "BR", "BR-AM"),
    ("TR", "Pengcheng Akıllı Cihazlar Sanayi ve Ticaret A.Ş.", _LE, "INTL", "TR", "TR-34"),
    ("TR-P1", "Istanbul Tuzla plant", _S, "TR", "TR", "TR-34"),
    ("DE", "Pengcheng Smart Devices Europe GmbH", _LE, "INTL", "DE", "DE-HE"),
    ("US", "Pengcheng Smart Devices USA, Inc.", _LE, "INTL", "US", "US-CA"),
    ("AE", "Pengcheng Smart Devices Middle East FZE", _LE, "INTL", "AE", "AE-DU"),
    ("ID", "PT Pengcheng Smart Devices Indonesia", _LE, "INTL", "ID", "ID-JK"),
)


@dataclass(frozen=True)
class Site:
    """Where activity data comes from: a leaf of the tree and what kind of place it is."""

    archetype: str  # plant_large, plant, rd, logistics, office
    scale: float  # multiplies the archetype's annual quantities
    start: dt.date | None = None  # first day of operation, when inside the three years
    features: frozenset[str] = field(default_factory=frozenset)
    units: tuple[tuple[str, str], ...] = ()  # activity → the unit this site reports in

    def unit_for(self, activity: str, default: str) -> str:
        return dict(self.units).get(activity, default)


def _site(archetype: str, scale: float, *features: str, start: str = "", **units: str) -> Site:
    return Site(
        archetype,
        scale,
        dt.date.fromisoformat(start) if start else None,
        frozenset(features),
        tuple(sorted((k.replace("__", "."), v) for k, v in units.items())),
    )


_OVERSEAS_OFFICE = {"water__municipal": "m3", "water__discharge": "m3"}

# Features: overseas; cooling / heat / steam bought from a third party; groundwater / surface
# withdrawal (overseas plants only, as in the spec); lpg canteens; no_gas (no gas connection).
# PV, certificates and PPAs are programmes with yearly figures, below.
SITES: dict[str, Site] = {
    "SZ-NS": _site("rd", 1.4, "cooling"),
    "SZ-BA": _site("plant_large", 1.2),
    "SZ-LG": _site("logistics", 1.0),
    "SZ-GM": _site("rd", 1.0),
    "HZ-P1": _site("plant_large", 1.0),
    "DG-P1": _site("plant", 1.2),
    "WH-P1": _site("plant_large", 0.9),
    "WH-P2": _site("plant", 0.8, start="2024-07-01"),
    "SUZ-P1": _site("plant_large", 0.8, "steam"),
    "NJ-RD": _site("rd", 0.5),
    "CD-P1": _site("plant", 1.0),
    "HF-P1": _site("plant", 0.9, start="2023-04-01"),
    "CQ-P1": _site("plant", 0.8),
    "XA-RD": _site("rd", 0.6, "heat"),
    "SH-OF": _site("office", 1.5),
    "BJ-OF": _site("office", 1.2, "heat"),
    "VN-P1": _site("plant", 1.1, "overseas", "groundwater", "lpg", "no_gas"),
    "IN-P1": _site("plant", 0.7, "overseas", "groundwater", "lpg", "no_gas"),
    "BR-P1": _site(
        "plant", 0.6, "overseas", "surface", electricity__purchased="MWh", fuel__natural_gas="GJ"
    ),
    # the distributor's bill states the gas's net energy (GJ) beside its volume; by volume,
    # Scope 1 abroad would need a density or NCV no shipped set gives (docs/heat-steam-cooling.md)
    "TR-P1": _site("plant", 0.5, "overseas", start="2024-03-01", fuel__natural_gas="GJ"),
    "DE": _site("office", 0.8, "overseas", **_OVERSEAS_OFFICE),
    "US": _site("office", 0.7, "overseas", **_OVERSEAS_OFFICE),
    "AE": _site("office", 0.4, "overseas", **_OVERSEAS_OFFICE),
    "ID": _site("office", 0.5, "overseas", **_OVERSEAS_OFFICE),
}

# Rooftop PV capacity at year end, MW: the programme grows every year.
SOLAR_MW: dict[str, tuple[float, float, float]] = {
    "SZ-BA": (3.2, 4.6, 6.0),
    "SZ-GM": (0.6, 0.6, 1.1),
    "HZ-P1": (1.5, 2.5, 3.5),
    "WH-P1": (2.0, 2.0, 3.2),
    "SUZ-P1": (0.0, 1.2, 2.4),
    "HF-P1": (0.0, 0.0, 1.8),
}

# Share of a site's purchased electricity covered by certificates retired for the year.
CERTIFICATE_SHARE: dict[str, tuple[float, float, float]] = {
    "SZ-NS": (0.20, 0.30, 0.45),
    "SZ-BA": (0.10, 0.15, 0.25),
    "HZ-P1": (0.00, 0.10, 0.20),
    "DG-P1": (0.00, 0.00, 0.15),
    "WH-P1": (0.05, 0.10, 0.20),
    "SUZ-P1": (0.00, 0.10, 0.20),
    "CD-P1": (0.00, 0.05, 0.15),
    "VN-P1": (0.00, 0.00, 0.30),
}
PPA_SHARE: dict[str, tuple[float, float, float]] = {
    "SZ-BA": (0.00, 0.00, 0.12),  # Guangdong green-power trading from 2025
    "BR-P1": (0.00, 0.40, 0.60),  # wind PPA from 2024
}

# Head count weight of each legal entity (shares of the group workforce).
STAFF_WEIGHT: dict[str, float] = {
    "SZ": 30.0,
    "HZ": 7.0,
    "DG": 6.5,
    "WH": 8.5,
    "SUZ": 5.0,
    "NJ": 3.0,
    "CD": 5.5,
    "HF": 4.5,
    "CQ": 4.0,
    "XA": 3.5,
    "SH": 1.5,
    "BJ": 1.8,
    "INTL": 0.2,
    "VN": 5.0,
    "IN": 3.5,
    "BR": 2.2,
    "TR": 1.2,
    "DE": 0.6,
    "US": 0.5,
    "AE": 0.2,
    "ID": 0.3,
}


@dataclass(frozen=True)
class BoundarySpec:
    """How a boundary is created: explicit members (a site list, written as a member file)
    or whole subtrees (``include``), as a user would with ``esg boundary create``."""

    code: str
    year: int
    family: str
    basis: str
    members: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    change_note: str = ""


_GHG_SITES = (
    "SZ-NS",
    "SZ-BA",
    "SZ-LG",
    "SZ-GM",
    "HZ-P1",
    "DG-P1",
    "WH-P1",
    "SUZ-P1",
    "CD-P1",
    "HF-P1",
    "CQ-P1",
)
_ENV_SITES = (
    "SZ-NS",
    "SZ-BA",
    "SZ-GM",
    "HZ-P1",
    "DG-P1",
    "WH-P1",
    "SUZ-P1",
    "CD-P1",
    "HF-P1",
    "CQ-P1",
    "VN-P1",
    "IN-P1",
    "BR-P1",
)
_CN_PRODUCTION = ("SZ", "HZ", "DG", "WH", "SUZ", "NJ", "CD", "HF", "CQ", "XA")
_CN_LEGAL = (*_CN_PRODUCTION, "SH", "BJ")
_OVERSEAS_PRODUCTION = ("VN", "IN", "BR", "TR")
_OVERSEAS_SALES = ("DE", "US", "AE", "ID")

BOUNDARIES: tuple[BoundarySpec, ...] = (
    BoundarySpec(
        "2023-ghg",
        2023,
        "energy_ghg",
        "site list: main production and office sites in China",
        members=_GHG_SITES,
    ),
    BoundarySpec(
        "2023-env",
        2023,
        "environment",
        "site list: production and R&D sites in China and overseas production sites",
        members=_ENV_SITES,
    ),
    BoundarySpec(
        "2024-ghg",
        2024,
        "energy_ghg",
        "site list: main production and office sites in China",
        members=(*_GHG_SITES, "WH-P2"),
        change_note="Added the Wuhan Caidian plant, in production since July 2024.",
    ),
    BoundarySpec(
        "2024-env",
        2024,
        "environment",
        "site list: production and R&D sites in China and overseas production sites",
        members=(*_ENV_SITES, "WH-P2", "TR-P1"),
        change_note="Added the Wuhan Caidian plant (from July 2024) and the Istanbul "
        "Tuzla plant (from March 2024).",
    ),
    BoundarySpec(
        "2025-ghg",
        2025,
        "energy_ghg",
        "all legal entities in China and all overseas subsidiaries (company-based)",
        include=(*_CN_LEGAL, *_OVERSEAS_PRODUCTION, *_OVERSEAS_SALES),
        change_note="Basis changed from a list of Chinese sites to all legal entities in "
        "China, and overseas production and sales subsidiaries were added; the member "
        "count roughly tripled. Prior years are not restated: like-for-like figures "
        "for the 2024 sites can be recomputed from the activity data.",
    ),
    BoundarySpec(
        "2025-env",
        2025,
        "environment",
        "production and R&D legal entities in China and overseas production subsidiaries",
        include=(*_CN_PRODUCTION, *_OVERSEAS_PRODUCTION),
        change_note="Extended from a site list to whole production and R&D legal "
        "entities; sales companies and offices stay outside because their water and "
        "waste are managed by the landlords.",
    ),
)


def entity_rows() -> list[dict[str, str]]:
    """The organisation tree as ``entities.csv`` holds it."""
    return [dict(zip(ENTITY_HEADER, row, strict=True)) for row in ENTITIES]


def children() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ident, _name, _kind, parent, _c, _s in ENTITIES:
        out.setdefault(parent, []).append(ident)
    return out


def subtree_ids(root: str) -> list[str]:
    """``root`` and everything below it, as the ledger's ``subtree`` walks it."""
    tree = children()
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(tree.get(node, [])))
    return out


def boundary_members(spec: BoundarySpec) -> set[str]:
    """Every entity a boundary spec ends up holding."""
    members = set(spec.members)
    for root in spec.include:
        members.update(subtree_ids(root))
    return members


def boundary_spec(year: int, family: str) -> BoundarySpec:
    return next(b for b in BOUNDARIES if b.year == year and b.family == family)


def country_of(entity: str) -> str:
    return next(row[4] for row in ENTITIES if row[0] == entity)


def legal_entities() -> list[str]:
    return [row[0] for row in ENTITIES if row[2] == "legal_entity"]
