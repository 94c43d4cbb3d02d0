"""Ingest jobs: `POST /api/ingest` answers at once and the work runs here, one job at a time
in arrival order (one writer to the store), while clients poll `GET /api/jobs/ID`.

Jobs live in the server's memory: a restart forgets them (what they stored stays stored).
Our own small queue: a thread and a deque are all it needs; a task queue library would
bring a broker for one writer.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# Finished jobs remembered; the oldest are forgotten first.
KEPT = 200

Work = Callable[[], dict[str, Any]]
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    status: str
    submitted: str
    finished: str | None = None
    report: dict[str, Any] | None = None
    error: str | None = None
    http_status: int = 200  # what a client that waited is answered with

    def to_dict(self) -> dict[str, Any]:
        return {
            "job": self.id,
            "status": self.status,
            "url": f"/api/jobs/{self.id}",
            "submitted": self.submitted,
            "finished": self.finished,
            "report": self.report,
            "error": self.error,
        }


@dataclass
class Jobs:
    """The queue and what became of each job. `status_of` gives the HTTP status of a
    job's exception (a storyline error is the client's 400, 413, ...; a bug 500)."""

    status_of: Callable[[Exception], int]
    _jobs: OrderedDict[str, Job] = field(default_factory=OrderedDict)
    _work: dict[str, Work] = field(default_factory=dict)
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _thread: threading.Thread | None = None
    _count: int = 0

    def submit(self, work: Work) -> Job:
        with self._lock:
            self._count += 1
            job = Job(f"{self._count:06d}", QUEUED, _now())
            self._jobs[job.id] = job
            self._work[job.id] = work
            self._forget_old()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
                self._thread.start()
            self._lock.notify()
            return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def all(self) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())

    def wait(self, job_id: str, timeout: float | None = None) -> Job:
        """The job once finished (a client that asked to wait)."""
        with self._lock:
            self._lock.wait_for(lambda: self._jobs[job_id].status in (DONE, FAILED), timeout)
            return self._jobs[job_id]

    def _run(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: bool(self._work))
                job_id = next(iter(self._work))
                work = self._work.pop(job_id)
                self._set(job_id, status=RUNNING)
            try:
                report = work()
                error = nothing_ingested(report)
                finished: dict[str, Any] = {"report": report, "error": error}
                finished |= {"status": FAILED, "http_status": 400} if error else {"status": DONE}
            except Exception as exc:  # a job's failure is its result: the server goes on
                status = self.status_of(exc)
                if status >= 500:
                    logger.error("ingest job %s failed", job_id, exc_info=exc)
                finished = {"error": _message(exc), "status": FAILED, "http_status": status}
            with self._lock:
                self._set(job_id, finished=_now(), **finished)
                self._lock.notify_all()

    def _set(self, job_id: str, **changes: Any) -> None:
        self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _forget_old(self) -> None:
        done = [i for i, j in self._jobs.items() if j.status in (DONE, FAILED)]
        for job_id in done[: max(0, len(self._jobs) - KEPT)]:
            del self._jobs[job_id]


def nothing_ingested(report: dict[str, Any]) -> str | None:
    """Why a job failed when every document it was given was rejected, else None."""
    if report["rejected"] and not report["added"] and not report["skipped"]:
        reason = report["rejected"][0]["reason"]
        return f"nothing could be ingested ({reason}); fix the input and send it again"
    return None


def _message(exc: Exception) -> str:
    from ..errors import StorylineError

    if isinstance(exc, StorylineError):
        return str(exc)
    return f"the job failed ({type(exc).__name__}); see the server's log and report the bug"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
