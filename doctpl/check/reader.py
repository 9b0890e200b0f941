"""Read any .docx into paragraphs and runs with their effective formatting.

Word resolves a property from the run or paragraph itself, then its style and the styles that
style is based on, then the document defaults; `w:rFonts` theme attributes win over named fonts.
This module applies those rules so a check sees what Word shows, not only what is written.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")


def q(tag: str) -> str:
    """Return the Clark name of a w: tag."""
    return f"{{{W}}}{tag}"


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

    @property
    def border_length(self) -> int:
        """Return the length of a bottom border, which Word draws between the paragraph's indents."""
        return self.box - self.left - self.right


class Styles:
    """The style sheet: resolves a property through basedOn chains and the document defaults."""

    def __init__(self, xml: bytes | None):
        self.root = etree.fromstring(xml) if xml else None
        self.by_id: dict[str, Any] = {}
        self.default_para: str | None = None
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


def _first(sources: list[Any], path: str) -> Any:
    for source in sources:
        if source is not None:
            found = source.find(path, NS)
            if found is not None:
                return found
    return None


def _fonts(sources: list[Any]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for slot in FONT_SLOTS:
        value = None
        for source in sources:
            fonts = source.find("w:rFonts", NS) if source is not None else None
            if fonts is None:
                continue
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
    return int(float(element.get(q(attr))))


def _cell_margins(table: Any) -> int:
    """Return a table's left plus right cell margins (Word's default is 108 twips a side)."""
    margins = table.find("w:tblPr/w:tblCellMar", NS)
    return sum(_int(margins.find(f"w:{side}", NS) if margins is not None else None, "w", 108)
               for side in ("left", "right"))


class Reader:
    """Paragraphs of a .docx in reading order: body (tables included), then headers."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        names = set(self.zip.namelist())
        self.styles = Styles(self.zip.read("word/styles.xml") if "word/styles.xml" in names else None)
        self.document = etree.fromstring(self.zip.read("word/document.xml"))
        self.headers = {name: etree.fromstring(self.zip.read(name))
                        for name in sorted(names) if name.startswith("word/header")}

    def _para(self, p: Any, index: int, where: str) -> Para:
        ppr = p.find("w:pPr", NS)
        style_el = ppr.find("w:pStyle", NS) if ppr is not None else None
        style_id = style_el.get(q("val")) if style_el is not None else None
        chain = self.styles.chain(style_id)
        p_sources = [ppr] + [s.find("w:pPr", NS) for s in chain] + [self.styles.defaults("pPr")]
        r_style_sources = [s.find("w:rPr", NS) for s in chain] + [self.styles.defaults("rPr")]
        jc = _first(p_sources, "w:jc")
        ind = [s.find("w:ind", NS) if s is not None else None for s in p_sources]
        spacing = [s.find("w:spacing", NS) if s is not None else None for s in p_sources]

        def prop(elements: list[Any], attr: str) -> Any:
            for element in elements:
                if element is not None and element.get(q(attr)) is not None:
                    return element.get(q(attr))
            return None

        runs = []
        for r in p.iter(q("r")):
            texts = "".join(_run_text(child) for child in r)
            rpr = r.find("w:rPr", NS)
            sources = [rpr] + r_style_sources
            size = _first(sources, "w:sz")
            bold, italic = _first(sources, "w:b"), _first(sources, "w:i")
            runs.append(Run(texts, _fonts(sources), int(size.get(q("val"))) / 2 if size is not None else None,
                            bold is not None and _on(bold), italic is not None and _on(italic)))
        first_line = prop(ind, "firstLine")
        hanging = prop(ind, "hanging")
        bottom = _first(p_sources, "w:pBdr/w:bottom")
        keep = _first(p_sources, "w:keepNext")
        has_field = any("PAGE" in (f.get(q("instr")) or "") for f in p.iter(q("fldSimple"))) or any(
            "PAGE" in (t.text or "") for t in p.iter(q("instrText")))
        line = prop(spacing, "line")
        return Para(
            index=index, where=where, text="".join(run.text for run in runs), style=style_id,
            align=jc.get(q("val")) if jc is not None else None,
            first_line=-int(hanging) if hanging else int(first_line or 0),
            left=int(prop(ind, "left") or prop(ind, "start") or 0),
            right=int(prop(ind, "right") or prop(ind, "end") or 0),
            before=int(prop(spacing, "before") or 0), after=int(prop(spacing, "after") or 0),
            line=int(line) if line else None, line_rule=prop(spacing, "lineRule"),
            bottom_border=bottom is not None and bottom.get(q("val")) not in ("nil", "none"),
            keep_next=keep is not None and _on(keep), runs=runs, has_page_field=has_field,
            has_drawing=any(el.tag in (q("drawing"), q("pict")) for el in p.iter()),
        )

    def paragraphs(self) -> list[Para]:
        """Return every body paragraph; those in tables carry where="table T row R cell C"."""
        out: list[Para] = []
        body = self.document.find("w:body", NS)
        section = self.section()
        text_width = section["width"] - section["left"] - section["right"]
        tables = 0
        for child in body:
            if child.tag == q("p"):
                out.append(self._para(child, len(out), "body"))
                out[-1].box = text_width
            elif child.tag == q("tbl"):
                margins = _cell_margins(child)
                for r, row in enumerate(child.findall("w:tr", NS)):
                    for c, cell in enumerate(row.findall("w:tc", NS)):
                        width = _int(cell.find("w:tcPr/w:tcW", NS), "w")
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
        """Return the last section's page size, orientation, margins and first-page setting (twips)."""
        sect = self.document.find("w:body/w:sectPr", NS)
        size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
        refs = {ref.get(q("type")): ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                for ref in sect.findall("w:headerReference", NS)}
        title_pg = sect.find("w:titlePg", NS)
        return {
            "width": _int(size, "w"), "height": _int(size, "h"), "orient": size.get(q("orient"), "portrait"),
            **{side: _int(margins, side) for side in ("top", "bottom", "left", "right", "header")},
            "title_page": title_pg is not None and _on(title_pg), "header_refs": refs,
        }

    def header_part(self, rel_id: str) -> str:
        """Return the part name (word/header1.xml) a relationship id points to."""
        rels = etree.fromstring(self.zip.read("word/_rels/document.xml.rels"))
        for rel in rels:
            if rel.get("Id") == rel_id:
                return "word/" + rel.get("Target")
        raise KeyError(rel_id)

    def tables(self) -> list[Any]:
        """Return the body's top-level w:tbl elements."""
        return self.document.findall("w:body/w:tbl", NS)

    def style_fonts(self) -> dict[str, dict[str, str | None]]:
        """Return the effective fonts of every style and of the document defaults ("(defaults)")."""
        out = {"(defaults)": _fonts([self.styles.defaults("rPr")])}
        for style_id in self.styles.by_id:
            sources = [s.find("w:rPr", NS) for s in self.styles.chain(style_id)] + [self.styles.defaults("rPr")]
            out[style_id] = _fonts(sources)
        return out

    def theme_fonts(self) -> dict[str, str]:
        """Return the theme's fonts by slot name ("minorHAnsi" -> "Calibri"), to resolve theme references."""
        names = [n for n in self.zip.namelist() if n.startswith("word/theme/") and n.endswith(".xml")]
        if not names:
            return {}
        theme = etree.fromstring(self.zip.read(names[0]))
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


def _run_text(child: Any) -> str:
    """Return what one child of a run contributes to the text: its characters, a tab or a line break."""
    tag = child.tag.rsplit("}", 1)[-1]
    if tag == "t":
        return child.text or ""
    if tag == "tab":
        return "\t"
    return "\n" if tag == "cr" or (tag == "br" and child.get(q("type")) in (None, "textWrapping")) else ""
