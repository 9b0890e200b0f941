"""Jobs: batches, PDFs and roll-overs on real Redis with real RQ workers, in-process without Redis, the quota,
the result sweeper, owner isolation, and workers killed mid-job that leave nothing behind.

Under CI a Redis server must answer at REDIS_URL (.ci/run starts it): the Redis cases fail rather
than skip. Each test uses a queue of its own and removes its keys afterwards. Every wait is bounded.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis
from rq.job import Job as RqJob

from app import create_app
from doctpl import batch, jobs, pdf
from doctpl.check.reader import Reader
from doctpl.errors import NotFound
from doctpl.kind import ROOT
from doctpl.render import render
from doctpl.store import records
from doctpl.store.db import Store
from tests.conftest import body_text, csrf_token, example, signed_in

REDIS_URL = os.environ.get("REDIS_URL", "")
HAVE_PDF = pdf.available()
if os.environ.get("CI") and not HAVE_PDF:
    raise RuntimeError("CI must run the PDF job tests: .ci/run installs LibreOffice and python3-uno")


def redis_url() -> str:
    """Return REDIS_URL if that server answers; under CI it must, elsewhere the test is skipped."""
    reason = "REDIS_URL is not set"
    if REDIS_URL:
        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
            return REDIS_URL
        except redis.RedisError as exc:
            reason = f"Redis at REDIS_URL does not answer ({exc})"
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must run the Redis tests: {reason} (.ci/run starts Redis and sets REDIS_URL)")
    pytest.skip(reason)


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue of this test's own on the Redis of REDIS_URL; its jobs and keys are removed afterwards."""
    url = redis_url()
    name = f"doctpl-test-{uuid.uuid4().hex[:12]}"
    yield name
    connection = redis.Redis.from_url(url)
    ids = [key.decode().rsplit(":", 1)[1] for key in connection.scan_iter("rq:job:*")
           if connection.hget(key, "origin") == name.encode()]
    for pattern in [f"*{job_id}*" for job_id in ids] + [f"*{name}*"]:
        for key in connection.scan_iter(pattern):
            connection.delete(key)
    connection.srem("rq:queues", f"rq:queue:{name}")


def until(read: Callable[[], Any], seconds: float, what: str, log: Path | None = None,
          done: Callable[[Any], Any] = bool) -> Any:
    """Poll `read` until `done` holds for what it returns (for at most `seconds`); return that."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done(value := read()):
            return value
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"{what}: not within {seconds} s\n{tail}")


@contextmanager
def worker(url: str, name: str, folder: Path, log: Path, *options: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run `python -m doctpl worker` on queue `name` in a session of its own, its temporary files (LibreOffice
    profiles) beside `log`; stop it at the end."""
    (log.parent / "tmp").mkdir(exist_ok=True)
    with open(log, "ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "doctpl", "worker", "--redis-url", url, "--queue", name,
                                    "--folder", str(folder), "--heartbeat", "1", *options],
                                   cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, "TMPDIR": str(log.parent / "tmp")})
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def processes() -> dict[int, tuple[str, int, int]]:
    """Return every process as pid → (state, parent, process group), from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                state, parent, group = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:3]
            except (OSError, ValueError):
                continue
            table[int(entry.name)] = (state, int(parent), int(group))
    return table


def family(pid: int) -> set[int]:
    """Return the live descendants of `pid` and the members of their process groups (soffice's helpers)."""
    table = processes()
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        children = [child for child, (_, up, _) in table.items() if up == parent and child not in found]
        found.update(children)
        todo += children
    groups = {table[member][2] for member in found} - {table[pid][2] if pid in table else -1}
    found |= {member for member, (_, _, group) in table.items() if group in groups}
    return {member for member in found if table.get(member, ("Z",))[0] != "Z"}


def alive(pids: set[int]) -> set[int]:
    """Return those of `pids` still running (a zombie holds nothing and is not counted)."""
    table = processes()
    return {pid for pid in pids if pid in table and table[pid][0] != "Z"}


def command(pid: int) -> list[str]:
    """Return a process's command line (empty once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except OSError:
        return []


def forks(parent: int, pids: set[int]) -> set[int]:
    """Return those of `pids` forked from `parent` without exec (render workers): they share its command line."""
    return {pid for pid in pids if command(pid) == command(parent)}


def converter_ports(pids: set[int]) -> set[int]:
    """Return the XML-RPC and UNO ports of the LibreOffice converters among `pids`."""
    ports = set()
    for pid in pids:
        words = command(pid)
        if any("serve_converter" in word for word in words):
            ports |= {int(words[i + 1]) for i, word in enumerate(words) if word in ("--port", "--uno-port")}
    return ports


def listening(ports: set[int]) -> set[int]:
    """Return those of `ports` that some socket listens on (from /proc/net; a client's port does not count)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) in ports:
                found.add(int(local.rsplit(":", 1)[1], 16))
    return found


def docx_texts(archive: bytes) -> list[str]:
    """Return the text of every .docx in a zip, in the zip's order."""
    entries = zipfile.ZipFile(io.BytesIO(archive))
    return [body_text(Reader(entries.read(name))) for name in entries.namelist() if name.endswith(".docx")]


def make_app(tmp_path: Path, **config: Any):  # type: ignore[no-untyped-def]
    """An app of the demo database in `tmp_path`, its results in tmp_path/ket-qua."""
    return create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
                       "JOB_FOLDER": str(tmp_path / "ket-qua"), **config})


