"""Narrative sections: Markdown files whose numbers are tags bound to KPI figures.

A narrative never types a KPI number. It writes a tag, and the report prints the ledger's
figure as an editor would, so the text cannot contradict the appendix:

- ``{{kpi:ghg.scope1}}`` — the report year's figure with its unit; counts (people, patents,
  cases) print the number only, so the sentence names them: ``{{kpi:workforce.headcount}}
  people``; figures of 100 or more are rounded to whole numbers (never finer than the
  appendix prints);
- ``{{kpi:ghg.scope1:2024}}`` — another year's;
- ``{{kpi:workforce.headcount:2025:gender=female}}`` — a breakdown;
- ``{{change:ghg.scope1}}`` — the year-on-year change in percent, marked when the boundary
  changed between the two years (with the like-for-like change where the engine knows it);
- options after ``|``: ``number`` (no unit), ``decimals=N``, ``like-for-like`` (a change on
  the entities in both years' boundaries).

A tag naming an unknown metric, or a figure the ledger does not have, is an error that
names the file and line; :mod:`esgledger.disclose.narrative_lint` then reads the result.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from esgledger.catalog import Metric, metrics
from esgledger.catalog.messages import translate
from esgledger.catalog.translations import LANGS
from esgledger.catalog.translations import text as catalog_text
from esgledger.disclose.footnotes import (
    ChapterNotes,
    boundary_caveat,
    figure_caveats,
    link_marks,
    quality_mark,
    strip_marks,
)
from esgledger.disclose.headings import ELEMENT_TITLES, ELEMENT_TITLES_ZH, element_id
from esgledger.disclose.locale_format import long_date
from esgledger.disclose.narrative_lint import Printed, lint_narrative
from esgledger.errors import InvalidInput
from esgledger.kpi.figures import KpiFigure, dims_text

TAG = re.compile(
    r"\{\{\s*(kpi|change)\s*:\s*([a-z0-9_.]+)(?:\s*:\s*(\d{4}))?(?:\s*:\s*([^}|]+?))?"
    r"\s*(?:\|\s*([^}]*?))?\s*\}\}"
)
ANY_TAG = re.compile(r"\{\{[^{}]*\}\}")
UNIT_LABELS = {"permille": "‰", "person_times": "person-times", "counted_item": ""}
COUNT_UNITS = {"person", "piece", "case", "count", "counted_item"}  # the prose names them
PROSE_PLURALS = {"hour": "hours", "person_times": "person-times"}
OPTIONS = ("number", "decimals", "like-for-like")
MINUS = "−"

__all__ = ["Printed", "Section", "bind", "format_value", "load_sections", "unit_label"]

Lookup = Callable[[str, int, str], KpiFigure | None]


@dataclass(frozen=True)
class Section:
    """One narrative section: its id (the file name), title, rendered HTML and front matter."""

    id: str
    title: str
    html: str
    source: Path
    meta: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # chapter-end notes its markers point at (:mod:`.footnotes`)


def unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit)


def format_value(value: float | None, precision: int, unit: str) -> str:
    """A figure as the report prints it: thousands separators, the metric's precision."""
    if value is None:
        return "n/a"
    number = f"{value:,.{precision}f}"
    label = unit_label(unit)
    if label in ("%", "‰"):
        return number + label
    return f"{number} {label}".strip()


def prose_decimals(value: float, metric: Metric) -> int:
    """An editor's rounding: whole numbers from 100 up, never finer than the appendix."""
    if metric.unit in ("%", "permille"):
        return metric.precision
    return 0 if abs(value) >= 100 else metric.precision


def percent(change: float) -> str:
    """A change in percent with a typographic minus: ``−0.5%``."""
    return f"{change:+.1f}%".replace("-", MINUS)


