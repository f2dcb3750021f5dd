"""Report chapters from the assessments: materiality, risks, climate, targets.

Each chapter is rendered from the assess package's own results (the same numbers `esg
materiality show`, `esg risk list`, `esg climate exposure` and `esg targets progress` print),
with its chart embedded as SVG. A chapter whose process has not been run is left out.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from sqlalchemy.orm import Session

from esgledger.catalog import metrics
from esgledger.catalog.messages import N_, translate
from esgledger.catalog.translations import has_text, text
from esgledger.disclose import headings, labels
from esgledger.disclose.charts import stable_ids, with_alt
from esgledger.disclose.edition_env import edition_environment
from esgledger.disclose.locale_format import table_number
from esgledger.disclose.material_topics import changes_since, managed_topics, material_rows
from esgledger.disclose.narrative import Section, format_value
from esgledger.errors import EsgError

if TYPE_CHECKING:
    from esgledger.kpi.values import Table

    KpiTables = Mapping[int, Table]  # year → the report's KPI table


def _env(lang: str) -> Environment:
    return edition_environment(lang)


def svg_of(draw: Any, *args: Any, **kwargs: Any) -> str:
    """Run a chart function that writes a file, and return the SVG text it wrote."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chart.svg"
        draw(*args, path, **kwargs)
        text = path.read_text(encoding="utf-8")
    return text[text.index("<svg") :]


CI = re.compile(r"(\d+)% stratified bootstrap, (\d+) resamples, seed (\d+), percentile")
SENSITIVITY = re.compile(r"each group weight ×([\d.]+) and ×([\d.]+)")


def method_text(method: dict[str, Any], lang: str) -> str:
    """The assessment's confidence intervals and robustness test as a sentence in ``lang``,
    read from what the assessment stored (its own words where they are not the usual ones)."""
    ci, sensitivity = (
        CI.search(str(method.get("ci"))),
        SENSITIVITY.search(str(method.get("sensitivity"))),
    )
    if ci and sensitivity:
        return translate(
            "Confidence intervals: %(level)s%% stratified bootstrap, %(resamples)s resamples, "
            "seed %(seed)s, percentile; robustness: each group weight ×%(low)s and ×%(high)s.",
            lang,
        ) % {
            "level": ci[1],
            "resamples": ci[2],
            "seed": ci[3],
            "low": sensitivity[1],
            "high": sensitivity[2],
        }
    return translate("Confidence intervals: %(ci)s; robustness: %(sensitivity)s.", lang) % {
        "ci": method.get("ci"),
        "sensitivity": method.get("sensitivity"),
    }


def topic_name(code: str, name: str, lang: str) -> str:
    """A materiality topic's name in ``lang``: the library's translation, else as entered."""
    if lang != "en" and has_text("topic", code, lang):
        return text("topic", code, lang)
    return name


def _names_in(names: list[str], codes: dict[str, str], lang: str) -> list[str]:
    """Topic names (as the assessments store them) in ``lang``, through their codes."""
    return [topic_name(codes.get(n.lower(), ""), n, lang) for n in names]


def materiality_chapter(
    session: Session,
    year: int,
    sections: list[Section] | None = None,
    lang: str = "en",
    *,
    drawn: bool = True,
) -> dict[str, Any] | None:
    """The assessment with GRI 3-1 (process), 3-2 (list, changes) and 3-3 (management of
    each material topic, pointing at the heading of ``sections`` that holds it). Not
    ``drawn``, the matrix is left empty: the chapter read only for its anchors."""
    from esgledger.assess import charts, matrix
    from esgledger.assess.approval import approvals_of, iros_of
    from esgledger.assess.materiality import get_assessment
    from esgledger.catalog.topics import topic_library

    try:
        assessment = get_assessment(session, year)
    except EsgError:
        return None
    shown = matrix.show(session, assessment)
    if not shown.get("topics"):
        return None
    changes = changes_since(session, year, material_rows(shown))
    codes = {t.name.lower(): t.code for t in topic_library("szse2024")}
    codes |= {str(t["name"]).lower(): t["topic"] for t in shown["topics"]}
    shown = {
        **shown,
        "topics": [
            {**t, "name": topic_name(t["topic"], t.get("name") or t["topic"], lang)}
            for t in shown["topics"]
        ],
    }
    material = [
        replace(t, axes=labels.word(t.axes, "material_on", lang))
        for t in managed_topics(material_rows(shown), sections or [])
    ]
    topics = sorted(
        shown["topics"],
        key=lambda t: -(t.get("impact_score") or 0) - (t.get("financial_score") or 0),
    )
    iros = [
        {**i, "topic_name": topic_name(i["topic"], i.get("topic_name") or i["topic"], lang)}
        for i in iros_of(session, assessment)
    ]
    material_names = [t["name"] for t in topics if t.get("material")]
    alt = translate("Double materiality matrix of %(count)s topics; material: %(names)s.", lang)
    html = (
        _env(lang)
        .get_template("materiality.html.j2")
        .render(
            shown=shown,
            topics=topics,
            svg=with_alt(
                stable_ids(svg_of(charts.materiality_chart, shown, lang=lang), "matrix"),
                alt
                % {
                    "count": len(topics),
                    "names": translate(", ", lang).join(material_names) or translate("none", lang),
                },
            )
            if drawn
            else "",
            method_text=method_text(shown.get("method") or {}, lang),
            approvals=approvals_of(session, assessment),
            iros=iros,
            material=material,
            changes={
                **changes,
                "added": _names_in(changes["added"], codes, lang),
                "dropped": _names_in(changes["dropped"], codes, lang),
            },
            year=year,
            h=headings,
        )
    )
    return {"anchor": "materiality", "title": N_("Double materiality assessment"), "html": html}


