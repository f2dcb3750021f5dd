"""The demo's assurance and giving registers for the report year (#17).

- Assurance: one engagement over the report year's greenhouse-gas figures (Scope 1 and both
  Scope 2 methods) to ISAE 3410 at limited assurance, signed in the spring after the year,
  with its statement kept by its digest. The provider and the statement are the demo's own
  placeholders (the statement says so), never a real firm's opinion.
- Giving: the year's volunteering — as many programmes, participations and hours as the
  typed KPI rows say, run by the legal entities — and its donations in the currency they
  were given in: RMB in China and one in Vietnamese dong at the Vietnam subsidiary,
  together adding up to the typed total (the dong at its rate). The dong donation is given
  on a day for which both official rates against the US dollar were found published: the
  State Bank of Vietnam's central rate (25,130 VND/USD on 9 October 2025, as reported by
  Thoi bao Tai chinh Viet Nam) and the CFETS central parity of the yuan (7.1102 CNY/USD
  that day, as reported by MENAFN). The demo imports their cross (CNY per VND) as a
  user-imported rate naming both (``esg register giving import-rates``), valid for that
  day only: a donation on another day would stay unconverted, its total not available.

Deterministic (its own random stream), written as files and imported through the same
services as ``esg register assurance|giving import``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from esgledger.demo.files import write_rows
from esgledger.demo.kpi_data import kpi_model
from esgledger.demo.org import ENTITIES, REPORT_YEAR
from esgledger.demo.seed import rng
from esgledger.demo.stages import DemoContext

ENGAGEMENT_HEADER = ("ref", "year", "provider", "standard", "level", "metrics", "signed_on",
                     "statement")  # fmt: skip
DONATION_HEADER = ("ref", "entity", "date", "programme", "recipient_type", "form", "amount",
                   "currency")  # fmt: skip
VOLUNTEER_HEADER = ("entity", "year", "programme", "participations", "hours")
RATE_HEADER = ("currency", "quote", "valid_from", "valid_to", "rate", "source")
ASSURED = ("ghg.scope1", "ghg.scope2_location", "ghg.scope2_market")
PROVIDER = "Demo Assurance Provider (placeholder)"
THEMES = (  # theme, recipient type
    ("Rural schools", "education"),
    ("River clean-up", "community"),
    ("Elderly care visits", "healthcare"),
    ("Disaster relief", "disaster_relief"),
    ("Digital skills for youth", "education"),
    ("Community health checks", "healthcare"),
)
DONATED_SHARE = 0.1  # programmes that also received a donation
FOREIGN = ("VN", "VND", 250_000_000)  # entity, currency, amount of the one foreign donation
# The day of the foreign donation and the two official rates published for it (see above).
RATE_DAY = dt.date(2025, 10, 9)
SBV_VND_PER_USD = 25_130  # State Bank of Vietnam central rate
SBV_SOURCE = (
    "https://thoibaotaichinhvietnam.vn/"
    "ty-gia-usd-hom-nay-910-the-gioi-tang-trong-nuoc-keo-dai-da-giam-184679.html"
)
CFETS_CNY_PER_USD = 7.1102  # CFETS central parity of the yuan
CFETS_SOURCE = "https://menafn.com/1110171184/Chinese-Yuan-Nudges-Down-Against-US-Dollar"


def _legal_entities() -> list[str]:
    return [e[0] for e in ENTITIES if e[2] == "legal_entity"]


def _split(total: int, parts: int, weights: list[float]) -> list[int]:
    """``total`` in ``parts`` whole shares proportional to ``weights`` (the last takes the
    rounding), each at least 1 when the total allows."""
    scale = sum(weights)
    shares = [max(1, int(total * w / scale)) for w in weights[:-1]]
    return [*shares, max(0, total - sum(shares))]


def _statement(folder: Path) -> str:
    name = f"assurance-statement-{REPORT_YEAR}.md"
    (folder / name).write_text(
        f"# Independent limited assurance statement, {REPORT_YEAR} (demo placeholder)\n\n"
        "This file stands in for the statement an assurance provider signs. It is part of the\n"
        "esgledger demo, expresses no one's opinion and assures nothing.\n",
        encoding="utf-8",
    )
    return name


def _engagements(folder: Path) -> Path:
    signed = dt.date(REPORT_YEAR + 1, 3, 20)
    row = (f"GHG-{REPORT_YEAR}", REPORT_YEAR, PROVIDER, "isae_3410", "limited",
           "; ".join(ASSURED), signed.isoformat(), _statement(folder))  # fmt: skip
    return write_rows(folder / "assurance-engagements.csv", ENGAGEMENT_HEADER, [row])


def _programmes(count: int) -> list[tuple[str, str, str]]:
    """(programme, recipient type, legal entity) for each of the year's programmes."""
    legal = _legal_entities()
    out = []
    for n in range(count):
        theme, recipient = THEMES[n % len(THEMES)]
        entity = legal[n % len(legal)]
        out.append((f"{theme} {n // len(THEMES) + 1:03d} ({entity})", recipient, entity))
    return out


