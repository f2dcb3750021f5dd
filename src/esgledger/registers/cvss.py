"""CVSS v3.1 base score → qualitative severity, and the CVE identifier's format.

Severity bands are the rating scale of FIRST, "Common Vulnerability Scoring System v3.1:
Specification Document", revision 1 (June 2019), section 5 "Qualitative Severity Rating
Scale": None 0.0, Low 0.1-3.9, Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0. Base scores
are given to one decimal (section 7.4 rounds up to one decimal), so a score with more
decimals is refused rather than guessed into a band.

CVE ids follow the CVE Program's syntax (in force since 1 January 2014): ``CVE-YYYY-NNNN``
with a year and a sequence of four or more digits.
"""

from __future__ import annotations

import re

SEVERITIES = ("none", "low", "medium", "high", "critical")
# (lowest score of the band, severity), highest band first
BANDS = ((9.0, "critical"), (7.0, "high"), (4.0, "medium"), (0.1, "low"), (0.0, "none"))
CVE_ID = re.compile(r"^CVE-(\d{4})-(\d{4,19})$")
FIRST_CVE_YEAR = 1999  # the CVE list's first identifiers


def severity(score: float) -> str:
    """The qualitative severity of a CVSS v3.1 base score from 0.0 to 10.0."""
    if not 0.0 <= score <= 10.0:
        raise ValueError(f"CVSS base score {score} is not between 0.0 and 10.0")
    return next(name for low, name in BANDS if score >= low)


def cve_problem(text: str) -> str | None:
    """Why ``text`` is not a CVE id, or None when it is one."""
    match = CVE_ID.match(text)
    if match is None:
        return f"'{text}' is not a CVE id (CVE-YYYY-NNNN, four or more digits)"
    if int(match.group(1)) < FIRST_CVE_YEAR:
        return f"'{text}' has a year before {FIRST_CVE_YEAR}, the first CVE year"
    return None
