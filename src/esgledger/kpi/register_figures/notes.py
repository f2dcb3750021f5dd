"""KPI figures' notes in another language (#16, #19): the registers' and the roll-up's.

A provider says each part of its note as a code and its values (``note_why``, a list of
``{code, values}``): its English note is worded from them (:func:`note_of`), and every other
language from the code's catalog message, so no reader parses English to translate it (a
part without a code is printed as given). A value under a key of :data:`LISTS` is a list of
catalog entries (severities, metrics), each worded in the reader's language; a value under a
key of :data:`NESTED` is a note itself, its parts worded from the same codes. A part stored
without a code (a note written before the codes) is worded when it matches a code's English
exactly (:func:`pattern_words`, its values as stored), else printed as given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from esgledger.catalog import translations
from esgledger.catalog.messages import N_, translate
from esgledger.catalog.scope3_diagnostics import diagnostics_words
from esgledger.catalog.scope3_run_reasons import ACTIVITY_ROWS, RUN_CODES, activities_english
from esgledger.catalog.scope3_screening import CRITERIA
from esgledger.kpi import incomplete_why
from esgledger.kpi.note_codes import KPI_CODES
from esgledger.kpi.precedence_why import OLD_PARTS, STATUS_WORDS

# Each code's English wording (the note as the providers always wrote it) and its message.
CODES: dict[str, tuple[str, str]] = {
    "new_suppliers": ("%(a)s of %(b)s new suppliers", N_("%(a)s of %(b)s new suppliers")),
    "major_findings": (
        "suppliers with a Priority or Major audit finding reported in the year",
        N_("suppliers with a Priority or Major audit finding reported in the year"),
    ),
    "questionnaire_answered": (
        "%(a)s of %(b)s suppliers sent a questionnaire in %(year)s answered it",
        N_("%(a)s of %(b)s suppliers sent a questionnaire in %(year)s answered it"),
    ),
    "cmrt_returned": (
        "%(a)s of %(b)s in-scope suppliers returned a CMRT",
        N_("%(a)s of %(b)s in-scope suppliers returned a CMRT"),
    ),
    "cmrt_returned_new": (
        "%(a)s of %(b)s new material suppliers returned a CMRT",
        N_("%(a)s of %(b)s new material suppliers returned a CMRT"),
    ),
    "integrity_agreements": (
        "%(a)s of %(b)s suppliers in cooperation at the end of %(year)s have an integrity "
        "agreement in force",
        N_("%(a)s of %(b)s suppliers in cooperation at the end of %(year)s have an integrity "
           "agreement in force"),
    ),
    "no_dealers": ("dealers are not in the register", N_("dealers are not in the register")),
    "onboarded_by": ("onboarded by %(day)s", N_("onboarded by %(day)s")),
    "onboarded_in": ("onboarded in %(year)s", N_("onboarded in %(year)s")),
    "undated_one": (
        "%(n)s supplier with no onboarding date counted in cooperation in every year, never "
        "as new",
        N_("%(n)s supplier(s) with no onboarding date counted in cooperation in every year, "
           "never as new"),
    ),
    "undated_many": (
        "%(n)s suppliers with no onboarding date counted in cooperation in every year, never "
        "as new",
        N_("%(n)s supplier(s) with no onboarding date counted in cooperation in every year, "
           "never as new"),
    ),
    "no_cmrt_in": (
        "not available: no CMRT is effective in %(year)s",
        N_("not available: no CMRT is effective in %(year)s"),
    ),
    "no_cmrt_by": (
        "not available: no CMRT is effective by the end of %(year)s",
        N_("not available: no CMRT is effective by the end of %(year)s"),
    ),
    "no_cmrt_scope_in": (
        "not available: no supplier onboarded in %(year)s names a CMRT metal or 3TG",
        N_("not available: no supplier onboarded in %(year)s names a CMRT metal or 3TG"),
    ),
    "no_cmrt_scope_by": (
        "not available: no supplier onboarded by the end of %(year)s names a CMRT metal or 3TG",
        N_("not available: no supplier onboarded by the end of %(year)s names a CMRT metal or "
           "3TG"),
    ),
    "identified_smelters": (
        "%(a)s of %(b)s identified smelters", N_("%(a)s of %(b)s identified smelters")
    ),
    "no_smelter_list": (
        "not available: no conformant-smelter list imported",
        N_("not available: no conformant-smelter list imported"),
    ),
    "no_identified_smelter": (
        "not available: the declarations name no identified smelter",
        N_("not available: the declarations name no identified smelter"),
    ),
    "no_register_rows": (
        "not available: the register holds no rows for this figure",
        N_("not available: the register holds no rows for this figure"),
    ),
    "no_audits": (
        "not available: no supplier audits are recorded",
        N_("not available: no supplier audits are recorded"),
    ),
    "no_agreements": (
        "not available: no supplier agreements are recorded",
        N_("not available: no supplier agreements are recorded"),
    ),
    "none_cooperating": (
        "not available: no supplier is in cooperation at the end of %(year)s",
        N_("not available: no supplier is in cooperation at the end of %(year)s"),
    ),
    "none_onboarded": (
        "not available: no supplier was onboarded in %(year)s (onboarded_on)",
        N_("not available: no supplier was onboarded in %(year)s"),
    ),
    "no_questionnaire": (
        "not available: no questionnaire link was sent in %(year)s",
        N_("not available: no questionnaire link was sent in %(year)s"),
    ),
    # The roll-up's own parts (kpi.registered), in front of or after a provider's.
    "no_boundary_figure": (
        "not available: the register has no figure for the boundary",
        N_("not available: the register has no figure for the boundary"),
    ),
    "outside_boundary": (
        "leaves out %(n)s entity figure(s) outside the boundary",
        N_("leaves out %(n)s entity figure(s) outside the boundary"),
    ),
    "members_uncovered": (
        "partial: the register does not cover %(n)s member(s) (%(members)s)",
        N_("partial: the register does not cover %(n)s member(s) (%(members)s)"),
    ),
    # Complaints, vulnerabilities and giving (#17): a closed case whose severity has no SLA,
    # a donation without a rate for its day.
    "no_sla_complaints": (
        "not available: no SLA set for %(severities)s complaints",
        N_("not available: no SLA set for %(severities)s complaints"),
    ),
    "no_sla_vulnerabilities": (
        "not available: no SLA set for %(severities)s vulnerabilities",
        N_("not available: no SLA set for %(severities)s vulnerabilities"),
    ),
    "no_donation_rate": (
        "not available: %(n)s donation(s) have no %(quote)s rate for their date, first %(ref)s "
        "(%(currency)s, %(day)s); import the rate with its source "
        "(`esg register giving import-rates`)",
        N_("not available: %(n)s donation(s) have no %(quote)s rate for their date, first "
           "%(ref)s (%(currency)s, %(day)s); import the rate with its source "
           "(`esg register giving import-rates`)"),
    ),
    # The report's social-registers section: a figure the year's series does not hold.
    "no_figure_year": ("no figure for the year", N_("no figure for the year")),
    # A Scope 3 category's line (kpi.scope3_figures): its method, its screening's reason.
    "scope3_no_categories": (
        "not available: run %(run)s computed no Scope 3 categories",
        N_("not available: run %(run)s computed no Scope 3 categories"),
    ),
    "scope3_method": ("method: %(method)s", N_("method: %(method)s")),
    "scope3_excluded": (
        "excluded by the Scope 3 screening: %(note)s",
        N_("excluded by the Scope 3 screening: %(note)s"),
    ),
    "scope3_relevant_no_data": (
        "not available: screened relevant (%(note)s) but no activity data %(explain)s",
        N_("not available: screened relevant (%(note)s) but no activity data %(explain)s"),
    ),
    # The reasons a run stores for a category or its total (catalog.scope3_run_reasons).
    **RUN_CODES,
    **KPI_CODES,
}  # fmt: skip

# Keys whose value is a list of catalog entries of a kind, worded one by one.
LISTS = {"severities": "member", "metrics": "metric"}
# Keys whose value is a word of a table (its English as stored, worded from the table's
# message, or from the English itself as a message where the table is empty).
WORDED: dict[str, dict[str, str]] = {"criterion": CRITERIA, "method": {}, "default": {}}
# Keys whose value is a note of its own (the recomputed figure's, inside the reported one's).
NESTED = ("note",)
# Keys whose value is a list of activity types with their rows ({activity, rows}).
ACTIVITY_LISTS = ("activities",)
# Keys whose value is a reason of kpi.incomplete_why (a Scope 3 total's), worded by its code.
REASONS = ("gaps",)
# Keys whose value is the Scope 3 engine's lookup diagnostics (catalog.scope3_diagnostics).
DIAGNOSTICS = ("reasons",)


def coded(code: str, **values: object) -> dict[str, Any]:
    """One part of a note as its code and values (values as text, as the note prints them;
    a list of catalog entries as a list of their keys)."""
    if code not in CODES:
        raise KeyError(f"no note code {code!r}")
    return {"code": code, "values": {k: _kept(k, v) for k, v in values.items()}}


def _kept(key: str, value: object) -> object:
    if key in LISTS and isinstance(value, list | tuple):
        return [str(v) for v in value]
    if key in REASONS and isinstance(value, Mapping):
        return dict(value)
    return str(value)


def _english_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _worded_value(k, v, [], "en") for k, v in values.items()}


def part_english(why: Mapping[str, Any]) -> str:
    """A coded part in English, as the providers always wrote it."""
    english: str = CODES[why["code"]][0] % _english_values(why["values"])
    return english


def note_of(why: Iterable[Mapping[str, Any]]) -> str:
    """The English note of coded parts, "; " between them."""
    return "; ".join(part_english(w) for w in why)


def coded_part(part: str, why: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The code of a note's part among ``why`` (None if no coded part words it)."""
    return next((w for w in why if w.get("code") in CODES and part_english(w) == part), None)


