"""python -m doctpl bench: plain docxtpl against the engine, a 1,000-document batch, memory for 10,000.

All four figures use the same template and data (the 2021 plan). The last line printed is one
JSON object; the README records it with the command that produced it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from doctpl import batch, engine, pdf
from doctpl.kind import get_kind
from doctpl.parts.header import rules_of
from doctpl.render import render

KIND = "ke_hoach"


def _median_ms(action: Callable[[], Any], repeat: int) -> float:
    action()  # warm up (imports, the first preparation)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _jobs(count: int) -> Any:
    raw = get_kind(KIND).example()
    return (batch.Job(KIND, raw, "Khối thi đua số 1") for _ in range(count))


def batch_seconds(count: int) -> float:
    """Return the wall time of a batch of `count` documents, from data to a finished zip on disk."""
    with tempfile.TemporaryFile() as target:
        start = time.perf_counter()
        batch.write_zip(target, batch.render_all(_jobs(count)))
        return time.perf_counter() - start


def peak_rss_mb(count: int) -> float:
    """Run a batch of `count` in a fresh process and return the peak RSS of it and its workers, in MB."""
    code = ("import resource, sys; from doctpl import bench; bench.batch_seconds(int(sys.argv[1])); "
            "print(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run([sys.executable, "-c", code, str(count)], capture_output=True, text=True, check=True,
                            cwd=root, env={**os.environ, "PYTHONPATH": root})
    return int(result.stdout.strip().splitlines()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def run(echo: Callable[[str], None]) -> dict[str, float]:
    """Measure and report; return the figures."""
    kind = get_kind(KIND)
    data = kind.validate(kind.example())
    context, template = kind.context(data), kind.template_path(rules_of(data))
    naive = _median_ms(lambda: engine.render_docxtpl(template, context), 30)
    echo(f"(a) docxtpl, một DocxTemplate mới mỗi văn bản: {naive:.2f} ms/văn bản (trung vị 30 lần)")
    prepared = engine.prepared(template)
    fast = _median_ms(lambda: prepared.render(context), 300)
    echo(f"(b) engine doctpl, một văn bản: {fast:.3f} ms (trung vị 300 lần) — nhanh gấp {naive / fast:.1f} lần")
    seconds = batch_seconds(1000)
    echo(f"(c) lô 1.000 văn bản từ dữ liệu đến tệp zip: {seconds:.2f} s trên {os.cpu_count()} lõi")
    rss = peak_rss_mb(10_000)
    echo(f"(d) RSS lớn nhất khi tạo lô 10.000 văn bản: {rss:.0f} MB")
    figures = {"naive_ms": round(naive, 3), "engine_ms": round(fast, 3), "ratio": round(naive / fast, 1),
               "batch_1000_s": round(seconds, 3), "peak_rss_mb_10000": round(rss, 1)}
    echo(json.dumps(figures))
    return figures



def pdf_run(echo: Callable[[str], None], count: int = 12) -> dict[str, float]:
    """Compare PDF throughput: a cold `soffice --convert-to` per document against the warm pool."""
    if not pdf.available():
        raise pdf.PdfUnavailable(pdf.INSTALL)
    docx = render(KIND, get_kind(KIND).example()).content
    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "profile"
        start = time.perf_counter()
        for index in range(count):
            source = Path(folder) / f"van-ban-{index}.docx"
            source.write_bytes(docx)
            subprocess.run([pdf.soffice() or "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", folder, str(source)], capture_output=True, check=True,
                           timeout=300)
        cold = (time.perf_counter() - start) / count
    echo(f"(e) soffice --convert-to, khởi động mỗi văn bản: {cold:.2f} s/văn bản ({count} văn bản)")
    pool = pdf.pool()
    list(pool.convert_many([docx] * pool.size))  # start the converters; not timed
    start = time.perf_counter()
    list(pool.convert_many([docx] * count))
    warm = (time.perf_counter() - start) / count
    echo(f"(f) LibreOffice giữ ấm, {pool.size} tiến trình: {warm:.3f} s/văn bản — nhanh gấp {cold / warm:.1f} lần")
    figures = {"pdf_cold_s": round(cold, 3), "pdf_warm_s": round(warm, 3), "pdf_ratio": round(cold / warm, 1),
               "pdf_per_minute": round(60 / warm)}
    echo(json.dumps(figures))
    return figures
