"""Why a KPI figure is partial, worded in a reader's language from codes (#19).

The API and the CLI keep the English reason they always gave (kpi.readout, from the note);
a page words the same facts in its language: a figure's own "partial: …" note part from the
part's code (``note_why``), a formula's reason from its partial inputs, each named in the
page's language with its own reason. A part without a code is shown as given (data).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from esgledger.catalog.messages import N_, translate
from esgledger.kpi.incomplete_why import FROM, INPUT, Inputs
from esgledger.kpi.readout import partial_reason
from esgledger.kpi.register_figures.notes import coded_part, worded_note

LEAD = "partial: "
PARTIAL = N_("partial: %(reason)s")
SOME = N_("its data cover only part of the boundary")


def partial_words(
    fig: Mapping[str, Any],
    lang: str,
    names: Callable[[str, str, str], str],
    inputs: Inputs,
) -> str | None:
    """The figure's partial reason in ``lang`` (None when it is not partial); English is
    the readout's, word for word. ``names`` gives a metric's name in ``lang``."""
    if not fig.get("partial"):
        return None
    if lang == "en":
        return partial_reason(dict(fig), inputs)  # type: ignore[arg-type]
    own = _own(fig, lang)
    if own is not None:
        return own
    said = []
    for used in fig.get("inputs") or []:
        metric = used.get("metric")
        name, part = inputs.get(metric, ("", None)) if metric else ("", None)
        if part and part.get("partial"):
            why = partial_words(part, lang, names, inputs)
            said.append(translate(INPUT, lang) % {"name": names(metric, name, lang), "why": why})
    if said:
        return translate(FROM, lang) % {"inputs": translate("; ", lang).join(said)}
    return translate(SOME, lang)


def _own(fig: Mapping[str, Any], lang: str) -> str | None:
    """The figure's own "partial: …" note part in ``lang``, without the language's lead."""
    why = list(fig.get("note_why") or [])
    for part in _parts(str(fig.get("note") or "")):
        if not part.startswith(LEAD):
            continue
        if coded_part(part, why) is None:
            return part.removeprefix(LEAD)  # no code: as given
        lead = translate(PARTIAL, lang).split("%(reason)s")[0]
        return worded_note(part, why, lang).removeprefix(lead)
    return None


def _parts(note: str) -> list[str]:
    return note.split("; ") if note else []
