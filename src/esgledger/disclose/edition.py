"""A report edition in another language: the same model, its words in that language (#19).

One ledger gives both editions. The Chinese edition is the English model with its narrative
sections read from the ``NAME.zh.md`` files and every catalog word (appendix areas, indicator
names, breakdown members, units, index and disclosure titles) taken from the catalog's
Chinese; the figures, the rows, the anchors and the page structure are the model's own, so
both editions print the same numbers and link to the same places
(:func:`require_same_anchors` refuses a narrative whose headings drift).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from esgledger.catalog import metrics
from esgledger.catalog.messages import N_, translate
from esgledger.catalog.translations import has_text, text
from esgledger.disclose.anchors import rendered_anchors
from esgledger.disclose.chapters import assessment_chapters
from esgledger.disclose.charts import report_charts
from esgledger.disclose.edition_env import entered
from esgledger.disclose.footnotes import sentence
from esgledger.disclose.framework_titles import GLOSS_NOTE, Shown, official, shown
from esgledger.disclose.headings import ELEMENT_TITLES_ZH, SZSE_ELEMENT_KEYS
from esgledger.disclose.methodology import methodology
from esgledger.disclose.narrative import (
    Section,
    format_value,
    like_for_like_change,
    load_sections,
    percent,
)
from esgledger.disclose.omissions import omission_text
from esgledger.disclose.quality import acknowledged_figures
from esgledger.disclose.render import render_html
from esgledger.disclose.report import AREA_TITLES, AppendixRow, AppendixTable, ReportModel
from esgledger.disclose.scope3_section import scope3_section
from esgledger.disclose.statement_of_use import statement_text
from esgledger.disclose.supply_chain_section import translated_section
from esgledger.disclose.topic_chapters import topic_sections
from esgledger.errors import InvalidInput
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.values import kpi_table

LANG_NAMES = {"en": "English", "zh": "Chinese"}
CELL_WORDS = {"n.a.": N_("n.a.")}  # symbols ("/", "—", "≈") read the same in both editions
# Boundary data families (:data:`esgledger.ledger.boundaries.FAMILIES`) as an edition prints them.
FAMILY_TITLES = {
    "energy_ghg": N_("Energy and GHG"),
    "environment": N_("Environment"),
    "social": N_("Social"),
    "financial": N_("Financial"),
    "all": N_("All data"),
}


def parse_langs(raw: str) -> list[str]:
    """``--lang zh,en`` → ``["zh", "en"]``; refuses an unknown or empty list."""
    langs = list(dict.fromkeys(part.strip().lower() for part in raw.split(",") if part.strip()))
    unknown = [lang for lang in langs if lang not in LANG_NAMES]
    if unknown or not langs:
        raise InvalidInput(f"--lang {raw!r}: use en, zh or zh,en")
    return langs


def edition_sections(
    session: Session, model: ReportModel, folder: Path | None, lang: str
) -> list[Section]:
    """The narrative sections of the ``lang`` edition, tags bound to the model's figures."""
    if folder is None:
        return topic_sections(session, model.year, [], lang, model.tables)
    tables = model.tables

    def lookup(metric_id: str, wanted: int, dims: str) -> KpiFigure | None:
        if wanted not in tables:
            tables[wanted] = kpi_table(session, wanted)
        return tables[wanted].get((metric_id, dims))

    sections = load_sections(
        folder,
        year=model.year,
        lookup=lookup,
        series=model.series,
        acknowledged=acknowledged_figures(model.extras.get("quality")),
        lang=lang,
    )
    return topic_sections(session, model.year, sections, lang, model.tables)


def _area_title(area: str, lang: str) -> str:
    if area not in AREA_TITLES:
        raise InvalidInput(f"no title for the KPI area {area!r} in the {LANG_NAMES[lang]} edition")
    return translate(AREA_TITLES[area], lang)


def _row(row: AppendixRow, lang: str) -> AppendixRow:
    metric = metrics()[row.metric]
    name = text("metric", row.metric, lang)
    members = [text("member", member, lang) for member in row.dims.values()]
    label = name + (" — " + "、".join(members) if members else "")
    unit = text("unit", metric.published_unit or metric.unit, lang)
    cells = [translate(CELL_WORDS[c], lang) if c in CELL_WORDS else c for c in row.cells]
    return replace(row, label=label, unit=unit, cells=cells)


