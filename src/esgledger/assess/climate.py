"""Climate risks and opportunities (TCFD; SYSTEM.md §10, ``spec/scenarios.md``).

An item is a risk or opportunity in one of the 11 TCFD categories, rated Low / Medium / High
per time horizon (anchor years, default 2025 / 2030 / 2050). Physical risks are assessed
against the IPCC SSP scenarios (SSP1-2.6, SSP3-7.0, SSP5-8.5), transition risks and all
opportunities against IEA NZE and STEPS. A rating may be given per (scenario, horizon) cell;
the **published rating** of a horizon is the one entered without a scenario, or else the
maximum over the item's scenario cells (recorded as ``"derived": "max over scenarios"``).
Items are imported from a file shaped like ``spec/climate-risk-inventory.csv``
(``id, kind, tcfd_category, name, rating_<year>…, impact, response``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.climate import LEVELS, scenarios, tcfd_categories
from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.ingest.checker import Checker, Message, blank, cell, with_row_numbers
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger import audit
from esgledger.ledger.assess_models import ClimateItem, ClimateRating

HORIZONS = (2025, 2030, 2050)
HORIZON_LABELS = ("short", "medium", "long")
KINDS = ("risk", "opportunity")
RATING_COLUMN = re.compile(r"^rating_(\d{4})$")
# Why a category does not fit the row's kind, by kind: the kind is a word of the sentence.
_NOT_FOR_KIND = (
    pl.when(pl.col("kind") == "risk")
    .then(pl.lit(N_("%(cell)r is not a category for risks")))
    .when(pl.col("kind") == "opportunity")
    .then(pl.lit(N_("%(cell)r is not a category for opportunities")))
    .otherwise(pl.lit(N_("%(cell)r is not a category for kind %(kind)r")))
)


def _not_for_kind_reason() -> pl.Expr:
    """The English of :data:`_NOT_FOR_KIND`: "for opportunities" (never "opportunitys")."""
    plural = (
        pl.when(pl.col("kind") == "opportunity")
        .then(pl.lit("opportunities"))
        .otherwise(pl.format("{}s", pl.col("kind")))
    )
    return pl.format("'{}' is not a category for {}", pl.col("tcfd_category"), plural)


def family_of(category: str) -> str:
    """IPCC_SSP for physical risks, IEA_WEO for transition risks and opportunities."""
    return "IPCC_SSP" if tcfd_categories()[category].family == "physical" else "IEA_WEO"


def category_code(text: str) -> str | None:
    """A TCFD category from its code or its name (``Transition - Market``, ``Markets``…)."""
    cats = tcfd_categories()
    cleaned = re.sub(r"\s*\(.*\)\s*$", "", text.strip())  # "(category inferred …)" notes
    if cleaned in cats:
        return cleaned
    by_name = {c.name.lower(): c.code for c in cats.values()}
    return by_name.get(cleaned.lower())


def _check_level(level: str) -> str:
    fixed = level.strip().capitalize()
    if fixed not in LEVELS:
        raise InvalidInput(f"rating must be Low, Medium or High, not {level!r}")
    return fixed


def add_item(
    session: Session,
    *,
    code: str,
    kind: str,
    category: str,
    name: str,
    impact: str = "",
    response: str = "",
    owner_team: str = "",
    risk_code: str = "",
    source: str = "",
    actor: str,
) -> ClimateItem:
    if kind not in KINDS:
        raise InvalidInput(f"kind must be risk or opportunity, not {kind!r}")
    cat = category_code(category)
    if cat is None:
        raise InvalidInput(
            f"unknown TCFD category {category!r}; one of {', '.join(tcfd_categories())}"
        )
    if tcfd_categories()[cat].kind != kind:
        raise InvalidInput(f"category {cat!r} is for {tcfd_categories()[cat].kind}s, not {kind}s")
    if session.scalar(select(ClimateItem.id).where(ClimateItem.code == code)):
        raise Conflict(f"climate item {code!r} already exists")
    item = ClimateItem(
        code=code,
        kind=kind,
        category=cat,
        name=name,
        scenario_family=family_of(cat),
        impact=impact,
        response=response,
        owner_team=owner_team,
        risk_code=risk_code,
        source=source,
        actor=actor,
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="climate.item.add",
        subject=f"climate:{code}",
        payload={"kind": kind, "category": cat, "name": name},
    )
    return item


def get_item(session: Session, code: str) -> ClimateItem:
    item = session.scalar(select(ClimateItem).where(ClimateItem.code == code))
    if item is None:
        raise NotFound(f"unknown climate item {code!r}; `esg climate list` lists them")
    return item


def rate(
    session: Session,
    code: str,
    *,
    horizon: int,
    level: str,
    scenario: str = "",
    rationale: str = "",
    actor: str,
) -> ClimateRating:
    """Set the rating of a horizon (published, or one scenario's cell)."""
    item = get_item(session, code)
    level = _check_level(level)
    if not 2000 <= horizon <= 2100:
        raise InvalidInput(f"horizon {horizon} is not an anchor year")
    if scenario:
        known = scenarios()
        if scenario not in known:
            raise InvalidInput(f"unknown scenario {scenario!r}; one of {', '.join(known)}")
        if known[scenario].family != item.scenario_family:
            raise InvalidInput(
                f"{scenario} is a {known[scenario].family} scenario; {code} is "
                f"assessed against {item.scenario_family} scenarios"
            )
    row = session.scalar(
        select(ClimateRating).where(
            ClimateRating.item_id == item.id,
            ClimateRating.horizon == horizon,
            ClimateRating.scenario == scenario,
        )
    )
    if row is None:
        row = ClimateRating(item_id=item.id, horizon=horizon, scenario=scenario)
        session.add(row)
    row.level, row.rationale = level, rationale
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="climate.rate",
        subject=f"climate:{code}",
        payload={"horizon": horizon, "scenario": scenario, "level": level, "rationale": rationale},
    )
    return row


