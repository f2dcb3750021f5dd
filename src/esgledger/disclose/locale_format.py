"""Numbers and dates as each report edition's reader expects them (#19).

Both editions group thousands with commas and use a decimal point (CLDR for ``zh_Hans_CN`` and
``en_GB`` agree), so a table reads the same in either language. Dates are written out:
``31 December 2025`` and ``2025年12月31日``. Chinese prose counts large numbers in 万 (10⁴) and 亿
(10⁸), as Chinese readers do; tables never do, so a reader can compare columns digit by digit.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal
from markupsafe import Markup

from esgledger.catalog.translations import LANGS
from esgledger.errors import InvalidInput

_LOCALES = {"en": "en_GB", "zh": "zh_Hans_CN"}
_LARGE_UNITS = ((1e8, "亿"), (1e4, "万"))


def _locale(lang: str) -> str:
    if lang not in LANGS:
        raise InvalidInput(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    return _LOCALES[lang]


def table_number(value: float, decimals: int, lang: str) -> str:
    """A figure for a table cell: grouped thousands, exactly ``decimals`` places."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def prose_number(value: float, decimals: int, lang: str) -> str:
    """A figure inside a sentence. In Chinese, 10⁴ and above is counted in 万 or 亿 with at most
    two decimals, so never more precision than the table's figure: 55,780 → 5.58万."""
    if lang == "zh":
        for size, word in _LARGE_UNITS:
            if abs(value) >= size:
                scaled = value / size
                return format_decimal(scaled, format="#,##0.##", locale=_locale(lang)) + word
    return table_number(value, decimals, lang)


def long_date(day: dt.date, lang: str) -> str:
    """A date in words: ``31 December 2025`` or ``2025年12月31日``."""
    return _babel_date(day, format="long", locale=_locale(lang))


def bracketed(text: str, lang: str) -> str:  # Markup in, Markup out
    """``text`` in brackets after the words before it: `` (text)`` in English, ``（text）`` in
    Chinese prose (full-width, no space), as Chinese typography sets them."""
    pattern = " ({})" if lang == "en" else "（{}）"
    return Markup(pattern).format(text) if isinstance(text, Markup) else pattern.format(text)
