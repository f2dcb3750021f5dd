"""Contractual instruments of market-based Scope 2, checked against the Scope 2 Quality
Criteria before they may cover any electricity.

The GHG Protocol Scope 2 Guidance (WRI/WBCSD, 2015), chapter 7, section 7.4 and its Table 7.1,
sets eight Scope 2 Quality Criteria that every contractual instrument used in the
market-based method must meet. Criteria 6 (utility-specific emission factors) and 8 (a
residual mix, or disclosing its absence) are about the supplier and the market, not about
one instrument; the others can be checked, or found unproven, from what an instrument row
records (its attribute columns):

- criterion 1 (conveys the emission-rate attribute of the generation): ``energy_source``;
- criterion 2 (the only instrument claiming that generation): ``certificate_ids`` given,
  none claimed by another row (the import refuses a reused id; the run checks its year);
- criterion 3 (tracked and retired or cancelled by or on behalf of the company):
  ``tracking_system`` given and ``retired`` yes (``retired_for`` may name the company);
- criterion 4 (issued and redeemed as close as possible to the period of consumption):
  ``vintage`` (the year, or month, of generation) in the reporting year — no tolerance
  beyond it is invented here;
- criterion 5 (from the same market as the consuming operations): ``market`` (ISO 3166-1
  country of issue) equal to the consuming entity's country;
- criterion 7 (a direct contract conveys the instruments to the company only): a PPA says
  ``attributes_conveyed`` yes, or carries its bundled certificates' ids.

An instrument that fails or cannot show one of them covers nothing: its electricity falls
back to the residual mix, or the grid average, as uncovered electricity does, and the run
keeps a finding naming each criterion and why. Only qualifying instruments count towards
the renewable electricity figures (``instruments_qualifying_mwh`` per instrument type).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from esgledger.calc.engine import EngineOutput
from esgledger.calc.rejected_instruments import rejected_counts
from esgledger.calc.rollup import TOTAL_KEYS
from esgledger.catalog.instruments import (
    CERTIFICATE,
    INSTRUMENTS,
    PPA,
    VINTAGE,
    YES,
    certificate_ids,
)
from esgledger.units import compatible, multiplier

# the run's figure of each instrument type's qualifying MWh (totals, by entity, by activity)
QUALIFYING = {CERTIFICATE: "certificates_qualifying_mwh", PPA: "ppas_qualifying_mwh"}
GUIDANCE = "GHG Protocol Scope 2 Guidance (2015), ch. 7, Table 7.1"
CRITERIA = {
    1: "conveys the emission-rate attribute of the generation it stands for",
    2: "is the only instrument claiming that generation",
    3: "is tracked and retired or cancelled by or on behalf of the company",
    4: "is issued and redeemed as close as possible to the period of consumption",
    5: "comes from the same market as the consuming operations",
    7: "a direct contract conveys its instruments to the company only",
}
# Criteria about the supplier and the market, judged once per run, not per instrument.
MARKET_CRITERIA = {
    6: "utility-specific emission factors are calculated on delivered electricity, counting "
    "certificates sold and claimed for customers and leaving out the utility's green power "
    "product",
    8: "an adjusted residual mix is available for consumers' market-based Scope 2, or its "
    "absence is disclosed",
}
CHECKED = "checked per instrument"
FALLBACK = "residual_mix_unavailable_grid_average_used"  # a market factor's flag (coefficients)
NO_UTILITY_FACTOR = (
    "the factor library records no emission factor as a utility's own, and "
    "no factor edition states whether it was calculated on delivered electricity net of "
    "certificates sold and of a green power product; a supplier factor imported as a user "
    "edition is used as any grid factor would be"
)
VINTAGE_RULE = (
    "the vintage must fall in the reporting year: the Guidance asks for 'as close as "
    "possible' to the period of consumption and cites no tolerance, so no tolerance beyond "
    "the reporting year is applied"
)


@dataclass
class InstrumentReview:
    """What the check found: rows that qualify (MWh per entity and type) and rows that do not,
    each with the criteria it fails and why."""

    qualifying: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: InstrumentReview) -> None:
        self.qualifying.extend(other.qualifying)
        self.rejected.extend(other.rejected)

    def stored(self, coefficients: pl.DataFrame | None = None) -> dict[str, Any]:
        """The block a run stores (``scope2_instruments``): the criteria (each with what was
        checked and how, or why it could not be), the count and MWh of the qualifying rows,
        and the rejected rows' counts per activity and criterion; the rejected rows
        themselves go to their own table (``calc.rejected_instruments``)."""
        return {
            "guidance": GUIDANCE,
            "criteria": criteria_checked(coefficients),
            "qualifying_rows": len(self.qualifying),
            "qualifying_mwh": math.fsum(q["mwh"] for q in self.qualifying),
            **rejected_counts(self.rejected),
        }


def review_instruments(
    activities: pl.DataFrame, entities: pl.DataFrame, year: int
) -> tuple[pl.DataFrame, InstrumentReview]:
    """The rows the engine may use (instruments failing a criterion left out, so their
    electricity stays uncovered) and the review of every instrument row."""
    is_instrument = pl.col("activity").is_in(INSTRUMENTS)
    instruments = activities.filter(is_instrument)
    review = InstrumentReview()
    if not instruments.height:
        return activities, review
    country = dict(entities.select("entity_id", "country").iter_rows())
    records = instruments.select("id", "entity_id", "activity", "quantity", "unit", "attributes")
    # each distinct attribute text parsed once, and claims counted per text × its rows
    texts = records["attributes"].value_counts()
    parsed = {t: _attributes(t) for t in texts["attributes"].to_list()}
    claims: dict[str, int] = {}
    for text, rows in texts.iter_rows():
        for cert in certificate_ids(parsed[text].get("certificate_ids")):
            claims[cert] = claims.get(cert, 0) + rows
    # with the claims of the year counted, a row's findings depend on its activity, its
    # attributes and its entity's country only: worked out once per such combination
    findings: dict[tuple[str, str | None, str | None], list[dict[str, Any]]] = {}
    to_mwh = {u: _to_mwh(u) for u in records["unit"].unique().to_list()}
    dropped: list[int] = []
    for row_id, entity, activity, quantity, unit, text in records.iter_rows():
        attrs = parsed[text]
        key = (activity, text, country.get(entity))
        failed = findings.get(key)
        if failed is None:
            failed = findings[key] = _failed(activity, attrs, key[2], year, claims)
        mwh = quantity * to_mwh[unit] if to_mwh[unit] is not None else 0.0
        entry = {
            "activity_id": row_id,
            "entity_id": entity,
            "activity": activity,
            "mwh": mwh,
            "instrument": attrs.get("instrument", ""),
        }
        if failed:
            dropped.append(row_id)
            review.rejected.append({**entry, "failed": failed})
        else:
            review.qualifying.append(entry)
    if not dropped:
        return activities, review
    return activities.filter(~pl.col("id").is_in(dropped)), review


def merge_instruments(out: EngineOutput, review: InstrumentReview, entities: pl.DataFrame) -> None:
    """The review into the run's output: the stored block, and per instrument type its
    qualifying MWh — per entity (100 %), for the boundary (with shares) and per activity
    type — which the renewable electricity figures read. Added in the order of entity ids
    and row ids: the same bits on every run, however the rows were read. A run without
    instruments has none of these figures (not zeros)."""
    if not review.qualifying and not review.rejected:
        return
    out.instruments = review.stored(out.coefficients)
    out.rejected_instruments = review.rejected
    shares = dict(entities.select("entity_id", "share").iter_rows())
    present = {r["activity"] for r in (*review.qualifying, *review.rejected)}
    keys = [QUALIFYING[a] for a in INSTRUMENTS if a in present]  # no rows: no figure, not 0
    per_entity: dict[str, dict[str, float]] = {}
    for q in sorted(review.qualifying, key=lambda q: (q["entity_id"], q["activity_id"])):
        figures = per_entity.setdefault(q["entity_id"], dict.fromkeys(keys, 0.0))
        figures[QUALIFYING[q["activity"]]] += q["mwh"]
    totals = dict.fromkeys(keys, 0.0)
    for entity, figures in sorted(per_entity.items()):
        out.by_entity.setdefault(entity, dict.fromkeys(TOTAL_KEYS, 0.0)).update(figures)
        for key, mwh in figures.items():
            totals[key] += mwh * shares.get(entity, 1.0)
    out.totals.update(totals)
    for activity in sorted(present):
        out.by_activity.setdefault(activity, {})[QUALIFYING[activity]] = totals[
            QUALIFYING[activity]
        ]
    out.by_activity = dict(sorted(out.by_activity.items()))


def criteria_checked(coefficients: pl.DataFrame | None) -> list[dict[str, Any]]:
    """All eight criteria in order: the six checked per instrument (criterion 4 with its
    rule), and criteria 6 and 8 as far as the run's market-based factors show them."""
    per_run = market_criteria(coefficients)
    out = []
    for number in range(1, 9):
        if number in per_run:
            out.append({"criterion": number, "text": MARKET_CRITERIA[number], **per_run[number]})
            continue
        why = VINTAGE_RULE if number == 4 else "failures are listed per rejected instrument"
        out.append({"criterion": number, "text": CRITERIA[number], "status": CHECKED, "why": why})
    return out


