"""The report templates' Jinja environment for one edition's language (#19).

Every template — the report itself and the chapters rendered from the assessments — is
rendered through here, so ``_()``, ``ngettext`` and ``{% trans %}`` speak the edition's
language and the filters print codes as words in that language. What users typed into the
ledger (a risk's title, a boundary's note) is printed as typed; :func:`entered` marks it
``lang="en"`` in the Chinese edition when it holds no Chinese, so a screen reader and the
tagged PDF read it in its own language.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from esgledger.catalog.messages import gettext_for
from esgledger.checks.explained import explanation_in, has_message
from esgledger.disclose import labels
from esgledger.disclose.headings import index_code
from esgledger.disclose.locale_format import bracketed, long_date, table_number
from esgledger.kpi.register_figures.notes import worded_reason

CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
LATIN = re.compile(r"[A-Za-z]{2}")


def entered(value: Any, lang: str) -> str:
    """User-typed ``value`` as typed; in another edition, Latin text is marked English
    (markup then, escaped; the English edition gets the plain text, escaped where printed)."""
    text = "" if value is None else str(value)
    if lang == "en":
        return text
    if CJK.search(text) or not LATIN.search(text):
        return escape(text)
    return Markup('<span lang="en">{}</span>').format(text)


def explained(entry: Any, lang: str) -> str:
    """An acknowledged finding of the data-quality statement explained in the edition's
    language where its check named its message, else its English as stored."""
    message = entry.get("message") or {}
    if lang != "en" and has_message(message):
        return explanation_in(str(entry["explanation"]), message, lang)
    return entered(entry["explanation"], lang)


SENTENCE_ENDS = (".", "。", "!", "?", "！", "？")


def full_stop(typed: Any, lang: str) -> str:
    """The full stop after a sentence ending in typed text, unless the text ends one itself
    (a board's resolution typed as a sentence): never "topics..", "topics.。"."""
    text = "" if typed is None else str(typed).rstrip()
    return "" if text.endswith(SENTENCE_ENDS) else gettext_for(lang)(".")


def day(value: Any, lang: str) -> str:
    """An ISO date (or a date) as the edition writes dates; English keeps the ISO form."""
    if value is None or value == "":
        return ""
    when = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return when.isoformat() if lang == "en" else long_date(when, lang)


def titled(item: Any) -> str:
    """An index's or a disclosure's title: a framework's English title (marked English for
    the reader's screen reader and the tagged PDF) with our gloss after it, else as given."""
    english, gloss = item.get("title_en"), item.get("gloss")
    if not english:
        return escape(item["title"] if "title" in item else item["name"])  # a standard's name
    shown = Markup('<span lang="en">{}</span>').format(english)
    return shown + Markup("（{}）").format(gloss) if gloss else shown


def edition_environment(lang: str) -> Environment:
    """The templates with ``_()`` and ``{% trans %}`` bound to ``lang``, and its filters."""
    env = Environment(
        loader=PackageLoader("esgledger.disclose", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
    gettext = gettext_for(lang)
    env.install_gettext_callables(  # type: ignore[attr-defined]  # the i18n extension adds it
        gettext, lambda one, many, n: gettext(one if n == 1 else many), newstyle=True
    )
    env.globals["lang"] = lang
    env.globals["titled"] = titled
    env.filters["entered"] = lambda value: entered(value, lang)
    env.filters["explained"] = lambda entry: explained(entry, lang)
    env.filters["risk_category"] = lambda code: labels.risk_category(code, lang)
    env.filters["plain"] = lambda code: labels.plain(code, lang)
    env.filters["word"] = lambda code, table: labels.word(code, table, lang)
    env.filters["number"] = lambda value, decimals=0: table_number(value, decimals, lang)
    env.filters["day"] = lambda value: day(value, lang)
    env.filters["full_stop"] = lambda typed: full_stop(typed, lang)
    env.filters["bracketed"] = lambda inside: bracketed(inside, lang)
    env.filters["index_code"] = lambda entry, framework: index_code(
        entry["code"], entry["kind"], framework, entry["title"], lang
    )
    env.filters["reason"] = lambda note, why: worded_reason(note, why, lang)
    return env
