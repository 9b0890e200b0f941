"""Long work as jobs: batches, PDF conversions and registry-wide roll-overs, on Redis with RQ or in-process.

A caller enqueues a job for an account (its kind and its arguments as plain data) and reads its
state: queued, running, finished or failed, done/total, a Vietnamese error, the result file. With
Redis (`Settings.redis_url`, answering) jobs wait in an RQ queue that any number of workers share,
on any machine (`python -m doctpl worker`); without it they run in a thread pool of the calling
process through the same interface. Each account has a quota of unfinished jobs.

Results are files in one folder (`Settings.folder`), never in Redis: a zip can weigh hundreds of
megabytes and Redis keeps everything in memory. A result lives as long as its job, `ttl` seconds
after the job ends; a sweeper (each worker's maintenance, or a thread of the in-process runner)
removes the files of expired jobs on its own.
"""

from __future__ import annotations

import abc
import base64
import copy
import datetime as dt
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import redis
from rq import SimpleWorker, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job as RqJob
from rq.job import JobStatus
from rq.queue import Queue
from rq.worker import WorkerStatus

from doctpl import batch, limits, pdf
from doctpl.errors import DoctplError, NotFound
from doctpl.kind import ROOT
from doctpl.store import carry
from doctpl.store.db import Store, sqlite_url

log = logging.getLogger(__name__)

SUFFIX = {"batch": ".zip", "pdf": ".pdf", "rollover": ".json"}
MIME = {"batch": "application/zip", "pdf": pdf.PDF_MIME, "rollover": "application/json"}
DOWNLOAD = {"batch": "lo-van-ban-{}.zip", "pdf": "van-ban-{}.pdf", "rollover": "nam-sau-{}.json"}
RESULT_FILE = re.compile(r"([0-9a-f]{32})\.(?:zip|pdf|json)(?:\.part)?")
JOB_ID = re.compile(r"[0-9a-f]{32}")
UNFINISHED = ("queued", "running")

GONE = "Không có công việc này, hoặc kết quả đã quá hạn lưu và bị xóa."
UNEXPECTED = "Công việc gặp lỗi ngoài dự kiến; người quản trị xem nhật ký của tiến trình xử lý."
ABANDONED = "Tiến trình xử lý dừng đột ngột khi đang làm công việc này; vui lòng chạy lại."
TIMED_OUT = "Công việc chạy quá thời gian cho phép nên đã bị dừng; hãy chia nhỏ rồi chạy lại."
DOWN = "Hàng đợi công việc (Redis) không trả lời; vui lòng thử lại sau ít phút."


class TooManyJobs(DoctplError):
    """The account already has its quota of unfinished jobs."""

    status = 429


class NotReady(DoctplError):
    """The job has no result to download (yet)."""

    status = 409


class QueueDown(DoctplError):
    """Redis does not answer."""

    status = 503


@dataclass(frozen=True)
class Settings:
    """Where jobs run (Redis URL, blank for this process), the queue, the result folder, the limits."""

    folder: Path
    redis_url: str = ""
    queue: str = "doctpl"
    ttl: int = 24 * 3600  # seconds a result is kept after its job ends
    quota: int = 2  # unfinished jobs per account
    timeout: int = 3600  # seconds one job may run on a worker
    database_url: str = ""  # for roll-overs; blank: the SQLite file in instance/
    threads: int = 2  # the in-process runner's pool
    sweep_every: int = 600  # seconds between two sweeps


@dataclass
class State:
    """What a job is doing, as the pages and the API show it."""

    id: str
    kind: str
    owner: int
    status: str = "queued"  # queued, running, finished, failed
    done: int = 0
    total: int = 0
    error: str = ""
    problems: list[str] = field(default_factory=list)
    name: str = ""

    @property
    def ready(self) -> bool:
        """Tell whether the result can be downloaded."""
        return self.status == "finished"

    @property
    def result(self) -> str:
        """Return the result's file name in the result folder."""
        return f"{self.id}{SUFFIX[self.kind]}"

    @property
    def filename(self) -> str:
        """Return the name the result downloads as."""
        return self.name or DOWNLOAD[self.kind].format(self.id[:8])

    @property
    def mimetype(self) -> str:
        """Return the result's media type."""
        return MIME[self.kind]


