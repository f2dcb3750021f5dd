"""Footnote markers in the narrative: a numbered marker at the figure, the note at chapter end.

A figure a reader should not take at face value — restated, an estimate, preliminary,
covering part of its boundary, from an incomplete calculation, or compared across a boundary
change — carries a superscript number linked to a note at the end of its chapter (HTML: a
link both ways; PDF: the same chapter-end notes). Notes say what a reader needs to know
about the figure; catalog notes for users of the tool are never printed.

While a section is bound, a marker is a placeholder without digits a lint or Markdown could
read (:data:`MARK`); :func:`link_marks` turns it into the linked superscript afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from esgledger.catalog import Metric
from esgledger.catalog.messages import N_, translate
from esgledger.catalog.translations import text
from esgledger.disclose.labels import family_label
from esgledger.disclose.quality import entry_id
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.incomplete_why import published_words

OPEN, CLOSE = "\ue000", "\ue001"  # private-use characters: never in a narrative
QUALITY = "\ue002"  # opens a marker to an acknowledged finding of the data-quality statement
MARK = re.compile(f"([{OPEN}{QUALITY}])([a-z]+){CLOSE}")
LETTERS = "abcdefghij"


def _code(number: int) -> str:
    """A number written in letters, so no digit sits in the bound text: 12 → ``bc``."""
    return "".join(LETTERS[int(d)] for d in str(number))


def _number(code: str) -> int:
    return int("".join(str(LETTERS.index(c)) for c in code))


@dataclass
class ChapterNotes:
    """The notes of one chapter, numbered in the order their markers appear, each once."""

    texts: list[str] = field(default_factory=list)

    def mark(self, text: str) -> str:
        if text not in self.texts:
            self.texts.append(text)
        return f"{OPEN}{_code(self.texts.index(text) + 1)}{CLOSE}"


def strip_marks(text: str) -> str:
    """The bound text as a reader reads it aloud, without markers (for the lint)."""
    return MARK.sub("", text)


def note_id(section_id: str, number: int) -> str:
    return f"{section_id}--note-{number}"


def link_marks(html: str, section_id: str) -> str:
    """Each placeholder as a superscript number linking to its note (and back)."""

    def replace(match: re.Match[str]) -> str:
        n = _number(match.group(2))
        if match.group(1) == QUALITY:
            return quality_marker(n)
        return (
            f'<sup class="fn"><a href="#{note_id(section_id, n)}" '
            f'id="{note_id(section_id, n)}-ref">{n}</a></sup>'
        )

    return MARK.sub(replace, html)


def quality_mark(number: int) -> str:
    """The placeholder of a marker to entry ``number`` of the data-quality statement."""
    return f"{QUALITY}{_code(number)}{CLOSE}"


def quality_marker(number: int) -> str:
    """A superscript Q-number linking a figure to its acknowledged finding's entry (tiles,
    narrative and appendix alike), so a figure published with a known defect says so."""
    return f'<sup class="fn dq"><a href="#{entry_id(number)}">Q{number}</a></sup>'


def sentence(message: str, lang: str, values: dict[str, Any]) -> str:
    """``message`` in ``lang`` with ``values``. In another edition the result is markup, so a
    value printed as entered (:func:`~esgledger.disclose.edition_env.entered`) keeps its
    language tag; the English sentence stays plain text."""
    if lang == "en":
        return message % values
    return Markup(translate(message, lang)) % values


def _name(metric: Metric, lang: str) -> str:
    return metric.name if lang == "en" else text("metric", metric.id, lang)


def figure_caveats(metric: Metric, figure: KpiFigure, lang: str = "en") -> list[str]:
    """What a reader must know about one printed figure, as sentences in ``lang``."""
    name = _name(metric, lang)
    values: dict[str, Any] = {"name": name, "year": figure.year}
    out = []
    if figure.restated:
        reason = (figure.restatement or {}).get("reason")
        out.append(restated_sentence(name, figure.year, reason, lang))
    if figure.qualifier == "approximately":
        out.append(sentence(N_("%(name)s %(year)s is an estimate (approximately)."), lang, values))
    if figure.preliminary:
        out.append(
            sentence(N_("%(name)s %(year)s is preliminary and may be revised."), lang, values)
        )
    if figure.partial:
        out.append(
            sentence(N_("%(name)s %(year)s covers only part of its boundary."), lang, values)
        )
    if figure.incomplete:
        why = {"incomplete_why": figure.incomplete_why}
        out.append(incomplete_sentence(name, figure.year, why, lang))
    return out


def restated_sentence(
    name: str, year: int | str, reason: str | None, lang: str = "en", was: str = ""
) -> str:
    """A restated figure: its reason as recorded (``inputs restated`` when none was)."""
    said = reason or translate("inputs restated", lang)
    if was:
        return sentence(
            N_("%(name)s %(year)s restated (previously %(was)s): %(reason)s."),
            lang,
            {"name": name, "year": year, "was": was, "reason": said},
        )
    return sentence(
        N_("%(name)s %(year)s is restated: %(reason)s."),
        lang,
        {"name": name, "year": year, "reason": said},
    )


def incomplete_sentence(
    name: str, year: int | str, figure: Mapping[str, Any], lang: str = "en"
) -> str:
    """Why a printed figure is incomplete, worded in ``lang`` from the figure's own reason
    (``incomplete_why``: the categories screened relevant without a figure, a category's
    unresolved rows), else the calculation's unresolved rows — without run ids or commands,
    the same sentence in the appendix and the narrative."""
    return sentence(
        N_("%(name)s %(year)s is incomplete: %(why)s."),
        lang,
        {"name": name, "year": year, "why": published_words(figure, lang)},
    )


def boundary_caveat(
    series: dict[str, Any] | None, metric: Metric, year: int, lang: str = "en"
) -> str:
    """The boundary change between ``year - 1`` and ``year`` of the metric's family, or ""."""
    family = metric.boundary_family
    info = ((series or {}).get("boundaries") or {}).get(family) or {}
    for change in info.get("changes", []):
        if int(change["to"]) != year:
            continue
        added, removed = len(change.get("added", [])), len(change.get("removed", []))
        return sentence(
            N_(
                "The %(family)s boundary changed from %(start)s to %(end)s (%(added)s entities "
                "added, %(removed)s removed), so the two years are not like for like."
            ),
            lang,
            {
                "family": family_label(family, lang),
                "start": year - 1,
                "end": year,
                "added": added,
                "removed": removed,
            },
        )
    return ""
