"""Request helpers shared by the blueprints: the store and the person at the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, g, render_template, request, url_for
from sqlalchemy.orm import Session

from doctpl.errors import FieldError
from doctpl.store.db import Store
from doctpl.store.scope import Scope
from doctpl.store.scope import of as scope_of


def store() -> Store:
    """Return the application's store."""
    return current_app.extensions["doctpl.store"]


@contextmanager
def db() -> Iterator[Session]:
    """Yield a session that commits when the view succeeds."""
    with store().session() as session_:
        yield session_


def scope() -> Scope:
    """Return the reach of the signed-in account (or of the API key's account)."""
    return scope_of(g.user)


def who() -> str:
    """Return the signed-in person's name, recorded as creator and in the audit log."""
    return g.user["ho_ten"]


def whole(value: Any) -> int | None:
    """Return a whole number typed or posted («12»), None for anything else: "²" passes isdigit(), not int()."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def int_arg(name: str) -> int | None:
    """Return an integer query argument, or None when absent or not a number."""
    return whole(request.args.get(name))


def page_url(number: int) -> str:
    """Return the current list's URL at another page, every filter of the query kept."""
    return url_for(request.endpoint or "", **(request.view_args or {}), **{**request.args.to_dict(), "trang": number})


def form_page(template: str, errors: list[FieldError] | None = None, **context: Any) -> str:
    """Render a page that shows a form, with each error message keyed by its field for the widgets."""
    by_path: dict[str, list[str]] = {}
    for error in errors or []:
        by_path.setdefault(error.field, []).append(error.message)
    return render_template(template, errors=errors or [], by_path=by_path, **context)
