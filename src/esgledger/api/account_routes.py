"""The caller's own account over HTTP: changing one's password, as the web page does.

The same service as ``/account/password`` (:mod:`esgledger.auth.own_password`): the same
rules for the new password, the current one checked and rate-limited like a sign-in, every
browser session ended and every other API token revoked; the token making the call stays.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from esgledger.api import schemas as s
from esgledger.api.deps import WriterDep, as_json
from esgledger.auth.own_password import WRONG_CURRENT, change_own_password
from esgledger.auth.sessions import SessionPolicy
from esgledger.errors import InvalidInput

router = APIRouter()


@router.post(
    "/me/password",
    tags=["account"],
    summary="Change your own password; ends your sessions and your other tokens",
    response_model=s.PasswordChanged,
    responses=s.problems(401, 403, 422, 429),
)
def change_password(request: Request, body: s.PasswordBody, write: WriterDep) -> Response:
    client = request.client.host if request.client else "unknown"
    calling = write.credentials.credentials if write.credentials else None
    with write() as (session, user):  # a wrong password is committed as a failed sign-in
        changed = change_own_password(
            session, user.username, current=body.current, new=body.new, client=client,
            policy=SessionPolicy.from_settings(), keep_token=calling,
        )  # fmt: skip
    if not changed:  # 422: the body's `current` is wrong; the token itself is fine
        raise InvalidInput(WRONG_CURRENT)
    return as_json({"changed": True, "revoked_other_tokens": True})
