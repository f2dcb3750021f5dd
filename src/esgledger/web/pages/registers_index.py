"""Page: the registers in one place — the navigation's "Registers" entry, linking each
register's own page (board, training, whistleblowing), so none is reached by address only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from esgledger.auth.permissions import require
from esgledger.web.deps import UserDep
from esgledger.web.templating import render

router = APIRouter()


@router.get("/registers")
def registers(request: Request, user: UserDep) -> Response:
    require(user, "kpis.read")  # every register page shows its figures to KPI readers
    return render(request, "registers.html", {})