def market_criteria(coefficients: pl.DataFrame | None) -> dict[int, dict[str, str]]:
    """Criteria 6 and 8 from the run's coefficients (``quantity``, ``flags``): criterion 8 is
    met when every market-based factor is a residual mix, else the grid average's use in
    its place is disclosed (here, and by the flag on each result); criterion 6 cannot be
    shown from the data held."""
    six = {"status": "not checkable", "why": NO_UTILITY_FACTOR}
    if coefficients is None or not {"quantity", "flags"} <= set(coefficients.columns):
        why = "the run kept no market-based factor choices to look at"
        return {6: six, 8: {"status": "not checkable", "why": why}}
    market = coefficients.filter(pl.col("quantity") == "scope2_market")
    if not market.height:
        why = "no market-based Scope 2 factor was applied in this run"
        return {6: six, 8: {"status": "not applicable", "why": why}}
    fallback = market.filter(pl.col("flags").fill_null("").str.contains(FALLBACK)).height
    if not fallback:
        why = "a residual mix factor was applied to all electricity no instrument covers"
        return {6: six, 8: {"status": "met", "why": why}}
    why = (
        f"no residual mix for {fallback} of {market.height} market-based factor choices: the "
        f"grid average was used instead, and each such result carries the flag {FALLBACK}"
    )
    return {6: six, 8: {"status": "absence disclosed", "why": why}}


