"""The demo's supplier base (#16), as data: about 1,100 suppliers with their sites, contacts,
agreements and certifications, the questionnaire they are sent, their audits and findings,
and the CMRT files the conflict-minerals suppliers return.

Pure generators from the demo's seed (:mod:`esgledger.demo.seed`), one named stream per
part, so the supplier base is the same on every run. The ~110 suppliers of the Scope 3
purchase ledger (:func:`esgledger.demo.scope3_data.purchase_supplier`) are in it under the
ids the ledger names, so their spend comes from the purchase lines; the others carry the
spend procurement exported, in yuan. Names, people and smelters are invented.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from esgledger.demo.org import REPORT_YEAR, YEARS
from esgledger.demo.scope3_data import CAPITAL, GOODS, SUPPLIERS_PER_CODE, purchase_supplier
from esgledger.demo.seed import rng
from esgledger.demo.supplier_draws import day, days, sample

OTHER_SUPPLIERS = 1_000
SUPPLIER_HEADER = ("id", "name", "country", "parent_group", "commodities", "spend",
                   "spend_unit", "onboarded_on", "ended_on")  # fmt: skip
SITE_HEADER = ("supplier", "name", "country", "address")
CONTACT_HEADER = ("supplier", "email", "name", "role")
AGREEMENT_HEADER = ("supplier", "kind", "signed_on", "expires_on")
CERTIFICATION_HEADER = ("supplier", "standard", "certificate", "issued_on", "expires_on")
# (ISO 3166-1 code, weight, towns suppliers sit in)
COUNTRIES = (
    ("CN", 70, ("Shenzhen", "Dongguan", "Suzhou", "Huizhou", "Ningbo", "Xiamen", "Wuxi",
                "Kunshan", "Zhuhai", "Foshan", "Hangzhou", "Chengdu", "Wuhan", "Ganzhou")),
    ("VN", 6, ("Bac Ninh", "Hai Phong", "Binh Duong")),
    ("MY", 4, ("Penang", "Johor Bahru")),
    ("TW", 4, ("Hsinchu", "Taoyuan", "Taichung")),
    ("JP", 4, ("Osaka", "Nagoya", "Kyoto")),
    ("KR", 3, ("Suwon", "Gumi")),
    ("TH", 3, ("Ayutthaya", "Chonburi")),
    ("DE", 2, ("Stuttgart", "Dresden")),
    ("US", 2, ("San Jose", "Austin")),
    ("MX", 1, ("Guadalajara",)),
    ("IN", 1, ("Chennai", "Pune")),
)  # fmt: skip
# (commodities as the register records them, weight, trade word for the name); the first
# word of a mineral commodity is the metal, which rates the commodity risk of the policy.
COMMODITIES = (
    ("electronic components", 20, "Electronics"),
    ("tin; solder paste", 4, "Solder Materials"),
    ("gold; bonding wire", 2, "Precision Wire"),
    ("tantalum; capacitors", 2, "Capacitor"),
    ("tungsten; carbide tooling", 1, "Tooling"),
    ("cobalt; battery cells", 2, "Battery"),
    ("tin; printed circuit boards", 5, "Circuits"),
    ("gold; connectors", 4, "Connector"),
    ("plastic parts", 12, "Plastics"),
    ("metal stampings", 10, "Metal Products"),
    ("packaging", 8, "Packaging"),
    ("cables", 5, "Cable"),
    ("optics", 5, "Optical"),
    ("chemicals", 4, "Chemical"),
    ("logistics", 6, "Logistics"),
    ("facility services", 6, "Facility Services"),
    ("IT services", 4, "Information Technology"),
)
# The minerals the purchase ledger's goods carry (solder, plating, capacitors, drives).
PURCHASE_MINERALS = {"334413": "gold", "334418": "tin", "334412": "tin; gold",
                     "334419": "tantalum; tin", "334112": "gold; tungsten",
                     "335929": "tin"}  # fmt: skip
WORDS = ("Huaxin", "Jiahe", "Xinda", "Hengtong", "Ruifeng", "Zhongke", "Tianyi", "Jinlong",
         "Baoli", "Hongyuan", "Shengda", "Yongxin", "Kaiyue", "Mingzhi", "Lianchuang", "Dexin",
         "Haoran", "Fuqiang", "Weilong", "Anshun", "Bright", "Delta", "Summit", "Crest",
         "Harbor", "Orion", "Meridian", "Pioneer", "Apex", "Lotus")  # fmt: skip
SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
            "Nguyen", "Tan", "Lim", "Sato", "Kim", "Schmidt", "Garcia", "Patel")  # fmt: skip
GIVEN = ("Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Hao", "Ling", "Jun", "Mei", "Anh",
         "Hui", "Kenji", "Ji-woo", "Anna", "Luis", "Ravi")  # fmt: skip
GROUPS = tuple(f"{w} Holdings" for w in WORDS[:24:2]) + tuple(f"{w} Group" for w in WORDS[1:24:2])
AGREEMENT_RATES = (("csr_commitment", 0.97), ("integrity_agreement", 0.95), ("nda", 0.99))
CERTIFICATION_RATES = (("ISO 9001", 0.92), ("REACH", 0.9), ("RoHS 2.0", 0.9), ("ISO 14001", 0.55))
GOODS_FREE = ("logistics", "facility services", "IT services")  # no REACH/RoHS to declare
EXITS = 8  # suppliers the periodic evaluation let go in the two years before the report year
MINERALS = ("tin", "gold", "tantalum", "tungsten", "cobalt")


@dataclass(frozen=True)
class DemoSupplier:
    id: str
    name: str
    country: str
    town: str
    parent_group: str
    commodities: str
    spend: float | None
    spend_unit: str
    onboarded_on: dt.date
    ended_on: dt.date | None = None


def _onboarded(draw: random.Random, *, established: bool) -> dt.date:
    """Onboarding reviews sit on the first of the month; a third of the base joined in the
    last three years, about a tenth in the report year."""
    year = draw.randint(2010, REPORT_YEAR - 3)
    if not established:
        year = draw.choices((year, REPORT_YEAR - 2, REPORT_YEAR - 1, REPORT_YEAR), (68, 9, 10, 13))[
            0
        ]
    return dt.date(year, draw.randint(1, 12), 1)


def _place(draw: random.Random) -> tuple[str, str]:
    country = draw.choices(COUNTRIES, [w for _, w, _ in COUNTRIES])[0]
    return country[0], draw.choice(country[2])


def suppliers(purchase_spend: dict[str, float]) -> list[DemoSupplier]:
    """The purchase ledger's suppliers (spend in USD from its lines), then the others."""
    draw = rng("suppliers", "base")
    out = []
    for code, what, _share in (*GOODS, *CAPITAL):
        for n in range(1, SUPPLIERS_PER_CODE + 1):
            ident = purchase_supplier(code, n)
            country, town = _place(draw)
            minerals = PURCHASE_MINERALS.get(code)
            goods = f"{minerals}; {what}" if minerals else what
            name = f"{draw.choice(WORDS)} {what.split(' and ')[0].title()} Co., Ltd."
            out.append(DemoSupplier(ident, name, country, town, draw.choice(GROUPS), goods,
                                    purchase_spend.get(ident), "USD",
                                    _onboarded(draw, established=True)))  # fmt: skip
    weights = [w for _, w, _ in COMMODITIES]
    for i in range(1, OTHER_SUPPLIERS + 1):
        goods, _w, trade = draw.choices(COMMODITIES, weights)[0]
        country, town = _place(draw)
        name = f"{town} {draw.choice(WORDS)} {trade} Co., Ltd."
        group = draw.choice(GROUPS) if draw.random() < 0.12 else ""
        spend = round(draw.lognormvariate(14.0, 1.3), -2)  # yuan a year
        out.append(DemoSupplier(f"S{i:04d}", name, country, town, group, goods, spend, "CNY",
                                _onboarded(draw, established=False)))  # fmt: skip
    return _exits(out)


