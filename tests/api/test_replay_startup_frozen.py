"""Issue #14, the mix's read tail: a full collection of the ~306,000 objects a server holds
after start-up (modules, the app, the catalog) cost 160–171 ms, all of it with the event loop
stopped, and in the 20 %-write mix one came every few seconds (``bench/api_tail.py
--write-share 0.2``: a generation-2 pause of 167 / 226 ms in each 8 s phase), holding every
read in flight. What start-up built lives as long as the process, so ``esg serve`` freezes it
(``gc.freeze()``) before serving: later collections scan only what was made since."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from esgledger.ledger.db import Database
from tests.conftest import Cli


@pytest.fixture
def frozen_when_served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many objects were frozen each time `esg serve` handed an app to uvicorn."""
    seen: list[int] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: seen.append(gc.get_freeze_count()))
    monkeypatch.delenv("ESG_DATABASE_URL", raising=False)
    gc.unfreeze()
    try:
        yield seen
    finally:
        gc.unfreeze()  # the test process's own objects: collectable again


def test_esg_serve_freezes_what_start_up_built(cli: Cli, frozen_when_served: list[int]) -> None:
    cli("serve", "--workers", "1")
    assert len(frozen_when_served) == 1 and frozen_when_served[0] > 100_000, frozen_when_served


def test_each_worker_process_freezes_its_app(
    db: Database, monkeypatch: pytest.MonkeyPatch, frozen_when_served: list[int]
) -> None:
    from esgledger.server import app_from_settings
    from esgledger.settings import reset_settings

    monkeypatch.setenv("ESG_DATABASE_URL", db.url)
    reset_settings()
    try:
        app: Any = app_from_settings()
        assert app is not None and gc.get_freeze_count() > 100_000
    finally:
        reset_settings()
