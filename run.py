#!/usr/bin/env python3
"""Quick start for doctpl; needs only python3.

    python3 run.py serve [--port 8000]   serve the app on http://127.0.0.1:8000
    python3 run.py worker [options]      run a job worker on Redis (DOCTPL_REDIS_URL; see --help)
    python3 run.py test [pytest args]    run the linter and the whole test suite

Both create .venv beside this file and install the pinned requirements into it the first time
(and again whenever a requirements file changes). Under CI=true, `test` also installs with apt
the system packages the tests drive (Chromium, LibreOffice, poppler), so no test is skipped for want of them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
# Debian packages the test suite needs, each with the file that shows it is installed.
SYSTEM_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "libreoffice-writer-nogui": "/usr/bin/soffice",
    "python3-uno": "/usr/lib/python3/dist-packages/uno.py",
    "fonts-liberation2": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",  # v1 lacks Vietnamese
    "poppler-utils": "/usr/bin/pdftoppm",
}


def say(message: str) -> None:
    """Print a progress line."""
    print(f"[run.py] {message}", flush=True)


def ensure_venv(requirements: str) -> None:
    """Create .venv if needed and install `requirements` when they changed since the last install."""
    files = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files if f.exists())).hexdigest()
    stamp = VENV / f".installed-{Path(requirements).stem}"
    if not PYTHON.exists():
        say(f"creating {VENV}")
        try:
            venv.create(VENV, with_pip=True)
        except (subprocess.CalledProcessError, OSError) as exc:
            shutil.rmtree(VENV, ignore_errors=True)
            sys.exit(f"Cannot create a virtual environment ({exc}). On Debian or Ubuntu: "
                     "sudo apt-get install python3-venv")
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing {requirements}")
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                    "-r", str(ROOT / requirements)], check=True)
    stamp.write_text(digest)


def ensure_system_packages() -> None:
    """Install missing Debian packages with apt when allowed (always under CI, which runs as root)."""
    missing = [package for package, marker in SYSTEM_PACKAGES.items() if not os.path.exists(marker)]
    if not missing:
        return
    can_apt = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_apt:
        message = f"missing system packages {missing}: apt-get install {' '.join(missing)}"
        if os.environ.get("CI"):
            sys.exit(f"CI cannot run every test: {message}")
        say(f"{message}; the tests that need them are skipped")
        return
    say(f"apt-get install {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)


def serve(args: list[str]) -> None:
    """Serve the app with waitress on 127.0.0.1."""
    ensure_venv("requirements.txt")
    port = args[args.index("--port") + 1] if "--port" in args else os.environ.get("DOCTPL_PORT", "8000")
    say(f"doctpl on http://127.0.0.1:{port}/  (Ctrl+C to stop)")
    os.chdir(ROOT)
    os.execv(str(PYTHON), [str(PYTHON), "-m", "waitress", "--host", "127.0.0.1", f"--port={port}",
                           "--call", "app:create_app"])


def worker(args: list[str]) -> None:
    """Run a job worker (python -m doctpl worker) on the configured Redis queue."""
    ensure_venv("requirements.txt")
    os.chdir(ROOT)
    os.execv(str(PYTHON), [str(PYTHON), "-m", "doctpl", "worker", *args])


def test(args: list[str]) -> None:
    """Lint, then run pytest with any extra arguments."""
    ensure_venv("requirements-dev.txt")
    ensure_system_packages()
    os.chdir(ROOT)
    say("ruff check .")
    subprocess.run([str(PYTHON), "-m", "ruff", "check", "."], check=True)
    say("pytest")
    sys.exit(subprocess.run([str(PYTHON), "-m", "pytest", *args]).returncode)


def main() -> None:
    """Dispatch the sub-command."""
    commands = {"serve": serve, "worker": worker, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
