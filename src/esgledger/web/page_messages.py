"""Messages for people on pages: the services' one-line errors without their CLI hints.

A service error ends with what to do on the command line ("no data request 9; `esg request
list` lists them"). A page user has no terminal, so the hint would only confuse; the page's
own navigation is the way on. :func:`for_pages` keeps the message and drops the hint, for
every message and flash a page renders (:func:`esgledger.web.templating.render`).
"""

from __future__ import annotations

import re

CLI = "`esg "
_BRACKETED = re.compile(r"\s*\([^()]*`esg [^`]*`[^()]*\)")
_SPOKEN = re.compile(r",?\s+(?:with|by running|run|using)\s+`esg [^`]*`")
_CLAUSES = "; "


def for_pages(message: str) -> str:
    """``message`` without the clauses that tell a terminal user which ``esg`` command to run."""
    if CLI not in message:
        return message
    text = _SPOKEN.sub("", _BRACKETED.sub("", message))
    kept = [clause for clause in text.split(_CLAUSES) if CLI not in clause]
    return _CLAUSES.join(kept).strip() or "this cannot be done here"
