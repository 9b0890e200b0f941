"""Read a hand-typed .docx into neutral lines and tables, in reading order.

doctpl.check.reader resolves each paragraph's effective formatting and bounds what an upload may cost (size,
parts, what it unpacks to, paragraphs, a DTD refused); this wrapper adds what an import needs besides:
text boxes (w:txbxContent, read once although Word stores each box twice, as DrawingML and as VML), content
controls, the label of Word's automatic numbering, heading levels, and each run's emphasis. Text is NFC.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from doctpl.check.reader import NS, Reader, q
from doctpl.importer.numbering import Numbering
from doctpl.vn.text import fold, nfc, xml_chars

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_FALLBACK = f"{{{MC}}}Fallback"
_BOX_HOLDERS = (f"{{{MC}}}AlternateContent", q("drawing"), q("pict"), q("object"))
# Style names that mark a heading: Word's built-in ones (named in English even in a Vietnamese Word),
# Vietnamese ones clerks create, and doctpl's own templates («VB Mục», «VB Khoản»).
_HEADING_NAME = re.compile(r"^(?:heading|tiêu đề|tieu de|đề mục|de muc|mục|muc|chương)\s*(\d)$")
_OWN_STYLES = {"vb mục": 1, "vb khoản": 2}


@dataclass(frozen=True)
class Segment:
    """A stretch of text with one emphasis; "\\n" is a manual line break, "\\t" a tab."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Line:
    """One paragraph as typed: its number in reading order, where it stands (in the clerk's words), its text."""

    number: int
    where: str
    segments: list[Segment]
    align: str | None = None
    heading: int = 0  # 1 for a «Heading 1» paragraph …, 0 for body text
    drawing: bool = False  # holds a drawn shape (a rule drawn as a line)
    box: bool = False  # typed in a text box

    @property
    def text(self) -> str:
        """Return the paragraph's text (the automatic label included), trimmed."""
        return "".join(segment.text for segment in self.segments).strip()


@dataclass
class Cell:
    """One table cell: its paragraphs, how many grid columns it spans, its vertical merge."""

    lines: list[Line]
    span: int = 1
    merge: str = ""  # "restart", "continue" or ""

    @property
    def text(self) -> str:
        """Return the cell's text on one line."""
        return " ".join(" ".join(line.text.split()) for line in self.lines if line.text)


@dataclass
class Table:
    """A table of the body: its number (1-based) and its rows of cells."""

    number: int
    rows: list[list[Cell]] = field(default_factory=list)

    def lines(self) -> list[Line]:
        """Return every paragraph of the table, row by row, cell by cell."""
        return [line for row in self.rows for cell in row for line in cell.lines]


Item = Line | Table


class Source(Reader):
    """A .docx read for import: `items()` gives its lines and tables in reading order."""

    def __init__(self, data: bytes, name: str = "văn bản"):
        super().__init__(data, name)
        self.numbering = Numbering(self.part("word/numbering.xml"), self.styles)
        self.count = self.boxes = self.tables_seen = 0

    def items(self) -> list[Item]:
        """Return the body's lines and tables; text boxes come where they are anchored, before their anchor."""
        return list(self._blocks(self.document.find("w:body", NS), "thân văn bản"))

    def page_header_lines(self) -> list[Line]:
        """Return the paragraphs typed in the page headers (page numbers are fields, not text)."""
        out = []
        for root in self.headers.values():
            for p in root.iter(q("p")):
                out.extend(line for line in self._paragraph(p, "đầu trang") if isinstance(line, Line))
        return out

    def _blocks(self, parent: Any, where: str, box: bool = False) -> Iterator[Item]:
        for child in parent:
            if child.tag == q("p"):
                yield from self._paragraph(child, where, box)
            elif child.tag == q("tbl"):
                table = self._table(child, box)
                if box or where != "thân văn bản":  # a table in a box or a cell: its lines, in order
                    yield from table.lines()
                else:
                    yield table
            elif child.tag in (q("sdt"), q("customXml"), q("sdtContent")):
                yield from self._blocks(child, where, box)

    def _table(self, tbl: Any, box: bool) -> Table:
        self.tables_seen += 1
        table = Table(self.tables_seen)
        for r, row in enumerate(tbl.iterchildren(q("tr")), 1):
            cells = []
            for c, tc in enumerate(row.iterchildren(q("tc")), 1):
                where = f"bảng {table.number}, dòng {r}, ô {c}"
                lines = [item for item in self._blocks(tc, where, box) if isinstance(item, Line)]
                props = tc.find("w:tcPr", NS)
                span = props.find("w:gridSpan", NS) if props is not None else None
                merge = props.find("w:vMerge", NS) if props is not None else None
                cells.append(Cell(lines, _whole(span.get(q("val")), 1) if span is not None else 1,
                                  (merge.get(q("val")) or "continue") if merge is not None else ""))
            table.rows.append(cells)
        return table

    def _paragraph(self, p: Any, where: str, box: bool = False) -> Iterator[Item]:
        boxes = [b for b in p.iter(q("txbxContent"))
                 if not any(a.tag == _FALLBACK for a in b.iterancestors()) and _outermost(b, p)]
        for content in boxes:
            self.boxes += 1
            yield from self._blocks(content, f"hộp văn bản {self.boxes}", box=True)
        own = _without_boxes(p) if boxes else p
        self.count += 1
        para = self._para(own, self.count, where)
        ppr = own.find("w:pPr", NS)
        label = self.numbering.label(ppr, para.style)
        segments = [Segment(nfc(xml_chars(run.text.replace("\r", ""))), run.bold, run.italic)
                    for run in para.runs if run.text]
        if label:
            bold = bool(segments) and segments[0].bold
            segments.insert(0, Segment(label + " ", bold, False))
        yield Line(self.count, where, segments, para.align, self._heading(ppr, para.style),
                   para.has_drawing, box)

    def _heading(self, ppr: Any, style_id: str | None) -> int:
        """Return the heading level of a paragraph: its outline level, else its style's name; 0 for body text."""
        sources = [ppr] + [style.find("w:pPr", NS) for style in self.styles.chain(style_id)]
        for source in sources:
            outline = source.find("w:outlineLvl", NS) if source is not None else None
            if outline is not None:
                level = _whole(outline.get(q("val")), 9) + 1
                return level if level <= 9 else 0  # level 9 (10 here) is Word's «body text»
        for style in self.styles.chain(style_id):
            name_el = style.find("w:name", NS)
            name = fold(name_el.get(q("val"), "")).strip() if name_el is not None else ""
            match = _HEADING_NAME.match(name)
            if match:
                return int(match.group(1))
            if name in _OWN_STYLES:
                return _OWN_STYLES[name]
        return 0


def _outermost(content: Any, p: Any) -> bool:
    """Tell whether a text box is not inside another text box of the same paragraph (that one reads it)."""
    for ancestor in content.iterancestors():
        if ancestor is p:
            return True
        if ancestor.tag == q("txbxContent"):
            return False
    return True


def _without_boxes(p: Any) -> Any:
    """Return a copy of a paragraph without its text boxes, whose text is read on its own."""
    own = copy.deepcopy(p)
    for holder in list(own.iter(*_BOX_HOLDERS)):
        if holder.getparent() is not None and next(holder.iter(q("txbxContent")), None) is not None:
            holder.getparent().remove(holder)
    return own


def _whole(value: Any, default: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default
