"""Pages: a whistleblower's anonymous report and follow-up — no account, no navigation.

``/speak-up/{token}`` opens a one-time intake link: the reporter picks a type, writes the
report and gets, once, a case code and a passphrase. ``/speak-up/follow-up`` takes both and
shows the case's state and messages, where the reporter can add information. A wrong pair
is answered with one message (401) and counted against the login rate limit; past it the
page answers 429 with ``Retry-After``. Forms use the double-submit cookie (no session).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from esgledger.auth.sessions import TooManyAttempts
from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, InvalidInput
from esgledger.registers import whistle
from esgledger.web.deps import AnonymousFormDep, database, new_form_token
from esgledger.web.language import chosen, page_gettext
from esgledger.web.page_messages import page_error
from esgledger.web.templating import render

router = APIRouter()
TYPE_LABELS = {
    "corruption": N_("Corruption or bribery"),
    "fraud": N_("Fraud"),
    "harassment": N_("Harassment or discrimination"),
    "human_rights": N_("Human rights"),
    "data": N_("Data protection or privacy"),
    "other": N_("Something else"),
}


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _page(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> Response:
    form = new_form_token(request)
    page = render(request, name, {**context, "form_token": form.token}, status=status)
    page.headers["Cache-Control"] = "no-store"  # a shared computer keeps no case on its back
    return form.attach(page)


@router.get("/speak-up/follow-up")
def follow_up_form(request: Request) -> Response:
    return _page(request, "whistle_follow_up.html", {"case": None})


@router.post("/speak-up/follow-up")
def follow_up(request: Request, form: AnonymousFormDep) -> Response:
    code = str(form.get("code") or "")[:32]
    passphrase = str(form.get("passphrase") or "")[:200]
    message = str(form.get("message") or "")
    flash, status, case = "", 200, None
    try:
        with database(request).write() as session:
            try:
                found = whistle.follow_up(session, code, passphrase, client=_client(request))
                if message.strip():
                    whistle.add_message(session, found, author="reporter", body=message)
                    flash = page_gettext(request, "Your message was added to the case.")
                case = whistle.reporter_view(session, found)
            except whistle.WrongPassphrase as exc:  # commit the counted failure, then answer
                flash, status = page_error(exc, chosen(request)), 401
    except TooManyAttempts as exc:
        with database(request).write() as session:
            whistle.record_throttled(
                session, code, client=_client(request), retry_after=exc.retry_after
            )
        wait = page_gettext(
            request,
            "too many wrong attempts; try again in %(seconds)s second(s)",
            seconds=exc.retry_after,
        )
        page = _page(request, "whistle_follow_up.html", {"case": None, "flash": wait,
                     "flash_kind": "error", "code": code}, status=429)  # fmt: skip
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    except InvalidInput as exc:
        flash, status = page_error(exc, chosen(request)), 422
    context = {
        "case": case, "code": code, "passphrase": passphrase if case else "",
        "flash": flash, "flash_kind": "error" if status != 200 else "ok",
    }  # fmt: skip
    return _page(request, "whistle_follow_up.html", context, status=status)


@router.get("/speak-up/{token}")
def intake_form(request: Request, token: str) -> Response:
    with database(request).read() as session:
        whistle.open_link(session, token)  # unknown: 404; used: 409, both as the error page
    return _page(request, "whistle_report.html", {"types": TYPE_LABELS, "typed": {}})


@router.post("/speak-up/{token}")
def intake(request: Request, token: str, form: AnonymousFormDep) -> Response:
    typed = {"type": str(form.get("type") or ""), "report": str(form.get("report") or "")}
    try:
        with database(request).write() as session:
            receipt = whistle.submit_report(
                session, token, case_type=typed["type"], description=typed["report"]
            )
    except InvalidInput as exc:
        context = {"types": TYPE_LABELS, "typed": typed, "flash": page_error(exc, chosen(request)),
                   "flash_kind": "error"}  # fmt: skip
        return _page(request, "whistle_report.html", context, status=422)
    except Conflict as exc:
        return _page(
            request, "whistle_report.html", {"used": page_error(exc, chosen(request))}, status=409
        )
    return _page(request, "whistle_receipt.html", {"receipt": receipt})
