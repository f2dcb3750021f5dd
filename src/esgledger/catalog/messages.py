"""Template and interface strings in both languages: a gettext catalog read at run time (#19).

English is the source language: a message's id is its English text. Chinese lives in
``catalog/data/i18n/messages.zh.po``, extracted from the report templates and marked Python
strings with Babel (``babel.cfg`` at the repository root; ``scripts/i18n.py`` updates the file).
The ``.po`` file is read when first needed, so there is no compile step to remember after an
install or an edit. A message without its Chinese is refused, never printed in English
silently; ``tests/catalog/test_messages.py`` keeps the file complete and in sync.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from babel.messages.pofile import read_po

from esgledger.catalog.phrases import AnyOf, Listed, Phrase
from esgledger.catalog.translations import LANGS
from esgledger.errors import CellsRefused, EsgError, InvalidInput, Problem

PO_FILE = "messages.zh.po"


def N_(message: str) -> str:
    """Marks a Python string for extraction; it is translated where it is printed."""
    return message


@cache
def chinese() -> dict[str, str]:
    """The Chinese catalog: English message → Chinese, only entries with a translation."""
    source = resources.files("esgledger.catalog").joinpath("data", "i18n", PO_FILE)
    with source.open("rb") as fh:
        catalog = read_po(fh, locale="zh_Hans_CN")
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def translate(message: str, lang: str) -> str:
    """``message`` (English) in ``lang``; refuses a message the Chinese catalog lacks."""
    if lang not in LANGS:
        raise InvalidInput(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    if lang == "en":
        return message
    found = chinese().get(message)
    if found is None:
        raise InvalidInput(f"no Chinese for the message {message!r} (catalog/data/i18n/{PO_FILE})")
    return found


def in_words(error: EsgError, lang: str) -> str:
    """A service's refusal in ``lang``: its named message (:func:`esgledger.errors.worded`)
    from the catalog, the values as given and the words translated; an error that names no
    message says its own English line."""
    if not error.message_id:
        return str(error)
    if isinstance(error, CellsRefused):
        reasons = translate("; ", lang).join(_cell_reason(p, lang) for p in error.problems)
        return message_in(error.message_id, {**error.values, "reasons": reasons}, error.words, lang)
    return message_in(error.message_id, error.values, error.words, lang)


def _cell_reason(problem: Problem, lang: str) -> str:
    reason = reason_in(problem, lang)
    return f"{problem.column}{translate(': ', lang)}{reason}" if problem.column else reason


def reason_in(problem: Problem, lang: str) -> str:
    """A refused row's reason in ``lang`` where the check named its message, else the
    import's own line."""
    if not problem.message_id:
        return problem.reason
    return message_in(problem.message_id, problem.values, problem.words, lang)


def message_in(
    message_id: str, values: Mapping[str, Any], words: Mapping[str, str], lang: str
) -> str:
    """A named message in ``lang``: ``values`` as given (phrases among them worded in
    ``lang``), ``words`` (catalog messages) translated."""
    translated = {key: translate(word, lang) for key, word in words.items()}
    given = {key: _said(value, lang) for key, value in values.items()}
    return translate(message_id, lang) % {**given, **translated}


def _said(value: Any, lang: str) -> Any:
    """A value as a message shows it: a phrase (or a list of them) worded in ``lang``,
    alternatives joined with the reader's 'or'."""
    if isinstance(value, Phrase):
        return message_in(value.message_id, value.values, {}, lang)
    if isinstance(value, Listed):
        return translate(value.joiner, lang).join(str(_said(i, lang)) for i in value.items)
    if isinstance(value, AnyOf):
        return translate(" or ", lang).join(value)
    return value


def gettext_for(lang: str) -> Callable[[str], str]:
    """The ``gettext`` a Jinja environment installs for one edition."""
    if lang not in LANGS:
        raise InvalidInput(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")

    def gettext(message: str) -> str:
        return translate(message, lang)

    return gettext
