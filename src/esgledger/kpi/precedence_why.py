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


# The parts of the old notes precedence wrote without codes ("recomputed; the reported value
# is not_disclosed", "reported; nothing recomputed (no data)" …): English as stored → message,
# so a stored note matching one exactly is worded (kpi.register_figures.notes).
OLD_PARTS: dict[str, tuple[str, str]] = {
    "old_recomputed": ("recomputed", N_("recomputed")),
    "old_reported_value": (
        "the reported value is %(status)s", N_("the reported value is %(status)s")
    ),
    "old_incomplete": (
        "the recomputed figure is incomplete (unresolved activity rows)",
        N_("the recomputed figure is incomplete (unresolved activity rows)"),
    ),
    "old_partial": (
        "the recomputed figure covers only part of the boundary",
        N_("the recomputed figure covers only part of the boundary"),
    ),
    "old_nothing_for_it": ("nothing recomputed for it", N_("nothing recomputed for it")),
    "old_from_ledger": (
        "recomputed from the ledger's data", N_("recomputed from the ledger's data")
    ),
    "old_takes_precedence": (TAKES_PRECEDENCE, TAKES_PRECEDENCE),
    "old_nothing_reported": ("nothing reported", N_("nothing reported")),
    "old_no_data": ("no data", N_("no data")),
}  # fmt: skip
# A figure's status as the old form printed it (its code) → its word.
STATUS_WORDS = {
    "not_disclosed": N_("not disclosed"),
    "not_applicable": N_("not applicable"),
    "missing": N_("missing"),
    "reported": N_("reported"),
}