def _exits(base: list[DemoSupplier]) -> list[DemoSupplier]:
    """The poor performers the periodic evaluation let go (spec: reward, penalty or exit):
    a few long-standing suppliers of goods without conflict minerals, outside the purchase
    ledger, so the CMRT campaign and the large-spend audits never asked them; their own draw,
    so no other part of the base changes."""
    draw = rng("suppliers", "exits")
    pool = [s.id for s in base if s.spend_unit == "CNY" and s.onboarded_on.year <= REPORT_YEAR - 3
            and not any(m in s.commodities for m in MINERALS)]  # fmt: skip
    ends = {i: day(draw, REPORT_YEAR - draw.randint(1, 2)) for i in sample(draw, pool, EXITS)}
    return [replace(s, ended_on=ends[s.id]) if s.id in ends else s for s in base]


def suppliers_in_cooperation() -> dict[int, float]:
    """Per demo year, the suppliers onboarded by its end and not let go before it began: the
    register's count of suppliers in cooperation, which typed figures about suppliers (those
    trained, say) stay below. The onboarding and end dates do not depend on the spend, so
    none is needed here."""
    base = suppliers({})
    return {y: float(sum(_cooperating(s, y) for s in base)) for y in YEARS}


def _cooperating(supplier: DemoSupplier, year: int) -> bool:
    ended = supplier.ended_on
    return supplier.onboarded_on.year <= year and (ended is None or ended.year >= year)


