"""Databases for the persistence tests: SQLite always, PostgreSQL when DATABASE_URL names one.

Under CI a PostgreSQL server must be there (.ci/run starts it): the PostgreSQL cases fail rather
than skip. Each test gets a database of its own, created and dropped here.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from doctpl.store.db import Store, normalise

POSTGRES = os.environ.get("DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def database(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database of `backend`."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite3'}"
        return
    if not POSTGRES.startswith(("postgresql", "postgres")):
        if os.environ.get("CI"):
            raise RuntimeError("CI must run the PostgreSQL tests: set DATABASE_URL (.ci/run does)")
        pytest.skip("DATABASE_URL does not name a PostgreSQL server")
    admin_url = normalise(POSTGRES)
    name = f"doctpl_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path) -> Iterator[Store]:
    """An upgraded, empty store on SQLite and on PostgreSQL."""
    with database(request.param, tmp_path) as url:
        instance = Store(url)
        instance.upgrade()
        yield instance
        instance.dispose()


@pytest.fixture
def web(store, tmp_path):
    """The app on the store's database (SQLite, and PostgreSQL when DATABASE_URL names one), no demo data."""
    from app import create_app

    application = create_app({"TESTING": True, "SECRET_KEY": "test", "SEED_DEMO": False,
                              "BATCH_FOLDER": str(tmp_path), "DATABASE_URL": store.url})
    yield application
    application.extensions["doctpl.store"].dispose()