def finding(rejected: dict[str, Any]) -> str:
    """One line of a rejected instrument, for ``esg calc`` and the run's notes."""
    reasons = "; ".join(f"criterion {f['criterion']}: {f['why']}" for f in rejected["failed"])
    return (
        f"{rejected['activity']} row {rejected['activity_id']} ({rejected['entity_id']}, "
        f"{rejected['mwh']:,.3f} MWh) does not meet the Scope 2 Quality Criteria ({GUIDANCE}): "
        f"{reasons}; its electricity falls back to the residual mix or grid factor"
    )


def _failed(
    activity: str,
    attrs: dict[str, str],
    country: str | None,
    year: int,
    claims: dict[str, int],
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def fail(number: int, why: str) -> None:
        out.append({"criterion": number, "why": why})

    if not attrs.get("energy_source"):
        fail(1, "no energy_source: the generation it stands for is not stated")
    ids = certificate_ids(attrs.get("certificate_ids"))
    reused = sorted(i for i in ids if claims.get(i, 0) > 1)
    if reused:
        fail(2, f"certificate ids claimed by another row too: {', '.join(reused[:5])}")
    elif not ids and activity != PPA:
        fail(2, "no certificate_ids: a second claim on the same generation cannot be ruled out")
    if not attrs.get("tracking_system"):
        fail(3, "no tracking_system: the instrument is not shown to be tracked")
    if attrs.get("retired", "").lower() not in YES and not (activity == PPA and not ids):
        fail(3, "not recorded as retired or cancelled on the company's behalf (retired: yes)")
    vintage = VINTAGE.match(attrs.get("vintage", ""))
    if vintage is None:
        fail(4, "no vintage (YYYY or YYYY-MM of generation)")
    elif int(vintage.group(1)) != year:
        fail(4, f"vintage {attrs['vintage']} is outside the reporting year {year}")
    market = attrs.get("market", "").upper()
    if not market:
        fail(5, "no market (country of issue)")
    elif market != (country or "").upper():
        fail(5, f"market {market} is not the consuming entity's country ({country or 'unknown'})")
    if activity == PPA and attrs.get("attributes_conveyed", "").lower() not in YES and not ids:
        fail(7, "the contract is not recorded as conveying its attributes (attributes_conveyed)")
    return out


def _to_mwh(unit: str) -> float | None:
    """The multiplier from ``unit`` to MWh, None for a unit that is no energy."""
    return multiplier(unit, "MWh") if compatible(unit, "MWh") else None


def _attributes(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    parsed = json.loads(text)
    return {k: str(v).strip() for k, v in parsed.items() if v is not None}
