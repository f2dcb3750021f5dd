"""Report chapters from the assessments: materiality, risks, climate, targets.

Each chapter is rendered from the assess package's own results (the same numbers `esg
materiality show`, `esg risk list`, `esg climate exposure` and `esg targets progress` print),
with its chart embedded as SVG. A chapter whose process has not been run is left out.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session

from esgledger.catalog import metrics
from esgledger.catalog.messages import N_
from esgledger.disclose import headings, labels
from esgledger.disclose.charts import with_alt
from esgledger.disclose.material_topics import changes_since, managed_topics, material_rows
from esgledger.disclose.narrative import Section, format_value
from esgledger.errors import EsgError


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("esgledger.disclose", "templates"),
        autoescape=select_autoescape(["j2"]),
    )
    env.filters["risk_category"] = labels.risk_category
    env.filters["plain"] = labels.plain
    return env


def svg_of(draw: Any, *args: Any, **kwargs: Any) -> str:
    """Run a chart function that writes a file, and return the SVG text it wrote."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chart.svg"
        draw(*args, path, **kwargs)
        text = path.read_text(encoding="utf-8")
    return text[text.index("<svg") :]


def materiality_chapter(
    session: Session, year: int, sections: list[Section] | None = None
) -> dict[str, Any] | None:
    """The assessment with GRI 3-1 (process), 3-2 (list, changes) and 3-3 (management of
    each material topic, pointing at the heading of ``sections`` that holds it)."""
    from esgledger.assess import charts, matrix
    from esgledger.assess.approval import approvals_of, iros_of
    from esgledger.assess.materiality import get_assessment

    try:
        assessment = get_assessment(session, year)
    except EsgError:
        return None
    shown = matrix.show(session, assessment)
    if not shown.get("topics"):
        return None
    material = material_rows(shown)
    topics = sorted(
        shown["topics"],
        key=lambda t: -(t.get("impact_score") or 0) - (t.get("financial_score") or 0),
    )
    html = (
        _env()
        .get_template("materiality.html.j2")
        .render(
            shown=shown,
            topics=topics,
            svg=with_alt(
                svg_of(charts.materiality_chart, shown),
                "Double materiality matrix of "
                + f"{len(topics)} topics; material: "
                + (", ".join(t["name"] for t in topics if t.get("material")) or "none")
                + ".",
            ),
            approvals=approvals_of(session, assessment),
            iros=iros_of(session, assessment),
            material=managed_topics(material, sections or []),
            changes=changes_since(session, year, material),
            year=year,
            h=headings,
        )
    )
    return {"anchor": "materiality", "title": N_("Double materiality assessment"), "html": html}


CARBON_PRICE = re.compile(r"carbon[- ]pric|price of (ghg|carbon|emissions)", re.I)


def financial_effect(item: dict[str, Any], carbon: dict[str, Any] | None) -> str:
    """The item's quantified financial effect, where the ledger quantifies it, else says not.

    Only the carbon-price risk is quantified today (:mod:`esgledger.assess.carbon`): its
    effect is the largest scenario exposure. Every other item says "not quantified".
    """
    text = f"{item['name']} {item['impact']}"
    rows = [r for r in (carbon or {}).get("rows", []) if r.get("exposure") is not None]
    if carbon and rows and CARBON_PRICE.search(text):
        top = max(rows, key=lambda r: r["exposure"])
        return (
            f"up to {top['exposure']:,.0f} {carbon['currency']} a year on "
            f"{carbon['year']} emissions ({top['scenario']}, {top['horizon']}); "
            "see carbon-price exposure"
        )
    return "not quantified"


def risk_chapter(session: Session, year: int) -> dict[str, Any] | None:
    from esgledger.assess import climate, risk
    from esgledger.assess.carbon import exposure

    risks = risk.list_risks(session)
    items = climate.list_items(session)
    if not risks and not items:
        return None
    heat = (
        with_alt(
            svg_of(lambda path: risk.heatmap(session, path)),
            "Risk heat map, likelihood by impact: "
            + "; ".join(
                f"{r['code']} likelihood {r['likelihood']}, impact {r['impact']:g}" for r in risks
            )
            + ".",
        )
        if risks
        else ""
    )
    try:
        carbon = exposure(session, year)
    except EsgError:
        carbon = None
    for item in items:
        item["financial_effect"] = financial_effect(item, carbon)
    html = (
        _env()
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


def targets_chapter(session: Session, year: int) -> dict[str, Any] | None:
    from esgledger.assess.targets import progress

    rows = progress(session, years=[year])
    if not rows:
        return None
    catalog = metrics()
    for row in rows:
        metric = catalog.get(row["metric"])
        precision = metric.precision if metric else 2
        row["name"] = metric.name if metric else row["metric"]
        row["actual_text"] = format_value(row["actual"], precision, row["unit"])
        row["target_text"] = format_value(row["target_value"], precision, row["unit"])
        row["pathway_text"] = format_value(row["pathway"], precision, row["unit"])
    html = _env().get_template("targets.html.j2").render(rows=rows, year=year)
    return {"anchor": "targets", "title": N_("Targets and progress"), "html": html}


def assessment_chapters(
    session: Session, year: int, sections: list[Section] | None = None
) -> list[dict[str, Any]]:
    """The chapters of the processes run for ``year``; ``sections``: the report's narrative
    sections, at whose headings the materiality chapter points (GRI 3-3)."""
    found = (
        materiality_chapter(session, year, sections),
        risk_chapter(session, year),
        targets_chapter(session, year),
    )
    return [c for c in found if c is not None]
