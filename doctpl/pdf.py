"""PDF through LibreOffice kept warm: a small pool of long-lived unoserver processes.

Starting LibreOffice costs seconds; converting with one already running costs a fraction of that
(anchors.md §3.5). Each converter is an unoserver process that owns one soffice and converts one
document at a time; the pool hands them out, and a conversion that hangs past the timeout gets
its converter killed and started again. Fonts come from fonts-liberation (Liberation Serif is
metric-compatible with Times New Roman). Without LibreOffice, PdfUnavailable says how to install it.

A converter never outlives the process that started it: unoserver and its soffice form one process
group, killed whole when the parent ends however it ends (kill -9, SIGTERM; Linux's parent-death
signal) or when unoserver itself stops. Converters are started from one thread that lives as long
as the process, since that signal follows the thread that forked.
"""

from __future__ import annotations

import atexit
import ctypes
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


PR_SET_PDEATHSIG = 1
ROOT = Path(__file__).resolve().parents[1]


def die_with_parent(parent: int, sig: int = signal.SIGKILL) -> None:
    """Have Linux send `sig` to this process when the thread that started it ends; send it now if it has."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    if os.getppid() != parent:
        os.kill(os.getpid(), sig)


def serve_converter(parent: int, argv: list[str]) -> None:
    """Run unoserver in this process, a session leader; its group and profile end with the parent or with it."""
    profile = argv[argv.index("--user-installation") + 1]

    def end(*_: object) -> None:
        """Kill the rest of this process group (soffice and its helpers), remove the profile, exit."""
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                group = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2])
                if group == os.getpid() != int(entry.name):
                    os.kill(int(entry.name), signal.SIGKILL)
            except (OSError, ValueError):
                continue  # gone meanwhile
        shutil.rmtree(profile, ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGUSR1, end)  # unoserver takes SIGTERM for itself
    die_with_parent(parent, signal.SIGUSR1)
    from unoserver.server import main

    sys.argv = ["unoserver", *argv]
    try:
        main()
    finally:
        end()  # whatever stopped unoserver


_spawner: ThreadPoolExecutor | None = None


def _spawn(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start a converter from this process's long-lived spawner thread."""
    global _spawner
    with _lock:
        if _spawner is None:
            _spawner = ThreadPoolExecutor(1, thread_name_prefix="doctpl-lo")
        spawner = _spawner
    return spawner.submit(subprocess.Popen, command, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, start_new_session=True).result()


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
        paths = [uno_path(), str(ROOT), os.environ.get("PYTHONPATH")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}
        command = [sys.executable, "-c", "import sys; from doctpl.pdf import serve_converter; "
                   "serve_converter(int(sys.argv[1]), sys.argv[2:])", str(os.getpid()),
                   "--interface", "127.0.0.1", "--port", str(self.port), "--uno-port", str(uno_port),
                   "--user-installation", self.profile, "--executable", soffice() or "soffice",
                   "--conversion-timeout", str(int(self.timeout)), "--quiet"]
        self.process = _spawn(command, env)
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
        self.idle: queue.LifoQueue[Converter] = queue.LifoQueue()  # last used first: a lone conversion finds it warm
        self.converters = [Converter(timeout) for _ in range(size)]
        for converter in reversed(self.converters):
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
        return _pool


def _close() -> None:
    """Stop this process's converters (at exit)."""
    if _pool is not None:
        _pool.close()


def _forget() -> None:
    """In a forked child: the parent's converters and spawner thread are not the child's."""
    global _pool, _spawner, _lock
    _pool, _spawner, _lock = None, None, threading.Lock()


atexit.register(_close)
os.register_at_fork(after_in_child=_forget)


def to_pdf(docx: bytes) -> bytes:
    """Return the PDF of a .docx, or raise PdfUnavailable with what to do."""
    return pool().convert(docx)
