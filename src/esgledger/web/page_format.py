"""Dates and units as a page prints them in its language (#19).

A Chinese page writes a day as ``2027年1月4日`` and a moment as ``2027年1月4日 09:30``, as the
Chinese report does (:func:`esgledger.disclose.locale_format.long_date`), and a unit the
catalog names in Chinese in its Chinese words (``tCO2e`` → 吨二氧化碳当量, a metric's ``t`` →
吨). An English page prints exactly what it always printed: every filter here is the identity
in English, so the templates pass it the text they printed before. What cannot be read as a
date (``–``, a typed value) and a unit outside the catalog (a user's own) are data, printed as
given. Form fields, ``<time datetime>`` and ids keep the ISO form whatever the language.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from esgledger.catalog import metrics as catalog_metrics
from esgledger.catalog import translations
from esgledger.disclose.locale_format import long_date
from esgledger.web.language import CURRENT

ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
ISO_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?")
# An ISO date standing alone in a sentence (not inside a file name, a code or a number).
DATE_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9_./-])\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?![A-Za-z0-9_/-]|\.\d)"
)


def _date(text: str) -> dt.date | None:
    match = ISO_DAY.fullmatch(text)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def day(value: object) -> str:
    """A day (a date or its ISO text) in the page's language; other text as given."""
    text = "" if value is None else str(value)
    if CURRENT.get() == "en":
        return text
    when = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
    when = when or _date(text)
    return long_date(when, CURRENT.get()) if when else text


def moment(value: object) -> str:
    """A moment printed as ``YYYY-MM-DD HH:MM[:SS]`` (or ISO with ``T``): its day in the page's
    language, then its time as printed; other text as given."""
    text = "" if value is None else str(value)
    if CURRENT.get() == "en":
        return text
    match = ISO_MOMENT.fullmatch(text)
    if match is None:
        return day(text)
    when = _date(match.group(1))
    return f"{long_date(when, CURRENT.get())} {match.group(2)}" if when else text


def dates_in(text: str) -> str:
    """A sentence the page words (a finding's explanation) with each ISO date standing alone
    in it written as the page's language writes dates; English unchanged."""
    if CURRENT.get() == "en":
        return text
    return DATE_IN_TEXT.sub(lambda found: moment(found.group(0)), text)


def member_worded(code: object) -> str:
    """A breakdown member (``employee``, ``above_50``) in the page's language where the
    catalog names it; a member of a user's own breakdown as stored."""
    text = "" if code is None else str(code)
    lang = CURRENT.get()
    if lang == "en" or not translations.has_text("member", text, lang):
        return text
    return translations.text("member", text, lang)


def unit_worded(unit: object, metric_id: object = None) -> str:
    """A unit in the page's language: a metric's own unit (``t``) in its published unit's
    Chinese words, a published unit (``tCO2e``) in its Chinese, else as stored."""
    text = "" if unit is None else str(unit)
    lang = CURRENT.get()
    if lang == "en" or not text:
        return text
    metric = "" if metric_id is None else str(metric_id)
    if (
        metric
        and translations.has_text("metric_unit", metric, "en")
        and translations.text("metric_unit", metric, "en") == text
        and translations.has_text("metric_unit", metric, lang)
    ):
        return translations.text("metric_unit", metric, lang)
    if translations.has_text("unit", text, lang):
        return translations.text("unit", text, lang)
    return _metric_units(lang).get(text, text)


@cache
def _metric_units(lang: str) -> dict[str, str]:
    """A metric unit as stored (``t``, ``tce``) → its words in ``lang``, where every metric
    stored in it publishes it in the same words (``count`` is 个 for one metric and 场 for
    another, so it has none)."""
    words: dict[str, set[str]] = {}
    for metric_id, metric in catalog_metrics().items():
        if translations.has_text("metric_unit", metric_id, lang):
            words.setdefault(metric.unit, set()).add(
                translations.text("metric_unit", metric_id, lang)
            )
    return {unit: next(iter(found)) for unit, found in words.items() if len(found) == 1}