def review(session: Session, code: str, *, by: str, on: dt.date, actor: str) -> ClimateItem:
    item = get_item(session, code)
    item.reviewed_by, item.reviewed_on = by, on
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="climate.review",
        subject=f"climate:{code}",
        payload={"by": by, "on": on.isoformat()},
    )
    return item


def published(ratings: list[ClimateRating]) -> dict[int, dict[str, Any]]:
    """Per horizon: the explicit published rating, or the maximum over scenario cells."""
    out: dict[int, dict[str, Any]] = {}
    for horizon in sorted({r.horizon for r in ratings}):
        cells = [r for r in ratings if r.horizon == horizon]
        explicit = [r for r in cells if not r.scenario]
        if explicit:
            out[horizon] = {"level": explicit[0].level, "derived": None}
        else:
            top = max(cells, key=lambda r: LEVELS.index(r.level))
            out[horizon] = {"level": top.level, "derived": "max over scenarios"}
        out[horizon]["scenarios"] = {r.scenario: r.level for r in cells if r.scenario}
    return out


def item_dict(item: ClimateItem, ratings: list[ClimateRating]) -> dict[str, Any]:
    return {
        "code": item.code,
        "kind": item.kind,
        "category": item.category,
        "category_name": tcfd_categories()[item.category].name,
        "name": item.name,
        "scenario_family": item.scenario_family,
        "ratings": {str(h): v for h, v in published(ratings).items()},
        "impact": item.impact,
        "response": item.response,
        "owner_team": item.owner_team,
        "risk_code": item.risk_code,
        "reviewed_by": item.reviewed_by,
        "reviewed_on": item.reviewed_on.isoformat() if item.reviewed_on else None,
    }


def list_items(session: Session, *, kind: str | None = None) -> list[dict[str, Any]]:
    stmt = select(ClimateItem).order_by(ClimateItem.kind.desc(), ClimateItem.id)
    if kind:
        stmt = stmt.where(ClimateItem.kind == kind)
    items = list(session.scalars(stmt))
    ratings: dict[int, list[ClimateRating]] = {}
    for r in session.scalars(select(ClimateRating).order_by(ClimateRating.id)):
        ratings.setdefault(r.item_id, []).append(r)
    return [item_dict(i, ratings.get(i.id, [])) for i in items]


def _validate_inventory(table: Table, stored: set[str], horizons: dict[str, int]) -> pl.DataFrame:
    """The inventory rows with their category codes, or :class:`ImportRejected`."""
    check = Checker(table.source)
    if not check.require_columns(table.frame, ["id", "kind", "tcfd_category", "name"]):
        check.raise_if_any()
    frame = with_row_numbers(table.frame)
    cats = [category_code(t) for t in frame["tcfd_category"].to_list()]
    frame = frame.with_columns(pl.Series("_cat", cats, dtype=pl.Utf8))
    unnamed = N_("each item needs an id and a name")
    check.flag(frame, blank("id") | blank("name"), "id", unnamed, Message(unnamed))
    kind = N_("kind is risk or opportunity")
    check.flag(frame, ~pl.col("kind").is_in(list(KINDS)), "kind", kind, Message(kind))
    check.flag(
        frame,
        pl.col("_cat").is_null(),
        "tcfd_category",
        pl.format("unknown TCFD category '{}'", pl.col("tcfd_category")),
        cell(N_("unknown TCFD category %(cell)r"), "tcfd_category"),
    )
    kinds = {code: c.kind for code, c in tcfd_categories().items()}
    check.flag(
        frame,
        pl.col("_cat").replace_strict(kinds, default=None) != pl.col("kind"),
        "tcfd_category",
        _not_for_kind_reason(),
        Message(_NOT_FOR_KIND, {"cell": pl.col("tcfd_category"), "kind": pl.col("kind")}),
    )
    check.flag(
        frame,
        pl.col("id").is_in(sorted(stored)),
        "id",
        pl.format("climate item '{}' already exists", pl.col("id")),
        cell(N_("climate item %(cell)r already exists"), "id"),
    )
    check.flag(
        frame,
        pl.col("id").is_duplicated(),
        "id",
        pl.format("item '{}' appears more than once", pl.col("id")),
        cell(N_("item %(cell)r appears more than once"), "id"),
    )
    for column in horizons:
        check.flag(
            frame,
            ~blank(column) & ~pl.col(column).str.to_titlecase().is_in(list(LEVELS)),
            column,
            pl.format("'{}' is not Low, Medium or High", pl.col(column)),
            cell(N_("%(cell)r is not Low, Medium or High"), column),
        )
    check.raise_if_any()
    return frame


def import_items(session: Session, path: str | Path, *, actor: str) -> dict[str, int]:
    """Items and published ratings from an inventory file, all or nothing."""
    table = read_table(path, kind="climate")
    horizons = {c: int(m.group(1)) for c in table.frame.columns if (m := RATING_COLUMN.match(c))}
    stored = set(session.scalars(select(ClimateItem.code)))
    frame = _validate_inventory(table, stored, horizons)
    ratings = 0
    for row in frame.to_dicts():
        add_item(
            session,
            code=row["id"],
            kind=row["kind"],
            category=row["_cat"],
            name=row["name"],
            impact=row.get("impact", ""),
            response=row.get("response", ""),
            source=row.get("source", "") or table.source,
            actor=actor,
        )
        for column, year in horizons.items():
            if row[column].strip():
                rate(session, row["id"], horizon=year, level=row[column], actor=actor)
                ratings += 1
    return {"items": frame.height, "ratings": ratings}
