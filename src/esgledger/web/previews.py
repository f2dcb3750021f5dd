"""Report previews rendered in the background, one per ledger state, a few at a time.

A PDF preview of a real workspace takes tens of seconds; rendered inside the request, any
reader could start as many as they liked and each waited with a hanging download. Here a
preview is a job: the request starts it (or joins the one already running for the same
ledger state, year and format) and a status page follows it until the file is ready. At
most ``ESG_PREVIEW_WORKERS`` jobs render at once per process; the rest queue. A finished
file is kept in a store on disk shared by every server process (:mod:`preview_store`, the
newest :data:`KEEP`) and served to every reader who asks for the same state, whichever
process answers, so a second reader waits for nothing and no process renders it again. A
job that fails keeps its one-line reason for the status page; asking again starts a fresh
attempt.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from esgledger.disclose.ledger_state import ledger_state
from esgledger.disclose.publish import publish_report
from esgledger.errors import EsgError
from esgledger.ledger.db import Database
from esgledger.web.preview_store import PreviewStore, store_folder

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
    """This process's preview jobs: a bounded worker pool over the shared store on disk."""

    def __init__(self, db: Database, workers: int):
        self._db = db
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="esg-preview")
        self._store = PreviewStore(store_folder(db))
        self._jobs: dict[str, Preview] = {}
        self._lock = threading.Lock()
        self.running = 0  # renders under way now in this process (for tests)
        self.most_running = 0  # the most that ever rendered at once in this process

    def start(self, year: int, fmt: str) -> Preview:
        """The job for the ledger as it is now: a finished or running one (of any server
        process), else a new one rendered here."""
        with self._db.read() as session:
            ledger = ledger_state(session)
        ident = preview_id(ledger, year, fmt)
        with self._lock:
            job = self._jobs.get(ident)
            if job is not None and job.state != "failed" and self._usable(job):
                return job
            job = Preview(ident, year, fmt)
            if not self._store.claim(ident, _fields(job)):
                shared = self._from_store(ident)
                if shared is not None and shared.state != "failed":
                    return shared
                self._store.save(ident, _fields(job))  # a failed one: this process retries
            self._jobs[ident] = job
        self._pool.submit(self._render, job)
        return job

    def get(self, ident: str) -> Preview | None:
        """The job, from this process's memory or else from the shared store."""
        with self._lock:
            job = self._jobs.get(ident)
        if job is not None and self._usable(job):
            return job
        return self._from_store(ident)

    def _usable(self, job: Preview) -> bool:
        return job.state != "done" or (job.path is not None and job.path.is_file())

    def _from_store(self, ident: str) -> Preview | None:
        fields = self._store.load(ident)
        if fields is None:
            return None
        job = Preview(ident, int(fields["year"]), str(fields["format"]), state=fields["state"],
                      message=fields.get("message", ""), filename=fields.get("filename", ""),
                      size=int(fields.get("size", 0)))  # fmt: skip
        if job.state == "done":
            job.path = self._store.folder / fields["file"]
        if job.state in ("done", "failed"):
            job.done.set()
        return job

    def _render(self, job: Preview) -> None:
        with self._lock:
            job.state = "rendering"
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        self._store.save(job.id, _fields(job))
        try:
            self._write(job)
            job.state = "done"
        except EsgError as exc:
            job.state, job.message = "failed", str(exc)
        except Exception:  # a bug: logged with its traceback; the page says where to look
            log.exception("report preview %s failed", job.id)
            job.state, job.message = "failed", "unexpected error; the server log has the details"
        finally:
            self._store.save(job.id, _fields(job))
            with self._lock:
                self.running -= 1
            job.done.set()
            self._forget_old()

    def _write(self, job: Preview) -> None:
        with tempfile.TemporaryDirectory(prefix="esg-report-", dir=self._store.folder) as tmp:
            out = Path(tmp) / "out"
            written = publish_report(self._db, job.year, out=out, formats=[job.format])
            made = Path(written["files"][job.format])
            kept = self._store.keep_file(job.id, made)
        job.path, job.filename, job.size = kept, made.name, kept.stat().st_size

    def _forget_old(self) -> None:
        with self._lock:
            finished = [j for j in self._jobs.values() if j.done.is_set()]
            for job in finished[: max(0, len(finished) - KEEP)]:
                del self._jobs[job.id]
        self._store.prune(KEEP)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _fields(job: Preview) -> dict[str, object]:
    """What the store keeps of a job, for the other processes' status pages."""
    return {
        "year": job.year, "format": job.format, "state": job.state, "message": job.message,
        "filename": job.filename, "size": job.size, "file": job.path.name if job.path else "",
    }  # fmt: skip
