"""Flask application factory: python -m waitress --call app:create_app, or flask --app app run."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from doctpl import pdf
from doctpl.store import seed
from doctpl.store.db import Store, sqlite_url

csrf = CSRFProtect()


def _secret_key(instance: Path) -> str:
    """Return the instance's secret key, creating it once so sessions survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="ascii")
    return path.read_text(encoding="ascii").strip()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the doctpl web application."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder="web/templates", static_folder="web/static")
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # a clerk may keep a long form open all morning
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("DOCTPL")
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    csrf.init_app(app)
    pdf.configure(app.config.get("PDF_WORKERS"), app.config.get("PDF_TIMEOUT"))
    init_store(app)

    from web import admin, api, auth, batches, checking, errors, pages, records, register

    csrf.exempt(api.bp)
    csrf.exempt(batches.api_bp)
    for blueprint in (auth.bp, pages.bp, records.bp, admin.bp, register.bp, batches.bp, checking.bp, api.bp,
                      batches.api_bp):
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
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'")
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
