"""The GRI statement of use printed above the GRI content index (GRI 1, Requirement 9).

The report claims "in accordance with" the GRI Standards when configured to
(``ESG_GRI_CLAIM``) and GRI 1 allows it: every required disclosure is reported or carries a
permitted reason for omission. Otherwise it says "with reference to", and names why, so a
report never claims more than it holds.
"""

from __future__ import annotations

from esgledger.disclose.index import ANSWERED, ContentIndex

IN_ACCORDANCE = "in accordance"
WITH_REFERENCE = "with reference"


def unmet(index: ContentIndex) -> list[str]:
    """Required disclosures neither reported nor omitted for a permitted reason."""
    return [
        e.code for e in index.entries if e.required and e.status != ANSWERED and e.omission is None
    ]


def gri_statement(index: ContentIndex, company: str, claim: str) -> str:
    """The statement of use for a GRI 2021 index, downgraded with its reason when unmet."""
    period = f"1 January {index.year} – 31 December {index.year}"
    missing = unmet(index)
    if claim == IN_ACCORDANCE and not missing:
        return (
            f"{company} has reported in accordance with the GRI Standards for the period "
            f"{period}. GRI 1 used: GRI 1: Foundation 2021. Applicable GRI Sector Standard: "
            "none published for the sector."
        )
    text = (
        f"{company} has reported the information cited in this GRI content index for the "
        f"period {period} with reference to the GRI Standards. GRI 1 used: GRI 1: "
        "Foundation 2021."
    )
    if claim == IN_ACCORDANCE:
        text += (
            " The report cannot claim to be in accordance with the GRI Standards: "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not reported and "
            "GRI 1 permits no reason for omission for "
            f"{'it' if len(missing) == 1 else 'them'}."
        )
    return text
