"""The render engine: each template is prepared once per process, then every document only renders.

Preparing does what docxtpl does on every render (open the package, patch the split tags,
compile the Jinja code) once, in a sandboxed, autoescaped environment, and compresses the parts
that never change. Rendering a document then runs the compiled templates on its context, applies
docxtpl's post-processing, and writes the archive. A prepared template is immutable, so one
engine serves many threads at once; docxtpl's own DocxTemplate objects are not (anchors.md §2.2).
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from doctpl import zipfile_writer
from doctpl.errors import TemplateError

_PARAGRAPH = re.compile(r"<w:p([ >])")
_MARKED_PARAGRAPH = re.compile(r"\n<w:p([ >])")
_LISTING_CHARACTERS = re.compile(r"[\t\a\n\f]")
DOCUMENT = "word/document.xml"


def environment() -> SandboxedEnvironment:
    """Return the Jinja environment templates run in: sandboxed, autoescaped, strict about names."""
    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


@dataclass(frozen=True)
class Part:
    """A rendered part: the compiled body (or whole part) and the fixed text around it."""

    name: str
    prefix: str
    template: jinja2.Template
    suffix: str


class Prepared:
    """One template, parsed, patched and compiled; its static members compressed."""

    def __init__(self, path: Path):
        self.path = path
        package = path.read_bytes()
        archive = zipfile.ZipFile(io.BytesIO(package))
        self.order = [item.filename for item in archive.infolist()]
        # One DocxTemplate, used once, to apply docxtpl's own tag patching to the parts it renders.
        docx = DocxTemplate(io.BytesIO(package))
        docx.render_init()
        env = environment()
        self.parts: dict[str, Part] = {}
        document = archive.read(DOCUMENT).decode("utf-8")
        start, end = document.index("<w:body>"), document.index("</w:body>") + len("</w:body>")
        self.parts[DOCUMENT] = Part(DOCUMENT, document[:start], self._compile(env, docx, docx.get_xml()),
                                    document[end:])
        for name in self.order:
            if name.startswith(("word/header", "word/footer")) and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                if "{{" in xml or "{%" in xml:
                    self.parts[name] = Part(name, "", self._compile(env, docx, xml), "")
        self.static = {name: zipfile_writer.deflate(name, archive.read(name))
                       for name in self.order if name not in self.parts}
        self.docx = docx  # only its stateless resolve_listing is used after this point

    @staticmethod
    def _compile(env: SandboxedEnvironment, docx: DocxTemplate, xml: str) -> jinja2.Template:
        source = _PARAGRAPH.sub(r"\n<w:p\1", docx.patch_xml(xml))
        return env.from_string(source)

    def render_part(self, part: Part, context: dict[str, Any]) -> str:
        """Render one part the way docxtpl's render_xml_part does."""
        xml = _MARKED_PARAGRAPH.sub(r"<w:p\1", part.template.render(context))
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if _LISTING_CHARACTERS.search(xml):
            xml = self.docx.resolve_listing(xml)  # tabs, line breaks from multi-line values
        return part.prefix + xml + part.suffix

    def render(self, context: dict[str, Any]) -> bytes:
        """Return the .docx bytes of one document."""
        try:
            rendered = {name: self.render_part(part, context) for name, part in self.parts.items()}
        except jinja2.TemplateError as exc:
            raise TemplateError(f"Mẫu {self.path.name} lỗi: {exc}") from exc
        members = [self.static.get(name) or zipfile_writer.deflate(name, rendered[name].encode("utf-8"), 1)
                   for name in self.order]
        return zipfile_writer.write(members)


_cache: dict[tuple[Path, float], Prepared] = {}
_lock = threading.Lock()


def prepared(path: Path) -> Prepared:
    """Return the template at `path`, prepared once per process (again after the file changes)."""
    key = (path, path.stat().st_mtime)
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                found = _cache[key] = Prepared(path)
    return found


def render_docxtpl(path: Path, context: dict[str, Any]) -> bytes:
    """Render with plain docxtpl, one new DocxTemplate per document: the reference and the naive path."""
    template = DocxTemplate(str(path))
    template.render(context, jinja_env=environment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
