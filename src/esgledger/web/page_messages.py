"""Messages for people on pages: the services' one-line errors without their CLI hints.

A service error ends with what to do on the command line ("no data request 9; `esg request
list` lists them"). A page user has no terminal, so the hint would only confuse; the page's
own navigation is the way on. :func:`for_pages` keeps the message and drops the hint, for
every message and flash a page renders (:func:`esgledger.web.templating.render`).
"""

from __future__ import annotations

import re

from esgledger.catalog.messages import N_, in_words, reason_in, translate
from esgledger.errors import EsgError, ImportRejected

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


def page_error(error: EsgError, lang: str) -> str:
    """A service's refusal as a page prints it: in ``lang`` where the error names its message
    (:func:`esgledger.errors.worded`), else its English line without CLI hints."""
    return for_pages(in_words(error, lang))


def refused_workbook(error: ImportRejected, lang: str, shown: int) -> str:
    """``file: refused, N problems, nothing was stored — row 2, column 'value': …`` in
    ``lang``, from the rejection's parts: each problem's reason in ``lang`` where it names its
    message, else as the import gave it."""
    parts = []
    for p in error.problems[:shown]:
        where = translate(", ", lang).join(
            x
            for x in (
                translate("row %(row)s", lang) % {"row": p.row} if p.row else "",
                translate("column %(column)r", lang) % {"column": p.column} if p.column else "",
            )
            if x
        )
        reason = reason_in(p, lang)
        parts.append(f"{where}{translate(': ', lang)}{reason}" if where else reason)
    message = (
        N_("%(file)s: refused, %(num)s problem, nothing was stored")
        if error.total == 1
        else N_("%(file)s: refused, %(num)s problems, nothing was stored")
    )
    head = translate(message, lang) % {"file": error.source, "num": error.total}
    more = " …" if error.total > shown else ""
    return f"{head} — {translate('; ', lang).join(parts)}{more}"
