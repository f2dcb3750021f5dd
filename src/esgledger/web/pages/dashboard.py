"""The home page: what the signed-in person needs to see first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from esgledger.web.deps import UserDep
from esgledger.web.templating import render

router = APIRouter()


@router.get("/")
def home(request: Request, user: UserDep) -> Response:
    return render(request, "dashboard.html", {"user": user})