def batch_args(jobs: Iterable[batch.Job], problems: list[batch.Problem], pdfs: bool = False) -> dict[str, Any]:
    """Return a batch's arguments: its documents, the rows left out (for BAO-CAO-LOI.txt), with PDFs or not.

    A document validated already travels as its validated data alone, which the worker renders without
    validating again; the others as their raw data.
    """
    documents = [{"kind_id": job.kind_id, "raw": {} if job.data is not None else copy.deepcopy(dict(job.raw)),
                  "folder": job.folder, "note": job.note,
                  "data": None if job.data is None else copy.deepcopy(batch.plain(job.data))} for job in jobs]
    return {"jobs": documents, "problems": [asdict(p) for p in problems], "pdfs": pdfs}


def pdf_args(docx: bytes) -> dict[str, Any]:
    """Return a PDF conversion's arguments: the .docx."""
    return {"docx": base64.b64encode(docx).decode("ascii")}


def rollover_args(khoi_id: int, from_year: int, to_year: int, who: str) -> dict[str, Any]:
    """Return a roll-over's arguments: the khối, its year, the new year, who asked (for the audit log)."""
    return {"khoi_id": khoi_id, "from_year": from_year, "to_year": to_year, "who": who}


Progress = Callable[[int], None]


def _batch(out: IO[bytes], args: dict[str, Any], _settings: Settings, progress: Progress) -> None:
    """Write a batch's zip."""
    jobs = [batch.Job(**item) for item in args["jobs"]]
    problems = [batch.Problem(**item) for item in args["problems"]]
    batch.write_zip(out, batch.render_all(jobs), problems, progress=progress, pdfs=bool(args["pdfs"]))
    limits.release_memory()  # a large batch leaves the process at its working size


def _pdf(out: IO[bytes], args: dict[str, Any], _settings: Settings, progress: Progress) -> None:
    """Write the PDF of a .docx."""
    out.write(pdf.to_pdf(base64.b64decode(args["docx"])))
    progress(1)


def _rollover(out: IO[bytes], args: dict[str, Any], settings: Settings, progress: Progress) -> None:
    """Roll a khối's whole set into another year; write what became of each record as JSON."""
    store = Store(settings.database_url or sqlite_url(ROOT / "instance"))
    try:
        with store.session() as session:
            steps = carry.apply_set(session, int(args["khoi_id"]), int(args["from_year"]), int(args["to_year"]),
                                    who=str(args["who"]))
            summary = [{"van_ban": s.source.id, "tieu_de": s.source.tieu_de, "ket_qua": s.action,
                        "van_ban_moi": (s.created or s.existing).id if (s.created or s.existing) else None,
                        "ly_do": s.problem} for s in steps]
    finally:
        store.dispose()
    out.write(json.dumps(summary, ensure_ascii=False, indent=1).encode("utf-8"))
    progress(len(summary))


WORK: dict[str, Callable[[IO[bytes], dict[str, Any], Settings, Progress], None]] = {
    "batch": _batch, "pdf": _pdf, "rollover": _rollover}


def execute(kind: str, job_id: str, args: dict[str, Any], settings: Settings, progress: Progress) -> str:
    """Do one job's work into its result file (written aside, then renamed); return the file's name."""
    settings.folder.mkdir(parents=True, exist_ok=True)
    target = settings.folder / f"{job_id}{SUFFIX[kind]}"
    partial = target.with_name(target.name + ".part")
    try:
        with open(partial, "wb") as out:
            WORK[kind](out, args, settings, progress)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target.name


class Serializer:
    """JSON for RQ's job data (never pickle), with dates kept as dates (spreadsheet cells) and decimals as
    decimals (validated data, which a batch's worker renders without validating again)."""

    TYPES: dict[str, type] = {"datetime": dt.datetime, "date": dt.date, "time": dt.time}

    @staticmethod
    def _tag(value: Any) -> dict[str, str]:
        for name, kind in Serializer.TYPES.items():
            if isinstance(value, kind):
                return {"__doctpl__": name, "iso": value.isoformat()}
        if isinstance(value, Decimal):
            return {"__doctpl__": "decimal", "iso": str(value)}
        raise TypeError(f"{type(value).__name__} is not plain data")

    @staticmethod
    def _untag(obj: dict[str, Any]) -> Any:
        if obj.keys() == {"__doctpl__", "iso"}:
            if obj["__doctpl__"] == "decimal":
                return Decimal(obj["iso"])
            return Serializer.TYPES[obj["__doctpl__"]].fromisoformat(obj["iso"])  # type: ignore[attr-defined]
        return obj

    @staticmethod
    def dumps(obj: Any) -> bytes:
        """Encode job data."""
        return json.dumps(obj, default=Serializer._tag, ensure_ascii=False).encode("utf-8")

    @staticmethod
    def loads(data: bytes) -> Any:
        """Decode job data."""
        return json.loads(data.decode("utf-8"), object_hook=Serializer._untag)


