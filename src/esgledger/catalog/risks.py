"""The shipped default risk dictionary (``risk_dictionary.csv``): a two-level taxonomy of
categories a register entry is classified in. Users extend it in their workspace
(:mod:`esgledger.assess.risk`); shipped codes cannot be redefined there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from esgledger.catalog._files import read_rows


@dataclass(frozen=True, slots=True)
class RiskCategoryDef:
    code: str
    name: str
    parent: str
    description: str
    source: str


@cache
def default_risk_dictionary() -> dict[str, RiskCategoryDef]:
    """Shipped categories by code, parents before children."""
    return {
        r["code"]: RiskCategoryDef(r["code"], r["name"], r["parent"], r["description"], r["source"])
        for r in read_rows("risk_dictionary.csv")
    }
