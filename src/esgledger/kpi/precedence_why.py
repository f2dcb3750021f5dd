"""Why a KPI figure uses its reported or its recomputed value, as catalog messages (#19).

kpi.precedence and kpi.readout say it in English (the API's and the CLI's words, unchanged);
the English sentence is the message's id, so a page words it in its language from the
catalog instead of showing English. Any other text is shown as given.
"""

from __future__ import annotations

from esgledger.catalog.messages import N_, translate

TAKES_PRECEDENCE = N_("recomputed from the ledger's data (it takes precedence)")
RECOMPUTED_INCOMPLETE = N_(
    "reported; the recomputed figure is incomplete (unresolved activity rows)"
)
RECOMPUTED_PARTIAL = N_("reported; the recomputed figure covers only part of the boundary")
NOTHING_RECOMPUTED = N_("reported; nothing recomputed for it")
NOTHING_REPORTED = N_("recomputed from the ledger's data; nothing reported")
SENTENCES = frozenset(
    (
        TAKES_PRECEDENCE,
        RECOMPUTED_INCOMPLETE,
        RECOMPUTED_PARTIAL,
        NOTHING_RECOMPUTED,
        NOTHING_REPORTED,
    )
)


def why_words(why: str | None, lang: str) -> str | None:
    """The precedence sentence ``why`` in ``lang``; English, and any other text, as given."""
    if why is None or lang == "en" or why not in SENTENCES:
        return why
    return translate(why, lang)
