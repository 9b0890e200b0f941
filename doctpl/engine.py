"""The render engine: each template is prepared once per process, then every document only renders.

Preparing does what docxtpl does on every render (open the package, patch the split tags,
compile the Jinja code) once, in a sandboxed environment that escapes every value, and compresses the parts
that never change. Rendering a document then runs the compiled templates on its context and writes
the archive; its cost is the floor (Jinja render, deflate, zip write) and little more.

docxtpl's post-processing is done where it costs nothing, and gives the same XML:

- line breaks: docxtpl rewrites the whole document after rendering (`resolve_listing`) to turn each
  "\\n" inside a `<w:t>` into `</w:t><w:br/><w:t xml:space="preserve">`. Here every `{{ … }}` that
  stands inside a `<w:t>` is compiled with a filter that writes its value so, escaped, and a RichText
  placed by `{{r … }}` inside a paragraph has its breaks written the same way: the break is produced
  at render time, in the value. A tab, a form feed or any other break left in the output (a value
  that is already markup) still goes through docxtpl's own pass, so the output is always docxtpl's.
- table grids: docxtpl re-parses the document to widen or narrow each table's `<w:tblGrid>` when a
  row has more or fewer cells. A template whose every row fills its table's grid (no `{%tc %}` loop,
  no merge tag) keeps its grids whatever the data, so it is parsed only when a table renders empty;
  any other template gets docxtpl's pass on every render.
- what the engine does not do itself (templated core properties or footnotes, pictures) a template
  that needs it is rendered by plain docxtpl, one DocxTemplate per document, exactly.

A prepared template is immutable, so one engine serves many threads at once; docxtpl's own
DocxTemplate objects are not (anchors.md §2.2).
"""

from __future__ import annotations

import io
import os
import re
import threading
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate, RichText
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from doctpl import zipfile_writer
from doctpl.errors import TemplateError

DOCUMENT = "word/document.xml"
BREAK = '</w:t><w:br/><w:t xml:space="preserve">'  # what docxtpl's resolve_listing makes of "\n" in a <w:t>
_EXPRESSION = re.compile(r"\{\{(-?)(.*?)(-?)\}\}", re.DOTALL)
_TAG = re.compile(r"<(/?)w:(t|p)(?=[ >/])[^>]*?(/?)>")
_GRID_TAGS = re.compile(r"\{[{%#]-?\s*(?:tc|hm|vm|colspan|cellbg)\b")
_ROW_TAG = re.compile(r"\{[{%#]-?\s*tr\b")
_MARKUP = re.compile(r"<[^>]*>")
_EMPTY_TABLE = b"</w:tblGrid></w:tbl>"
_MAY_EMPTY = re.compile(r"</w:tblGrid>(?!<w:tr[ >])")
# Tags that write output of their own: the writers would escape it again, so such a template goes to docxtpl.
_BLOCK_OUTPUT = re.compile(r"\{%-?\s*(?:macro|call|set|filter|block|include|import|from|extends)\b")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVEL = 1  # deflate level of the rendered parts: the archive is written per document, read once


def environment() -> SandboxedEnvironment:
    """Return the Jinja environment templates run in: sandboxed, autoescaped, strict about names."""
    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


def _escaped(value: Any) -> str:
    """Write a value as autoescaping does: markup as it is, anything else escaped exactly as markupsafe escapes it.

    The engine's environment does not autoescape: every `{{ … }}` goes through one of the writers, which
    escape here, to plain text, without the Markup object autoescaping makes of each value.
    """
    if type(value) is not str:
        if hasattr(value, "__html__"):
            return value.__html__()
        value = str(value)
    return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;") \
        .replace('"', "&#34;")


def _text_value(value: Any) -> str:
    """Write a value that stands inside a <w:t>: escaped, each line break a <w:br/> between two texts."""
    if type(value) is not str and hasattr(value, "__html__"):
        return value.__html__()  # a break in markup is left to docxtpl's own pass
    text = _escaped(value)
    return text.replace("\n", BREAK) if "\n" in text else text


def _run_value(value: Any) -> str:
    """Write a value placed between runs of a paragraph ({{r … }}): a RichText's breaks as <w:br/>."""
    if isinstance(value, RichText):
        xml = value.xml  # RichText escapes its text: "\n" stands only in <w:t>
        return xml.replace("\n", BREAK) if "\n" in xml else xml
    return _escaped(value)


