"""Request helpers shared by the blueprints: the store and the person at the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g, request
from sqlalchemy.orm import Session

from doctpl.store.db import Store


def store() -> Store:
    """Return the application's store."""
    return current_app.extensions["doctpl.store"]


@contextmanager
def db() -> Iterator[Session]:
    """Yield a session that commits when the view succeeds."""
    with store().session() as session_:
        yield session_


def who() -> str:
    """Return the signed-in person's name, recorded as creator and in the audit log."""
    return g.user["ho_ten"]


def int_arg(name: str) -> int | None:
    """Return an integer query argument, or None when absent or not a number."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None
