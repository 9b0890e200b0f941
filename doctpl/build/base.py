"""python-docx helpers for the template builder: NĐ 30 page, styles, paragraphs and tables."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from doctpl import layout, zipfile_writer
from doctpl.the_thuc import DANG, NHA_NUOC, Rules

ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
         "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}

# Body paragraph styles: (style id, Word name, bold, italic, keep with next). The căn cứ are italic
# in NĐ 30 (Phụ lục I, II.6); Party guidance sets them in the body's upright type.
BODY_STYLES = (
    ("VBNoiDung", "VB Nội dung", False, False, False),
    ("VBCanCu", "VB Căn cứ", False, {NHA_NUOC: True, DANG: False}, False),
    ("VBMuc", "VB Mục", True, False, True),
    ("VBKhoan", "VB Khoản", True, False, True),
    ("VBGiua", "VB Giữa dòng", True, False, True),  # a Phần's label and name, a table's title: centred
)
CENTRED_STYLES = ("VBGiua",)
STYLE_NAMES = {style_id: name for style_id, name, *_ in BODY_STYLES}


def set_fonts(rpr: Any) -> None:
    """Put Times New Roman in all four font slots and drop theme fonts, which would win over them."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), layout.FONT)


def _style_rpr(element: Any) -> Any:
    rpr = element.find(qn("w:rPr"))
    if rpr is None:
        rpr = element.makeelement(qn("w:rPr"), {})
        element.append(rpr)
    return rpr


