"""Page: a survey respondent's questionnaire, reached by the one-time token link only.

No login and no navigation: the respondent sees their assessment's topics with the fields
of their group's instrument (impact, financial or a single score) and nothing else. The
form is protected by a double-submit cookie (there is no session), and the answers go
through :func:`esgledger.assess.survey.submit`, which validates them whole and accepts one
questionnaire per token, once.

Because the link locks on submission, sending takes two steps: *Check my answers* validates
everything (:func:`esgledger.assess.survey.check_answers`, nothing stored) and shows a
summary; only *Send my answers* (``confirmed=1``) stores them. A respondent rates at least
:data:`MIN_SHARE` of the topics, or ticks that they have no view on the others.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from esgledger.assess import survey
from esgledger.assess.respondents import invitation
from esgledger.assess.scoring import HORIZONS
from esgledger.catalog.messages import N_, reason_in
from esgledger.errors import Conflict, ImportRejected, InvalidInput
from esgledger.web.deps import AnonymousFormDep, database, new_form_token
from esgledger.web.language import chosen, page_gettext
from esgledger.web.page_messages import page_error
from esgledger.web.templating import render

router = APIRouter()
MIN_SHARE = 0.5  # of the topics, documented on the page and in docs/web.md
SCORES = ("1", "2", "3", "4", "5")
# The words a respondent picks (submitted as is, shown in the page's language).
CHOICE_WORDS = frozenset((N_("negative"), N_("positive"), N_("actual"), N_("potential")))
# Each financial column's label, whole, so a translator sees the phrase (#19).
FINANCIAL_LABELS = {
    ("likelihood", "short"): N_("Likelihood, short term"),
    ("magnitude", "short"): N_("Magnitude, short term"),
    ("likelihood", "medium"): N_("Likelihood, medium term"),
    ("magnitude", "medium"): N_("Magnitude, medium term"),
    ("likelihood", "long"): N_("Likelihood, long term"),
    ("magnitude", "long"): N_("Magnitude, long term"),
}
# (column, label, choices) per instrument; the columns are those survey.submit validates.
FIELDS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "impact": [
        ("valence", N_("Effect"), ("negative", "positive")),
        ("actuality", N_("Actual or potential"), ("actual", "potential")),
        ("scale", N_("Scale"), SCORES),
        ("scope", N_("Scope"), SCORES),
        ("irremediability", N_("Irremediability (negative only)"), SCORES),
        ("likelihood", N_("Likelihood (potential only)"), SCORES),
    ],
    "financial": [
        (f"{kind}_{h}", FINANCIAL_LABELS[kind, h], SCORES)
        for h in HORIZONS
        for kind in ("likelihood", "magnitude")
    ],
    "stakeholder": [("score", N_("Significance"), SCORES)],
    "business": [("score", N_("Significance"), SCORES)],
}


def minimum_rated(topics: int) -> int:
    """Topics a respondent rates at least (half, rounded up), unless they say they have no
    view on the rest: one rating out of 25 says little, yet locks the link for good."""
    return max(1, math.ceil(topics * MIN_SHARE))


def _questionnaire(request: Request, token: str) -> dict[str, Any]:
    """The respondent behind ``token``, their assessment, topics and instrument."""
    with database(request).read() as session:
        found = invitation(session, token)
    return {
        "minimum": minimum_rated(len(found.topics)),
        "respondent": found.respondent,
        "group": found.group,
        "axis": found.axis,
        "assessment": f"{found.assessment} ({found.year})",
        "closed": found.closed,
        "answered": found.answered,
        "topics": found.topics,
        "fields": FIELDS[found.axis],
    }


def _page(
    request: Request,
    q: dict[str, Any],
    *,
    typed: dict[str, str] | None = None,
    error: str = "",
    notice: str = "",
    confirm: list[tuple[str, dict[str, str]]] | None = None,
    status: int = 200,
) -> Response:
    form = new_form_token(request)
    context = {
        **q, "typed": typed or {}, "form_token": form.token, "notice": notice,
        "flash": error, "flash_kind": "error", "confirm": confirm, "choice_words": CHOICE_WORDS,
    }  # fmt: skip
    return form.attach(render(request, "survey_form.html", context, status=status))


def _rows(q: dict[str, Any], form: FormData) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Answered topics as questionnaire rows (blank topics are left out), and all typed."""
    typed = {
        k: v.strip()
        for k, v in form.items()
        if isinstance(v, str) and k not in ("csrf_token", "confirmed", "edit")
    }
    rows = []
    for i, (code, _name) in enumerate(q["topics"]):
        cells = {col: typed.get(f"{col}.{i}", "") for col, _label, _choices in q["fields"]}
        if any(cells.values()):
            rows.append({"topic": code, **cells})
    return rows, typed