def worded_note(note: str, why: Iterable[Mapping[str, Any]] | None, lang: str) -> str:
    """A figure's note in ``lang``: each part from its code where ``why`` has it, else as
    given, joined as the language joins them ("；" in Chinese; two parts given as they are
    keep their "; "). English is the note itself."""
    if lang == "en" or not note:
        return note
    coded_parts = list(why or ())
    sep, out = translate("; ", lang), ""
    given_before: bool | None = None  # whether the previous part is given as it is
    for part, found in _pieces(note, coded_parts):
        said = _worded(found, coded_parts, lang) if found else pattern_words(part, lang)
        if given_before is not None:  # two parts given as they are (English) keep their "; "
            out += "; " if given_before and said is None else sep
        out += part if said is None else said
        given_before = said is None
    return out


# A value-first English ("%(a)s of …", "%(criterion)s: …") would match nearly any text, and
# lists, activity lists and reasons cannot be read back from their English: neither is a
# pattern. The shortest literal a pattern needs besides its values:
MIN_LITERAL = 6


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each code's English as an exact pattern (values as named groups) with its message,
    the longest literal first."""
    special = {*LISTS, *ACTIVITY_LISTS, *REASONS}
    out = []
    for english, message in [*CODES.values(), *OLD_PARTS.values()]:
        keys = re.findall(r"%\((\w+)\)s", english)
        literal = re.sub(r"%\(\w+\)s", "", english)
        if english.startswith("%(") or special & set(keys) or len(literal) < MIN_LITERAL:
            continue
        seen: set[str] = set()
        regex = ""
        for piece in re.split(r"(%\(\w+\)s)", english):
            name = piece[2:-2] if piece.startswith("%(") else None
            if name is None:
                regex += re.escape(piece)
            else:
                regex += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
                seen.add(name)
        out.append((len(literal), re.compile(regex), message))
    out.sort(key=lambda item: -item[0])
    return tuple((pattern, message) for _, pattern, message in out)


@cache
def _spanning() -> tuple[re.Pattern[str], ...]:
    """The patterns whose English holds "; " itself (`no_run`, `no_donation_rate`): a part
    stored without its code is matched whole by one before the note is split on "; "."""
    return tuple(p for p, _ in _patterns() if re.escape("; ") in p.pattern)


def _spanning_end(note: str, start: int) -> int | None:
    """Where the part from ``start`` ends when it runs over "; " (the shortest run of two or
    more parts a pattern of :func:`_spanning` matches whole), else None."""
    end = _part_end(note, start)
    while end < len(note):
        end = _part_end(note, end + 2)
        if any(pattern.fullmatch(note, start, end) for pattern in _spanning()):
            return end
    return None


def pattern_words(part: str, lang: str) -> str | None:
    """A part stored without a code in ``lang`` when a code's English matches it exactly
    (values as stored; a nested note worded the same way, a status by its word), else None."""
    if lang == "en":
        return None
    for pattern, message in _patterns():
        match = pattern.fullmatch(part)
        if match is None:
            continue
        values: dict[str, str] = {}
        for key, value in match.groupdict().items():
            if key in NESTED:
                value = worded_note(value, (), lang)
            elif key in DIAGNOSTICS:
                value = diagnostics_words(value, lang)
            elif key == "status" and value in STATUS_WORDS:
                value = translate(STATUS_WORDS[value], lang)
            values[key] = value
        return translate(message, lang) % values
    return None


def _pieces(note: str, why: list[Mapping[str, Any]]) -> list[tuple[str, Mapping[str, Any] | None]]:
    """A note's parts, each with its code where one words it. A coded part is found by its
    whole English, which may hold "; " itself (a donation's note does); an uncoded part runs
    over "; " when a pattern holding it matches the run whole, else to the next "; " outside
    parentheses."""
    known = sorted(
        ((part_english(w), w) for w in why if w.get("code") in CODES),
        key=lambda pair: -len(pair[0]),
    )
    out: list[tuple[str, Mapping[str, Any] | None]] = []
    i = 0
    while i <= len(note):
        for text, w in known:
            end = i + len(text)
            if note.startswith(text, i) and (end == len(note) or note.startswith("; ", end)):
                out.append((text, w))
                i = end + 2
                break
        else:
            end = _spanning_end(note, i) or _part_end(note, i)
            out.append((note[i:end], None))
            i = end + 2
    return out


def _part_end(note: str, start: int) -> int:
    """Where the part from ``start`` ends: the next "; " outside parentheses, or the end."""
    depth = 0
    for i in range(start, len(note)):
        depth += (note[i] == "(") - (note[i] == ")")
        if depth == 0 and note.startswith("; ", i):
            return i
    return len(note)


def part_message(
    part: str, why: Iterable[Mapping[str, Any]] | None
) -> tuple[str, dict[str, Any], dict[str, str], dict[str, tuple[str, Any]]] | None:
    """One part of a note as its gettext message, values, words (none) and catalog names
    from its code (None without): a list of catalog entries (severities) is a name, so a
    check finding quoting the part words each entry in its reader's language."""
    found = coded_part(part, why or ())
    if found is None:
        return None
    values = {k: v for k, v in _english_values(found["values"]).items() if k not in LISTS}
    names = {k: (LISTS[k], list(v)) for k, v in found["values"].items() if k in LISTS}
    return CODES[found["code"]][1], values, {}, names


def _worded(found: Mapping[str, Any], why: list[Mapping[str, Any]], lang: str) -> str:
    values = {k: _worded_value(k, v, why, lang) for k, v in found["values"].items()}
    message = CODES[found["code"]][1]
    return translate(message, lang) % values


def _worded_value(key: str, value: Any, why: list[Mapping[str, Any]], lang: str) -> Any:
    if key in ACTIVITY_LISTS:
        return _activities(value, lang)
    if isinstance(value, list):
        if lang == "en":
            return ", ".join(value)
        kind = LISTS[key]
        return translate(", ", lang).join(translations.text(kind, v, lang) for v in value)
    if key in WORDED and lang != "en":
        return translate(WORDED[key].get(str(value), str(value)), lang)
    if key in REASONS:
        return incomplete_why.gaps_words(value, lang)
    if key in NESTED:
        return worded_note(str(value), why, lang)
    if key in DIAGNOSTICS:
        return diagnostics_words(str(value), lang)
    return value


def _activities(parts: list[Mapping[str, Any]], lang: str) -> str:
    """Activity types with their rows, each type named in ``lang`` where the catalog has it."""
    if lang == "en":
        return activities_english(parts)
    each = translate(ACTIVITY_ROWS, lang)
    return translate(", ", lang).join(
        each % {"activity": _activity(a["activity"], lang), "rows": a["rows"]} for a in parts
    )


def _activity(code: str, lang: str) -> str:
    known = translations.has_text("activity", code, lang)
    return translations.text("activity", code, lang) if known else code


def worded_reason(note: str, why: Iterable[Mapping[str, Any]] | None, lang: str) -> str:
    """Why a figure is not available, in ``lang``: its note worded part by part, without the
    language's lead "not available: " (a table already says the figure is not available)."""
    worded = worded_note(note, why, lang)
    lead = translate(NOT_AVAILABLE, lang).split("%(reason)s")[0]
    return worded.removeprefix(lead)


NOT_AVAILABLE = N_("not available: %(reason)s")
