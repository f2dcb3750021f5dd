"""A signed-in user's page language: English, Chinese, or the browser's (#19).

Stored on the user (:func:`esgledger.auth.users.set_language`, audit-logged) so it follows
them to every browser; it wins over ``Accept-Language``.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from esgledger.auth.users import set_language
from esgledger.catalog.messages import N_
from esgledger.catalog.translations import LANGS
from esgledger.web.deps import FormDep, UserDep, database
from esgledger.web.language import LABELS, page_gettext
from esgledger.web.templating import render

PAGE = "/account/language"
BROWSER = N_("As my browser asks")  # the choice that stores no preference
router = APIRouter()


def _page(request: Request, current: str, *, message: str = "", done: bool = False,
          status: int = 200) -> Response:  # fmt: skip
    choices = [("", BROWSER, False), *((lang, LABELS[lang], True) for lang in LANGS)]
    context = {"choices": choices, "current": current, "message": message, "done": done}
    return render(request, "account_language.html", context, status=status)


@router.get(PAGE)
def language_form(request: Request, user: UserDep, saved: str | None = Query(None)) -> Response:
    return _page(request, user.lang, done=saved == "1")


@router.post(PAGE)
def language_change(request: Request, user: UserDep, form: FormDep) -> Response:
    lang = str(form.get("lang") or "")
    if lang and lang not in LANGS:
        message = page_gettext(request, "Choose one of the languages listed; nothing was changed.")
        return _page(request, user.lang, message=message, status=422)
    with database(request).write() as session:
        set_language(session, user.username, lang, actor=user.username)
    return RedirectResponse(f"{PAGE}?saved=1", status_code=303)
