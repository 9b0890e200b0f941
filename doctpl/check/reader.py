"""Read any .docx into paragraphs and runs with their effective formatting.

Word resolves a property from the run or paragraph itself, then its style and the styles that
style is based on, then the document defaults; `w:rFonts` theme attributes win over named fonts.
This module applies those rules so a check sees what Word shows, not only what is written.

Any file may arrive: the archive is opened through doctpl.limits (size, parts, what it unpacks to), the
paragraphs and runs are counted before anything is parsed, the XML is parsed without entity expansion,
the network or huge trees (a DTD is refused), and what cannot be read is an UnreadableDocx (400) saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from doctpl import limits

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
DOCUMENT, STYLES, RELS = "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels"
_PARAGRAPH_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s/>]")
_RUN_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?r[\s/>]")


class UnreadableDocx(limits.UnreadableFile):
    """The upload is not a .docx the checker can read: not a zip, a part missing, broken XML or values."""


def q(tag: str) -> str:
    """Return the Clark name of a w: tag."""
    return f"{{{W}}}{tag}"


def _child(element: Any, tag: str) -> Any:
    """Return the first w:`tag` child of `element` (None for none, or no element)."""
    return None if element is None else next(element.iterchildren(q(tag)), None)


def _number(value: str) -> int:
    """Return a whole number of twips or half-points written in an attribute, or raise UnreadableDocx."""
    try:
        return int(float(value))
    except (ValueError, OverflowError):
        raise UnreadableDocx(f"Tệp .docx có giá trị «{value[:40]}» không phải số ở chỗ cần một số đo.") from None


def _on(element: Any) -> bool:
    return element.get(q("val"), "true") not in ("0", "false", "off")


@dataclass
class Run:
    """A run with its effective formatting; `fonts` maps slot to family ("theme:minorHAnsi" for theme fonts)."""

    text: str
    fonts: dict[str, str | None]
    size: float | None
    bold: bool
    italic: bool
    underline: bool = False


@dataclass
class Para:
    """A paragraph with its effective formatting; lengths in twips, `where` names body, cell or header."""

    index: int
    where: str
    text: str
    style: str | None
    align: str | None
    first_line: int
    left: int
    right: int
    before: int
    after: int
    line: int | None
    line_rule: str | None
    bottom_border: bool
    keep_next: bool
    runs: list[Run] = field(default_factory=list)
    has_page_field: bool = False
    has_drawing: bool = False  # a drawn line or shape (how many offices draw the rules)
    box: int = 0  # the width text may use here: the page's text width, or the table cell's less its margins
    page_breaks: int = 0  # pages this paragraph starts: page breaks, «page break before», a next-page section end
    rendered_breaks: int = 0  # where Word broke the pages when it last laid the document out

    @property
    def border_length(self) -> int:
        """Return the length of a bottom border, which Word draws between the paragraph's indents."""
        return self.box - self.left - self.right


class Styles:
    """The style sheet: resolves a property through basedOn chains and the document defaults."""

    def __init__(self, root: Any):
        self.root = root
        self.by_id: dict[str, Any] = {}
        self.default_para: str | None = None
        self._sources: dict[str | None, tuple[list[Any], list[Any]]] = {}
        if self.root is not None:
            for style in self.root.findall("w:style", NS):
                self.by_id[style.get(q("styleId"))] = style
                if style.get(q("type")) == "paragraph" and style.get(q("default")) in ("1", "true"):
                    self.default_para = style.get(q("styleId"))

    def chain(self, style_id: str | None) -> list[Any]:
        """Return the style and its ancestors, nearest first."""
        out, seen = [], set()
        style_id = style_id or self.default_para
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            based = style.find("w:basedOn", NS)
            style_id = based.get(q("val")) if based is not None else None
        return out

    def defaults(self, kind: str) -> Any:
        """Return w:rPr or w:pPr of the document defaults."""
        if self.root is None:
            return None
        return self.root.find(f"w:docDefaults/w:{kind}Default/w:{kind}", NS)

    def sources(self, style_id: str | None) -> tuple[list[Any], list[Any]]:
        """Return the w:pPr and the w:rPr a paragraph of this style inherits, nearest first (computed once)."""
        found = self._sources.get(style_id)
        if found is None:
            chain = self.chain(style_id)
            found = self._sources[style_id] = ([_child(s, "pPr") for s in chain] + [self.defaults("pPr")],
                                               [_child(s, "rPr") for s in chain] + [self.defaults("rPr")])
        return found


