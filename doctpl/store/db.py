"""Engines, sessions and migrations for SQLite (embedded, WAL) and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from doctpl.errors import NotFound

T = TypeVar("T")
MAX_ID = 2**31 - 1  # the largest id a row of any table can have

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def fetch(session: Session, model: type[T], key: int, what: str) -> T:
    """Return the row of `model` with primary key `key`, or raise NotFound naming `what` ("khối")."""
    row = session.get(model, key) if 0 < key <= MAX_ID else None  # a huge id overflows SQLite's integer
    if row is None:
        raise NotFound(f"Không có {what} số {key}.")
    return row


def sqlite_url(folder: Path | str) -> str:
    """Return the URL of the embedded database file in `folder` (the Flask instance folder), created 0600.

    SQLite gives its -wal and -shm files the database file's permissions.
    """
    Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
    path = Path(folder) / "doctpl.sqlite3"
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    return f"sqlite:///{path}"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets readers go on while one writer works; the timeout makes writers queue, not fail.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; safe with WAL
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def normalise(url: str) -> str:
    """Use the psycopg 3 driver for postgresql:// URLs (SQLAlchemy would otherwise pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite connections get WAL, a busy timeout and foreign keys."""
    engine = create_engine(normalise(url), pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(url: str) -> Config:
    """Return the Alembic configuration for `url` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


class Store:
    """One database: its engine, a session factory, and its migrations."""

    def __init__(self, url: str):
        self.url = normalise(url)
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to `revision`; existing data is kept."""
        command.upgrade(alembic_config(self.url), revision)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on error."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