CARBON_PRICE = re.compile(r"carbon[- ]pric|price of (ghg|carbon|emissions)", re.I)


def financial_effect(item: dict[str, Any], carbon: dict[str, Any] | None, lang: str = "en") -> str:
    """The item's quantified financial effect, where the ledger quantifies it, else says not.

    Only the carbon-price risk is quantified today (:mod:`esgledger.assess.carbon`): its
    effect is the largest scenario exposure. Every other item says "not quantified".
    """
    words = f"{item['name']} {item['impact']}"
    rows = [r for r in (carbon or {}).get("rows", []) if r.get("exposure") is not None]
    if carbon and rows and CARBON_PRICE.search(words):
        top = max(rows, key=lambda r: r["exposure"])
        return translate(
            "up to %(amount)s %(currency)s a year on %(year)s emissions (%(scenario)s, "
            "%(horizon)s); see carbon-price exposure",
            lang,
        ) % {
            "amount": table_number(top["exposure"], 0, lang),
            "currency": carbon["currency"],
            "year": carbon["year"],
            "scenario": top["scenario"],
            "horizon": top["horizon"],
        }
    return translate("not quantified", lang)


def risk_chapter(session: Session, year: int, lang: str = "en") -> dict[str, Any] | None:
    from esgledger.assess import climate, risk
    from esgledger.assess.carbon import exposure

    risks = risk.list_risks(session)
    items = climate.list_items(session)
    if not risks and not items:
        return None
    point = translate("%(code)s likelihood %(likelihood)s, impact %(impact)s", lang)
    heat = (
        with_alt(
            stable_ids(svg_of(lambda path: risk.heatmap(session, path, lang=lang)), "heatmap"),
            translate("Risk heat map, likelihood by impact: %(risks)s.", lang)
            % {
                "risks": translate("; ", lang).join(
                    point
                    % {
                        "code": r["code"],
                        "likelihood": r["likelihood"],
                        "impact": f"{r['impact']:g}",
                    }
                    for r in risks
                )
            },
        )
        if risks
        else ""
    )
    try:
        carbon = exposure(session, year)
    except EsgError:
        carbon = None
    for item in items:
        item["financial_effect"] = financial_effect(item, carbon, lang)
        if lang != "en" and has_text("climate_category", item["category"], lang):
            item["category_name"] = text("climate_category", item["category"], lang)
    html = (
        _env(lang)
        .get_template("risks.html.j2")
        .render(
            risks=sorted(risks, key=lambda r: (-r["score"], r["code"])),
            heat=heat,
            items=items,
            carbon=carbon,
        )
    )
    return {
        "anchor": "risk-management",
        "title": N_("Risks and climate-related risks and opportunities"),
        "html": html,
    }


def target_rows(
    session: Session, year: int, lang: str = "en", tables: KpiTables | None = None
) -> list[dict[str, Any]]:
    """The year's target progress with the indicator's name and figures as ``lang`` prints
    them (the chapter and the topic chapters' registers); ``tables``: the report's KPI tables
    by year, so that the year's is not computed again."""
    from esgledger.assess.targets import progress

    rows = progress(session, years=[year], tables=tables)
    catalog = metrics()
    for row in rows:
        metric = catalog.get(row["metric"])
        precision = metric.precision if metric else 2
        unit = row["unit"]
        if metric is not None:
            row["name"] = text("metric", metric.id, lang) if lang != "en" else metric.name
            if unit in (metric.unit, metric.published_unit) and lang != "en":
                unit = text("unit", metric.published_unit, lang)  # the same unit, in words
        else:
            row["name"] = row["metric"]
        row["area"] = metric.area if metric else ""
        for key, value in (("actual", row["actual"]), ("target", row["target_value"])):
            row[f"{key}_text"] = _figure(value, precision, unit, lang)
        row["pathway_text"] = _figure(row["pathway"], precision, unit, lang)
    return rows


def _figure(value: float | None, precision: int, unit: str, lang: str) -> str:
    """A target's figure; one without a value is "n/a" in the edition's words."""
    if value is None and lang != "en":
        return translate("n/a", lang)
    return format_value(value, precision, unit)


def targets_chapter(
    session: Session, year: int, lang: str = "en", tables: KpiTables | None = None
) -> dict[str, Any] | None:
    rows = target_rows(session, year, lang, tables)
    if not rows:
        return None
    html = _env(lang).get_template("targets.html.j2").render(rows=rows, year=year)
    return {"anchor": "targets", "title": N_("Targets and progress"), "html": html}


def assessment_chapters(
    session: Session,
    year: int,
    sections: list[Section] | None = None,
    lang: str = "en",
    tables: KpiTables | None = None,
    *,
    drawn: bool = True,
) -> list[dict[str, Any]]:
    """The chapters of the processes run for ``year`` in ``lang``; ``sections``: the
    edition's narrative sections, at whose headings the materiality chapter points (GRI 3-3);
    ``tables``: the report's KPI tables by year (:func:`target_rows`); ``drawn``: whether
    the materiality matrix is drawn (not when only the anchors are read)."""
    found = (
        materiality_chapter(session, year, sections, lang, drawn=drawn),
        risk_chapter(session, year, lang),
        targets_chapter(session, year, lang, tables),
    )
    return [c for c in found if c is not None]