def _appendix(tables: list[AppendixTable], lang: str) -> list[AppendixTable]:
    return [
        replace(
            table, title=_area_title(table.area, lang), rows=[_row(r, lang) for r in table.rows]
        )
        for table in tables
    ]


def _entry_title(framework: str, entry: dict[str, Any], lang: str) -> Shown:
    """A disclosure's title as the ``lang`` edition prints it: the framework's own Chinese
    where the catalog cites it (SZSE No. 17), else its English with our gloss, if any."""
    code = entry["code"]
    if entry["kind"] == "element":  # an SZSE topic's element: "topic/element"
        topic, _, element = code.rpartition("/")
        words = ELEMENT_TITLES_ZH[SZSE_ELEMENT_KEYS[element]] if lang == "zh" else element
        topic_title = shown("disclosure", f"{framework}:{topic}", lang)
        return topic_title._replace(text=topic_title.text + "：" + words)
    key = f"{framework}:{code}"
    if official(key) and has_text("disclosure", key, lang):
        return shown("disclosure", key, lang)
    english = str(entry["title"])  # as the model printed it (a datapoint's title too)
    if not has_text("disclosure", key, lang):
        return Shown(english, english, "")
    gloss = text("disclosure", key, lang)
    return Shown(f"{english}（{gloss}）", english, gloss)


def _titles_note(fid: str, name: str, lang: str, glossed: bool) -> str:
    """What an index says above its table when its titles are not its own Chinese: English
    as published, with our glosses marked as such (译名仅供参考)."""
    if official(fid):
        return ""
    note = (
        GLOSS_NOTE
        if glossed
        else N_(
            "The disclosure titles of %(framework)s are printed in English: the catalog "
            "has no published Chinese title for them."
        )
    )
    return sentence(note, lang, {"framework": entered(name, lang)})


def _indices(
    indices: list[dict[str, Any]], labels: dict[str, str], lang: str
) -> list[dict[str, Any]]:
    """The indices in ``lang``: a framework's own Chinese titles where the catalog cites them,
    else its English titles, glossed where the catalog has a gloss, and said above its table
    (``titles_note``)."""
    out = []
    for index in indices:
        fid = index["framework"]
        entries = []
        for e in index["entries"]:
            title = _entry_title(fid, e, lang)
            entries.append(
                {
                    **e,
                    "omission": omission_text(e["omission_parts"], lang)
                    if e.get("omission_parts")
                    else e["omission"],
                    "title": title.text,
                    "title_en": title.english,
                    "gloss": title.gloss,
                    "refs": [
                        {**r, "label": labels.get(r["anchor"], r["label"])} for r in e["refs"]
                    ],
                }
            )
        name = shown("framework", fid, lang)
        glossed = bool(name.gloss) or any(e["gloss"] for e in entries)
        parts = index.get("statement_parts")
        statement = statement_text(parts, lang) if parts else index["statement"]
        out.append(
            {
                **index,
                "title": name.text,
                "title_en": name.english,
                "gloss": name.gloss,
                "statement": statement,
                "entries": entries,
                "titles_note": _titles_note(fid, name.english or name.text, lang, glossed),
            }
        )
    return out


def _tiles(model: ReportModel, lang: str) -> list[dict[str, Any]]:
    """The at-a-glance tiles with the unit and the like-for-like caveat in ``lang``."""
    rows = {r["metric"]: r for r in model.series["kpis"] if not r["dims"]}
    out = []
    for tile in model.extras.get("tiles", []):
        row, metric = rows[tile["metric"]], metrics()[tile["metric"]]
        unit = text("unit", metric.published_unit or metric.unit, lang)
        value = format_value(row["values"][model.years[-1]], 0, unit)
        caveat = tile["caveat"]
        if caveat and like_for_like_change(model.series, tile["metric"]) is not None:
            changed = percent(row["change_pct"])
            caveat = translate("like-for-like; %(change)s on the changed boundary", lang) % {
                "change": changed
            }
        elif caveat:
            caveat = translate("boundary changed: not like-for-like", lang)
        out.append({**tile, "value": value, "caveat": caveat})
    return out


