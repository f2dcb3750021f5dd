"""Why a KPI figure uses its reported or its recomputed value, as catalog messages (#19).

kpi.precedence and kpi.readout say it in English (the API's and the CLI's words, unchanged);
the English sentence is the message's id, so a page words it in its language from the
catalog instead of showing English. Any other text is shown as given. Each sentence has a
code (:data:`CODES`), which the API gives beside the English (``why_code``) so a client
words it in its own language without matching English.
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
CODES: dict[str, str] = {
    "takes_precedence": TAKES_PRECEDENCE,
    "recomputed_incomplete": RECOMPUTED_INCOMPLETE,
    "recomputed_partial": RECOMPUTED_PARTIAL,
    "nothing_recomputed": NOTHING_RECOMPUTED,
    "nothing_reported": NOTHING_REPORTED,
}
SENTENCES = frozenset(CODES.values())
_CODE_OF = {sentence: code for code, sentence in CODES.items()}


def why_code(why: str | None) -> str | None:
    """The code of the precedence sentence ``why`` (None for no sentence or other text)."""
    return None if why is None else _CODE_OF.get(why)


def why_sentence(code: str, lang: str) -> str:
    """The sentence of ``code`` in ``lang`` (KeyError for an unknown code)."""
    return translate(CODES[code], lang)


def why_words(why: str | None, lang: str) -> str | None:
    """The precedence sentence ``why`` in ``lang``; English, and any other text, as given."""
    if why is None or lang == "en" or why not in SENTENCES:
        return why
    return translate(why, lang)
