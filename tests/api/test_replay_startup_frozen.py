"""Issue #14, the mix's read tail: a full collection of the ~283,000 objects a server holds
after start-up (modules, the app, the catalog) cost 150–155 ms of CPU, all of it with the event
loop stopped, and in the 20 %-write mix one came in every 8 s phase (``bench/api_tail.py
--write-share 0.2``: generation-2 pauses of 167–303 ms), holding every read in flight. What
start-up built lives as long as the process, so ``esg serve``'s app freezes it
(``gc.freeze()``) when it starts serving: later collections scan only what was made since.
Not before: a test of ``esg serve``'s arguments builds the app without serving it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from tests.conftest import Cli


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Any, int]]]:
    """The app `esg serve` handed uvicorn, and how many objects were frozen then."""
    seen: list[tuple[Any, int]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: seen.append((app, gc.get_freeze_count())))
    monkeypatch.delenv("ESG_DATABASE_URL", raising=False)
    gc.unfreeze()
    try:
        yield seen
    finally:
        gc.unfreeze()  # the test process's own objects: collectable again


def _frozen_once_started(app: Any) -> int:
    with TestClient(app):  # the app's lifespan: what uvicorn runs before serving
        return gc.get_freeze_count()


def test_esg_serve_freezes_what_start_up_built(cli: Cli, served: list[tuple[Any, int]]) -> None:
    cli("serve", "--workers", "1")
    ((app, frozen),) = served
    assert frozen == 0  # nothing frozen by building it
    assert _frozen_once_started(app) > 100_000


def test_each_worker_process_freezes_its_app(
    db: Database, monkeypatch: pytest.MonkeyPatch, served: list[tuple[Any, int]]
) -> None:
    from esgledger.server import app_from_settings, create_app
    from esgledger.settings import reset_settings

    monkeypatch.setenv("ESG_DATABASE_URL", db.url)
    reset_settings()
    try:
        assert _frozen_once_started(app_from_settings()) > 100_000
        gc.unfreeze()
        assert _frozen_once_started(create_app(db.url)) == 0  # an app of a test: never
    finally:
        reset_settings()