class Runner(abc.ABC):
    """What the pages and the API use, whichever way jobs run."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @abc.abstractmethod
    def enqueue(self, kind: str, args: dict[str, Any], *, owner: int, total: int = 0,
                problems: list[str] | None = None, name: str = "") -> State:
        """Start a job for `owner`, or raise TooManyJobs when the account has its quota of unfinished ones."""

    @abc.abstractmethod
    def state(self, job_id: str, owner: int) -> State:
        """Return a job's state; NotFound when it is unknown, expired, or another account's."""

    @abc.abstractmethod
    def _keeps(self, job_id: str, mtime: float) -> bool:
        """Tell whether the result file of `job_id`, last written at `mtime`, must stay."""

    @abc.abstractmethod
    def _unfinished(self, owner: int) -> int:
        """Return how many of the account's jobs are queued or running."""

    def admit(self, owner: int) -> None:
        """Raise TooManyJobs when the account has its quota of unfinished jobs (checked again on enqueue)."""
        running = self._unfinished(owner)
        if running >= self.settings.quota:
            raise TooManyJobs(f"Tài khoản đang có {running} công việc chưa xong (tối đa {self.settings.quota}); "
                              "hãy chờ một công việc xong rồi thử lại.")

    def result(self, job_id: str, owner: int) -> tuple[State, Path]:
        """Return a finished job's state and result file; NotReady before that."""
        state = self.state(job_id, owner)
        path = self.settings.folder / state.result
        if not state.ready:
            raise NotReady(state.error or "Công việc chưa xong; hãy chờ rồi tải lại.")
        if not path.exists():
            raise NotFound(GONE)
        return state, path

    def sweep(self) -> int:
        """Delete the result files of expired jobs; return how many."""
        if not self.settings.folder.is_dir():
            return 0
        removed = 0
        for path in self.settings.folder.iterdir():
            match = RESULT_FILE.fullmatch(path.name)
            try:
                if match and not self._keeps(match.group(1), path.stat().st_mtime):
                    path.unlink(missing_ok=True)
                    removed += 1
            except FileNotFoundError:
                continue  # removed meanwhile by another sweeper
        return removed


class Local(Runner):
    """Jobs in a thread pool of this process (no Redis, a laptop): state in memory, the same interface."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.states: dict[str, State] = {}
        self.expires: dict[str, float] = {}  # when each ended job is forgotten
        self.lock = threading.Lock()
        self.threads = ThreadPoolExecutor(settings.threads, thread_name_prefix="doctpl-job")
        self.stopped = threading.Event()
        threading.Thread(target=self._sweeper, name="doctpl-sweep", daemon=True).start()

    def enqueue(self, kind: str, args: dict[str, Any], *, owner: int, total: int = 0,
                problems: list[str] | None = None, name: str = "") -> State:
        """Start a job in the thread pool."""
        with self.lock:
            self.admit(owner)
            state = State(uuid.uuid4().hex, kind, owner, total=total, problems=list(problems or []), name=name)
            self.states[state.id] = state
        self.threads.submit(self._run, state, args)
        return copy.deepcopy(state)

    def _run(self, state: State, args: dict[str, Any]) -> None:
        state.status = "running"
        try:
            execute(state.kind, state.id, args, self.settings, lambda done: setattr(state, "done", done))
            state.status = "finished"
        except DoctplError as error:
            state.error, state.status = str(error), "failed"
        except Exception:
            log.exception("job %s (%s) failed", state.id, state.kind)
            state.error, state.status = UNEXPECTED, "failed"
        finally:
            with self.lock:
                self.expires[state.id] = time.time() + self.settings.ttl

    def state(self, job_id: str, owner: int) -> State:
        """Return a copy of the job's state."""
        with self.lock:
            state = self.states.get(job_id)
            if state is None or state.owner != owner:
                raise NotFound(GONE)
            return copy.deepcopy(state)

    def _unfinished(self, owner: int) -> int:
        return sum(s.owner == owner and s.status in UNFINISHED for s in list(self.states.values()))

    def _keeps(self, job_id: str, mtime: float) -> bool:
        now = time.time()
        with self.lock:
            for gone in [key for key, end in self.expires.items() if end < now]:
                del self.states[gone], self.expires[gone]
            if job_id in self.states:
                return True
        return mtime > now - self.settings.ttl  # not this process's (made before a restart): kept for the ttl

    def _sweeper(self) -> None:
        while not self.stopped.wait(self.settings.sweep_every):
            try:
                self.sweep()
            except OSError:
                log.exception("sweeping %s failed", self.settings.folder)

    def close(self) -> None:
        """Stop the sweeper and wait for the running jobs."""
        self.stopped.set()
        self.threads.shutdown()


