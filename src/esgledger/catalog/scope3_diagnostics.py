"""The Scope 3 engine's lookup diagnostics in another language (#19).

A category whose rows all failed stores "not available: all N rows unresolved (…)" with the
rows' diagnostics inside, each "activity: method: why" as the engine wrote it
(``calc.scope3.engine``, ``calc.scope3.methods``), joined by "; " and cut at 300 characters.
A piece of a form the engine writes is worded from its pattern: the activity and the method
from the catalog, the values (units, codes, variants tried) as stored. A piece of any other
form — or one the cut left short — is shown as stored.
"""

from __future__ import annotations

import re
from functools import cache

from esgledger.catalog.activities import activity_types
from esgledger.catalog.messages import N_, translate
from esgledger.catalog.translations import has_text, text

METHODS = {
    "spend_based": N_("spend based"),
    "average_data": N_("average data"),
    "distance_based": N_("distance based"),
    "waste_type": N_("waste type"),
    "supplier_specific": N_("supplier specific"),
}
# The engine's own words inside a value: no region to search, no variant tried.
VALUE_WORDS = {"any region": N_("any region"), "none": N_("none")}
PIECE = N_("%(activity)s: %(method)s: %(why)s")
# English as the engine writes it → message; values are named as the engine names them.
WHYS = (
    (
        "no %(label)s factor for %(activity)s in %(unit)s for %(where)s "
        "(variants tried: %(what)s)",
        N_("no %(label)s factor for %(activity)s in %(unit)s for %(where)s "
           "(variants tried: %(what)s)"),
    ),
    (
        "unit %(unit)s does not fit factor unit %(factor)s",
        N_("unit %(unit)s does not fit factor unit %(factor)s"),
    ),
    ("unit %(unit)s is not a currency", N_("unit %(unit)s is not a currency")),
    ("no Scope 3 method for %(activity)s yet", N_("no Scope 3 method for %(activity)s yet")),
    (
        "%(activity)s rows need a %(attribute)s column for the factor",
        N_("%(activity)s rows need a %(attribute)s column for the factor"),
    ),
    (
        "supplier_kgco2e %(text)s is not a number",
        N_("supplier_kgco2e %(text)s is not a number"),
    ),
    ("supplier_kgco2e %(text)s is negative", N_("supplier_kgco2e %(text)s is negative")),
)  # fmt: skip


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for english, message in WHYS:
        regex = ""
        for piece in re.split(r"(%\(\w+\)s)", english):
            regex += f"(?P<{piece[2:-2]}>.+?)" if piece.startswith("%(") else re.escape(piece)
        out.append((re.compile(regex), message))
    return tuple(out)


def _activity(code: str, lang: str) -> str | None:
    """An activity type's name in ``lang`` (None for text that is no activity type)."""
    if code not in activity_types():
        return None
    return text("activity", code, lang) if has_text("activity", code, lang) else code


def _value(key: str, value: str, lang: str) -> str:
    if key in ("activity", "label"):
        named = _activity(value, lang) if key == "activity" else None
        method = METHODS.get(value)
        return named or (translate(method, lang) if method else value)
    if key in ("where", "what") and value in VALUE_WORDS:
        return translate(VALUE_WORDS[value], lang)
    return value


def _why(why: str, lang: str) -> str | None:
    for pattern, message in _patterns():
        match = pattern.fullmatch(why)
        if match is not None:
            values = {k: _value(k, v, lang) for k, v in match.groupdict().items()}
            return translate(message, lang) % values
    return None


def piece_words(piece: str, lang: str) -> str | None:
    """One "activity: method: why" in ``lang``, or None when its form is not the engine's."""
    parts = piece.split(": ", 2)
    if len(parts) != 3 or parts[1] not in METHODS:
        return None
    activity, why = _activity(parts[0], lang), _why(parts[2], lang)
    if activity is None or why is None:
        return None
    method = translate(METHODS[parts[1]], lang)
    return translate(PIECE, lang) % {"activity": activity, "method": method, "why": why}


def diagnostics_words(diagnostics: str, lang: str) -> str:
    """A run's diagnostics in ``lang``, piece by piece (each as stored where its form is not
    the engine's, two such pieces keeping their "; "); English as stored."""
    if lang == "en" or not diagnostics:
        return diagnostics
    sep, out = translate("; ", lang), ""
    given_before: bool | None = None
    for piece in diagnostics.split("; "):
        said = piece_words(piece, lang)
        if given_before is not None:
            out += "; " if given_before and said is None else sep
        out += piece if said is None else said
        given_before = said is None
    return out