def _first(sources: list[Any], tag: str) -> Any:
    for source in sources:
        found = _child(source, tag)
        if found is not None:
            return found
    return None


def _fonts(sources: list[Any]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    declared = [fonts for fonts in (_child(source, "rFonts") for source in sources) if fonts is not None]
    for slot in FONT_SLOTS:
        value = None
        for fonts in declared:
            theme = fonts.get(q(f"{slot}Theme") if slot != "hAnsi" else q("hAnsiTheme"))
            if theme:
                value = f"theme:{theme}"
                break
            if fonts.get(q(slot)):
                value = fonts.get(q(slot))
                break
        out[slot] = value
    return out


def _int(element: Any, attr: str, default: int = 0) -> int:
    if element is None or element.get(q(attr)) is None:
        return default
    return _number(element.get(q(attr)))


def _cell_margins(table: Any) -> int:
    """Return a table's left plus right cell margins (Word's default is 108 twips a side)."""
    margins = _child(_child(table, "tblPr"), "tblCellMar")
    return sum(_int(_child(margins, side), "w", 108) for side in ("left", "right"))


class Reader:
    """Paragraphs of a .docx in reading order: body (tables included), then headers.

    `name` is the file's name, for the messages of a file that is refused.
    """

    def __init__(self, data: bytes, name: str = "văn bản"):
        self.name = name
        self.zip = limits.open_zip(data, name, ".docx")
        names = set(self.zip.namelist())
        if DOCUMENT not in names:
            raise UnreadableDocx(f"«{name}» không phải tệp .docx đọc được: thiếu phần nội dung {DOCUMENT}.")
        header_names = sorted(n for n in names if n.startswith("word/header") and n.endswith(".xml"))
        texts = {part: self._bytes(part) for part in [DOCUMENT, *header_names]}
        limits.check_paragraphs(sum(len(_PARAGRAPH_TAG.findall(xml)) for xml in texts.values()),
                                sum(len(_RUN_TAG.findall(xml)) for xml in texts.values()), name)
        self.document = self._xml(DOCUMENT, texts[DOCUMENT])
        if self.document.find("w:body", NS) is None:
            raise UnreadableDocx(f"«{name}» không phải tệp .docx đọc được: {DOCUMENT} không có phần thân w:body.")
        self.headers = {part: self._xml(part, texts[part]) for part in header_names}
        self.styles = Styles(self._xml(STYLES, self._bytes(STYLES)) if STYLES in names else None)
        self.rels = self._xml(RELS, self._bytes(RELS)) if RELS in names else None
        themes = sorted(n for n in names if n.startswith("word/theme/") and n.endswith(".xml"))
        self.theme = self._xml(themes[0], self._bytes(themes[0])) if themes else None
        self._formats: dict[Any, tuple[Any, ...]] = {}

    def _bytes(self, part: str) -> bytes:
        """Return one part of the archive, or raise UnreadableDocx when it cannot be unpacked."""
        try:
            return self.zip.read(part)
        except Exception as exc:  # zipfile raises many kinds of error for a damaged member
            raise UnreadableDocx(f"«{self.name}» không phải tệp .docx đọc được: không giải nén được {part}.") from exc

    def _xml(self, part: str, xml: bytes) -> Any:
        """Parse one part without entities, the network or huge trees; raise UnreadableDocx on bad XML or a DTD.

        A package part may not declare a DTD (ISO/IEC 29500-2, M1.17), where entity bombs and XXE live.
        """
        parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
        try:
            root = etree.fromstring(xml, parser)
        except etree.XMLSyntaxError as exc:
            raise UnreadableDocx(f"«{self.name}» không phải tệp .docx đọc được: {part} không phải XML hợp lệ "
                                 f"({exc.msg}).") from exc
        if root.getroottree().docinfo.doctype:
            raise UnreadableDocx(f"«{self.name}» không phải tệp .docx đọc được: {part} có khai báo DTD, "
                                 f"điều một tệp .docx không được có.")
        return root

    def _paragraph_format(self, ppr: Any) -> tuple[Any, ...]:
        """Return the effective formatting a w:pPr gives, resolved once per distinct w:pPr of the document."""
        key = etree.tostring(ppr) if ppr is not None else b""
        found = self._formats.get(key)
        if found is not None:
            return found
        style_el = _child(ppr, "pStyle")
        style_id = style_el.get(q("val")) if style_el is not None else None
        p_sources = [ppr, *self.styles.sources(style_id)[0]]
        jc = _first(p_sources, "jc")
        ind = [_child(s, "ind") for s in p_sources]
        spacing = [_child(s, "spacing") for s in p_sources]

        def prop(elements: list[Any], attr: str) -> Any:
            for element in elements:
                if element is not None and element.get(q(attr)) is not None:
                    return element.get(q(attr))
            return None

        first_line, hanging, line = prop(ind, "firstLine"), prop(ind, "hanging"), prop(spacing, "line")
        bottom = _first([_child(s, "pBdr") for s in p_sources], "bottom")
        keep = _first(p_sources, "keepNext")
        found = self._formats[key] = (
            style_id, jc.get(q("val")) if jc is not None else None,
            -_number(hanging) if hanging else _number(first_line or "0"),
            _number(prop(ind, "left") or prop(ind, "start") or "0"),
            _number(prop(ind, "right") or prop(ind, "end") or "0"),
            _number(prop(spacing, "before") or "0"), _number(prop(spacing, "after") or "0"),
            _number(line) if line else None, prop(spacing, "lineRule"),
            bottom is not None and bottom.get(q("val")) not in ("nil", "none"), keep is not None and _on(keep))
        return found

    def _run_format(self, style_id: str | None, rpr: Any) -> tuple[Any, ...]:
        """Return the fonts, size, bold, italic and underline of a run, resolved once per distinct style and w:rPr."""
        key = (style_id, etree.tostring(rpr) if rpr is not None else b"")
        found = self._formats.get(key)
        if found is None:
            sources = [rpr, *self.styles.sources(style_id)[1]]
            size = _first(sources, "sz")
            bold, italic, underline = _first(sources, "b"), _first(sources, "i"), _first(sources, "u")
            half_points = size.get(q("val")) if size is not None else None
            points = _number(half_points) / 2 if half_points is not None else None
            found = self._formats[key] = (_fonts(sources), points, bold is not None and _on(bold),
                                          italic is not None and _on(italic),
                                          underline is not None and underline.get(q("val"), "single") != "none")
        return found

    def _para(self, p: Any, index: int, where: str) -> Para:
        style_id, align, first_line, left, right, before, after, line, line_rule, bottom, keep = (
            self._paragraph_format(_child(p, "pPr")))
        runs = [Run("".join(_run_text(child) for child in r), *self._run_format(style_id, _child(r, "rPr")))
                for r in p.iter(q("r"))]
        has_field = any("PAGE" in (f.get(q("instr")) or "") for f in p.iter(q("fldSimple"))) or any(
            "PAGE" in (t.text or "") for t in p.iter(q("instrText")))
        return Para(
            index=index, where=where, text="".join(run.text for run in runs), style=style_id, align=align,
            first_line=first_line, left=left, right=right, before=before, after=after, line=line,
            line_rule=line_rule, bottom_border=bottom, keep_next=keep, runs=runs, has_page_field=has_field,
            has_drawing=any(el.tag in (q("drawing"), q("pict")) for el in p.iter()),
            page_breaks=_page_breaks(p), rendered_breaks=sum(1 for _ in p.iter(q("lastRenderedPageBreak"))),
        )

    def paragraphs(self) -> list[Para]:
        """Return every body paragraph; those in tables carry where="table T row R cell C"."""
        out: list[Para] = []
        body = _child(self.document, "body")
        widths = _text_widths(body)
        tables = 0
        for child, text_width in zip(body, widths, strict=True):
            if child.tag == q("p"):
                out.append(self._para(child, len(out), "body"))
                out[-1].box = text_width
            elif child.tag == q("tbl"):
                margins = _cell_margins(child)
                for r, row in enumerate(child.iterchildren(q("tr"))):
                    for c, cell in enumerate(row.iterchildren(q("tc"))):
                        width = _int(_child(_child(cell, "tcPr"), "tcW"), "w")
                        for p in cell.iter(q("p")):
                            out.append(self._para(p, len(out), f"table {tables} row {r} cell {c}"))
                            out[-1].box = width - margins
                tables += 1
        return out

    def header_paragraphs(self) -> dict[str, list[Para]]:
        """Return the paragraphs of each header part."""
        return {name: [self._para(p, i, name) for i, p in enumerate(root.iter(q("p")))]
                for name, root in self.headers.items()}

    def section(self) -> dict[str, Any]:
        """Return the last section's page size, orientation, margins and first-page setting (twips; 0 if unset)."""
        sect = _child(_child(self.document, "body"), "sectPr")
        size, margins = _child(sect, "pgSz"), _child(sect, "pgMar")
        refs = {ref.get(q("type")): ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                for ref in (sect.iterchildren(q("headerReference")) if sect is not None else ())}
        title_pg = _child(sect, "titlePg")
        return {
            "width": _int(size, "w"), "height": _int(size, "h"),
            "orient": size.get(q("orient"), "portrait") if size is not None else "portrait",
            **{side: _int(margins, side) for side in ("top", "bottom", "left", "right", "header")},
            "title_page": title_pg is not None and _on(title_pg), "header_refs": refs,
        }

    def header_part(self, rel_id: str) -> str:
        """Return the part name (word/header1.xml) a relationship id points to; raise UnreadableDocx for none."""
        for rel in self.rels if self.rels is not None else ():
            if rel.get("Id") == rel_id and rel.get("Target"):
                return "word/" + rel.get("Target")
        raise UnreadableDocx(f"«{self.name}» không phải tệp .docx đọc được: đầu trang «{rel_id[:40]}» "
                             f"không có trong {RELS}.")

    def part(self, name: str) -> Any:
        """Return another part of the package parsed (docProps/app.xml), or None when the package lacks it."""
        return self._xml(name, self._bytes(name)) if name in self.zip.namelist() else None

    def tables(self) -> list[Any]:
        """Return the body's top-level w:tbl elements."""
        return self.document.findall("w:body/w:tbl", NS)

    def style_fonts(self) -> dict[str, dict[str, str | None]]:
        """Return the effective fonts of every style and of the document defaults ("(defaults)")."""
        out = {"(defaults)": _fonts([self.styles.defaults("rPr")])}
        for style_id in self.styles.by_id:
            out[style_id] = _fonts(self.styles.sources(style_id)[1])
        return out

    def theme_fonts(self) -> dict[str, str]:
        """Return the theme's fonts by slot name ("minorHAnsi" -> "Calibri"), to resolve theme references."""
        theme = self.theme
        if theme is None:
            return {}
        a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
        out = {}
        for scheme in ("minor", "major"):
            font = theme.find(f".//{a}{scheme}Font")
            if font is None:
                continue
            latin, east = font.find(f"{a}latin"), font.find(f"{a}ea")
            for slot in ("Ascii", "HAnsi", "Bidi"):
                out[f"{scheme}{slot}"] = latin.get("typeface", "") if latin is not None else ""
            out[f"{scheme}EastAsia"] = east.get("typeface", "") if east is not None else ""
        return out


def _text_widths(body: Any) -> list[int]:
    """Return the text width of the section each child of the body stands in (a landscape Phụ lục is wider).

    A section's properties close it, in its last paragraph (w:pPr/w:sectPr); the last section's are the body's.
    """
    widths: list[int] = []
    pending = 0
    for child in body:
        pending += 1
        sect = _child(_child(child, "pPr"), "sectPr") if child.tag == q("p") else None
        if sect is not None:
            widths += [_text_width(sect)] * pending
            pending = 0
    return widths + [_text_width(_child(body, "sectPr"))] * pending


def _text_width(sect: Any) -> int:
    """Return a section's page width less its left and right margins (twips; 0 where unset)."""
    margins = _child(sect, "pgMar")
    return _int(_child(sect, "pgSz"), "w") - _int(margins, "left") - _int(margins, "right")


def _page_breaks(p: Any) -> int:
    """Return how many new pages a paragraph starts: page breaks, «page break before», a section ending on it."""
    ppr = _child(p, "pPr")
    before = _child(ppr, "pageBreakBefore")
    sect = _child(ppr, "sectPr")
    kind = _child(sect, "type")
    ends_section = sect is not None and (kind is None or kind.get(q("val")) != "continuous")
    breaks = sum(1 for br in p.iter(q("br")) if br.get(q("type")) == "page")
    return breaks + (before is not None and _on(before)) + ends_section


def _run_text(child: Any) -> str:
    """Return what one child of a run contributes to the text: its characters, a tab or a line break."""
    if not isinstance(child.tag, str):  # a comment or a processing instruction
        return ""
    tag = child.tag.rsplit("}", 1)[-1]
    if tag == "t":
        return child.text or ""
    if tag == "tab":
        return "\t"
    return "\n" if tag == "cr" or (tag == "br" and child.get(q("type")) in (None, "textWrapping")) else ""