RQ_STATES = {JobStatus.STARTED: "running", JobStatus.FINISHED: "finished", JobStatus.FAILED: "failed",
             JobStatus.STOPPED: "failed", JobStatus.CANCELED: "failed"}


class Remote(Runner):
    """Jobs on an RQ queue in Redis, run by `python -m doctpl worker` processes on any machine."""

    def __init__(self, settings: Settings, connection: redis.Redis):
        super().__init__(settings)
        self.redis = connection
        self.queue = Queue(settings.queue, connection=connection, serializer=Serializer)

    def enqueue(self, kind: str, args: dict[str, Any], *, owner: int, total: int = 0,
                problems: list[str] | None = None, name: str = "") -> State:
        """Put a job on the queue; the account's unfinished jobs are counted under a lock."""
        key = self._key(owner)
        try:
            with self.redis.lock(f"{key}:khoa", timeout=30, blocking_timeout=30):
                self.admit(owner)
                meta = {"kind": kind, "owner": owner, "done": 0, "total": total, "problems": list(problems or []),
                        "name": name}
                job = self.queue.enqueue(perform, kind, args, job_id=uuid.uuid4().hex, description=kind, meta=meta,
                                         job_timeout=self.settings.timeout, ttl=self.settings.ttl,
                                         result_ttl=self.settings.ttl, failure_ttl=self.settings.ttl)
                self.redis.sadd(key, job.id)
                self.redis.expire(key, self.settings.ttl + self.settings.timeout)
        except redis.RedisError as exc:
            raise QueueDown(DOWN) from exc
        return self._state(job)

    def _key(self, owner: int) -> str:
        """Return the key of the set of the account's jobs that were unfinished when last counted."""
        return f"doctpl:{self.settings.queue}:chua-xong:{owner}"

    def _unfinished(self, owner: int) -> int:
        key = self._key(owner)
        try:
            self.queue.started_job_registry.cleanup()  # a dead worker's job is failed, not counted
            ids = [member.decode() for member in self.redis.smembers(key)]
            live = {job.id for job in RqJob.fetch_many(ids, connection=self.redis, serializer=Serializer)
                    if job is not None and RQ_STATES.get(job.get_status(refresh=False), "queued") in UNFINISHED}
            if stale := set(ids) - live:
                self.redis.srem(key, *stale)
        except redis.RedisError as exc:
            raise QueueDown(DOWN) from exc
        return len(live)

    def state(self, job_id: str, owner: int) -> State:
        """Read the job from Redis; a running job whose worker stopped beating is failed first."""
        if not JOB_ID.fullmatch(job_id):
            raise NotFound(GONE)
        try:
            job = RqJob.fetch(job_id, connection=self.redis, serializer=Serializer)
            if job.meta.get("owner") != owner:
                raise NotFound(GONE)
            if job.get_status(refresh=False) == JobStatus.STARTED:
                self.queue.started_job_registry.cleanup()
                job.refresh()
            return self._state(job)
        except NoSuchJobError as exc:
            raise NotFound(GONE) from exc
        except redis.RedisError as exc:
            raise QueueDown(DOWN) from exc

    def _state(self, job: RqJob) -> State:
        meta = job.meta
        status = RQ_STATES.get(job.get_status(refresh=False), "queued")
        error = ""
        if status == "failed":
            error = meta.get("error") or _reason(job)
        return State(job.id, meta["kind"], meta["owner"], status, meta["done"], meta["total"], error,
                     meta["problems"], meta["name"])

    def _keeps(self, job_id: str, mtime: float) -> bool:
        return bool(RqJob.exists(job_id, connection=self.redis))


