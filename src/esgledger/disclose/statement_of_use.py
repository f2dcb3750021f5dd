"""The GRI statement of use printed above the GRI content index (GRI 1, Requirement 9).

The report claims "in accordance with" the GRI Standards when configured to
(``ESG_GRI_CLAIM``) and GRI 1 allows it: every required disclosure is reported or carries a
permitted reason for omission. Otherwise it says "with reference to", and names why, so a
report never claims more than it holds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from esgledger.catalog.messages import N_, translate
from esgledger.disclose.edition_env import entered
from esgledger.disclose.footnotes import sentence
from esgledger.disclose.index import ANSWERED, ContentIndex
from esgledger.disclose.locale_format import long_date

IN_ACCORDANCE = "in accordance"
GRI_1 = "GRI 1: Foundation 2021"
WITH_REFERENCE = "with reference"


def unmet(index: ContentIndex) -> list[str]:
    """Required disclosures neither reported nor omitted for a permitted reason."""
    return [
        e.code for e in index.entries if e.required and e.status != ANSWERED and e.omission is None
    ]


def statement_parts(index: ContentIndex, company: str, claim: str) -> dict[str, Any]:
    """What the statement of use says: the claim it can make and what keeps it from more."""
    missing = unmet(index)
    return {
        "company": company,
        "year": index.year,
        "in_accordance": claim == IN_ACCORDANCE and not missing,
        "claimed": claim == IN_ACCORDANCE,
        "missing": missing,
    }


def gri_statement(index: ContentIndex, company: str, claim: str) -> str:
    """The statement of use for a GRI 2021 index, downgraded with its reason when unmet."""
    return statement_text(statement_parts(index, company, claim), "en")


def statement_text(parts: dict[str, Any], lang: str) -> str:
    """The statement of use in ``lang`` (GRI 1, Requirement 9, and its Table 2 wording)."""
    year, company = parts["year"], parts["company"]
    if lang == "en":
        period = f"1 January {year} – 31 December {year}"
    else:
        start, end = dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
        period = f"{long_date(start, lang)}至{long_date(end, lang)}"
    # GRI 1's title as GRI publishes it: no GRI-published Chinese title could be cited (#19)
    values = {"company": entered(company, lang), "period": period, "gri1": entered(GRI_1, lang)}
    if parts["in_accordance"]:
        return sentence(
            N_(
                "%(company)s has reported in accordance with the GRI Standards for the period "
                "%(period)s. GRI 1 used: %(gri1)s. Applicable GRI Sector Standard: "
                "none published for the sector."
            ),
            lang,
            values,
        )
    text = sentence(
        N_(
            "%(company)s has reported the information cited in this GRI content index for the "
            "period %(period)s with reference to the GRI Standards. GRI 1 used: %(gri1)s."
        ),
        lang,
        values,
    )
    missing = parts["missing"]
    if parts["claimed"]:
        codes = translate(", ", lang).join(missing)
        why = (
            N_(
                "The report cannot claim to be in accordance with the GRI Standards: %(codes)s "
                "is not reported and GRI 1 permits no reason for omission for it."
            )
            if len(missing) == 1
            else N_(
                "The report cannot claim to be in accordance with the GRI Standards: %(codes)s "
                "are not reported and GRI 1 permits no reason for omission for them."
            )
        )
        text += (" " if lang == "en" else "") + sentence(why, lang, {"codes": codes})
    return text
