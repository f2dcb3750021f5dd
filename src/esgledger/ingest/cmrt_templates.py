"""What the RMI reporting templates hold, version by version, as data (no RMI file shipped).

The facts come from public descriptions of the templates (``/work/shared/spec/
conflict-minerals.md``): the CMRT covers tin, tantalum, tungsten and gold with questions 1-8
per metal and company questions A-H; the EMRT covers cobalt and mica up to 1.3, and adds
copper, natural graphite, lithium and nickel from 2.0. Labels are matched after
:func:`normalise`, because drop-down and label texts differ in letter case and dashes
between versions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CMRT_METALS = ("tantalum", "tin", "gold", "tungsten")
EMRT_1_METALS = ("cobalt", "mica")
EMRT_2_METALS = ("cobalt", "copper", "lithium", "mica", "natural graphite", "nickel")
QUESTIONS = tuple(str(n) for n in range(1, 9))
COMPANY_QUESTIONS = tuple("ABCDEFGH")
NEED_URL = ("A", "B")  # a Yes needs the policy's URL in the comment


@dataclass(frozen=True)
class Template:
    """One template version: its metals and the questions it asks of each."""

    kind: str  # CMRT | EMRT
    version: str
    metals: tuple[str, ...]


TEMPLATES: dict[tuple[str, str], Template] = {
    **{("CMRT", v): Template("CMRT", v, CMRT_METALS)
       for v in ("6.01", "6.1", "6.22", "6.31", "6.4", "6.5", "6.6")},
    **{("EMRT", v): Template("EMRT", v, EMRT_1_METALS) for v in ("1.1", "1.2", "1.3")},
    **{("EMRT", v): Template("EMRT", v, EMRT_2_METALS) for v in ("2.0", "2.1")},
}  # fmt: skip

TITLE = re.compile(r"\b(CMRT|EMRT)\b.*?\b(?:revision|version|rev\.?)\s*(\d+\.\d+)", re.I)

# Company information block of the Declaration sheet: field → its label.
COMPANY_FIELDS = {
    "company_name": "company name",
    "scope": "declaration scope or class",
    "scope_description": "description of scope",
    "unique_id": "company unique id",
    "address": "address",
    "contact_name": "contact name",
    "contact_email": "email - contact",
    "contact_phone": "phone - contact",
    "authorizer": "authorizer",
    "authorizer_title": "title - authorizer",
    "authorizer_email": "email - authorizer",
    "authorizer_phone": "phone - authorizer",
    "effective_date": "effective date",
}
REQUIRED_FIELDS = (
    "company_name", "scope", "contact_name", "contact_email", "contact_phone", "authorizer",
    "authorizer_email", "authorizer_phone", "effective_date",
)  # fmt: skip
EMAIL_FIELDS = ("contact_email", "authorizer_email")

SCOPES = {
    "a. company": "company",
    "b. product (or list of products)": "products",
    "c. user defined": "user_defined",
}
YES_NO = ("yes", "no")

# Smelter List: the header row, the first data row, and the columns read (by header text).
SMELTER_HEADER_ROW = 3
SMELTER_COLUMNS = {
    "metal": "metal",
    "lookup": "smelter look-up",
    "name": "smelter name",
    "country": "smelter country",
    "smelter_id": "smelter identification",
    "source": "source of smelter identification number",
}
SMELTER_ID = re.compile(r"^CID\d{6}$")
NOT_LISTED = "smelter not listed"
NOT_IDENTIFIED = "smelter not yet identified"
UNKNOWN_NAME = "unknown"

# Product List: the header is found among the first rows by this column's text.
PRODUCT_NUMBER = "manufacturer's product number"
PRODUCT_HEADER_ROWS = 10

DATE_TEXT = re.compile(r"^\d{2}-[A-Za-z]{3}-\d{4}$")  # DD-MMM-YYYY


def normalise(text: str) -> str:
    """A label or drop-down text compared across versions: lower case, single spaces, one kind
    of dash, without the ``(*)`` / ``(1)`` markers and a trailing colon."""
    text = re.sub(r"\(\s*[*\d]\s*\)", "", text.replace("\u2013", "-").replace("\u2014", "-"))
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(":").strip()
    return text.lower()
