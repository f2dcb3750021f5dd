"""Words the pages print from data — request states, finding severities, value statuses —
in the page's language (#19).

The stored value stays the English code (forms submit it, CSS classes and tests select on
it); only its label is translated. A word outside this list is printed as it is: it is data
(an entity's name, a metric id), not interface text.
"""

from __future__ import annotations

from esgledger.catalog.messages import N_
from esgledger.web.language import gettext

WORDS = frozenset(
    (
        # data request states (workflow/states.py)
        N_("draft"),
        N_("submitted"),
        N_("returned"),
        N_("approved"),
        N_("locked"),
        # finding severities
        N_("error"),
        N_("warning"),
        # value statuses
        N_("reported"),
        N_("not_applicable"),
        N_("not_disclosed"),
    )
)


def word(value: object) -> str:
    """The label of a data word in the page's language; other values unchanged."""
    text = "" if value is None else str(value)
    return gettext(text) if text in WORDS else text
