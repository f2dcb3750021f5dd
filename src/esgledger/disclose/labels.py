"""Words for codes: what the report prints where the ledger stores a code.

A reader never sees ``above_50`` or ``operational.supply_chain``: breakdown members, risk
categories and the assessments' vocabularies (levels, responses, statuses) are printed as
words in the edition's language — the risk dictionary's and the TCFD categories' names from
the catalog (with their Chinese in ``catalog/data/i18n``), the rest from the tables below,
whose English is a gettext message id (``messages.zh.po`` holds the Chinese).
"""

from __future__ import annotations

from esgledger.catalog.messages import N_, translate
from esgledger.catalog.risks import default_risk_dictionary
from esgledger.catalog.translations import has_text, text

MEMBER_WORDS = {
    "above_50": "over 50",
    "chinese_mainland": "Chinese mainland",
    "outside_chinese_mainland": "outside the Chinese mainland",
    "unknown": "not recorded",
}


FAMILY_WORDS = {
    "energy_ghg": N_("energy and GHG"),
    "environment": N_("environment"),
    "social": N_("social"),
    "financial": N_("financial"),
    "all": N_("all"),
}

# The assessments' vocabularies, by table name (the ``word`` filter of the templates).
VOCABULARIES: dict[str, dict[str, str]] = {
    "materiality_level": {
        "highly_material": N_("highly material"),
        "moderately_material": N_("moderately material"),
        "less_material": N_("less material"),
    },
    "risk_level": {"high": N_("high"), "medium": N_("medium"), "low": N_("low")},
    "response": {
        "avoid": N_("avoid"),
        "reduce": N_("reduce"),
        "share": N_("share"),
        "retain": N_("retain"),
    },
    "climate_kind": {"risk": N_("risk"), "opportunity": N_("opportunity")},
    "climate_level": {"Low": N_("Low"), "Medium": N_("Medium"), "High": N_("High")},
    "target_status": {
        "met": N_("met"),
        "not met": N_("not met"),
        "not assessable": N_("not assessable"),
    },
    "axis": {
        "impact": N_("impact on people and the environment"),
        "financial": N_("financial effects on the company"),
        "stakeholder": N_("significance to them"),
        "business": N_("significance to the business"),
    },
    "material_on": {
        "impact and financial": N_("impact and financial"),
        "impact": N_("impact"),
        "financial": N_("financial"),
        "material": N_("material"),
    },
    "scope2_basis": {"market": N_("market-based"), "location": N_("location-based")},
    "carbon_method": {
        "emissions × (1 − free share) × price; static emissions; linear interpolation "
        "between path points, none outside": N_(
            "emissions × (1 − free share) × price; static emissions; linear interpolation "
            "between path points, none outside"
        ),
    },
    "severity": {"error": N_("error"), "warning": N_("warning")},
    "iro_kind": {
        "impact": N_("impact"),
        "risk": N_("risk"),
        "opportunity": N_("opportunity"),
    },
}


def word(code: str | None, table: str, lang: str = "en") -> str:
    """``code`` of the vocabulary ``table`` as a word in ``lang``; an unknown code (a user's
    own) is printed as it is."""
    if code is None:
        return ""
    found = VOCABULARIES[table].get(str(code))
    return translate(found, lang) if found is not None else str(code)


def family_label(code: str, lang: str = "en") -> str:
    """A boundary's data family: ``energy_ghg`` → ``energy and GHG``."""
    return translate(FAMILY_WORDS[code], lang) if code in FAMILY_WORDS else plain(code, lang)


def plain(code: str, lang: str = "en") -> str:
    """``front_line`` → ``front line``; a code already in words is left as it is. In another
    language, a breakdown member the catalog translates is printed in that language."""
    if lang != "en" and has_text("member", code, lang):
        return text("member", code, lang)
    return MEMBER_WORDS.get(code, code.replace("_", " "))


def risk_category(code: str, lang: str = "en") -> str:
    """``operational.supply_chain`` → ``Operational risks — Supply chain`` from the dictionary
    (in Chinese from its translation); a user's own category is printed in plain words."""
    names = default_risk_dictionary()
    parts = code.split(".")
    words = []
    for depth in range(1, len(parts) + 1):
        key = ".".join(parts[:depth])
        if key in names:
            words.append(names[key].name if lang == "en" else text("risk_category", key, lang))
        else:
            words.append(plain(parts[depth - 1]).capitalize())
    return " — ".join(words)
