"""Flask application factory: python -m waitress --call app:create_app, or flask --app app run."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from doctpl import limits, pdf
from doctpl.store import seed
from doctpl.store.db import Store, sqlite_url

csrf = CSRFProtect()


def _secret_key(instance: Path) -> str:
    """Return the instance's secret key, creating it once so sessions survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Readable by the service's user only: whoever reads the key can forge a session cookie.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the doctpl web application."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder="web/templates", static_folder="web/static")
    app.config.from_mapping(
        **limits.DEFAULTS.settings(),  # MAX_REQUEST_MB, MAX_UPLOAD_MB, …: doctpl/limits.py, README «Giới hạn»
        WTF_CSRF_TIME_LIMIT=None,  # a clerk may keep a long form open all morning
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=False,  # DOCTPL_SESSION_COOKIE_SECURE=true behind HTTPS
        TRUSTED_HOSTS=["127.0.0.1", "localhost", "[::1]"],  # DOCTPL_TRUSTED_HOSTS='["doctpl.example.gov.vn"]'
        PROXY_COUNT=0,  # DOCTPL_PROXY_COUNT=1 behind one reverse proxy: trust its X-Forwarded-For/-Proto/-Host
        REDIS_URL="",  # DOCTPL_REDIS_URL=redis://127.0.0.1:6379/0: jobs run on workers; blank: in this process
        JOB_QUEUE="doctpl",
        JOB_TTL=24 * 3600,  # seconds a job's result is kept after it ends
        JOB_QUOTA=2,  # unfinished jobs per account
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("DOCTPL")
    if config:
        app.config.from_mapping(config)
    app.config["MAX_CONTENT_LENGTH"] = limits.configure(app.config).request_bytes
    # Results of jobs, shared with the workers; BATCH_FOLDER is its former name.
    app.config.setdefault("JOB_FOLDER", app.config.get("BATCH_FOLDER") or str(Path(app.instance_path) / "ket-qua"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if app.config["PROXY_COUNT"]:
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    csrf.init_app(app)
    pdf.configure(app.config.get("PDF_WORKERS"), app.config.get("PDF_TIMEOUT"))
    init_store(app)

    from web import admin, api, auth, batches, checking, errors, overview, pages, records, register

    csrf.exempt(api.bp)
    csrf.exempt(batches.api_bp)
    for blueprint in (auth.bp, pages.bp, records.bp, admin.bp, register.bp, batches.bp, checking.bp, api.bp,
                      batches.api_bp, overview.bp):
        app.register_blueprint(blueprint)
    auth.init_app(app)
    errors.init_app(app)
    app.after_request(_security_headers)
    return app


def _security_headers(response):  # type: ignore[no-untyped-def]
    """Forbid framing and content sniffing; pages use only this origin's scripts and styles."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
    return response


def init_store(app: Flask) -> None:
    """Open the database (DATABASE_URL, else SQLite in the instance folder), migrate it, seed the demo."""
    url = app.config.get("DATABASE_URL") or os.environ.get("DATABASE_URL") or sqlite_url(app.instance_path)
    store = Store(url)
    store.upgrade()
    if app.config.get("SEED_DEMO", True):
        with store.session() as session:
            seed.seed_demo(session)
    app.extensions["doctpl.store"] = store