def supplier_rows(base: list[DemoSupplier]) -> list[tuple[object, ...]]:
    return [(s.id, s.name, s.country, s.parent_group, s.commodities,
             "" if s.spend is None else f"{s.spend:.2f}", s.spend_unit if s.spend else "",
             s.onboarded_on.isoformat(), s.ended_on.isoformat() if s.ended_on else "")
            for s in base]  # fmt: skip


def _slug(supplier: DemoSupplier) -> str:
    return supplier.id.lower().replace("-", "")


def person(draw: random.Random) -> str:
    return f"{draw.choice(SURNAMES)} {draw.choice(GIVEN)}"


def site_rows(base: list[DemoSupplier]) -> list[tuple[object, ...]]:
    """A plant for each supplier; one in ten has a second plant in another country."""
    draw = rng("suppliers", "sites")
    rows: list[tuple[object, ...]] = []
    for s in base:
        rows.append(
            (s.id, "Plant 1", s.country, f"{draw.randint(1, 300)} Industrial Road, {s.town}")
        )
        if draw.random() < 0.1:
            country, town = _place(draw)
            rows.append((s.id, "Plant 2", country, f"{draw.randint(1, 300)} Park Avenue, {town}"))
    return rows


def contact_rows(base: list[DemoSupplier]) -> list[tuple[object, ...]]:
    draw = rng("suppliers", "contacts")
    return [(s.id, f"sustainability@{_slug(s)}.example", person(draw),
             draw.choice(("sustainability", "quality", "sales"))) for s in base]  # fmt: skip


def agreement_rows(base: list[DemoSupplier]) -> list[tuple[object, ...]]:
    """The agreements signed at onboarding (a few missing, as the gate then shows)."""
    draw = rng("suppliers", "agreements")
    return [(s.id, kind, s.onboarded_on.isoformat(), "")
            for s in base for kind, rate in AGREEMENT_RATES if draw.random() < rate]  # fmt: skip


def certification_rows(base: list[DemoSupplier]) -> list[tuple[object, ...]]:
    """The current certificate of each standard (three years; a few lapsed): a new
    supplier's was issued before it was onboarded, an older supplier's renewed since.
    Service suppliers hold no REACH or RoHS declaration."""
    draw = rng("suppliers", "certifications")
    rows: list[tuple[object, ...]] = []
    for s in base:
        for standard, rate in CERTIFICATION_RATES:
            if standard in ("REACH", "RoHS 2.0") and s.commodities in GOODS_FREE:
                continue
            if draw.random() >= rate:
                continue
            issued = (s.onboarded_on - days(draw, 30, 700)).replace(day=1)
            renews = s.onboarded_on.year < REPORT_YEAR - 2
            while renews and issued.year + 3 <= REPORT_YEAR and draw.random() < 0.97:
                issued = issued.replace(year=issued.year + 3)  # renewed (or lapsed)
            expires = issued.replace(year=issued.year + 3)
            number = f"{standard.split()[0][:4].upper()}-{s.id}-{issued.year}"
            rows.append((s.id, standard, number, issued.isoformat(), expires.isoformat()))
    return rows
