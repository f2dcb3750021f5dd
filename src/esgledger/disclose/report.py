"""The report model: everything the renderers print, gathered once from the ledger.

HTML, PDF and XLSX are views of this one model, so the appendix, the narrative and the
index can never disagree with each other or with ``esg kpi --json``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog import factors as shipped
from esgledger.catalog import metrics
from esgledger.catalog.messages import N_, translate
from esgledger.catalog.translations import text
from esgledger.disclose import charts
from esgledger.disclose.edition_env import entered
from esgledger.disclose.footnotes import incomplete_sentence, restated_sentence, sentence
from esgledger.disclose.labels import family_label, plain
from esgledger.disclose.narrative import (
    Section,
    boundary_changed,
    format_value,
    like_for_like_change,
    load_sections,
    percent,
    unit_label,
)
from esgledger.disclose.quality import acknowledged_figures
from esgledger.kpi.calculated import latest_run
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.register_figures.notes import worded_note
from esgledger.kpi.scope import Scopes
from esgledger.kpi.series import SeriesAndTables, kpi_series_and_tables
from esgledger.kpi.values import kpi_table
from esgledger.ledger import audit
from esgledger.ledger.models import Boundary, Entity

QUALIFIER_MARKS = {"approximately": "≈", "over": ">", "at_most": "≤"}


@dataclass
class AppendixRow:
    metric: str
    label: str
    unit: str
    cells: list[str]
    values: list[float | None]
    marks: list[str]  # footnote numbers per row
    anchor: str
    quality: dict[int, list[int]] = field(default_factory=dict)  # cell → data-quality entries
    dims: dict[str, str] = field(default_factory=dict)  # breakdown → member, for each edition


@dataclass
class AppendixTable:
    area: str
    title: str
    rows: list[AppendixRow] = field(default_factory=list)


@dataclass
class ReportModel:
    company: str
    year: int
    years: list[str]
    generated: str
    series: dict[str, Any]
    appendix: list[AppendixTable]
    footnotes: list[str]
    sections: list[Section]
    charts: dict[str, str]
    boundaries: list[dict[str, Any]]
    methods: list[dict[str, Any]]
    indices: list[dict[str, Any]] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)  # assessments and other chapters
    verification: dict[str, Any] = field(default_factory=dict)
    tables: dict[int, dict[tuple[str, str], KpiFigure]] = field(default_factory=dict)


def kpi_anchor(metric: str, dims: dict[str, str]) -> str:
    """The appendix row's anchor: ``kpi-ghg-scope1``, ``kpi-workforce-headcount--gender-female``."""
    suffix = "".join(f"--{k}-{v}" for k, v in sorted(dims.items()))
    return (
        "kpi-"
        + re.sub(r"[^a-z0-9]+", "-", metric.lower())
        + re.sub(r"[^a-z0-9-]+", "-", suffix.lower())
    )


OTHER_LANGS = ("zh",)  # the editions besides English (:mod:`esgledger.disclose.edition`)


