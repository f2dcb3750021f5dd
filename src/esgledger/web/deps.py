"""What every page shares: the app's database, the signed-in user and CSRF checks.

The session cookie holds a signed random token (see :mod:`esgledger.auth.sessions`);
every POST form carries the session's CSRF token in ``csrf_token``, and a request whose
``Origin`` header names another site is refused before the token is even looked at. Pages
for people not yet signed in (login, a respondent's questionnaire) use a signed one-off
cookie posted back in the form instead (double submit).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from esgledger.auth.permissions import PermissionDenied, Principal
from esgledger.auth.sessions import (
    SessionEnded,
    SessionPolicy,
    SignedIn,
    csrf_ok,
    resume,
    sign,
    signing_key,
    unsign,
)
from esgledger.errors import EsgError
from esgledger.ledger.db import Database
from esgledger.settings import get_settings
from esgledger.web.session_sign_in import resume_kept

SESSION_COOKIE = "esg_session"
FORM_COOKIE = "esg_form"


class LoginRequired(EsgError):
    """No live session: the page redirects to the login form."""


class CsrfFailed(PermissionDenied):
    """A form post without the right CSRF token or from another origin (HTTP 403)."""


def database(request: Request) -> Database:
    return request.app.state.db


def cookie_key(request: Request) -> str:
    """The workspace's signing key, read once per app."""
    key = getattr(request.app.state, "signing_key", None)
    if key is None:
        with database(request).write() as session:
            key = signing_key(session)
        request.app.state.signing_key = key
    return key


def signed_in(request: Request) -> SignedIn:
    """The live session of this browser, or :class:`LoginRequired`: in a read transaction
    with the sign-in kept (:mod:`esgledger.web.session_sign_in`), else in a write one."""
    cookie = request.cookies.get(SESSION_COOKIE)
    token = unsign(cookie_key(request), cookie) if cookie else None
    if token is None:
        raise LoginRequired("please log in")
    policy = SessionPolicy.from_settings()
    try:
        with database(request).read() as session:
            kept = resume_kept(session, token, policy=policy)
    except SessionEnded as exc:
        raise LoginRequired(str(exc)) from None
    who = kept or _resume_writing(request, token, policy)
    request.state.signed_in = who
    return who


def _resume_writing(request: Request, token: str, policy: SessionPolicy) -> SignedIn:
    """Resume a session that must change (end it, or refresh its ``last_seen_at``)."""
    ended: SessionEnded | None = None
    with database(request).write() as session:
        try:
            who = resume(session, token, policy=policy)
        except SessionEnded as exc:  # commit the session's end, then send to the login form
            ended = exc
    if ended is not None:
        raise LoginRequired(str(ended))
    return who


SignedInDep = Annotated[SignedIn, Depends(signed_in)]


def user(who: SignedInDep) -> Principal:
    return who.principal


UserDep = Annotated[Principal, Depends(user)]


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", request.url.netloc)


async def csrf_form(request: Request, who: SignedInDep) -> FormData:
    """The posted form, once its CSRF token matches the session's and the origin is ours."""
    form = await request.form()
    given = form.get("csrf_token")
    if not _same_origin(request):
        raise CsrfFailed("form posted from another site; reload the page and try again")
    if not csrf_ok(who.csrf_token, given if isinstance(given, str) else None):
        raise CsrfFailed("the form's security token is missing or stale; reload the page")
    return form


FormDep = Annotated[FormData, Depends(csrf_form)]


@dataclass(frozen=True)
class FormToken:
    """A CSRF token for a page without a session, and the signed cookie that backs it."""

    token: str
    cookie: str

    def attach(self, response: Response) -> Response:
        response.set_cookie(
            FORM_COOKIE,
            self.cookie,
            httponly=True,
            samesite="strict",
            secure=get_settings().secure_cookies,
            max_age=3600,
        )
        return response


def new_form_token(request: Request) -> FormToken:
    token = secrets.token_urlsafe(24)
    return FormToken(token, sign(cookie_key(request), token))


async def anonymous_form(request: Request) -> FormData:
    """A form posted without a session (login, survey): double-submit CSRF check."""
    form = await request.form()
    cookie = request.cookies.get(FORM_COOKIE)
    expected = unsign(cookie_key(request), cookie) if cookie else None
    given = form.get("csrf_token")
    if (
        not _same_origin(request)
        or expected is None
        or not csrf_ok(expected, given if isinstance(given, str) else None)
    ):
        raise CsrfFailed("the form's security token is missing or stale; reload the page")
    return form


AnonymousFormDep = Annotated[FormData, Depends(anonymous_form)]


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(target, safe='')}"
