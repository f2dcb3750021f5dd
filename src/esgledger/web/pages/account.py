"""A signed-in user's own password: current password, the new one twice.

The new password meets the same rules as on the command line
(:func:`esgledger.auth.password_rules.check_password`). Changing it ends every session and
API token of the user (:func:`esgledger.auth.own_password.change_own_password`, which the
API's ``POST /api/v1/me/password`` calls too), so a browser left signed in elsewhere is
signed out; this browser gets a fresh session at once.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from esgledger.auth.own_password import WRONG_CURRENT, change_own_password
from esgledger.auth.permissions import PermissionDenied
from esgledger.auth.sessions import SessionPolicy, TooManyAttempts, login
from esgledger.errors import InvalidInput
from esgledger.web.deps import FormDep, UserDep, database
from esgledger.web.pages.login import with_session_cookie
from esgledger.web.templating import render

PAGE = "/account/password"
router = APIRouter()


def _page(request: Request, message: str = "", status: int = 200, done: bool = False) -> Response:
    return render(request, "account_password.html", {"message": message, "done": done},
                  status=status)  # fmt: skip


@router.get(PAGE)
def password_form(request: Request, _user: UserDep, changed: str | None = Query(None)) -> Response:
    return _page(request, done=changed == "1")


@router.post(PAGE)
def password_change(request: Request, user: UserDep, form: FormDep) -> Response:
    current, new, again = (str(form.get(k) or "") for k in ("current", "new", "again"))
    if new != again:
        return _page(request, "the two new passwords differ; type the new one twice", 422)
    policy = SessionPolicy.from_settings()
    client = request.client.host if request.client else "unknown"
    try:  # a wrong current password is committed as a failed sign-in, nothing else is done
        with database(request).write() as session:
            changed = change_own_password(session, user.username, current=current, new=new,
                                          client=client, policy=policy)  # fmt: skip
    except InvalidInput as exc:
        return _page(request, f"{exc}; nothing was changed", 422)
    except TooManyAttempts as exc:
        page = _page(request, f"{exc}; nothing was changed", 429)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    if not changed:
        return _page(request, WRONG_CURRENT, 403)
    try:
        with database(request).write() as session:
            signed = login(session, user.username, new, client=client, policy=policy)
    except (PermissionDenied, TooManyAttempts):  # changed, but no new session: sign in again
        return RedirectResponse("/login", status_code=303)
    done = RedirectResponse(f"{PAGE}?changed=1", status_code=303)
    return with_session_cookie(request, done, signed, policy)
