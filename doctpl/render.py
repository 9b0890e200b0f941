"""The one render path: validated data -> context -> docxtpl in a sandbox -> deterministic .docx bytes."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from doctpl.errors import FieldError, TemplateError
from doctpl.kind import Kind, get_kind
from doctpl.package import deterministic
from doctpl.vn.text import ascii_slug

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Rendered:
    """A rendered document and the names to offer it under."""

    kind: Kind
    data: dict[str, Any]
    content: bytes
    title: str
    warnings: tuple[FieldError, ...] = ()

    @property
    def filename(self) -> str:
        """Return the UTF-8 file name: "Kế hoạch thi đua năm 2021.docx"."""
        return f"{self.title}.docx"

    @property
    def ascii_filename(self) -> str:
        """Return the ASCII-safe file name: "Ke-hoach-thi-dua-nam-2021.docx"."""
        return f"{ascii_slug(self.title)}.docx"


@cache
def _template_bytes(path: Path, mtime: float) -> bytes:
    del mtime  # part of the cache key, so an admin's edit of the template is picked up
    return path.read_bytes()


def environment() -> SandboxedEnvironment:
    """Return the Jinja environment templates run in: sandboxed, autoescaped, strict about names."""
    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


def render_data(kind: Kind, data: dict[str, Any]) -> Rendered:
    """Render already-validated data with the kind's template."""
    context = kind.context(data)
    path = kind.template_path
    template = DocxTemplate(io.BytesIO(_template_bytes(path, path.stat().st_mtime)))
    try:
        template.render(context, jinja_env=environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"Mẫu {path.name} lỗi: {exc}") from exc
    out = io.BytesIO()
    template.save(out)
    return Rendered(kind, data, deterministic(out.getvalue()), kind.file_title(data), tuple(kind.warnings(data)))


def render(kind_id: str, raw: Any) -> Rendered:
    """Validate raw input (form, JSON or file data) for a kind and render it."""
    kind = get_kind(kind_id)
    return render_data(kind, kind.validate(raw))
