"""The conflict-minerals data words a Chinese edition words from a known vocabulary (#19).

A metal is stored as the templates' code (``ingest.cmrt_templates``: tin, tantalum …); a
smelter's status as the user's imported RMI list gives it (Conformant, Active: the facility
lists RMI publishes, compared case-insensitively as the template's drop-downs are). Both are
labelled in the reader's language from the catalog; any other status — one the user typed —
is data and shown as stored, and English shows the stored value itself.
"""

from __future__ import annotations

from esgledger.catalog.messages import N_, translate

METALS: dict[str, str] = {
    "tin": N_("tin"),
    "tantalum": N_("tantalum"),
    "tungsten": N_("tungsten"),
    "gold": N_("gold"),
    "cobalt": N_("cobalt"),
    "mica": N_("mica"),
    "copper": N_("copper"),
    "lithium": N_("lithium"),
    "natural graphite": N_("natural graphite"),
    "nickel": N_("nickel"),
}
# RMI's facility lists (spec: conflict-minerals.md, "Facility lists"), by lower-case status.
SMELTER_STATUSES: dict[str, str] = {
    "conformant": N_("Conformant"),
    "active": N_("Active"),
}


def metal_word(metal: str, lang: str) -> str:
    """A metal's code in ``lang``; English, and a code outside the templates', as stored."""
    message = METALS.get(metal)
    return metal if lang == "en" or message is None else translate(message, lang)


def smelter_status_word(status: str, lang: str) -> str:
    """A smelter's status from the imported list in ``lang`` when it is one of RMI's (any
    case); English, and any other status, as stored."""
    message = SMELTER_STATUSES.get(status.strip().lower())
    return status if lang == "en" or message is None else translate(message, lang)
