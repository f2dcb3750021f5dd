"""The supplier register figures' notes in another language (#16, #19).

The providers write their notes in English, "; " between parts; each part is worded in the
reader's language by its pattern here (a part no pattern matches is printed as given). Every
note the supplier providers write has its pattern, so the report's supply-chain chapter, the
KPI page and the check findings that quote a note word it the same way.
"""

from __future__ import annotations

import re

from esgledger.catalog.messages import N_, translate

NOTES = (
    (re.compile(r"^(?P<a>\d+) of (?P<b>\d+) new suppliers$"), N_("%(a)s of %(b)s new suppliers")),
    (re.compile(r"^suppliers with a Priority or Major audit finding reported in the year$"),
     N_("suppliers with a Priority or Major audit finding reported in the year")),
    (re.compile(r"^(?P<a>\d+) of (?P<b>\d+) suppliers sent a questionnaire in (?P<year>\d+) "
                r"answered it$"),
     N_("%(a)s of %(b)s suppliers sent a questionnaire in %(year)s answered it")),
    (re.compile(r"^(?P<a>\d+) of (?P<b>\d+) in-scope suppliers returned a CMRT$"),
     N_("%(a)s of %(b)s in-scope suppliers returned a CMRT")),
    (re.compile(r"^(?P<a>\d+) of (?P<b>\d+) new material suppliers returned a CMRT$"),
     N_("%(a)s of %(b)s new material suppliers returned a CMRT")),
    (re.compile(r"^(?P<a>\d+) of (?P<b>\d+) identified smelters$"),
     N_("%(a)s of %(b)s identified smelters")),
    (re.compile(r"^(?P<a>\d+) of (?P<b>\d+) suppliers in cooperation at the end of (?P<year>\d+) "
                r"have an integrity agreement in force$"),
     N_("%(a)s of %(b)s suppliers in cooperation at the end of %(year)s have an integrity "
        "agreement in force")),
    (re.compile(r"^dealers are not in the register$"), N_("dealers are not in the register")),
    (re.compile(r"^onboarded by (?P<day>\d{4}-\d{2}-\d{2})$"), N_("onboarded by %(day)s")),
    (re.compile(r"^onboarded in (?P<year>\d+)$"), N_("onboarded in %(year)s")),
    (re.compile(r"^(?P<n>\d+) suppliers? with no onboarding date counted in cooperation in every "
                r"year, never as new$"),
     N_("%(n)s supplier(s) with no onboarding date counted in cooperation in every year, never "
        "as new")),
    (re.compile(r"^not available: no CMRT is effective in (?P<year>\d+)$"),
     N_("not available: no CMRT is effective in %(year)s")),
    (re.compile(r"^not available: no CMRT is effective by the end of (?P<year>\d+)$"),
     N_("not available: no CMRT is effective by the end of %(year)s")),
    (re.compile(r"^not available: no supplier onboarded (?P<when>in|by the end of) (?P<year>\d+) "
                r"names a CMRT metal or 3TG$"), None),
    (re.compile(r"^not available: no supplier audits are recorded$"),
     N_("not available: no supplier audits are recorded")),
    (re.compile(r"^not available: no supplier agreements are recorded$"),
     N_("not available: no supplier agreements are recorded")),
    (re.compile(r"^not available: no supplier is in cooperation at the end of (?P<year>\d+)$"),
     N_("not available: no supplier is in cooperation at the end of %(year)s")),
    (re.compile(r"^not available: no supplier was onboarded in (?P<year>\d+) \(onboarded_on\)$"),
     N_("not available: no supplier was onboarded in %(year)s")),
    (re.compile(r"^not available: no questionnaire link was sent in (?P<year>\d+)$"),
     N_("not available: no questionnaire link was sent in %(year)s")),
    (re.compile(r"^not available: no conformant-smelter list imported$"),
     N_("not available: no conformant-smelter list imported")),
    (re.compile(r"^not available: the declarations name no identified smelter$"),
     N_("not available: the declarations name no identified smelter")),
    (re.compile(r"^not available: the register holds no rows for this figure$"),
     N_("not available: the register holds no rows for this figure")),
    # The roll-up's own parts (kpi.registered), in front of or after a provider's.
    (re.compile(r"^not available: the register has no figure for the boundary$"),
     N_("not available: the register has no figure for the boundary")),
    (re.compile(r"^leaves out (?P<n>\d+) entity figure\(s\) outside the boundary$"),
     N_("leaves out %(n)s entity figure(s) outside the boundary")),
    (re.compile(r"^partial: the register does not cover (?P<n>\d+) member\(s\) "
                r"\((?P<members>.*)\)$"),
     N_("partial: the register does not cover %(n)s member(s) (%(members)s)")),
)  # fmt: skip
# The CMRT scope's two wordings (the year's new suppliers; those onboarded by its end).
SCOPE_NOTES = {
    "in": N_("not available: no supplier onboarded in %(year)s names a CMRT metal or 3TG"),
    "by the end of": N_(
        "not available: no supplier onboarded by the end of %(year)s names a CMRT metal or 3TG"
    ),
}


def translated_note(note: str, lang: str) -> str:
    """A provider's note in ``lang``, part by part (a part no pattern knows as given)."""
    return "; ".join(_translated_part(part, lang) for part in note.split("; "))


def note_message(part: str) -> tuple[str, dict[str, str]] | None:
    """One part of a note as its gettext message and values, or None if no pattern knows it."""
    for pattern, message in NOTES:
        found = pattern.match(part)
        if found:
            values = found.groupdict()
            return message or SCOPE_NOTES[values.pop("when")], values
    return None


def _translated_part(part: str, lang: str) -> str:
    known = note_message(part)
    if known is None:
        return part
    message, values = known
    return translate(message, lang) % values
