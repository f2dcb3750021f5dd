"""Log in and log out. The session cookie is HTTP-only, SameSite=Lax and signed.

A form posted after its session ended is answered with the login form carrying it
(:mod:`esgledger.web.pending_form`); the sign-in then shows it again, filled in, to send.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from esgledger.auth.permissions import PermissionDenied
from esgledger.auth.sessions import (
    SessionPolicy,
    SignedIn,
    TooManyAttempts,
    login,
    logout,
    owner_of,
    record_throttled,
    sign,
    unsign,
)
from esgledger.settings import get_settings
from esgledger.web.deps import (
    SESSION_COOKIE,
    AnonymousFormDep,
    FormDep,
    cookie_key,
    database,
    new_form_token,
)
from esgledger.web.pending_form import capture, seal, unseal
from esgledger.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//host`` or ``http://…``): no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _login_page(
    request: Request,
    *,
    next_: str,
    message: str = "",
    status: int = 200,
    username: str = "",
    pending: str = "",
) -> Response:
    form = new_form_token(request)
    context = {
        "next": next_, "message": message, "username": username, "form_token": form.token,
        "pending": pending,
    }  # fmt: skip
    return form.attach(render(request, "login.html", context, status=status))


def _author(request: Request) -> str | None:
    token = unsign(cookie_key(request), request.cookies.get(SESSION_COOKIE, ""))
    if not token:
        return None
    with database(request).read() as session:
        return owner_of(session, token)


async def login_keeping_form(request: Request, reason: str) -> Response:
    """The answer to a form posted without a live session: the login form, carrying the
    typed fields (signed) so that signing in brings them back instead of losing them."""
    author = await run_in_threadpool(_author, request)
    pending = await capture(request, user=author)
    if pending is None:
        return _login_page(request, next_="/", message=reason, status=401)
    sealed = seal(cookie_key(request), pending)
    if sealed is None:
        message = f"{reason}. Your form was too large to keep: log in and fill it in again."
        return _login_page(request, next_=pending.back, message=message, status=401)
    message = (
        f"{reason}. Nothing was saved, but your form is kept: log in and it comes back "
        "filled in, ready to send."
    )
    return _login_page(request, next_=pending.back, message=message, status=401, pending=sealed)


@router.get("/login")
def login_form(request: Request, next: Annotated[str | None, Query()] = None) -> Response:
    return _login_page(request, next_=_safe_next(next))


@router.post("/login")
def login_submit(request: Request, form: AnonymousFormDep) -> Response:
    username = str(form.get("username") or "")
    password = str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or "/"))
    pending = str(form.get("pending") or "")
    policy = SessionPolicy.from_settings()
    message, status, signed = "", 200, None
    try:
        with database(request).write() as session:
            try:
                signed = login(session, username, password, client=_client(request), policy=policy)
            except PermissionDenied as exc:  # commit the recorded failure, then answer
                message, status = str(exc), 401
    except TooManyAttempts as exc:
        with database(request).write() as session:
            record_throttled(session, username, client=_client(request), refused=exc)
        response = _login_page(request, next_=target, message=str(exc), status=429,
                               username=username, pending=pending)  # fmt: skip
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if signed is None:
        return _login_page(request, next_=target, message=message, status=status,
                           username=username, pending=pending)  # fmt: skip
    kept = unseal(cookie_key(request), pending)
    if kept is not None and kept.user in (None, signed.principal.username):
        request.state.signed_in = signed  # the page's header and its form's CSRF token
        response: Response = render(request, "resume_form.html", {"pending": kept})
    else:
        response = RedirectResponse(target, status_code=303)
    return with_session_cookie(request, response, signed, policy)


def with_session_cookie(
    request: Request, response: Response, signed: SignedIn, policy: SessionPolicy
) -> Response:
    """``response`` setting the browser's session cookie to ``signed``'s token."""
    response.set_cookie(
        SESSION_COOKIE,
        sign(cookie_key(request), signed.token),
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
        max_age=int(policy.max_age.total_seconds()),
    )
    return response


@router.post("/logout")
def logout_submit(request: Request, _form: FormDep) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE, "")
    token = unsign(cookie_key(request), cookie)
    if token:
        with database(request).write() as session:
            logout(session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