def new_document(title: str, rules: Rules) -> DocumentObject:
    """Return an empty A4 document with the margins, body styles and line spacing of `rules`."""
    doc = Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(layout.PAGE_WIDTH), Twips(layout.PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(layout.MARGIN_TOP), Twips(layout.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(layout.MARGIN_LEFT), Twips(layout.MARGIN_RIGHT)
    section.header_distance = section.footer_distance = Twips(layout.HEADER_DISTANCE)
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults)
    for style in styles.findall(qn("w:style")):
        set_fonts(_style_rpr(style))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(layout.BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    lang = _style_rpr(normal.element).makeelement(qn("w:lang"), {qn("w:val"): "vi-VN"})
    _style_rpr(normal.element).append(lang)
    for style_id, name, bold, italic, keep in BODY_STYLES:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = normal
        style.font.bold = bold
        style.font.italic = italic[rules.the_thuc] if isinstance(italic, dict) else italic
        set_fonts(_style_rpr(style.element))
        fmt = style.paragraph_format
        centred = style_id in CENTRED_STYLES
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Twips(0 if centred else layout.FIRST_LINE_INDENT)
        fmt.space_before, fmt.space_after = Twips(layout.PARAGRAPH_SPACING), Pt(0)
        spacing, exact = layout.LINE_SPACING[rules.ma]
        if exact:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(spacing)
        else:
            fmt.line_spacing = spacing
        fmt.keep_with_next = keep
        fmt.widow_control = True
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "doctpl", "doctpl"
    props.created = props.modified = dt.datetime(2020, 3, 5)
    props.revision, props.comments = 1, ""
    return doc


def paragraph(container: Any, text: str = "", *, size: float = layout.BODY_SIZE, bold: bool = False,
              italic: bool = False, underline: bool = False, align: str = "center", style: str | None = None,
              before: int = 0, after: int = 0) -> Paragraph:
    """Add a paragraph of one run with explicit font, size and emphasis (the header and footer lines)."""
    par = container.add_paragraph(style=style)
    fmt = par.paragraph_format
    fmt.alignment = ALIGN[align]
    fmt.space_before, fmt.space_after = Twips(before), Twips(after)
    fmt.first_line_indent = Twips(0)
    if text:
        run(par, text, size=size, bold=bold, italic=italic, underline=underline)
    return par


def run(par: Paragraph, text: str, *, size: float = layout.BODY_SIZE, bold: bool = False, italic: bool = False,
        underline: bool = False) -> None:
    """Add one run with explicit font, size and emphasis to a paragraph."""
    added = par.add_run(text)
    added.font.size = Pt(size)
    added.font.bold, added.font.italic = bold, italic
    if underline:
        added.font.underline = True
    set_fonts(added._r.get_or_add_rPr())


def elements(*xml: str) -> list[Any]:
    """Parse WordprocessingML fragments written without namespace declarations."""
    wrapper = parse_xml(f'<w:wrapper {nsdecls("w")}>{"".join(xml)}</w:wrapper>')
    return list(wrapper)


def tag(container: Any, text: str) -> Paragraph:
    """Add a paragraph holding only a docxtpl block tag such as `{%p for … %}`."""
    return container.add_paragraph(text)


def raw(container: Any, xml: str) -> None:
    """Append a raw `<w:p>` (the rules) to a document body or a table cell."""
    (element,) = elements(xml)
    target = container._element if isinstance(container, _Cell) else container.element.body
    if isinstance(container, _Cell):
        target.append(element)
    else:
        target.insert(len(target) - 1, element)  # before the final sectPr


def table(doc: DocumentObject, widths: Iterable[int], rows: int = 1, *, centered: bool = False,
          borders: bool = False) -> Table:
    """Add a fixed-layout table (borderless unless `borders`) whose rows never split across pages."""
    widths = list(widths)
    tbl = doc.add_table(rows=rows, cols=len(widths))
    line = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
    # tblPr children must keep the schema's order (CT_TblPr), or Word reports the file as damaged.
    tbl_pr = tbl._tbl.tblPr
    for child in list(tbl_pr):
        tbl_pr.remove(child)
    for element in elements(
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>',
        '<w:jc w:val="center"/>' if centered else "",
        "<w:tblBorders>" + "".join(f"<w:{side} {line}/>" for side in
                                   ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:left w:w="{layout.CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{layout.CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/>',
    ):
        tbl_pr.append(element)
    for col, width in zip(tbl._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Twips(width)
    for row in tbl.rows:
        row._tr.get_or_add_trPr().extend(elements("<w:cantSplit/>"))
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)
            cell._element.remove(cell.paragraphs[0]._p)  # callers add their own paragraphs
    return tbl


def page_numbers(doc: DocumentObject) -> None:
    """Number pages from 2 on, centred 10 mm from the top edge, upright, 14 pt (NĐ 30 Phụ lục I; HD 05 IV.5.1)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header
    par = header.paragraphs[0]
    par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    par._p.extend(elements(
        '<w:fldSimple w:instr=" PAGE "><w:r><w:rPr>'
        f'<w:rFonts w:ascii="{layout.FONT}" w:hAnsi="{layout.FONT}" w:eastAsia="{layout.FONT}" w:cs="{layout.FONT}"/>'
        f'<w:sz w:val="{layout.BODY_SIZE * 2}"/><w:szCs w:val="{layout.BODY_SIZE * 2}"/>'
        "</w:rPr><w:t>2</w:t></w:r></w:fldSimple>"))
    section.first_page_header.paragraphs[0].text = ""


def to_bytes(doc: DocumentObject) -> bytes:
    """Return the document as deterministic .docx bytes."""
    out = io.BytesIO()
    doc.save(out)
    archive = zipfile.ZipFile(out)
    return zipfile_writer.write([zipfile_writer.deflate(item.filename, archive.read(item.filename))
                                 for item in archive.infolist()])


TABLE_SIZE = 13


def data_table(doc: DocumentObject, rows: str, columns: list[tuple[str, int, str, str]],
               total: list[str] | None = None) -> Table:
    """Add a bordered table: a repeated header row, one row per item of the context list `rows`.

    Each column is (heading, width, cell text with `r` as the item, alignment); `total` adds a
    last row of cell texts (a total).
    """
    widths = [width for _, width, _, _ in columns]
    tbl = table(doc, widths, rows=5 if total else 4, borders=True)
    head, loop, item, end = tbl.rows[:4]
    head._tr.get_or_add_trPr().extend(elements("<w:tblHeader/>"))
    for cell, (heading, _, _, _) in zip(head.cells, columns, strict=True):
        paragraph(cell, heading, size=TABLE_SIZE, bold=True)
    paragraph(loop.cells[0], f"{{%tr for r in {rows} %}}")
    for cell, (_, _, text, align) in zip(item.cells, columns, strict=True):
        paragraph(cell, text, size=TABLE_SIZE, align=align)
    paragraph(end.cells[0], "{%tr endfor %}")
    if total:
        last = tbl.rows[4]
        for cell, text in zip(last.cells, total, strict=True):
            paragraph(cell, text, size=TABLE_SIZE, bold=True, align="center" if not text.startswith("{{") else "right")
    for row in tbl.rows:
        for cell in row.cells:
            if not cell.paragraphs:
                paragraph(cell)
    return tbl
