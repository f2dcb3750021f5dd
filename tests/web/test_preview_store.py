"""Issue #14 (PDF previews): the cache of previews is per ledger state and shared by every
server process (``esg serve --workers N``): a preview one process rendered is served by
another at once, without a second render, and a job left by a dead process is retried."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from esgledger.ledger.db import Database
from esgledger.web.preview_store import DEAD, PreviewStore, store_folder
from esgledger.web.previews import PreviewJobs
from tests.web.test_dashboard_pages import YEAR

OTHER_PROCESS = textwrap.dedent(
    """
    import json, sys
    from esgledger.ledger.db import Database
    from esgledger.web.previews import PreviewJobs
    jobs = PreviewJobs(Database(sys.argv[1]), 1)
    job = jobs.start(int(sys.argv[2]), "xlsx")
    polled = jobs.get(job.id)
    print(json.dumps({"id": job.id, "state": job.state, "path": str(job.path),
                      "polled": polled.state if polled else None, "renders": jobs.most_running}))
    jobs.close()
    """
)


@pytest.fixture
def workspace(dashboard_workspace: dict[str, Any]) -> dict[str, Any]:
    """:func:`build_workspace`'s group, filled once per run and copied (tests/web/conftest.py)."""
    return dashboard_workspace


def _other_process(db: Database) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, db.url, str(YEAR)],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    return json.loads(done.stdout)


def test_a_preview_rendered_by_one_process_is_served_by_another(
    db: Database, workspace: dict
) -> None:
    here = PreviewJobs(db, 1)
    try:
        job = here.start(YEAR, "xlsx")
        assert job.done.wait(600) and job.state == "done", job.message
        there = _other_process(db)
        assert there == {
            "id": job.id, "state": "done", "path": str(job.path), "polled": "done", "renders": 0
        }  # fmt: skip
    finally:
        here.close()


def test_a_job_left_rendering_by_a_dead_process_is_retried(db: Database, workspace: dict) -> None:
    store = PreviewStore(store_folder(db))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    here = PreviewJobs(db, 1)
    try:
        probe = here.start(YEAR, "html")
        assert probe.done.wait(600) and probe.state == "done"
        store.marker(probe.id).unlink()
        store.save(probe.id, {"year": YEAR, "format": "html", "state": "rendering"})
        dead = json.loads(store.marker(probe.id).read_text())
        dead["pid"] = int(gone.stdout)
        store.marker(probe.id).write_text(json.dumps(dead))
        assert store.load(probe.id)["state"] == "failed"  # type: ignore[index]
        assert store.load(probe.id)["message"] == DEAD  # type: ignore[index]
        fresh = PreviewJobs(db, 1)  # a restarted process: nothing in memory
        try:
            retried = fresh.start(YEAR, "html")
            assert retried.done.wait(600) and retried.state == "done"
            assert fresh.most_running == 1 and retried.id == probe.id
        finally:
            fresh.close()
    finally:
        here.close()
