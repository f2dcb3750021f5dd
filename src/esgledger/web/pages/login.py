"""Log in and log out. The session cookie is HTTP-only, SameSite=Lax and signed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from esgledger.auth.permissions import PermissionDenied
from esgledger.auth.sessions import (
    SessionPolicy,
    TooManyAttempts,
    login,
    logout,
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
    request: Request, *, next_: str, message: str = "", status: int = 200, username: str = ""
) -> Response:
    form = new_form_token(request)
    context = {"next": next_, "message": message, "username": username, "form_token": form.token}
    return form.attach(render(request, "login.html", context, status=status))


@router.get("/login")
def login_form(request: Request, next: Annotated[str | None, Query()] = None) -> Response:
    return _login_page(request, next_=_safe_next(next))


@router.post("/login")
def login_submit(request: Request, form: AnonymousFormDep) -> Response:
    username = str(form.get("username") or "")
    password = str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or "/"))
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
                               username=username)  # fmt: skip
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if signed is None:
        return _login_page(request, next_=target, message=message, status=status,
                           username=username)  # fmt: skip
    response = RedirectResponse(target, status_code=303)
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
