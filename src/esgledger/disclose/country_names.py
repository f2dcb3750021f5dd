"""Country names for the report: ISO 3166-1 short names in English, their Chinese names in
the Chinese edition (both from pycountry: its ISO 3166-1 data and its ``zh_CN`` catalogue).

A report prints a supplier's country as a name, never as the code the register keeps. A
code with no name in the edition's language is refused with an error naming it: printing the
code, or the English name in the Chinese edition, would look like a name and be wrong.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from esgledger.errors import InvalidInput

LOCALES = {"zh": "zh_CN"}  # edition language → pycountry's catalogue


def country_name(code: str, lang: str) -> str:
    """The name of ISO 3166-1 alpha-2 ``code`` in ``lang`` ("en" or "zh")."""
    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    if country is None:
        raise InvalidInput(f"{code!r} is not an ISO 3166-1 alpha-2 country code: no name to print")
    if lang == "en":
        return str(country.name)
    name = _catalogue(lang).gettext(country.name)
    if name == country.name:
        raise InvalidInput(
            f"pycountry's {LOCALES[lang]} catalogue has no name for country {code.upper()} "
            f"({country.name}); the {lang} edition cannot print it"
        )
    return name


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang not in LOCALES:
        raise InvalidInput(f"no country names in {lang!r}; editions are en and zh")
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[LOCALES[lang]])
    except OSError as exc:
        raise InvalidInput(
            f"pycountry's {LOCALES[lang]} country names are missing ({exc}); reinstall pycountry"
        ) from exc