class Footnotes:
    """Numbered notes, each text once; ``other`` holds each note in the other editions'
    languages (:data:`OTHER_LANGS`), numbered alike, for the editions to print."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.other: dict[str, list[str]] = {lang: [] for lang in OTHER_LANGS}

    def add(self, text: str, other: Callable[[str], str] | None = None) -> str:
        """Adds ``text`` (English); ``other(lang)`` writes it in another language."""
        if text not in self.texts:
            self.texts.append(text)
            for lang, texts in self.other.items():
                texts.append(other(lang) if other is not None else text)
        return str(self.texts.index(text) + 1)


def _company(session: Session) -> str:
    roots = list(
        session.scalars(select(Entity).where(Entity.parent_id.is_(None)).order_by(Entity.id))
    )
    return roots[0].name if roots else "Reporting entity"


def _cell(row: dict[str, Any], year: str, notes: Footnotes, marks: list[str]) -> str:
    figure = row["figures"][year]
    if figure is None or figure["value"] is None:
        if figure and figure["status"] == "not_disclosed":
            return "/"
        return "n.a." if figure and figure["status"] == "not_applicable" else "—"
    text = format_value(figure["value"], row["precision"], "")
    text = QUALIFIER_MARKS.get(figure["qualifier"], "") + text
    if figure["preliminary"]:
        text += " (p)"
    if figure["restated"] and figure["restatement"]:
        reason = figure["restatement"].get("reason") or "inputs restated"
        previous = figure["restatement"].get("previous")
        was = (
            f" (previously {format_value(previous, row['precision'], row['unit'])})"
            if previous is not None
            else ""
        )

        def restated(lang: str) -> str:
            shown = (
                format_value(previous, row["precision"], _unit(row, lang))
                if previous is not None
                else ""
            )
            given = figure["restatement"].get("reason")
            said = entered(given, lang) if given else translate("inputs restated", lang)
            return restated_sentence(_name(row, lang), year, said, lang, shown)

        marks.append(notes.add(f"{row['name']} {year} restated{was}: {reason}.", restated))
    if figure.get("partial"):
        marks.append(
            notes.add(
                f"{row['name']} {year} is partial: {_partial_note(figure)}.",
                lambda lang: sentence(
                    N_("%(name)s %(year)s is partial: %(why)s."),
                    lang,
                    {"name": _name(row, lang), "year": year, "why": _partial_note(figure, lang)},
                ),
            )
        )
    if figure.get("incomplete"):
        marks.append(
            notes.add(
                incomplete_sentence(row["name"], year, figure),
                lambda lang: incomplete_sentence(_name(row, lang), year, figure, lang),
            )
        )
    return text


def _name(row: dict[str, Any], lang: str) -> str:
    return str(row["name"]) if lang == "en" else text("metric", row["metric"], lang)


def _unit(row: dict[str, Any], lang: str) -> str:
    metric = metrics()[row["metric"]]
    if lang == "en" or row["unit"] not in (metric.unit, metric.published_unit):
        return str(row["unit"])
    return text("unit", metric.published_unit, lang)


def _partial_note(figure: dict[str, Any], lang: str = "en") -> str:
    """The partial-coverage part of a figure's note (in another edition worded from its
    code or its code's pattern, without that language's lead; else as typed), or a generic
    sentence."""
    for part in figure["note"].split("; "):
        if part.startswith("partial: "):
            worded = worded_note(part, figure.get("note_why"), lang)
            if lang == "en" or worded == part:
                return entered(part.removeprefix("partial: "), lang)
            return worded.removeprefix(translate(PARTIAL, lang).split("%(note)s")[0])
    return translate("its inputs cover only part of the boundary", lang)


PARTIAL = N_("partial: %(note)s")  # the lead of a coded "partial: …" part (kpi.note_codes)


def _shown(figure: dict[str, Any] | None) -> bool:
    """A figure with a value or a stated status ("/", "n.a."); not available ones are not."""
    return figure is not None and (figure["value"] is not None or figure["status"] != "missing")


def appendix_tables(series: dict[str, Any], notes: Footnotes) -> list[AppendixTable]:
    """The appendix of a KPI series by area, each figure's marks numbered in ``notes``: a
    pure function of the series (its tests give one built in memory, #20)."""
    years = [str(y) for y in series["years"]]
    catalog = metrics()
    tables: dict[str, AppendixTable] = {}
    for row in series["kpis"]:
        if not any(_shown(row["figures"][y]) for y in years):
            continue
        metric = catalog[row["metric"]]
        marks: list[str] = []
        cells = [_cell(row, y, notes, marks) for y in years]
        # catalog notes are for users of the tool, never printed (issue #12)
        label = row["name"] + (
            "" if not row["dims"] else " — " + ", ".join(map(plain, row["dims"].values()))
        )
        title = AREA_TITLES.get(metric.area, metric.area.capitalize())
        table = tables.setdefault(metric.area, AppendixTable(metric.area, title))
        table.rows.append(
            AppendixRow(
                metric=row["metric"],
                label=label,
                unit=unit_label(metric.published_unit or metric.unit),
                cells=cells,
                values=[row["values"][y] for y in years],
                marks=sorted(set(marks), key=int),
                anchor=kpi_anchor(row["metric"], row["dims"]),
                dims=dict(row["dims"]),
            )
        )
    return list(tables.values())


def _boundaries(session: Session, series: dict[str, Any], notes: Footnotes) -> list[dict[str, Any]]:
    out = []
    for family, info in series["boundaries"].items():
        for year, code in info["codes"].items():
            boundary = (
                session.scalar(select(Boundary).where(Boundary.code == code)) if code else None
            )
            note = boundary.change_note if boundary is not None else ""
            out.append(
                {
                    "family": family,
                    "family_label": family_label(family).capitalize(),
                    "year": year,
                    "code": code or "all entities",
                    "members": info["members"][year],
                    "basis": boundary.basis if boundary is not None else "",
                    "change_note": note,
                }
            )
            if note:
                notes.add(
                    f"Boundary {code} ({family_label(family)}, {year}): {note}",
                    lambda lang, code=code, family=family, year=year, note=note: sentence(
                        N_("Boundary %(code)s (%(family)s, %(year)s): %(note)s"),
                        lang,
                        {
                            "code": code,
                            "family": family_label(family, lang),
                            "year": year,
                            "note": entered(note, lang),
                        },
                    ),
                )
    return out


def _methods(session: Session, years: list[str]) -> list[dict[str, Any]]:
    """Each factor edition the years' calculation runs used, with the years and runs."""
    editions = shipped.factor_editions()
    used: dict[str, dict[str, Any]] = {}
    for year in years:
        scope = Scopes(session, int(year)).for_family("energy_ghg")
        run = latest_run(session, int(year), scope.code)
        if run is None:
            continue
        for edition in json.loads(run.editions):
            meta = editions.get(edition)
            entry = used.setdefault(
                edition,
                {
                    "edition": edition,
                    "title": meta.title if meta else "workspace edition",
                    "citation": meta.citation if meta else "",
                    "status": meta.status if meta else "",
                    "years": [],
                    "runs": [],
                },
            )
            entry["years"].append(year)
            entry["runs"].append(run.id)
    return sorted(used.values(), key=lambda e: e["edition"])


AREA_TITLES = {
    "economy": N_("Economic performance"),
    "energy": N_("Energy"),
    "ghg": N_("Greenhouse gas emissions"),
    "water": N_("Water"),
    "packaging": N_("Packaging materials"),
    "waste": N_("Waste"),
    "air": N_("Air emissions"),
    "wastewater": N_("Wastewater"),
    "environment": N_("Environmental compliance"),
    "products": N_("Products"),
    "employment": N_("Employment"),
    "governance": N_("Governance"),
    "ohs": N_("Occupational health and safety"),
    "training": N_("Training and development"),
    "innovation": N_("Innovation"),
    "supply chain": N_("Supply chain"),
    "distributor training": N_("Distributor training"),
    "social": N_("Community"),
    "compliance": N_("Business ethics and compliance"),
    "cybersecurity": N_("Cybersecurity and data protection"),
    "customer service": N_("Customer service"),
}


TILES = (
    ("ghg.total", N_("GHG emissions, Scope 1 + 2 (market-based)")),
    ("energy.total", N_("Total energy consumption")),
    ("energy.electricity.photovoltaic", N_("Renewable electricity (certificates + on-site PV)")),
    ("water.withdrawal.total", N_("Water withdrawal")),
    ("workforce.headcount", N_("Employees worldwide")),
    ("economy.revenue", N_("Direct economic value (revenue)")),
)


def _tile_change(row: dict[str, Any], series: dict[str, Any]) -> tuple[str, str]:
    """The tile's change and its caveat: like-for-like when the boundary changed, if known."""
    change = row["change_pct"]
    if change is None:
        return "", ""
    metric = metrics()[row["metric"]]
    if not boundary_changed(series, metric, int(series["year"])):
        return percent(change), ""
    lfl = like_for_like_change(series, row["metric"])
    if lfl is not None:
        caveat = N_("like-for-like; %(change)s on the changed boundary")
        return percent(lfl), caveat % {"change": percent(change)}
    return percent(change), N_("boundary changed: not like-for-like")


def _tiles(
    rows: dict[str, dict[str, Any]], years: list[str], series: dict[str, Any]
) -> list[dict[str, Any]]:
    """Headline figures for the at-a-glance page, each bound to its KPI row."""
    out = []
    for metric_id, label in TILES:
        row = rows.get(metric_id)
        if row is None or row["values"].get(years[-1]) is None:
            continue
        change, caveat = _tile_change(row, series)
        out.append(
            {
                "metric": metric_id,
                "value": format_value(row["values"][years[-1]], 0, row["unit"]),
                "label": label,
                "change": change,
                "caveat": caveat,
            }
        )
    return out


def _mark_acknowledged(
    appendix: list[AppendixTable],
    tiles: list[dict[str, Any]],
    acknowledged: dict[tuple[str, int], list[int]],
    years: list[str],
) -> None:
    """Each appendix cell and tile whose figure an acknowledged finding is about gets the
    numbers of its data-quality entries."""
    for table in appendix:
        for row in table.rows:
            for column, year in enumerate(years):
                if found := acknowledged.get((row.metric, int(year))):
                    row.quality[column] = found
    for tile in tiles:
        tile["quality"] = acknowledged.get((tile["metric"], int(years[-1])), [])


def build_report(
    session: Session,
    year: int,
    *,
    years: int = 3,
    sections_dir: Path | None = None,
    indices: list[dict[str, Any]] | None = None,
    extras: dict[str, Any] | None = None,
    series_and_tables: SeriesAndTables | None = None,
    quality: dict[str, Any] | None = None,
    drawn: bool = True,
) -> ReportModel:
    """Gather the report of ``year`` (with ``years`` years in the appendix); the caller may
    give the KPI series and tables it computed already (the checks read the same).
    ``quality`` is the data-quality statement: figures its acknowledged findings are about
    carry a marker to their entry (tiles, narrative, appendix cells). Not ``drawn``, the
    charts are empty: a model read only for its anchors, which no chart holds."""
    series, tables = series_and_tables or kpi_series_and_tables(session, year, years=years)
    span = [str(y) for y in series["years"]]

    def lookup(metric_id: str, wanted: int, dims: str) -> KpiFigure | None:
        if wanted not in tables:
            tables[wanted] = kpi_table(session, wanted)
        return tables[wanted].get((metric_id, dims))

    notes = Footnotes()
    acknowledged = acknowledged_figures(quality)
    sections = (
        load_sections(
            sections_dir, year=year, lookup=lookup, series=series, acknowledged=acknowledged
        )
        if sections_dir
        else []
    )
    by_metric = {r["metric"]: r for r in series["kpis"] if not r["dims"]}
    chart_svgs = (
        charts.report_charts(by_metric, span)
        if drawn
        else dict.fromkeys(("emissions", "energy", "intensity"), "")
    )
    with_boundaries = _boundaries(session, series, notes)
    extras = {
        "tiles": _tiles(by_metric, span, series),
        "footnotes_in": notes.other,
        **(extras or {}),
    }
    appendix = appendix_tables(series, notes)
    _mark_acknowledged(appendix, extras["tiles"], acknowledged, span)
    chain = audit.verify(session)
    return ReportModel(
        company=_company(session),
        year=year,
        years=span,
        generated=dt.date.today().isoformat(),
        series=series,
        appendix=appendix,
        footnotes=notes.texts,
        sections=sections,
        charts=chart_svgs,
        boundaries=with_boundaries,
        methods=_methods(session, span),
        indices=indices or [],
        extras=extras,
        verification={
            "audit_events": chain.events,
            "audit_ok": chain.ok,
            "audit_head": str(chain.head) if chain.head else None,
        },
        tables=tables,
    )