def _problems(
    request: Request, exc: ImportRejected, rows: list[dict[str, str]], names: dict[str, str]
) -> str:
    """Validation problems with the topic's name instead of a spreadsheet row number, each
    in the respondent's language where its check named its message."""
    lang = chosen(request)
    colon = page_gettext(request, ": ")
    parts = []
    for p in exc.problems[:8]:
        index = (p.row or 0) - 2
        topic = names.get(rows[index]["topic"], "") if 0 <= index < len(rows) else ""
        parts.append(f"{topic + colon if topic else ''}{reason_in(p, lang)}")
    more = page_gettext(request, " (and %(num)s more)", num=exc.total - 8) if exc.total > 8 else ""
    return page_gettext(request, "; ").join(parts) + more


def _enough(
    request: Request, q: dict[str, Any], rows: list[dict[str, str]], *, no_view: bool
) -> None:
    """The documented minimum of rated topics, or the respondent's word that they have no
    view on the rest."""
    if not rows:
        raise InvalidInput(
            page_gettext(request, "Please rate at least one topic before submitting.")
        )
    total, minimum = len(q["topics"]), q["minimum"]
    if len(rows) < minimum and not no_view:
        raise InvalidInput(
            page_gettext(
                request,
                "Please rate at least %(minimum)s of the %(total)s topics (you rated "
                "%(rated)s), or tick “I have no view on the other topics”.",
                minimum=minimum,
                total=total,
                rated=len(rows),
            )
        )


@router.get("/survey/{token}")
def questionnaire(request: Request, token: str) -> Response:
    q = _questionnaire(request, token)
    notice = ""
    if q["answered"]:
        thanks = request.query_params.get("done") == "1"
        notice = (
            page_gettext(request, "Thank you: your answers are recorded.")
            if thanks
            else "already answered"
        )
    elif q["closed"]:
        notice = "closed"
    return _page(request, q, notice=notice)


@router.post("/survey/{token}")
def answer(request: Request, token: str, form: AnonymousFormDep) -> Response:
    q = _questionnaire(request, token)
    rows, typed = _rows(q, form)
    if form.get("edit"):
        return _page(request, q, typed=typed)
    try:
        _enough(request, q, rows, no_view=typed.get("no_view") == "1")
        table = survey.rows_table(rows, source="questionnaire")
        if form.get("confirmed") != "1":  # check everything, store nothing, ask to confirm
            survey.check_answers(database(request), token, table)
            names = dict(q["topics"])
            rated = [(names[r["topic"]], r) for r in rows]
            return _page(request, q, typed=typed, confirm=rated)
        survey.submit(database(request), token, table, actor=f"respondent:{q['respondent']}"[:100])
    except ImportRejected as exc:
        message = page_gettext(
            request,
            "Please check your answers — %(problems)s",
            problems=_problems(request, exc, rows, dict(q["topics"])),
        )
        return _page(request, q, typed=typed, error=message, status=422)
    except InvalidInput as exc:
        return _page(request, q, typed=typed, error=page_error(exc, chosen(request)), status=422)
    except Conflict:
        q = _questionnaire(request, token)
        notice = "already answered" if q["answered"] else "closed"
        return _page(request, q, notice=notice, status=409)
    return RedirectResponse(f"/survey/{quote(token, safe='')}?done=1", status_code=303)