_DICT_ATTRIBUTES = frozenset(dir(dict))
# The public attributes of a loop, which the sandbox allows (none starts with "_"): answered without its checks.
_LOOP_ATTRIBUTES = frozenset(("index", "index0", "revindex", "revindex0", "first", "last", "length", "depth",
                              "depth0", "previtem", "nextitem"))


class _Environment(SandboxedEnvironment):
    """The sandbox, with `x.y` on a plain dict answered at once: the item, as the sandbox answers it.

    The sandbox first looks for an attribute `y` of the dict, which raises AttributeError for every name
    that is not a dict method, and then takes the item; here a name that is not a dict attribute goes
    straight to the item. A dict method (`x.items`) and anything that is not a plain dict take the
    sandbox's own way.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        if type(obj) is LoopContext and attribute in _LOOP_ATTRIBUTES:  # `loop.last`, on every line of a body
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)


def engine_environment() -> SandboxedEnvironment:
    """Return the environment of prepared templates: as environment(), its escaping done by the value writers.

    place_breaks gives every `{{ … }}` a writer, so nothing is written unescaped.
    """
    env = _Environment(autoescape=False, undefined=jinja2.StrictUndefined)
    env.filters["_doctpl_text"] = _text_value
    env.filters["_doctpl_run"] = _run_value
    env.filters["_doctpl_xml"] = _escaped
    return env


def place_breaks(source: str) -> str:
    """Give every {{ … }} of patched template XML the writer of its place: inside a <w:t>, in a paragraph, or out.

    The writers escape (the engine's environment does not autoescape), so no expression is left without one.
    """
    out: list[str] = []
    position = 0
    in_text = False
    depth = 0  # open paragraphs
    tags = _TAG.finditer(source)
    tag = next(tags, None)
    for match in _EXPRESSION.finditer(source):
        while tag is not None and tag.start() < match.start():
            closing, name, empty = tag.group(1), tag.group(2), tag.group(3)
            if name == "t":
                in_text = not closing and not empty
            elif not empty:
                depth = max(depth - 1, 0) if closing else depth + 1
            tag = next(tags, None)
        writer = "_doctpl_text" if in_text else "_doctpl_run" if depth > 0 else "_doctpl_xml"
        left, expression, right = match.groups()
        out += [source[position:match.start()], f"{{{{{left} ({expression})|{writer} {right}}}}}"]
        position = match.end()
    out.append(source[position:])
    return "".join(out)


def templated(xml: str) -> bool:
    """Tell whether a part holds a Jinja tag, in its XML or in its text (where a tag split over runs is whole)."""
    return any(mark in text for text in (xml, _MARKUP.sub("", xml)) for mark in ("{{", "{%", "{#"))


def _span(cell: Any) -> int:
    properties = cell.find(_W + "tcPr")
    span = None if properties is None else properties.find(_W + "gridSpan")
    return 1 if span is None else int(span.get(_W + "val"))


def grids_hold(body_xml: str) -> bool:
    """Tell whether every table keeps its <w:tblGrid> whatever the data: each row (tag rows aside) fills it.

    Rows are repeated or left out, never reshaped, when the template has no cell loop or merge tag; then
    docxtpl's fix_tables changes nothing unless a table renders with no row at all.
    """
    tree = etree.fromstring(body_xml.encode("utf-8"))
    if _GRID_TAGS.search("".join(tree.itertext())):  # the text, where a tag split over runs is whole
        return False
    for table in tree.iter(_W + "tbl"):
        grid = table.find(_W + "tblGrid")
        columns = 0 if grid is None else len(grid.findall(_W + "gridCol"))
        for row in table.iter(_W + "tr"):  # nested tables' rows too, as fix_tables counts them
            if _ROW_TAG.search("".join(row.itertext())):
                continue  # a {%tr %} row: the patch removes it
            cells = row.findall(_W + "tc")
            if len(cells) > columns or sum(_span(cell) for cell in cells) != columns:
                return False
    return True


@dataclass(frozen=True)
class Part:
    """A rendered part: the compiled body (or whole part) and the fixed text around it, encoded."""

    name: str
    prefix: bytes
    template: jinja2.Template
    template_source: str
    suffix: bytes
    head: Any  # a deflate stream that has compressed `prefix`, copied for each document
    head_data: bytes
    head_crc: int


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
        env = engine_environment()
        self.parts: dict[str, Part] = {}
        document = archive.read(DOCUMENT).decode("utf-8")
        body = docx.get_xml()
        start, end = document.index("<w:body>"), document.index("</w:body>") + len("</w:body>")
        self.parts[DOCUMENT] = self._part(env, docx, DOCUMENT, document[:start], body, document[end:])
        for name in self.order:
            if name.startswith(("word/header", "word/footer")) and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                if templated(xml):
                    self.parts[name] = self._part(env, docx, name, "", xml, "")
        self.static = {name: zipfile_writer.deflate(name, archive.read(name))
                       for name in self.order if name not in self.parts}
        self.grids_hold = grids_hold(body)
        # A table whose first row is a loop or a condition may render with no row, which docxtpl's pass changes.
        self.may_empty = _MAY_EMPTY.search(self.parts[DOCUMENT].template_source) is not None
        # What the engine leaves to docxtpl: templated core properties or footnotes, pictures to renumber, and
        # tags whose output is not a {{ … }} its writers escape (a macro, a block set, a filter block).
        self.plain = "docPr" in body or any(templated(archive.read(name).decode("utf-8", "replace"))
                                            for name in self.order if name in ("docProps/core.xml",
                                                                               "word/footnotes.xml")) \
            or any(_BLOCK_OUTPUT.search(part.template_source) for part in self.parts.values())
        self.docx = docx  # only its stateless resolve_listing and fix_tables are used after this point

    @staticmethod
    def _part(env: SandboxedEnvironment, docx: DocxTemplate, name: str, prefix: str, xml: str, suffix: str) -> Part:
        source = place_breaks(docx.patch_xml(xml))
        head = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
        encoded = prefix.encode("utf-8")
        return Part(name, encoded, env.from_string(source), source, suffix.encode("utf-8"), head,
                    head.compress(encoded), zlib.crc32(encoded))

    def render_xml(self, part: Part, context: dict[str, Any]) -> bytes:
        """Render one part's templated XML, apply what is left of docxtpl's post-processing, return it encoded.

        The checks run on the UTF-8 bytes, looking for single bytes (a memchr each) that rendered XML
        holds only when a value brought them; the rare document that needs a pass is decoded for it.
        """
        encoded = part.template.render(context).encode("utf-8")
        brace = (b"{" in encoded or b"}" in encoded) and (b"{_" in encoded or b"_}" in encoded)
        listing = b"\n" in encoded or b"\t" in encoded or b"\a" in encoded or b"\f" in encoded
        grid = part.name == DOCUMENT and (not self.grids_hold or (self.may_empty and _EMPTY_TABLE in encoded))
        if not (brace or listing or grid):
            return encoded
        xml = encoded.decode("utf-8")
        if brace:
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if listing:
            xml = self.docx.resolve_listing(xml)  # what the values did not break themselves (tabs, markup)
        if grid:
            xml = etree.tostring(self.docx.fix_tables(xml), encoding="unicode")
        return xml.encode("utf-8")

    def _member(self, part: Part, encoded: bytes) -> zipfile_writer.Member:
        stream = part.head.copy()
        data = part.head_data + stream.compress(encoded) + stream.compress(part.suffix) + stream.flush()
        crc = zlib.crc32(part.suffix, zlib.crc32(encoded, part.head_crc))
        size = len(part.prefix) + len(encoded) + len(part.suffix)
        return zipfile_writer.Member(part.name.encode("utf-8"), crc, size, data)

    def render(self, context: dict[str, Any]) -> bytes:
        """Return the .docx bytes of one document."""
        if self.plain:
            return render_docxtpl(self.path, context)
        try:
            rendered = {name: self._member(part, self.render_xml(part, context)) for name, part in self.parts.items()}
        except jinja2.TemplateError as exc:
            raise TemplateError(f"Mẫu {self.path.name} lỗi: {exc}") from exc
        return zipfile_writer.write([self.static.get(name) or rendered[name] for name in self.order])


_cache: dict[str, tuple[int, Prepared]] = {}
_lock = threading.Lock()


def prepared(path: Path) -> Prepared:
    """Return the template at `path`, prepared once per process (again after the file changes)."""
    name = os.fspath(path)
    mtime = os.stat(name).st_mtime_ns
    found = _cache.get(name)
    if found is None or found[0] != mtime:
        with _lock:
            found = _cache.get(name)
            if found is None or found[0] != mtime:
                found = _cache[name] = (mtime, Prepared(Path(path)))
    return found[1]


def render_docxtpl(path: Path, context: dict[str, Any]) -> bytes:
    """Render with plain docxtpl, one new DocxTemplate per document: the reference and the naive path."""
    template = DocxTemplate(str(path))
    try:
        template.render(context, jinja_env=environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"Mẫu {path.name} lỗi: {exc}") from exc
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
