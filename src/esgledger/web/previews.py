"""Report previews rendered in the background, one per ledger state, a few at a time.

A PDF preview of a real workspace takes tens of seconds; rendered inside the request, any
reader could start as many as they liked and each waited with a hanging download. Here a
preview is a job: the request starts it (or joins the one already running for the same
ledger state, year and format) and a status page follows it until the file is ready. At
most ``ESG_PREVIEW_WORKERS`` jobs render at once; the rest queue. A finished file is kept
(in a private temporary folder, the newest :data:`KEEP` of them) and served to every reader
who asks for the same state, so a second reader waits for nothing. A job that fails keeps
its one-line reason for the status page; asking again starts a fresh attempt.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from esgledger.disclose.ledger_state import ledger_state
from esgledger.disclose.publish import publish_report
from esgledger.errors import EsgError
from esgledger.ledger.db import Database

KEEP = 24  # finished previews kept on disk; older ones are deleted
log = logging.getLogger(__name__)


@dataclass
class Preview:
    """One render of one year in one format from one ledger state."""

    id: str
    year: int
    format: str
    state: str = "queued"  # queued → rendering → done | failed
    message: str = ""
    path: Path | None = None
    filename: str = ""
    size: int = 0
    done: threading.Event = field(default_factory=threading.Event)


def preview_id(ledger: str, year: int, fmt: str) -> str:
    """A short, URL-safe name of a (ledger state, year, format) job."""
    return hashlib.sha256(f"{ledger}|{year}|{fmt}".encode()).hexdigest()[:24]


class PreviewJobs:
    """The app's preview jobs: a bounded worker pool and the finished files."""

    def __init__(self, db: Database, workers: int):
        self._db = db
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="esg-preview")
        self._folder = tempfile.TemporaryDirectory(prefix="esg-previews-")
        self._jobs: dict[str, Preview] = {}
        self._lock = threading.Lock()
        self.running = 0  # renders under way now (for tests and the status page)
        self.most_running = 0  # the most that ever rendered at once

    def start(self, year: int, fmt: str) -> Preview:
        """The job for the ledger as it is now: a finished or running one, else a new one."""
        with self._db.read() as session:
            ledger = ledger_state(session)
        ident = preview_id(ledger, year, fmt)
        with self._lock:
            job = self._jobs.get(ident)
            if job is not None and job.state != "failed":
                return job
            job = Preview(ident, year, fmt)
            self._jobs[ident] = job
        self._pool.submit(self._render, job)
        return job

    def get(self, ident: str) -> Preview | None:
        with self._lock:
            return self._jobs.get(ident)

    def _render(self, job: Preview) -> None:
        with self._lock:
            job.state = "rendering"
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        try:
            self._write(job)
            job.state = "done"
        except EsgError as exc:
            job.state, job.message = "failed", str(exc)
        except Exception:  # a bug: logged with its traceback; the page says where to look
            log.exception("report preview %s failed", job.id)
            job.state, job.message = "failed", "unexpected error; the server log has the details"
        finally:
            with self._lock:
                self.running -= 1
            job.done.set()
            self._forget_old()

    def _write(self, job: Preview) -> None:
        with tempfile.TemporaryDirectory(prefix="esg-report-", dir=self._folder.name) as tmp:
            out = Path(tmp) / "out"
            written = publish_report(self._db, job.year, out=out, formats=[job.format])
            made = Path(written["files"][job.format])
            kept = Path(self._folder.name) / f"{job.id}{made.suffix}"
            shutil.move(made, kept)
        job.path, job.filename, job.size = kept, made.name, kept.stat().st_size

    def _forget_old(self) -> None:
        with self._lock:
            finished = [j for j in self._jobs.values() if j.done.is_set()]
            for job in finished[: max(0, len(finished) - KEEP)]:
                del self._jobs[job.id]
                if job.path is not None:
                    job.path.unlink(missing_ok=True)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
