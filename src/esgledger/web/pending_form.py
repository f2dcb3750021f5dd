"""A form posted after its session ended, kept (signed) until its user signs in again.

Posting a form after the idle timeout used to send the browser to the login page and then
to a 405, the typed value lost. Now the post is answered with the login form carrying the
typed fields, signed with the workspace's key so nobody can plant fields in it; after the
sign-in the fields come back in a form for the user to check and send again. Nothing is
replayed: the resent form carries the new session's CSRF token and goes through the same
checks as any post. Files cannot travel this way; their field names are kept so the page
can ask for them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect

SALT = "esg-pending-form"
MAX_BYTES = 64 * 1024  # what the login page may carry; a larger form is not kept
MAX_AGE_SECONDS = 8 * 3600  # a form typed this morning is still welcome after lunch
NOT_KEPT = ("csrf_token",)  # the dead session's token: the resent form gets a fresh one
HIDDEN = ("version", "back", "next")  # bookkeeping fields, resent as they were


@dataclass(frozen=True)
class PendingForm:
    """Where a form was posted, what it held, and who was signed in when it was typed."""

    action: str
    fields: list[tuple[str, str]]
    files: list[str] = field(default_factory=list)
    user: str | None = None
    back: str = "/"

    def visible(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in self.fields if k not in HIDDEN]

    def hidden(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in self.fields if k in HIDDEN]


def _serializer(key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt=SALT)


def _same_site_path(url: str | None, host: str) -> str:
    """The path of a same-site Referer, else ``/`` (never a link to another site)."""
    if not url:
        return "/"
    rest = url.split("://", 1)[-1]
    netloc, _, path = rest.partition("/")
    safe = netloc == host and not path.startswith(("/", "\\")) and "\\" not in path
    return f"/{path}" if safe else "/"


async def capture(request: Request, *, user: str | None) -> PendingForm | None:
    """The posted form of a request whose session ended, or None if it had no fields."""
    try:
        form = await request.form(max_files=10, max_fields=200)
    except (MultiPartException, HTTPException, ClientDisconnect, ValueError):
        # an unreadable body has nothing worth keeping: the login form still shows
        return None
    fields: list[tuple[str, str]] = []
    files: list[str] = []
    for name, value in form.multi_items():
        if name in NOT_KEPT:
            continue
        if isinstance(value, UploadFile):
            files.append(name)
        else:
            fields.append((name, value))
    if not fields and not files:
        return None
    host = request.headers.get("host", request.url.netloc)
    back = _same_site_path(request.headers.get("referer"), host)
    return PendingForm(request.url.path, fields, files, user, back)


def seal(key: str, pending: PendingForm) -> str | None:
    """The signed text the login form carries; None when the form is too large to carry."""
    data = [pending.action, pending.fields, pending.files, pending.user, pending.back]
    sealed = _serializer(key).dumps(data)
    return sealed if len(sealed) <= MAX_BYTES else None


def unseal(key: str, sealed: str | None) -> PendingForm | None:
    """The pending form, or None for a missing, forged, stale or malformed one."""
    if not sealed or len(sealed) > MAX_BYTES:
        return None
    try:
        action, fields, files, user, back = _serializer(key).loads(sealed, max_age=MAX_AGE_SECONDS)
        return PendingForm(
            str(action), [(str(k), str(v)) for k, v in fields], [str(f) for f in files],
            None if user is None else str(user), str(back),
        )  # fmt: skip
    except (BadSignature, ValueError, TypeError):
        return None
