"""The language a page is shown in, per request (#19).

In order: the ``lang`` query parameter (the visible switch on pages for people who are not
signed in, such as a questionnaire or a whistleblowing intake), the signed-in user's stored
preference, the browser's ``Accept-Language`` (q-values honoured), else English. Strings go
through the same gettext catalog as the report (:mod:`esgledger.catalog.messages`); the
language of the page being rendered sits in a context variable, so macros imported without
context translate too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from fastapi import Request

from esgledger.catalog.messages import translate
from esgledger.catalog.translations import LANGS
from esgledger.http_shared.accept_language import (  # the pages read the header through here
    HTML_LANG as HTML_LANG,
)
from esgledger.http_shared.accept_language import (
    from_accept_language as from_accept_language,
)

DEFAULT = "en"
PARAM = "lang"
LABELS = {"en": "English", "zh": "中文"}  # each language in its own words, for the switch

CURRENT: ContextVar[str] = ContextVar("page_lang", default=DEFAULT)


def chosen(request: Request) -> str:
    """The language of this request's page (see the module's docstring for the order)."""
    asked = request.query_params.get(PARAM, "")
    if asked in LANGS:
        return asked
    signed_in = getattr(request.state, "signed_in", None)
    preference = signed_in.principal.lang if signed_in else ""
    if preference in LANGS:
        return preference
    return from_accept_language(request.headers.get("accept-language")) or DEFAULT


@contextmanager
def rendering_in(lang: str) -> Iterator[None]:
    """Pages rendered inside this block print their strings in ``lang``."""
    token = CURRENT.set(lang)
    try:
        yield
    finally:
        CURRENT.reset(token)


def gettext(message: str, **variables: Any) -> str:
    """``message`` in the language of the page being rendered; a message the catalog lacks is
    refused (as in the report), never shown in English silently."""
    text = translate(message, CURRENT.get())
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """Chinese has one form; the catalog holds both English forms as two messages."""
    return gettext(singular if n == 1 else plural, **variables)


def switch_links(request: Request) -> list[tuple[str, str, bool]]:
    """(href, label, current) for each language: this page's address with ``lang`` set."""
    here = chosen(request)
    return [
        (str(request.url.include_query_params(**{PARAM: lang})), LABELS[lang], lang == here)
        for lang in LANGS
    ]


def page_gettext(request: Request, message: str, **variables: Any) -> str:
    """A page's own message (a flash, a form error) in the request's language."""
    text = translate(message, chosen(request))
    return text % variables if variables else text
