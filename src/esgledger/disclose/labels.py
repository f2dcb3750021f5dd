"""Words for codes: what the report prints where the ledger stores a code.

A reader never sees ``above_50`` or ``operational.supply_chain``: breakdown members and risk
categories are printed as words (the risk dictionary's names, else the code in plain words).
"""

from __future__ import annotations

from esgledger.catalog.risks import default_risk_dictionary

MEMBER_WORDS = {
    "above_50": "over 50",
    "chinese_mainland": "Chinese mainland",
    "outside_chinese_mainland": "outside the Chinese mainland",
    "unknown": "not recorded",
}


FAMILY_WORDS = {"energy_ghg": "energy and GHG"}


def family_label(code: str) -> str:
    """A boundary's data family: ``energy_ghg`` → ``energy and GHG``."""
    return FAMILY_WORDS.get(code, plain(code))


def plain(code: str) -> str:
    """``front_line`` → ``front line``; a code already in words is left as it is."""
    return MEMBER_WORDS.get(code, code.replace("_", " "))


def risk_category(code: str) -> str:
    """``operational.supply_chain`` → ``Operational risks — Supply chain`` from the dictionary."""
    names = default_risk_dictionary()
    parts = code.split(".")
    words = []
    for depth in range(1, len(parts) + 1):
        key = ".".join(parts[:depth])
        words.append(names[key].name if key in names else plain(parts[depth - 1]).capitalize())
    return " — ".join(words)
