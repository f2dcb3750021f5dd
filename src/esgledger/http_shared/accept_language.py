"""The language an HTTP client asks for in ``Accept-Language`` (#19), read by q-value.

The pages (:mod:`esgledger.web.language`) and the API's problem details
(:mod:`esgledger.http_shared.errors`) read the header the same way: our languages only, the
highest weight, then the first listed; a malformed or zero weight is never a yes, and the
header is read up to a bound, so a long one costs no more than a short one.
"""

from __future__ import annotations

from esgledger.catalog.translations import LANGS

HTML_LANG = {"en": "en", "zh": "zh-Hans"}  # <html lang> and Content-Language
MAX_HEADER = 512  # a longer Accept-Language is read up to here: bounded work per request


def _ours(tag: str) -> str | None:
    """Our language for one language tag: ``zh``, ``zh-CN``, ``zh-Hans-CN`` → zh, ``en-GB`` → en."""
    primary = tag.strip().lower().split("-", 1)[0]
    return primary if primary in LANGS else None


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0  # a malformed weight counts as "not acceptable", never as 1
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def from_accept_language(header: str | None) -> str | None:
    """The best of our languages the header accepts (highest q, then the first listed); None
    when it names none of them. ``*`` alone says nothing, so the default applies."""
    best: tuple[float, int, str] | None = None
    for position, item in enumerate((header or "")[:MAX_HEADER].split(",")):
        tag, *params = item.split(";")
        lang = _ours(tag)
        q = _quality(params)
        if lang is None or q <= 0.0:
            continue
        if best is None or q > best[0] or (q == best[0] and position < best[1]):
            best = (q, position, lang)
    return best[2] if best else None