def _family(boundary: dict[str, Any], lang: str) -> str:
    title = FAMILY_TITLES[boundary["family"]]
    return translate(title, lang)


def translated_model(
    model: ReportModel, sections: list[Section], lang: str, headings: dict[str, str]
) -> ReportModel:
    """The model of the ``lang`` edition: the same figures, words in ``lang``.

    ``headings`` are the edition's heading texts by anchor (from a first rendering), so the
    index's "where answered" names each heading as the edition prints it.
    """
    if lang == "en":
        return model
    appendix = _appendix(model.appendix, lang)
    labels = {row.anchor: row.label for table in appendix for row in table.rows} | headings
    boundaries = [{**b, "family_label": _family(b, lang)} for b in model.boundaries]
    return replace(
        model,
        sections=sections,
        footnotes=list(model.extras.get("footnotes_in", {}).get(lang, model.footnotes)),
        boundaries=boundaries,
        extras={
            **model.extras,
            "tiles": _tiles(model, lang),
            "supply_chain": translated_section(model.extras.get("supply_chain"), lang),
        },
        appendix=appendix,
        indices=_indices(model.indices, labels, lang),
    )


def require_same_anchors(english_html: str, edition_html: str, lang: str) -> None:
    """Both editions link to the same places: an anchor one of them lacks is refused."""
    english, edition = rendered_anchors(english_html).ids, rendered_anchors(edition_html).ids
    missing, extra = sorted(english - edition), sorted(edition - english)
    if missing or extra:
        what = f"lacks the heading {missing[0]!r}" if missing else f"has a heading {extra[0]!r}"
        raise InvalidInput(
            f"the {LANG_NAMES[lang]} edition {what} that the English one "
            f"{'has' if missing else 'lacks'} ({len(missing) + len(extra)} in all); "
            "end a translated heading with {#id} to keep its English anchor"
        )


def generated_parts(
    session: Session,
    model: ReportModel,
    sections: list[Section],
    lang: str,
    *,
    drawn: bool = True,
) -> dict[str, Any]:
    """The parts generated from the ledger, written again in ``lang``: the assessment
    chapters, the Scope 3 section and the methodology; the charts only when ``drawn``."""
    return {
        "charts": report_charts(
            {r["metric"]: r for r in model.series["kpis"] if not r["dims"]},
            [str(y) for y in model.series["years"]],
            lang,
        )
        if drawn
        else model.charts,
        "chapters": assessment_chapters(
            session, model.year, sections, lang, model.tables, drawn=drawn
        ),
        "scope3": scope3_section(session, model.year, lang),
        "methodology": methodology(
            session, model.series, tuple(i["framework"] for i in model.indices), lang
        ),
    }


def edition_models(
    session: Session,
    model: ReportModel,
    folder: Path | None,
    langs: tuple[str, ...],
    *,
    drawn: bool = True,
) -> dict[str, tuple[ReportModel, str]]:
    """Each edition's model and HTML, in the order asked; every edition keeps the English
    one's anchors, so cross-references and index rows point at the same places. Not
    ``drawn`` (the English model drawn without charts, for formats that print none), no
    edition draws its charts either."""
    english = render_html(model, "en")
    out: dict[str, tuple[ReportModel, str]] = {}
    for lang in langs:
        if lang == "en":
            out[lang] = (model, english)
            continue
        sections = edition_sections(session, model, folder, lang)
        parts = generated_parts(session, model, sections, lang, drawn=drawn)
        own = replace(model, charts=parts.pop("charts"), extras={**model.extras, **parts})
        draft = translated_model(own, sections, lang, {})
        headings = rendered_anchors(render_html(draft, lang)).titles
        edition = translated_model(own, sections, lang, headings)
        html = render_html(edition, lang)
        require_same_anchors(english, html, lang)
        out[lang] = (edition, html)
    return out
