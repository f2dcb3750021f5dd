"""Page: a supplier answers its self-assessment questionnaire — no account, no navigation.

``/supplier-questionnaire/{token}`` opens a one-time link of :mod:`esgledger.suppliers.saq`
(unknown: 404; spent or expired: 409). The form posts its answers and evidence files as one
multipart form with the double-submit CSRF token (no session); the body is bounded by the
app's upload cap and each file by the evidence limit. A refused answer sheet comes back with
what was typed and every problem on one line; nothing is stored.

The page is in the supplier's language (``?lang=`` switch, else ``Accept-Language``, #19):
its own words are catalog messages, the reason a service gives (why a link is closed, why an
answer is refused) stays English inside a translated sentence, as on the survey page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, InvalidInput
from esgledger.suppliers import saq
from esgledger.suppliers.questionnaire import Definition
from esgledger.web.deps import AnonymousFormDep, database, new_form_token
from esgledger.web.language import page_gettext
from esgledger.web.templating import render

router = APIRouter()
PAGE = "supplier_questionnaire.html"
# A yes/no question's answers are ours (questionnaire.YES_NO): labelled in the page's
# language, submitted as is. A choice question's options are the questionnaire's own words.
YES_NO_WORDS = frozenset((N_("yes"), N_("no")))


def _page(request: Request, context: dict[str, Any], *, status: int = 200) -> Response:
    form = new_form_token(request)
    page = render(request, PAGE, {**context, "form_token": form.token}, status=status)
    page.headers["Cache-Control"] = "no-store"
    return form.attach(page)


def _closed(request: Request, exc: Conflict) -> dict[str, Any]:
    """The page of a spent or expired link: a translated sentence with the service's reason."""
    reason = str(exc)
    return {
        "closed": page_gettext(
            request, "This link can no longer be used: %(reason)s", reason=reason
        )
    }


def _sections(definition: Definition) -> list[dict[str, Any]]:
    return [
        {"title": title, "questions": [q for q in definition.questions if q.section == code]}
        for code, title in definition.sections
    ]


@router.get("/supplier-questionnaire/{token}")
def questionnaire_form(request: Request, token: str) -> Response:
    with database(request).read() as session:
        try:
            invitation = saq.open_link(session, token)  # unknown: 404 as the error page
        except Conflict as exc:
            return _page(request, _closed(request, exc), status=409)
    return _page(request, _context(invitation, {}))


def _context(invitation: saq.Invitation, typed: dict[str, str]) -> dict[str, Any]:
    return {
        "supplier": invitation.supplier_name,
        "name": invitation.questionnaire.name,
        "expires": invitation.expires_at,
        "sections": _sections(invitation.questionnaire),
        "typed": typed,
        "yes_no_words": YES_NO_WORDS,
    }


def _answers(form: FormData, definition: Definition) -> tuple[dict[str, str], list[saq.Upload]]:
    answers: dict[str, str] = {}
    uploads: list[saq.Upload] = []
    for q in definition.questions:
        value = form.get(f"answer.{q.code}")
        answers[q.code] = value if isinstance(value, str) else ""
        file = form.get(f"evidence.{q.code}")
        if isinstance(file, UploadFile) and file.filename:
            saq.check_uploads(len(uploads) + 1)
            uploads.append(
                saq.Upload(q.code, file.filename, file.file.read(), file.content_type or "")
            )
    return answers, uploads


@router.post("/supplier-questionnaire/{token}")
def answer(request: Request, token: str, form: AnonymousFormDep) -> Response:
    with database(request).read() as session:
        try:
            invitation = saq.open_link(session, token)
        except Conflict as exc:
            return _page(request, _closed(request, exc), status=409)
    answers: dict[str, str] = {}
    try:
        answers, uploads = _answers(form, invitation.questionnaire)
        with database(request).write() as session:
            saq.submit(session, token, answers, uploads)
    except InvalidInput as exc:
        message = page_gettext(
            request, "Please check your answers — %(problems)s", problems=str(exc)
        )
        context = _context(invitation, answers) | {"flash": message, "flash_kind": "error"}
        return _page(request, context, status=422)
    except Conflict as exc:
        return _page(request, _closed(request, exc), status=409)
    return _page(request, {"received": True, "supplier": invitation.supplier_name})
