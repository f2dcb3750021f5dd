"""Routers included once per process, their routes shared by every app built after.

FastAPI analyses an included route (its dependencies, a pydantic adapter per parameter)
the first time a request walks past it, once per inclusion: ~0.1 CPU s for the API and the
pages, paid again by every app a process builds (a test run builds hundreds, #20). The
routers are included here once, under one parent router, and each app lists the resulting
routes: the analysis is kept with them. The routes hold no app or workspace (a handler finds
its database in ``request.app.state``), so apps on different workspaces can share them.

The parent is a plain router, not the app: ``app.dependency_overrides`` does not reach
these routes (nothing here overrides dependencies).
"""

from __future__ import annotations

import threading

from fastapi import APIRouter, FastAPI
from starlette.routing import BaseRoute

_Key = tuple[tuple[int, ...], str, bool]
_kept: dict[_Key, tuple[tuple[APIRouter, ...], tuple[BaseRoute, ...]]] = {}
_lock = threading.Lock()


def _included(
    routers: tuple[APIRouter, ...], prefix: str, include_in_schema: bool
) -> tuple[BaseRoute, ...]:
    """The routes of ``routers`` under one parent, made once per process (keyed by the
    routers' identities: a router is not hashable; kept beside them, so the ids stay theirs)."""
    key = (tuple(id(router) for router in routers), prefix, include_in_schema)
    with _lock:
        if key not in _kept:
            parent = APIRouter()
            for router in routers:
                parent.include_router(router, prefix=prefix, include_in_schema=include_in_schema)
            _kept[key] = (routers, tuple(parent.routes))
        return _kept[key][1]


def include_once(
    app: FastAPI,
    routers: tuple[APIRouter, ...],
    *,
    prefix: str = "",
    include_in_schema: bool = True,
) -> None:
    """Add ``routers`` to ``app`` in order, as ``app.include_router`` would, with the
    routes every app of this process shares (see above)."""
    app.router.routes.extend(_included(routers, prefix, include_in_schema))
