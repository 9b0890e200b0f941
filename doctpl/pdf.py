"""PDF through LibreOffice kept warm: a small pool of long-lived unoserver processes.

Starting LibreOffice costs seconds; converting with one already running costs a fraction of that
(anchors.md §3.5). Each converter is an unoserver process that owns one soffice and converts one
document at a time; the pool hands them out, and a conversion that hangs past the timeout gets
its converter killed and started again. Fonts come from fonts-liberation (Liberation Serif is
metric-compatible with Times New Roman). Without LibreOffice, PdfUnavailable says how to install it.
"""

from __future__ import annotations

import atexit
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from doctpl.errors import DoctplError

PDF_MIME = "application/pdf"
UNO_PATHS = ("/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program", "/opt/libreoffice/program")
INSTALL = ("Máy chủ chưa cài LibreOffice nên chưa tạo được PDF; tệp .docx vẫn tải về bình thường. "
           "Người quản trị cài bằng: sudo apt-get install -y libreoffice-writer-nogui fonts-liberation python3-uno")


class PdfUnavailable(DoctplError):
    """LibreOffice is missing, or the conversion failed twice."""

    status = 503


def soffice() -> str | None:
    """Return the LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def uno_path() -> str | None:
    """Return the folder holding LibreOffice's Python bindings (uno.py), if installed."""
    return next((path for path in UNO_PATHS if (Path(path) / "uno.py").exists()), None)


def available() -> bool:
    """Tell whether PDF conversion can work on this machine."""
    return bool(soffice() and uno_path())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Transport(xmlrpc.client.Transport):
    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):  # type: ignore[no-untyped-def]
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


class Converter:
    """One unoserver process with its own soffice and profile."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.profile = ""
        self.port = 0

    def start(self, ready_within: float = 120) -> None:
        """Start unoserver and wait until it answers."""
        self.port, uno_port = _free_port(), _free_port()
        self.profile = tempfile.mkdtemp(prefix="doctpl-lo-")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [uno_path(), os.environ.get("PYTHONPATH")]))}
        command = [sys.executable, "-c", "from unoserver.server import main; main()",
                   "--interface", "127.0.0.1", "--port", str(self.port), "--uno-port", str(uno_port),
                   "--user-installation", self.profile, "--executable", soffice() or "soffice",
                   "--conversion-timeout", str(int(self.timeout)), "--quiet"]
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                self._proxy(5).info()
                return
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.3)
        self.stop()
        raise PdfUnavailable("LibreOffice không khởi động được để tạo PDF; tệp .docx vẫn tải về bình thường.")

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}", allow_none=True,
                                         transport=_Transport(timeout))

    def convert(self, docx: bytes) -> bytes:
        """Convert one document; raises OSError or xmlrpc errors on a hang or a crash."""
        if self.process is None or self.process.poll() is not None:
            self.start()
        result = self._proxy(self.timeout).convert(None, xmlrpc.client.Binary(docx), None, "pdf")
        return result.data

    def stop(self) -> None:
        """Kill unoserver and its soffice (one process group) and remove the profile."""
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        self.process = None
        shutil.rmtree(self.profile, ignore_errors=True)


class Pool:
    """A few warm converters, handed out one conversion at a time."""

    def __init__(self, size: int = 2, timeout: float = 60):
        self.size = size
        self.idle: queue.Queue[Converter] = queue.Queue()
        self.converters = [Converter(timeout) for _ in range(size)]
        for converter in self.converters:
            self.idle.put(converter)

    def convert(self, docx: bytes) -> bytes:
        """Return the PDF of a .docx; a converter that fails or hangs is restarted and tried once more."""
        if not available():
            raise PdfUnavailable(INSTALL)
        converter = self.idle.get()
        try:
            try:
                return converter.convert(docx)
            except (OSError, xmlrpc.client.Error):
                converter.stop()  # hung or crashed: try once more with a fresh one
            try:
                return converter.convert(docx)
            except (OSError, xmlrpc.client.Error) as exc:
                converter.stop()
                raise PdfUnavailable(f"LibreOffice không chuyển được văn bản sang PDF ({exc}).") from exc
        finally:
            self.idle.put(converter)

    def convert_many(self, documents: Iterable[bytes]) -> Iterator[bytes]:
        """Convert in order, all converters busy at once, a bounded number in flight."""
        with ThreadPoolExecutor(self.size) as threads:
            window: list = []
            for docx in documents:
                window.append(threads.submit(self.convert, docx))
                if len(window) > 2 * self.size:
                    yield window.pop(0).result()
            for future in window:
                yield future.result()

    def close(self) -> None:
        """Stop every converter."""
        for converter in self.converters:
            converter.stop()


_pool: Pool | None = None
_lock = threading.Lock()
SETTINGS = {"size": 2, "timeout": 60.0}


def configure(size: int | None = None, timeout: float | None = None) -> None:
    """Set the pool's size and per-conversion timeout (seconds) before its first use."""
    SETTINGS.update({key: value for key, value in (("size", size), ("timeout", timeout)) if value})


def pool() -> Pool:
    """Return the process's converter pool, created on first use and stopped at exit."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = Pool(int(SETTINGS["size"]), float(SETTINGS["timeout"]))
            atexit.register(_pool.close)
        return _pool


def to_pdf(docx: bytes) -> bytes:
    """Return the PDF of a .docx, or raise PdfUnavailable with what to do."""
    return pool().convert(docx)
