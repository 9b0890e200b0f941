"""Load test on loopback: documents per second and p99 latency for 4, 16 and 64 clients, one web process
against several (python tools/load.py [--seconds 8] [--processes 3]).

It starts waitress processes of this checkout on free 127.0.0.1 ports over a throw-away SQLite
database, creates an account and its API key, and has each client render the 2021 plan through
POST /api/v1/render/ke_hoach until the time is up or it has sent --max-requests. Only 127.0.0.1 is
ever contacted; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from doctpl.kind import get_kind  # noqa: E402

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _start(count: int, env: dict[str, str]) -> tuple[list[subprocess.Popen], list[int]]:
    ports = [_free_port() for _ in range(count)]
    procs = [subprocess.Popen([sys.executable, "-m", "waitress", "--host", HOST, f"--port={port}", "--threads=8",
                               "--call", "app:create_app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for port in ports]
    deadline = time.monotonic() + 60
    for port in ports:
        while time.monotonic() < deadline:
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
    return procs, ports


def _client(port: int, key: str, body: bytes, until: float, limit: int, out: list[float], errors: list[int]) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
    for _ in range(limit):
        if time.monotonic() >= until:
            break
        start = time.perf_counter()
        try:
            connection.request("POST", "/api/v1/render/ke_hoach", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            (out if response.status == 200 else errors).append(time.perf_counter() - start)
        except OSError:
            errors.append(0.0)
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
    connection.close()


def run(clients: int, ports: list[int], key: str, seconds: float, limit: int) -> dict[str, float]:
    """Run `clients` clients spread over `ports` for `seconds`; return documents/s and p99 in ms."""
    body = json.dumps(get_kind("ke_hoach").example(), ensure_ascii=False).encode()
    latencies: list[float] = []
    errors: list[int] = []
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(ports[i % len(ports)], key, body, until, limit, latencies,
                                                      errors)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    elapsed = time.perf_counter() - began
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) >= 2 else 0.0
    return {"clients": clients, "processes": len(ports), "docs_per_s": round(len(latencies) / elapsed, 1),
            "p99_ms": round(p99, 1), "errors": len(errors)}


def main() -> None:
    """Measure one web process, then several, at 4, 16 and 64 clients; print one line each and a JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=2000, help="per client")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="doctpl-load-")
    url = f"sqlite:///{folder}/load.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "DOCTPL_SEED_DEMO": "false", "DOCTPL_SECRET_KEY": "load-test",
           "DOCTPL_JOB_FOLDER": folder}
    from app import create_app
    from doctpl.store import api_keys, users

    app = create_app({"DATABASE_URL": url, "SEED_DEMO": False, "SECRET_KEY": "load-test"})
    with app.extensions["doctpl.store"].session() as session:
        account = {"ten_dang_nhap": "dotai", "ho_ten": "Đo tải", "mat_khau": "vong-lap-2026-loopback"}
        user = users.create(session, account, role="quan_tri")
        _, key = api_keys.create(session, user, "đo tải")
    app.extensions["doctpl.store"].dispose()
    results = []
    for count in (1, args.processes):
        procs, ports = _start(count, env)
        try:
            for clients in (4, 16, 64):
                result = run(clients, ports, key, args.seconds, args.max_requests)
                results.append(result)
                print(f"{count} tiến trình, {clients} máy khách: {result['docs_per_s']} văn bản/s, "
                      f"p99 {result['p99_ms']} ms, {result['errors']} lỗi", flush=True)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(10)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
