"""The one render path: validated data -> context -> the prepared template -> deterministic .docx bytes.

A render's cost is bounded by its input (doctpl.limits: blocks and characters of one document, checked at
validation); a Deadline stops one that still runs past MAX_RENDER_SECONDS, within a few items of any list
the template loops over, and the memory it used is given back to the system when it ends: at once after a
large document, otherwise at most once a second (giving it back costs more than a small document's render).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from doctpl import engine, limits
from doctpl.errors import FieldError
from doctpl.kind import Kind, get_kind
from doctpl.parts.header import rules_of
from doctpl.vn.text import ascii_slug

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LARGE = 1 << 20  # bytes of a .docx after which the memory is given back at once
RELEASE_EVERY = 1.0  # seconds between two releases after small documents
_released = [0.0]


@dataclass
class Rendered:
    """A rendered document and the names to offer it under."""

    kind: Kind
    data: dict[str, Any]
    content: bytes
    title: str

    @cached_property
    def warnings(self) -> tuple[FieldError, ...]:
        """Return the usual-practice warnings, worked out only when a face shows them (a batch never does)."""
        return tuple(self.kind.warnings(self.data))

    @property
    def ascii_filename(self) -> str:
        """Return the ASCII-safe file name: "Ke-hoach-thi-dua-nam-2021.docx"."""
        return f"{ascii_slug(self.title)}.docx"


def render_data(kind: Kind, data: dict[str, Any], *, release: bool = True) -> Rendered:
    """Render already-validated data with the kind's template, through the prepared engine, within the deadline.

    The data is not validated again: every face validates once, where the data comes in. A batch passes
    `release=False` and gives the memory back once per chunk of documents instead of once per document.
    """
    deadline = limits.Deadline()
    content = b""
    try:
        context = kind.context(data)
        deadline.check()
        content = engine.prepared(kind.template_path(rules_of(data))).render(deadline.watch(context))
    finally:
        now = time.monotonic()
        if release and (len(content) >= LARGE or not content or now - _released[0] >= RELEASE_EVERY):
            _released[0] = now
            limits.release_memory()
    return Rendered(kind, data, content, kind.title_of(data))


def render(kind_id: str, raw: Any) -> Rendered:
    """Validate raw input (form, JSON or file data) for a kind and render it."""
    kind = get_kind(kind_id)
    return render_data(kind, kind.validate(raw))