def _volunteering(programmes: list[tuple[str, str, str]]) -> list[tuple[object, ...]]:
    model, random = kpi_model(), rng("giving")
    weights = [random.uniform(0.5, 1.5) for _ in programmes]
    people = _split(round(model.rounded("social.volunteering.participation", REPORT_YEAR)),
                    len(programmes), weights)  # fmt: skip
    hours = _split(round(model.rounded("social.volunteering.hours", REPORT_YEAR)),
                   len(programmes), weights)  # fmt: skip
    return [(entity, REPORT_YEAR, name, p, h)
            for (name, _, entity), p, h in zip(programmes, people, hours, strict=True)]  # fmt: skip


def _donations(programmes: list[tuple[str, str, str]]) -> list[tuple[object, ...]]:
    random = rng("donations")
    chosen = [p for n, p in enumerate(programmes) if n % round(1 / DONATED_SHARE) == 0]
    domestic = [p for p in chosen if p[2] != FOREIGN[0]]
    typed = round(kpi_model().rounded("social.donations", REPORT_YEAR) * 1e8)  # RMB cents
    fen = typed - round(FOREIGN[2] * CFETS_CNY_PER_USD / SBV_VND_PER_USD * 100)  # the rest
    amounts = _split(fen, len(domestic), [random.uniform(0.2, 1.8) for _ in domestic])
    rows: list[tuple[object, ...]] = []
    for n, ((name, recipient, entity), cents) in enumerate(zip(domestic, amounts, strict=True)):
        day = dt.date(REPORT_YEAR, 1, 1) + dt.timedelta(days=random.randrange(365))
        form = "in_kind" if n % 4 == 3 else "cash"
        rows.append((f"DON-{REPORT_YEAR}-{n + 1:03d}", entity, day.isoformat(), name, recipient,
                     form, f"{cents / 100:.2f}", "CNY"))  # fmt: skip
    name, recipient, entity = next(p for p in chosen if p[2] == FOREIGN[0])
    rows.append((f"DON-{REPORT_YEAR}-{len(rows) + 1:03d}", entity, RATE_DAY.isoformat(), name,
                 recipient, "cash", str(FOREIGN[2]), FOREIGN[1]))  # fmt: skip
    return rows


def _rates() -> list[tuple[object, ...]]:
    """The foreign donation's rate into CNY on its day: the cross of the two official
    rates against the US dollar, each named with the page it was read on."""
    rate = CFETS_CNY_PER_USD / SBV_VND_PER_USD
    source = (f"On {RATE_DAY}: {CFETS_CNY_PER_USD} CNY/USD (CFETS central parity, "
              f"{CFETS_SOURCE}) / {SBV_VND_PER_USD:,} VND/USD (State Bank of Vietnam central "
              f"rate, {SBV_SOURCE})")  # fmt: skip
    day = RATE_DAY.isoformat()
    return [(FOREIGN[1], "CNY", day, day, f"{rate:.9g}", source)]


def assurance_and_giving(ctx: DemoContext, folder: Path) -> dict[str, int]:
    """Import the engagement, the volunteering and the donations; the stage counts them."""
    from esgledger.registers.assurance import import_engagements
    from esgledger.registers.giving import import_donations, import_rates, import_volunteering

    import_engagements(ctx.db, _engagements(folder), actor=ctx.actor)
    programmes = _programmes(round(kpi_model().rounded("social.giving.programmes", REPORT_YEAR)))
    volunteering = _volunteering(programmes)
    import_volunteering(
        ctx.db, write_rows(folder / "volunteering.csv", VOLUNTEER_HEADER, volunteering),
        actor=ctx.actor,
    )  # fmt: skip
    donations = _donations(programmes)
    import_donations(
        ctx.db, write_rows(folder / "donations.csv", DONATION_HEADER, donations), actor=ctx.actor
    )
    rates = _rates()
    import_rates(
        ctx.db, write_rows(folder / "exchange-rates.csv", RATE_HEADER, rates), actor=ctx.actor
    )
    return {"assurance engagements": 1, "volunteering rows": len(volunteering),
            "donations": len(donations), "exchange rates": len(rates)}  # fmt: skip
