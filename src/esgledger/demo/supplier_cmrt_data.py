"""The demo's conflict-minerals intake (#16), as data: the CMRT files its 3TG suppliers send
back each year, and the conformant-smelter list the team imports.

In the report year about 190 in-scope suppliers return a file (fewer in the two years before,
as the programme grew: about 115 and 140, from the suppliers onboarded by then, on the
template revisions of that time), of varying quality: most are clean, some carry
what the rules only warn about (the contact signing as authorizer, a metal that may come
from the covered countries, smelters not listed or not yet identified), and about one in
nine breaks a rule and is refused row by row; half of those suppliers send a corrected file
later: 200 files in the report year. Smelters are drawn from an invented pool per metal
(identification numbers ``CID`` and six digits, no RMI data), so the roll-up merges them
across suppliers and years.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, replace

from esgledger.demo.cmrt_files import Cmrt, company, smelter
from esgledger.demo.org import REPORT_YEAR
from esgledger.demo.seed import rng
from esgledger.demo.supplier_data import DemoSupplier, person
from esgledger.demo.supplier_draws import day, sample, weighted

FILES = 200  # in the report year
RESPONDENTS = 190  # suppliers returning a file; the refused half resubmit → FILES
# Each year's round: (suppliers returning a file, files with the resubmissions)
ROUNDS = {
    REPORT_YEAR - 2: (115, 123),
    REPORT_YEAR - 1: (140, 149),
    REPORT_YEAR: (RESPONDENTS, FILES),
}
METALS = {"tin": "Tin", "gold": "Gold", "tantalum": "Tantalum", "tungsten": "Tungsten"}
POOL = {"Tin": 80, "Gold": 120, "Tantalum": 40, "Tungsten": 40}  # smelters per metal
SMELTER_COUNTRIES = ("CHINA", "CHINA", "CHINA", "INDONESIA", "MALAYSIA", "JAPAN", "PERU",
                     "BOLIVIA", "SWITZERLAND", "RWANDA", "BRAZIL", "THAILAND")  # fmt: skip
# The revisions suppliers filled in, by year: an April release serves the next filing cycle
# (6.22 May 2022, 6.31 May 2023, 6.4 April 2024, 6.5 April 2025: spec/conflict-minerals.md).
VERSIONS = {
    REPORT_YEAR - 2: (("6.31", 55), ("6.22", 40), ("6.1", 5)),
    REPORT_YEAR - 1: (("6.4", 60), ("6.31", 35), ("6.22", 5)),
    REPORT_YEAR: (("6.5", 70), ("6.4", 25), ("6.31", 5)),
}
CONFORMANT_HEADER = ("smelter_id", "metal", "status", "assessed_on")
# How a refused file is broken: (key, what the demo says of it)
BREAKS = (
    ("smelter id", "a smelter identification number cut short"),
    ("future date", "an effective date after the day it was received"),
    ("missing answer", "question 4 unanswered for a metal in use"),
    ("bad email", "the contact's e-mail address mistyped"),
    ("no smelter row", "a metal in use with no smelter row"),
    ("unknown version", "a template revision that does not exist"),
    ("no smelter list", "the Smelter List sheet deleted"),
)


@dataclass(frozen=True)
class DemoCmrt:
    """One file a supplier sends: what it holds, and how it is broken (None: not broken)."""

    supplier: str
    file: str
    spec: Cmrt
    broken: str | None = None


def metals_of(supplier: DemoSupplier) -> tuple[str, ...]:
    words = re.findall(r"[a-z]+", supplier.commodities.lower())
    return tuple(sorted({METALS[w] for w in words if w in METALS}))


def pool_id(metal: str, n: int) -> str:
    return f"CID{list(POOL).index(metal) + 1}{n:05d}"


def _smelters(draw: random.Random, in_use: tuple[str, ...]) -> list[list[str]]:
    rows = []
    for metal in in_use:
        for n in sorted(draw.sample(range(1, POOL[metal] + 1), draw.randint(2, 6))):
            country = SMELTER_COUNTRIES[n % len(SMELTER_COUNTRIES)]
            rows.append(smelter(metal, pool_id(metal, n), f"{metal} Smelter {n:03d}", country))
    if draw.random() < 0.1:  # a smelter the supplier could not find in the list
        metal = draw.choice(in_use)
        rows.append(["", metal, "Smelter not listed", f"{metal} Works {draw.randint(1, 99)}",
                     "CHINA", "", "", "", ""])  # fmt: skip
    if draw.random() < 0.08:  # one its sub-supplier has not named yet
        rows.append(["", draw.choice(in_use), "Smelter not yet identified", "Unknown", "", "",
                     "", "", ""])  # fmt: skip
    return rows


def _day(on: dt.date) -> str:
    return on.strftime("%d-%b-%Y")


def _clean(draw: random.Random, supplier: DemoSupplier, in_use: tuple[str, ...], year: int) -> Cmrt:
    effective = day(draw, year, months=(1, 11))
    contact = person(draw)
    authorizer = contact if draw.random() < 0.05 else person(draw)
    versions = VERSIONS[year]
    version = weighted(draw, [v for v, _ in versions], [w for _, w in versions])
    spec = Cmrt(
        title=f"Conflict Minerals Reporting Template (CMRT) Revision {version}",
        fields=company(
            **{
                "Company Name (*):": supplier.name,
                "Company Unique ID:": supplier.id,
                "Address:": supplier.town,
                "Contact Name (*):": contact,
                "Email \u2013 Contact (*):": f"cmrt@{supplier.id.lower()}.example",
                "Authorizer (*):": authorizer,
                "Email - Authorizer (*):": f"compliance@{supplier.id.lower()}.example",
                "Effective Date (*):": _day(effective),
            }
        ),
        in_use=in_use,
        smelters=_smelters(draw, in_use),
    )
    if draw.random() < 0.06:  # may come from the covered countries: a warning, not a refusal
        spec.answers[(3, draw.choice(in_use))] = "Yes"
    return spec


def _break(spec: Cmrt, how: str, year: int) -> Cmrt:
    metal = spec.in_use[0]
    if how == "smelter id":
        rows = [list(r) for r in spec.smelters]
        rows[0][0] = rows[0][5] = rows[0][0][:6]
        return replace(spec, smelters=rows)
    if how == "future date":
        return replace(spec, fields={**spec.fields, "Effective Date (*):": f"15-Jan-{year + 2}"})
    if how == "missing answer":
        return replace(spec, answers={**spec.answers, (4, metal): ""})
    if how == "bad email":
        return replace(
            spec, fields={**spec.fields, "Email \u2013 Contact (*):": "cmrt at supplier"}
        )
    if how == "no smelter row":
        return replace(spec, smelters=[r for r in spec.smelters if r[1] != metal])
    if how == "unknown version":
        return replace(spec, title="Conflict Minerals Reporting Template (CMRT) Revision 5.93")
    return replace(spec, sheets=("Declaration", "Product List"))


def intake_closed(year: int) -> dt.date:
    """The day the team takes stock of a year's files (no effective date may be later)."""
    return dt.date(year + 1, 3, 31)


