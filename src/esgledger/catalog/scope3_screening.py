"""The fixed terms of a Scope 3 screening: why a category is (not) relevant, the methods a
category can be computed with, and the data-quality scale.

Relevance criteria follow the GHG Protocol Corporate Value Chain (Scope 3) Standard, ch. 6
(size, influence, risk, stakeholders, outsourcing, sector guidance), plus "no activity" for a
category the company has nothing in (no franchises, no investments). The data-quality score
is the 1–5 scale of the data-quality indicators (technological, temporal and geographical
representativeness, completeness, reliability) of the Scope 3 Standard, ch. 7: 1 very good …
5 very poor.
"""

from __future__ import annotations

from esgledger.catalog.messages import N_

# Said where a screening gives no note of its own; each edition words it (#19).
REASONS = {
    "size": N_("large (or small) against the expected total"),
    "influence": N_("the company can (or cannot) reduce these emissions"),
    "risk": N_("adds (or adds no) climate-related risk exposure"),
    "stakeholders": N_("customers, investors or society deem it (not) critical"),
    "outsourcing": N_("outsourced activities formerly performed in-house"),
    "sector_guidance": N_("sector-specific guidance names it (or not) as significant"),
    "no_activity": N_("the company has no activity in this category"),
}
# The criteria themselves, as a reader of each edition names them.
CRITERIA = {
    "size": N_("size"),
    "influence": N_("influence"),
    "risk": N_("risk"),
    "stakeholders": N_("stakeholders"),
    "outsourcing": N_("outsourcing"),
    "sector_guidance": N_("sector guidance"),
    "no_activity": N_("no activity"),
}
METHODS = (
    "spend_based",
    "average_data",
    "distance_based",
    "waste_type",
    "supplier_specific",
    "hybrid",
    "use_phase",
    "end_of_life",
)
DATA_QUALITY = {1: "very good", 2: "good", 3: "fair", 4: "poor", 5: "very poor"}
CATEGORY_NUMBERS = range(1, 16)