def _options(raw: str | None, where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in (raw or "").split(","):
        name, _, value = part.strip().partition("=")
        if not name:
            continue
        if name not in OPTIONS:
            raise InvalidInput(
                f"{where}: unknown tag option {name!r}; use number, decimals=N or like-for-like"
            )
        out[name] = value.strip()
    if "decimals" in out and not out["decimals"].isdigit():
        raise InvalidInput(f"{where}: decimals= needs a whole number, not {out['decimals']!r}")
    return out


def _series_row(series: dict[str, Any] | None, metric_id: str) -> dict[str, Any] | None:
    rows = (series or {}).get("kpis", [])
    return next((r for r in rows if r["metric"] == metric_id and not r["dims"]), None)


def boundary_changed(series: dict[str, Any] | None, metric: Metric, year: int) -> bool:
    """Whether the metric's boundary family changed between ``year - 1`` and ``year``."""
    families = (series or {}).get("boundaries", {})
    info = families.get(metric.boundary_family) or {}
    return any(int(c["to"]) == year for c in info.get("changes", []))


def like_for_like_change(series: dict[str, Any] | None, metric_id: str) -> float | None:
    """The report year's change on the entities in both years' boundaries, if known."""
    row = _series_row(series, metric_id)
    pair = row.get("like_for_like") if row else None
    return pair.get("change_pct") if pair else None


def bind(
    text: str,
    *,
    year: int,
    lookup: Lookup,
    source: str,
    series: dict[str, Any] | None = None,
    printed: list[Printed] | None = None,
    notes: ChapterNotes | None = None,
    acknowledged: Mapping[tuple[str, int], list[int]] | None = None,
    lang: str = "en",
) -> str:
    """Replace every tag in ``text`` by its figure; refuse unknown metrics and missing values.

    ``series`` (the appendix's :func:`esgledger.kpi.series.kpi_series`) gives boundary
    changes and like-for-like changes; ``printed`` collects what each tag printed; with
    ``notes`` a figure with a caveat (restated, estimate, boundary change …) carries a
    footnote marker (:mod:`esgledger.disclose.footnotes`); ``acknowledged`` (figure → entries
    of the data-quality statement) puts a marker to each acknowledged finding about it.
    ``lang`` is the edition's: a Chinese narrative prints the units and words in Chinese.
    """
    mark: Callable[[str], str] = notes.mark if notes is not None else (lambda _caveat: "")
    catalog = metrics()

    def replace(match: re.Match[str]) -> str:
        kind, metric_id, tag_year, dims, raw_options = match.groups()
        line = text.count("\n", 0, match.start()) + 1
        where = f"{source}, line {line}"
        metric = catalog.get(metric_id)
        if metric is None:
            raise InvalidInput(f"{where}: unknown metric {metric_id!r} in {match.group(0)}")
        options = _options(raw_options, where)
        wanted = int(tag_year) if tag_year else year
        if kind == "change" and "like-for-like" in options:
            change = like_for_like_change(series, metric_id) if wanted == year else None
            if change is None:
                raise InvalidInput(
                    f"{where}: no like-for-like change for {metric_id} in {wanted}; it exists "
                    "for the report year's figures computed from entity data"
                )
            return translate("%(change)s like-for-like", lang) % {"change": percent(change)}
        key = dims_text(dict(p.split("=", 1) for p in (dims or "").split(",") if "=" in p))
        figure = lookup(metric_id, wanted, key)
        if figure is None or figure.value is None:
            raise InvalidInput(f"{where}: no {wanted} value for {metric_id}")
        if kind == "kpi":
            decimals = (
                int(options["decimals"])
                if "decimals" in options
                else prose_decimals(figure.value, metric)
            )
            unit = "" if "number" in options or metric.unit in COUNT_UNITS else metric.unit
            if figure.value != 1:
                unit = PROSE_PLURALS.get(unit, unit)
            if unit and lang != "en":
                unit = catalog_text("unit", metric.published_unit or metric.unit, lang)
            shown = format_value(figure.value, decimals, unit)
            if printed is not None:
                printed.append(Printed(metric_id, line, decimals, metric.precision, shown))
            flagged = (acknowledged or {}).get((metric_id, wanted), [])
            return (
                shown
                + "".join(map(mark, figure_caveats(metric, figure, lang)))
                + "".join(map(quality_mark, flagged))
            )
        before = lookup(metric_id, wanted - 1, key)
        if before is None or not before.value:
            raise InvalidInput(f"{where}: no {wanted - 1} value for {metric_id}")
        shown = percent((figure.value - before.value) / abs(before.value) * 100)
        if not key and boundary_changed(series, metric, wanted):
            lfl = like_for_like_change(series, metric_id) if wanted == year else None
            same = (
                translate("; like-for-like %(change)s", lang) % {"change": percent(lfl)}
                if lfl is not None
                else ""
            )
            caveat = boundary_caveat(series, metric, wanted, lang)
            shown += translate(" (boundary changed%(same)s)", lang) % {"same": same} + (
                mark(caveat) if caveat else ""
            )
        return shown

    bound = TAG.sub(replace, text)
    leftover = ANY_TAG.search(bound)
    if leftover:
        line = bound.count("\n", 0, leftover.start()) + 1
        raise InvalidInput(
            f"{source}, line {line}: cannot read tag {leftover.group(0)}; "
            "write {{kpi:metric.id}}, {{kpi:metric.id:YEAR}} or {{change:metric.id}}"
        )
    return bound


def load_sections(
    folder: Path,
    *,
    year: int,
    lookup: Lookup,
    series: dict[str, Any] | None = None,
    acknowledged: Mapping[tuple[str, int], list[int]] | None = None,
    lang: str = "en",
) -> list[Section]:
    """Every ``*.md`` file of ``folder`` in name order, tags bound, linted, rendered to HTML.

    The Chinese edition reads ``NAME.zh.md`` beside each ``NAME.md`` (:func:`narrative_files`).
    """
    if not folder.is_dir():
        raise InvalidInput(f"narrative folder {folder} does not exist")
    md = MarkdownIt("commonmark").enable("table")
    out: list[Section] = []
    for path in narrative_files(folder, lang):
        printed: list[Printed] = []
        notes = ChapterNotes()
        meta, raw = front_matter(path.read_text(encoding="utf-8"), path.name)
        if lang != "en" and "date" in meta:
            meta["date_text"] = long_date(dt.date.fromisoformat(meta["date"]), lang)
        text = bind(
            raw,
            year=year,
            lookup=lookup,
            source=path.name,
            series=series,
            printed=printed,
            notes=notes,
            acknowledged=acknowledged,
            lang=lang,
        )
        lint_narrative(strip_marks(text), printed, source=path.name)
        text = _title_unmarked(text)
        title = next(
            (ln.lstrip("#").strip() for ln in text.splitlines() if ln.startswith("#")), path.stem
        )
        body = "\n".join(ln for ln in text.splitlines() if ln.strip() != f"# {title}")
        section_id = re.sub(r"^\d+[-_]", "", path.name.removesuffix(_suffix(lang)))
        html = link_marks(heading_ids(md.render(body), section_id), section_id)
        out.append(Section(section_id, title, html, path, meta, tuple(notes.texts)))
    return out


def _suffix(lang: str) -> str:
    return ".md" if lang == "en" else f".{lang}.md"


def narrative_files(folder: Path, lang: str) -> list[Path]:
    """The edition's section files in name order: ``NAME.md`` in English, ``NAME.zh.md`` in
    Chinese. Every English section needs its Chinese file and the reverse, so both editions
    have the same chapters; a missing one is refused, never replaced by the other language."""
    others = tuple(_suffix(other) for other in LANGS if other != "en")
    english = sorted(p for p in folder.glob("*.md") if not p.name.endswith(others))
    if lang == "en":
        return english
    suffix = _suffix(lang)
    edition = sorted(folder.glob(f"*{suffix}"))
    wanted = {p.name.removesuffix(".md") + suffix for p in english}
    missing = sorted(wanted - {p.name for p in edition})
    if missing:
        raise InvalidInput(
            f"{folder / missing[0]}: no {lang} narrative for this section"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            + f"; the {lang} edition prints no section in another language"
        )
    extra = sorted({p.name for p in edition} - wanted)
    if extra:
        raise InvalidInput(
            f"{folder / extra[0]}: no English section {extra[0].removesuffix(suffix)}.md beside it"
        )
    return edition


def _title_unmarked(text: str) -> str:
    """Headings carry no footnote marker: a heading is a title, and the contents repeat it."""
    return "\n".join(strip_marks(ln) if ln.startswith("#") else ln for ln in text.splitlines())


FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
FRONT_KEYS = ("signatory", "title", "date")


def front_matter(text: str, source: str) -> tuple[dict[str, str], str]:
    """``key: value`` lines between ``---`` fences at the top (the chair letter's signatory,
    title and date), and the text without them; line numbers of the rest are kept."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    meta: dict[str, str] = {}
    for number, line in enumerate(match.group(1).splitlines(), start=2):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep or key.strip() not in FRONT_KEYS:
            raise InvalidInput(
                f"{source}, line {number}: front matter takes {', '.join(FRONT_KEYS)} "
                f"as 'key: value', not {line.strip()!r}"
            )
        meta[key.strip()] = value.strip()
        if key.strip() == "date":
            meta["date_text"] = _long_date(value.strip(), f"{source}, line {number}")
    return meta, "\n" * match.group(0).count("\n") + text[match.end() :]


def _long_date(text: str, where: str) -> str:
    """``2026-03-28`` as a letter prints it: ``28 March 2026``."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{where}: date {text!r} is not a date; write YYYY-MM-DD") from None
    return f"{day.day} {day:%B %Y}"


EXPLICIT_ID = re.compile(r"\s*\{#([a-z0-9][a-z0-9-]*)\}\s*$")


def heading_ids(html: str, section_id: str) -> str:
    """Sub-headings one level down (the section title is the h2), each with a stable id:
    the four elements as ``section--governance`` … (in English or Chinese), others by their
    words, or by the ``{#id}`` a heading ends with — a Chinese heading names the id of its
    English twin that way, so both editions link to the same anchors."""
    by_title = {t.lower(): key for key, t in ELEMENT_TITLES.items()}
    by_title |= {t: key for key, t in ELEMENT_TITLES_ZH.items()}

    def replace(match: re.Match[str]) -> str:
        level, inner = int(match.group(1)), match.group(2)
        explicit = EXPLICIT_ID.search(inner)
        if explicit:
            inner = inner[: explicit.start()].rstrip()
        plain = re.sub(r"<[^>]+>", "", inner).strip()
        key = (
            explicit.group(1)
            if explicit
            else by_title.get(plain.lower()) or re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
        )
        return f'<h{level + 1} id="{element_id(section_id, key)}">{inner}</h{level + 1}>'

    return re.sub(r"<h([2-5])>(.*?)</h\1>", replace, html)