def _reason(job: RqJob) -> str:
    """Say in Vietnamese why a job failed without a message of its own (stopped worker, timeout, a bug)."""
    result = job.latest_result()
    text = result.exc_string if result is not None and result.exc_string else ""
    if any(name in text for name in ("AbandonedJobError", "SystemExit", "KeyboardInterrupt")):
        return ABANDONED  # killed, or stopped cold by a second SIGTERM or Ctrl+C
    if "JobTimeoutException" in text:
        return TIMED_OUT
    return UNEXPECTED


def connect(settings: Settings) -> Runner:
    """Return the runner for `settings`: the RQ queue when Redis answers, else a thread pool of this process."""
    if settings.redis_url:
        connection = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=3, socket_timeout=30)
        try:
            connection.ping()
            return Remote(settings, connection)
        except redis.RedisError as exc:
            log.warning("Redis does not answer (%s): jobs run in this process", exc)
    return Local(settings)


_worker_settings: Settings | None = None


def perform(kind: str, args: dict[str, Any]) -> str:
    """Run one job on an RQ worker; its progress and Vietnamese error go to the job's meta."""
    job = get_current_job()
    assert job is not None and _worker_settings is not None, "perform runs on a doctpl worker"
    saved = [0.0]

    def progress(done: int) -> None:
        job.meta["done"] = done
        if time.monotonic() - saved[0] >= 0.5:  # a few writes a second, however fast documents come
            job.save_meta()
            saved[0] = time.monotonic()

    try:
        return execute(kind, job.id, args, _worker_settings, progress)
    except DoctplError as error:
        job.meta["error"] = str(error)
        raise
    finally:
        job.save_meta()


class Worker(SimpleWorker):
    """An RQ worker that runs jobs in its own process, so its LibreOffice converters stay warm between jobs.

    While a job runs it beats every `job_monitoring_interval` seconds: killed mid-job, its job is failed
    three beats later (by the next reader or worker). Its maintenance also sweeps the result folder.
    Render workers and converters it starts die with it (doctpl.batch, doctpl.pdf).
    """

    settings: Settings

    def execute_job(self, job: RqJob, queue: Queue) -> None:
        """Run the job here, beating from a thread meanwhile."""
        execution = self.prepare_execution(job)
        stop = threading.Event()
        beats = threading.Thread(target=self._beat, args=(job, execution, stop), daemon=True)
        beats.start()
        try:
            self.perform_job(job, queue, execution)
        finally:
            stop.set()
            beats.join()
        self.set_state(WorkerStatus.IDLE)

    def _beat(self, job: RqJob, execution: Any, stop: threading.Event) -> None:
        while not stop.wait(self.job_monitoring_interval):
            try:
                self.maintain_heartbeats(job, execution)
            except redis.RedisError:
                log.exception("heartbeat of job %s failed", job.id)

    def get_heartbeat_ttl(self, job: RqJob, working_time: float = 0.0) -> int:
        """Return how long a beat holds: three beats."""
        return 3 * int(self.job_monitoring_interval)

    def run_maintenance_tasks(self) -> None:
        """Clean RQ's registries (failing abandoned jobs), then sweep expired results."""
        super().run_maintenance_tasks()
        removed = Remote(self.settings, self.connection).sweep()
        if removed:
            log.info("swept %d expired results from %s", removed, self.settings.folder)


def run_worker(settings: Settings, heartbeat: int = 10) -> None:
    """Work on the settings' queue until stopped: SIGTERM lets the current job finish, a second one ends it."""
    global _worker_settings
    _worker_settings = settings
    try:
        connection = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=3)
        worker = Worker([settings.queue], connection=connection, serializer=Serializer,
                        job_monitoring_interval=heartbeat, maintenance_interval=settings.sweep_every,
                        worker_ttl=settings.sweep_every + 15)  # idle, it wakes every sweep_every to sweep
    except redis.RedisError as exc:
        raise QueueDown(f"Không kết nối được Redis ({exc}).") from exc
    worker.settings = settings
    worker.work(logging_level="INFO")