def finished(client, location: str, seconds: float = 60, log: Path | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Poll a job's API URL until the job ends; return its last state."""
    return until(lambda: client.get(location).get_json(), seconds, f"job {location}", log,
                 done=lambda state: state["state"] in ("finished", "failed"))


@pytest.mark.slow
def test_a_batch_runs_on_a_real_worker_and_its_state_survives_a_restart_of_the_web_process(tmp_path, queue):
    url, log = redis_url(), tmp_path / "worker.log"
    config = {"REDIS_URL": url, "JOB_QUEUE": queue, "JOB_TTL": 600}
    app = make_app(tmp_path, **config)
    client = signed_in(app)
    rows = [{**example("ke_hoach"), "so": number} for number in (1, 2, 3)]
    with worker(url, queue, tmp_path / "ket-qua", log, "--database", f"sqlite:///{tmp_path / 'jobs.sqlite3'}"):
        started = client.post("/api/v1/batch", json={"kind": "ke_hoach", "rows": rows})
        assert started.status_code == 202 and started.get_json()["state"] == "queued"
        location = started.headers["Location"]
        state = finished(client, location, log=log)
        assert state["state"] == "finished" and state["done"] == state["total"] == 3, state
        archive = client.get(state["result_url"])
        assert archive.status_code == 200 and archive.mimetype == "application/zip"
        assert ["Số 03-KH/KTĐ1" in text for text in docx_texts(archive.data)] == [False, False, True]

        # The web page's batch from the registry, read back by a new web process (same database, same Redis).
        page = client.get("/lo/").get_data(as_text=True)
        posted = client.post("/lo/", data={"csrf_token": csrf_token(page), "nguon": "danh_muc", "khoi": "1",
                                           "nam": "2021", "loai": ["dang_ky"]})
        assert posted.status_code == 303
        restarted = make_app(tmp_path, **config).test_client()
        restarted.environ_base["HTTP_AUTHORIZATION"] = client.environ_base["HTTP_AUTHORIZATION"]
        cookie = client.get_cookie("session")
        restarted.set_cookie(cookie.key, cookie.value)
        progress = posted.headers["Location"]
        status = until(lambda: restarted.get(progress + "/trang-thai").get_json(), 60, "registry batch", log,
                       done=lambda state: state["ready"])
        assert status == {"done": 6, "total": 6, "ready": True, "error": "", "problems": []}
        assert "Tải tệp zip" in restarted.get(progress).get_data(as_text=True)
        assert len(docx_texts(restarted.get(progress + "/tai-ve").data)) == 6
        assert restarted.get(location).get_json()["state"] == "finished"

        # A roll-over of the khối's whole set runs on the worker too, against the same database.
        runner = jobs.connect(jobs.Settings(folder=tmp_path / "ket-qua", redis_url=url, queue=queue))
        assert isinstance(runner, jobs.Remote)
        rolled = runner.enqueue("rollover", jobs.rollover_args(1, 2021, 2022, "Kiểm thử"), owner=1)
        until(lambda: runner.state(rolled.id, 1).status in ("finished", "failed"), 60, "roll-over", log)
        result, path = runner.result(rolled.id, 1)
        summary = json.loads(path.read_text(encoding="utf-8"))
        assert result.mimetype == "application/json" and result.filename == f"nam-sau-{rolled.id[:8]}.json"
        assert {step["ket_qua"] for step in summary} <= {"tao", "da_co", "khong_the"}
        created = [step["van_ban_moi"] for step in summary if step["ket_qua"] == "tao"]
        assert created
        store = Store(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
        with store.session() as session:
            assert {r.id for r in records.find(session, khoi_id=1, nam=2022)} >= set(created)
        store.dispose()


def test_without_redis_the_same_jobs_run_in_the_web_process(tmp_path):
    app = make_app(tmp_path, REDIS_URL="redis://127.0.0.1:9/0", SEED_DEMO=False)  # nothing listens there
    client = signed_in(app)
    started = client.post("/api/v1/batch", json={"kind": "ke_hoach", "rows": [example("ke_hoach")]})
    state = finished(client, started.headers["Location"])
    assert state["state"] == "finished" and state["done"] == 1
    assert ["KẾ HOẠCH" in text for text in docx_texts(client.get(state["result_url"]).data)] == [True]
    assert isinstance(app.extensions["doctpl.jobs"], jobs.Local)
    assert (tmp_path / "ket-qua" / f"{state['id']}.zip").exists()  # the one result folder
    without = jobs.connect(jobs.Settings(folder=tmp_path))  # no REDIS_URL at all
    assert isinstance(without, jobs.Local)
    without.close()


def test_a_roll_over_runs_in_process_too(tmp_path):
    app = make_app(tmp_path)
    runner = jobs.Local(jobs.Settings(folder=tmp_path / "ket-qua", database_url=app.extensions["doctpl.store"].url))
    try:
        started = runner.enqueue("rollover", jobs.rollover_args(1, 2021, 2022, "Kiểm thử"), owner=1)
        until(lambda: runner.state(started.id, 1).status == "finished", 60, "roll-over")
        _, path = runner.result(started.id, 1)
        assert any(step["ket_qua"] == "tao" for step in json.loads(path.read_text(encoding="utf-8")))
    finally:
        runner.close()


@pytest.fixture
def gate(monkeypatch) -> Iterator[threading.Event]:
    """Batches that wait until the gate opens (at most 30 s), to hold jobs running."""
    opened = threading.Event()
    monkeypatch.setitem(jobs.WORK, "batch", lambda out, args, settings, progress: opened.wait(30))
    yield opened
    opened.set()


def test_the_quota_of_running_jobs_per_account(tmp_path, gate):
    app = make_app(tmp_path, SEED_DEMO=False, JOB_QUOTA=1)
    first, second = signed_in(app, "mot"), signed_in(app, "hai")
    body = {"kind": "ke_hoach", "rows": [example("ke_hoach")]}
    held = first.post("/api/v1/batch", json=body)
    assert held.status_code == 202
    refused = first.post("/api/v1/batch", json=body)
    assert refused.status_code == 429
    assert refused.get_json()["errors"][0]["message"] == (
        "Tài khoản đang có 1 công việc chưa xong (tối đa 1); hãy chờ một công việc xong rồi thử lại.")
    page = first.get("/lo/").get_data(as_text=True)
    form = first.post("/lo/", data={"csrf_token": csrf_token(page), "nguon": "danh_muc", "khoi": "1", "nam": "2021",
                                    "loai": ["dang_ky"]})
    assert form.status_code == 429 and "công việc chưa xong" in form.get_data(as_text=True)
    assert second.post("/api/v1/batch", json=body).status_code == 202  # another account is not held back
    gate.set()
    assert finished(first, held.headers["Location"])["state"] == "finished"
    assert first.post("/api/v1/batch", json=body).status_code == 202


def test_the_quota_on_redis_counts_queued_jobs_and_frees_ended_ones(tmp_path, queue):
    runner = jobs.connect(jobs.Settings(folder=tmp_path, redis_url=redis_url(), queue=queue, quota=2))
    args = jobs.batch_args([batch.Job("ke_hoach", example("ke_hoach"), "Khối")], [])
    waiting = [runner.enqueue("batch", args, owner=5, total=1) for _ in range(2)]  # no worker: they wait
    with pytest.raises(jobs.TooManyJobs) as caught:
        runner.enqueue("batch", args, owner=5)
    assert caught.value.status == 429 and "tối đa 2" in str(caught.value)
    other = runner.enqueue("batch", args, owner=6)
    with pytest.raises(NotFound):
        runner.state(other.id, 5)  # another account's job is not found
    with pytest.raises(jobs.NotReady):
        runner.result(waiting[0].id, 5)
    RqJob.fetch(waiting[0].id, connection=runner.redis, serializer=jobs.Serializer).cancel()
    assert runner.state(waiting[0].id, 5).status == "failed"
    assert runner.enqueue("batch", args, owner=5).status == "queued"


def test_jobs_of_another_account_answer_404(app):
    owner, stranger = signed_in(app, "chu"), signed_in(app, "nguoi-khac")
    started = owner.post("/api/v1/batch", json={"kind": "ke_hoach", "rows": [example("ke_hoach")]})
    job_id = finished(owner, started.headers["Location"])["id"]
    for path in (f"/api/v1/jobs/{job_id}", f"/api/v1/jobs/{job_id}/ket-qua", f"/lo/{job_id}",
                 f"/lo/{job_id}/trang-thai", f"/lo/{job_id}/tai-ve"):
        assert owner.get(path).status_code == 200, path
        assert stranger.get(path).status_code == 404, path


def test_the_sweeper_keeps_live_results_and_removes_expired_ones(tmp_path):
    folder = tmp_path / "ket-qua"
    runner = jobs.Local(jobs.Settings(folder=folder))
    try:
        done = runner.enqueue("batch", jobs.batch_args([batch.Job("ke_hoach", example("ke_hoach"), "Khối")], []),
                              owner=1)
        until(lambda: runner.state(done.id, 1).ready, 30, "batch")
        stale, young = folder / f"{uuid.uuid4().hex}.zip", folder / f"{uuid.uuid4().hex}.pdf"
        others = [folder / "doctpl.sqlite3", folder / "ghi-chu.zip"]
        for path in (stale, young, *others):
            path.write_bytes(b"PK")
        os.utime(stale, (1_000_000_000, 1_000_000_000))
        assert runner.sweep() == 1
        assert not stale.exists() and young.exists() and (folder / done.result).exists()
        assert all(path.exists() for path in others)  # only result files are ever touched
    finally:
        runner.close()


def test_the_in_process_sweeper_runs_on_its_own(tmp_path):
    runner = jobs.Local(jobs.Settings(folder=tmp_path, ttl=1, sweep_every=1))
    try:
        done = runner.enqueue("batch", jobs.batch_args([batch.Job("ke_hoach", example("ke_hoach"), "Khối")], []),
                              owner=1)
        until(lambda: runner.state(done.id, 1).ready, 30, "batch")
        assert (tmp_path / done.result).exists()
        until(lambda: not (tmp_path / done.result).exists(), 10, "sweep")
        with pytest.raises(NotFound):
            runner.state(done.id, 1)
    finally:
        runner.close()


@pytest.mark.slow
def test_a_worker_sweeps_expired_results_on_its_own(tmp_path, queue):
    url, log, folder = redis_url(), tmp_path / "worker.log", tmp_path / "ket-qua"
    runner = jobs.connect(jobs.Settings(folder=folder, redis_url=url, queue=queue, ttl=2))
    folder.mkdir()
    orphan = folder / f"{uuid.uuid4().hex}.zip"  # a result whose job Redis no longer knows
    orphan.write_bytes(b"PK")
    with worker(url, queue, folder, log, "--sweep-every", "1"):
        until(lambda: not orphan.exists(), 15, "orphan swept", log)
        done = runner.enqueue("batch", jobs.batch_args([batch.Job("ke_hoach", example("ke_hoach"), "Khối")], []),
                              owner=1)
        until(lambda: runner.state(done.id, 1).ready, 60, "batch", log)
        assert (folder / done.result).exists()
        until(lambda: not (folder / done.result).exists(), 20, "expired result swept", log)  # no new job needed
    with pytest.raises(NotFound):
        runner.state(done.id, 1)


@pytest.mark.slow
def test_a_worker_killed_mid_job_leaves_no_process_nor_port_and_its_job_fails(tmp_path, queue):
    url, log, folder = redis_url(), tmp_path / "worker.log", tmp_path / "ket-qua"
    runner = jobs.connect(jobs.Settings(folder=folder, redis_url=url, queue=queue))
    count = 400 if HAVE_PDF else 4000  # long enough to be caught in the middle
    work = [batch.Job("ke_hoach", {**example("ke_hoach"), "so": n % 99 + 1}, "Khối") for n in range(count)]
    with worker(url, queue, folder, log) as process:
        started = runner.enqueue("batch", jobs.batch_args(work, [], pdfs=HAVE_PDF), owner=1, total=count)
        until(lambda: runner.state(started.id, 1).done > 0, 120, "the batch under way", log)
        members = family(process.pid)
        ports = converter_ports(members)
        assert forks(process.pid, members) and (ports or not HAVE_PDF), members  # render workers, converters
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        until(lambda: not alive(members), 15, f"children of the killed worker {alive(members)}", log)
        # A dead converter's socket is closed by the kernel a moment after the process is gone.
        until(lambda: not listening(ports), 10, f"the converters' ports {listening(ports)}", log)
        assert not list((tmp_path / "tmp").glob("doctpl-lo-*"))  # each converter removed its profile
        state = until(lambda: runner.state(started.id, 1), 30, "the abandoned job marked failed", log,
                      done=lambda state: state.status != "running")
    assert state.status == "failed" and state.error == jobs.ABANDONED
    assert not (folder / state.result).exists()


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_PDF, reason="LibreOffice (python3-uno) is not installed")
def test_a_pdf_job_keeps_converters_warm_and_sigterm_takes_them_along(tmp_path, queue):
    url, log, folder = redis_url(), tmp_path / "worker.log", tmp_path / "ket-qua"
    runner = jobs.connect(jobs.Settings(folder=folder, redis_url=url, queue=queue))
    docx = render("ke_hoach", example("ke_hoach")).content
    with worker(url, queue, folder, log) as process:
        first = runner.enqueue("pdf", jobs.pdf_args(docx), owner=1, total=1, name="ke-hoach.pdf")
        until(lambda: runner.state(first.id, 1).ready, 120, "first PDF", log)
        state, path = runner.result(first.id, 1)
        assert path.read_bytes().startswith(b"%PDF") and state.filename == "ke-hoach.pdf"
        members = family(process.pid)
        ports = converter_ports(members)
        assert ports, members
        again = runner.enqueue("pdf", jobs.pdf_args(docx), owner=1, total=1)
        until(lambda: runner.state(again.id, 1).ready, 30, "second PDF", log)
        assert converter_ports(family(process.pid)) == ports  # the same warm converter served it
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    until(lambda: not alive(members), 15, f"converters of the stopped worker {alive(members)}", log)
    assert not listening(ports), listening(ports)
    assert not list((tmp_path / "tmp").glob("doctpl-lo-*"))


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_PDF, reason="LibreOffice (python3-uno) is not installed")
def test_a_web_process_killed_during_an_in_process_batch_leaves_its_port_free(tmp_path):
    database = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    key = signed_in(make_app(tmp_path, SEED_DEMO=False)).environ_base["HTTP_AUTHORIZATION"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "tmp").mkdir()
    env = {name: value for name, value in os.environ.items() if not name.startswith("DOCTPL_")}
    env.update({"DATABASE_URL": database, "DOCTPL_SECRET_KEY": "test", "DOCTPL_SEED_DEMO": "false",
                "DOCTPL_JOB_FOLDER": str(tmp_path / "ket-qua"), "TMPDIR": str(tmp_path / "tmp")})
    log = tmp_path / "web.log"
    with open(log, "ab") as out:
        server = subprocess.Popen([sys.executable, "-m", "waitress", "--host", "127.0.0.1", f"--port={port}",
                                   "--call", "app:create_app"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def call(path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base + path, data=data, headers={
            "Authorization": key, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    try:
        until(lambda: listening({port}), 60, "the web process listening", log)
        rows = [{**example("ke_hoach"), "so": number} for number in range(1, 31)]
        started = call("/api/v1/batch", {"kind": "ke_hoach", "rows": rows, "pdf": True})
        until(lambda: call(started["url"])["done"] > 0, 120, "the batch under way", log)
        members = family(server.pid)
        ports = converter_ports(members)
        assert forks(server.pid, members) and ports, members  # render workers and converters
        server.send_signal(signal.SIGKILL)
        server.wait(10)
        until(lambda: not alive(members), 15, f"children of the killed web process {alive(members)}", log)
        assert not listening({port} | ports), listening({port} | ports)  # a restart can listen again
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