def cmrt_files(base: list[DemoSupplier], year: int = REPORT_YEAR) -> list[DemoCmrt]:
    """A year's files in the order they arrive, from the in-scope suppliers onboarded by then;
    a refused file's supplier sends a corrected one at the end, one in two of them."""
    draw = rng("suppliers", "cmrt") if year == REPORT_YEAR else rng("suppliers", "cmrt", year)
    respondents, files = ROUNDS[year]
    in_scope = [s for s in base if metals_of(s) and s.onboarded_on.year <= year]
    senders = sample(draw, in_scope, respondents)
    refused = 2 * (files - respondents)  # every ninth file or so
    broken = set(range(5, 5 + 9 * refused, 9))
    out: list[DemoCmrt] = []
    again: list[DemoCmrt] = []
    for i, supplier in enumerate(senders):
        spec = _clean(draw, supplier, metals_of(supplier), year)
        name = (
            f"CMRT-{supplier.id}.xlsx" if year == REPORT_YEAR else f"CMRT-{supplier.id}-{year}.xlsx"
        )
        if i not in broken:
            out.append(DemoCmrt(supplier.id, name, spec))
            continue
        key = BREAKS[len(broken & set(range(i))) % len(BREAKS)][0]
        out.append(DemoCmrt(supplier.id, name, _break(spec, key, year), key))
        if len(broken & set(range(i))) % 2 == 0:
            again.append(DemoCmrt(supplier.id, name.replace(".xlsx", "-corrected.xlsx"), spec))
    return out + again


def conformant_rows() -> list[tuple[str, str, str, str]]:
    """The team's snapshot of smelter statuses: most of the pool conformant, some active in
    an assessment, the rest not listed (so they do not count as conformant)."""
    draw = rng("suppliers", "conformant")
    rows = []
    for metal, size in POOL.items():
        for n in range(1, size + 1):
            pick = draw.random()
            if pick < 0.86:
                status = "Conformant"
            elif pick < 0.93:
                status = "Active"
            else:
                continue
            assessed = day(draw, REPORT_YEAR - draw.randint(0, 2))
            rows.append((pool_id(metal, n), metal, status, assessed.isoformat()))
    return rows
