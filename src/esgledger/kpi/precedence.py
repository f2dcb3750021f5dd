"""Reported and recomputed figures side by side, and which one a KPI table uses.

Any metric may have both: a published or subsidiary-reported value, and a value recomputed
from the ledger (activity records, a calculation run, or a formula over other figures).
Precedence, first that applies:

1. the recomputed figure, when it rests on data, covers the whole boundary and comes from a
   complete calculation run: it traces back to rows and factors;
2. the reported figure, when it has a value (a published prior year, a subsidiary's total,
   or a year whose data are missing, partial or incomplete);
3. the reported status ("/" not disclosed, "n.a." not applicable) when nothing was recomputed;
4. the recomputed figure as it is: partial or incomplete (and marked so), or not available
   with the reason — never zero.

When both have values the used figure carries ``comparison``: both values, their
difference, the tolerance their printed precision allows, which one is used and why.
"""

from __future__ import annotations

from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.precedence_why import (
    RECOMPUTED_INCOMPLETE,
    RECOMPUTED_PARTIAL,
    TAKES_PRECEDENCE,
)
from esgledger.kpi.register_figures.notes import coded


def _complete(fig: KpiFigure) -> bool:
    return fig.available and not fig.partial and not fig.incomplete


def _why_not(computed: KpiFigure) -> str:
    if not computed.available:
        return f"nothing recomputed ({computed.note or 'no data'})"
    if computed.incomplete:
        return RECOMPUTED_INCOMPLETE.removeprefix("reported; ")
    return RECOMPUTED_PARTIAL.removeprefix("reported; ")


def choose(reported: KpiFigure | None, computed: KpiFigure) -> KpiFigure:
    """The figure a table shows for a metric, with the other one beside it."""
    if reported is None:
        return computed
    if _complete(computed):
        used, why = computed, TAKES_PRECEDENCE
    elif reported.available or not computed.available:
        used, why = reported, "reported; " + _why_not(computed)
    else:
        used, why = computed, "recomputed; the reported value is " + reported.status
    if reported.available and computed.available:
        assert reported.value is not None and computed.value is not None
        used.comparison = {
            "reported": reported.value,
            "reported_decimals": reported.decimals,
            "reported_rounding": reported.rounding,
            "reported_qualifier": reported.qualifier,
            "calculated": computed.value,
            "calculated_rounding": computed.rounding,
            "calculated_partial": computed.partial,
            "calculated_incomplete": computed.incomplete,
            "difference": reported.value - computed.value,
            "tolerance": reported.rounding + computed.rounding,
            "used": "calculated" if used is computed else "reported",
            "why": why,
        }
    elif used is reported and computed.note:
        used.note = "; ".join(n for n in (used.note, why) if n)
        said = [coded("reported"), coded("nothing_recomputed", note=computed.note)]
        coded_why = said if not computed.available else []  # the only reason a note gets
        # the recomputed note's own coded parts, which word it inside "nothing recomputed (…)"
        used.note_why = [*used.note_why, *coded_why, *computed.note_why]
    return used
