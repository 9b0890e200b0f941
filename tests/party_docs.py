"""Party documents typed by hand, built with python-docx: correct by default, one option breaks one rule.

`party_docx(version="hd36")` is a Kế hoạch dated 05/01/2021 under HD 36; `version="hd05"` one dated
20/11/2026 under HD 05, signed in the «kiêm» form. Every keyword changes one thing a clerk might type.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, Twips

from doctpl.metrics import text_width
from doctpl.ooxml import rule_xml

FONT = "Times New Roman"
TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
KHOI = "KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG TỈNH"
LEFT, RIGHT = 4200, 5155  # the two columns of the header and of the closing, in twips (text width 9355)
CELL_MARGINS = 216
ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "both": WD_ALIGN_PARAGRAPH.JUSTIFY, "left": WD_ALIGN_PARAGRAPH.LEFT}
BODY = [
    ("- Thực hiện Kế hoạch số 05-KH/TU của Ban Thường vụ Tỉnh ủy về công tác thi đua, khen thưởng;", False),
    ("- Căn cứ chức năng, nhiệm vụ của các cơ quan tham mưu, giúp việc Tỉnh ủy, Khối thi đua xây dựng "
     "kế hoạch tổ chức phong trào thi đua năm như sau:", False),
    ("I. MỤC ĐÍCH, YÊU CẦU", True),
    ("1. Mục đích", True),
    ("Nâng cao nhận thức của cán bộ, đảng viên về vị trí, vai trò của công tác thi đua, khen thưởng; phát huy "
     "tinh thần đoàn kết, sáng tạo, hoàn thành xuất sắc nhiệm vụ chính trị được giao.", False),
    ("2. Yêu cầu", True),
    ("Phong trào thi đua được tổ chức thiết thực, hiệu quả, tránh hình thức; việc bình xét, khen thưởng bảo đảm "
     "công khai, dân chủ, đúng người, đúng thành tích.", False),
    ("II. NỘI DUNG THI ĐUA", True),
    ("Thi đua thực hiện tốt công tác tham mưu cho cấp ủy; đẩy mạnh học tập và làm theo tư tưởng, đạo đức, "
     "phong cách Hồ Chí Minh; xây dựng cơ quan, đơn vị trong sạch, vững mạnh.", False),
    ("III. TỔ CHỨC THỰC HIỆN", True),
    ("Các đơn vị trong Khối căn cứ kế hoạch này xây dựng kế hoạch của đơn vị, báo cáo kết quả về đơn vị "
     "trưởng khối trước ngày 15 tháng 12 hằng năm.", False),
]


@dataclass(frozen=True)
class Party:
    """What the clerk typed; the defaults are a correct document of its version."""

    version: str = "hd36"
    cap_uy: str = "TỈNH ỦY LÂM ĐỒNG"
    co_quan: str = KHOI
    star: bool = True
    so: str = "Số 01-KH/KTĐ1"
    title: list[str] = field(default_factory=lambda: [TITLE])
    title_bold: bool = True
    title_rule: str = "border"  # "border": an empty paragraph with a bottom border; "drawing": a drawn line
    quoc_hieu: bool = False
    date: str = ""  # blank: the version's date
    date_italic: bool = True
    ten_loai: str = "KẾ HOẠCH"
    trich_yeu: str = ""  # blank: the version's
    dashes: str | None = "-----"
    line: tuple[str, int] | None = None  # ("exact", twips) or ("auto", 240ths); blank: the version's exact value
    end: str = "."
    label_underline: bool = True
    entry_end: str = ""  # blank: «,» under HD 36, «;» under HD 05
    luu: str = "- Lưu Ban Tuyên giáo và Dân vận."
    authority: str | None = ""  # "": the version's («T/M …» under HD 36; none under HD 05, the «kiêm» form)
    titles_bold: bool = False
    name: str = "Nguyễn Văn An"
    first_page_number: bool = False
    page_numbers: bool = True
    body_font: str = FONT
    paragraphs: int = len(BODY)  # how many of the body's paragraphs (5: a short document of one page)
    extra_paragraphs: int = 0  # more body text, for a document of several pages

    def defaults(self) -> dict[str, Any]:
        """Return the values that follow from the version, where the document leaves them blank."""
        head = "TRƯỞNG BAN TUYÊN GIÁO VÀ DÂN VẬN"
        if self.version == "hd05":  # signed in the «kiêm» form: the khối has no seal of its own
            year, line, end, authority, titles = 2026, 400, ";", None, [head, "kiêm", "TRƯỞNG " + KHOI]
        else:  # signed as the seed is: «T/M» the khối, the head unit's title
            year, line, end, authority, titles = 2021, 360, ",", "T/M " + KHOI, [head]
        dated = "ngày 20 tháng 11 năm 2026" if year == 2026 else "ngày 05 tháng 01 năm 2021"
        return {"date": self.date or f"Lâm Đồng, {dated}", "trich_yeu": self.trich_yeu or
                f"tổ chức phong trào thi đua năm {year}", "line": self.line or ("exact", line),
                "entry_end": self.entry_end or end, "authority": authority if self.authority == "" else self.authority,
                "titles": titles}


def _fonts(document: Any) -> None:
    """Times New Roman in the document defaults and the Normal style, every slot, no theme font."""
    for rpr in (document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")),
                document.styles["Normal"].element.get_or_add_rPr()):
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.insert(0, fonts)
        for name in list(fonts.attrib):
            del fonts.attrib[name]
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{slot}"), FONT)


def _paragraph(container: Any, text: str = "", *, size: float = 14, bold: bool = False, italic: bool = False,
               underline: bool = False, align: str = "center", font: str = FONT) -> Any:
    """Add a paragraph of one run (a «\\n» in `text` is a line break), with no space around it."""
    para = container.add_paragraph()
    para.alignment = ALIGN[align]
    para.paragraph_format.space_before = para.paragraph_format.space_after = Pt(0)
    first, *more = text.split("\n")
    run = para.add_run(first)
    for line in more:
        run.add_break()
        run.add_text(line)
    run.font.size, run.font.bold, run.font.italic, run.font.underline = Pt(size), bold, italic, underline
    if font != FONT:
        run.font.name = font
    return para


def _table(document: Any, widths: tuple[int, int], rows: int = 1) -> Any:
    """Add a borderless table of two columns of `widths` twips."""
    table = document.add_table(rows=rows, cols=2)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)
    return table


def _raw(cell: Any, xml: str) -> None:
    """Append a paragraph given as XML to a table cell."""
    vml = 'xmlns:v="urn:schemas-microsoft-com:vml"'
    cell._tc.append(parse_xml(xml.replace("<w:p>", f"<w:p {nsdecls('w')} {vml}>", 1)))


def _header(document: Any, doc: Party, values: dict[str, Any]) -> None:
    """Add the header table: names and «*» left, the title and its rule right; the Số line and the date below."""
    table = _table(document, (LEFT, RIGHT), rows=2)
    left, right = table.rows[0].cells
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    if doc.cap_uy:
        _paragraph(left, doc.cap_uy)
    _paragraph(left, doc.co_quan, bold=True)
    if doc.star:
        _paragraph(left, "*")
    if doc.quoc_hieu:
        _paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
        _paragraph(right, "Độc lập - Tự do - Hạnh phúc", bold=True)
    for line in doc.title:
        _paragraph(right, line, size=15, bold=doc.title_bold)
    if doc.title_rule == "border":
        _raw(right, rule_xml(text_width(TITLE, 15, bold=True), RIGHT - CELL_MARGINS))
    else:
        _raw(right, '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:pict><v:line from="0,0" to="200pt,0" '
                    'strokeweight="1pt"/></w:pict></w:r></w:p>')
    left, right = table.rows[1].cells
    _fill(left.paragraphs[0], doc.so)
    _fill(right.paragraphs[0], values["date"], italic=doc.date_italic)


def _fill(para: Any, text: str, *, size: float = 14, italic: bool = False) -> None:
    """Write one centred run into an existing paragraph."""
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.font.size, run.font.italic = Pt(size), italic


def _body(document: Any, doc: Party, values: dict[str, Any]) -> None:
    """Add the body: justified, indented 10 mm, 6 pt after, the version's line spacing; the last ends with `end`."""
    rule, value = values["line"]
    texts = BODY[:doc.paragraphs] + [(BODY[6][0], False)] * doc.extra_paragraphs
    for number, (text, bold) in enumerate(texts):
        last = number == len(texts) - 1
        para = _paragraph(document, text[:-1] + doc.end if last else text, bold=bold, align="both",
                          font=doc.body_font)
        form = para.paragraph_format
        form.first_line_indent, form.space_after = Mm(10), Pt(6)
        spacing = form.element.get_or_add_pPr().get_or_add_spacing()
        spacing.set(qn("w:line"), str(value))
        spacing.set(qn("w:lineRule"), rule)


def _closing(document: Any, doc: Party, values: dict[str, Any]) -> None:
    """Add the closing table: Nơi nhận left, the signature right."""
    document.add_paragraph()
    table = _table(document, (LEFT, RIGHT))
    left, right = table.rows[0].cells
    label = left.paragraphs[0]
    label.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = label.add_run("Nơi nhận:")
    run.font.size, run.font.underline = Pt(14), doc.label_underline
    for entry in ("- Thường trực Tỉnh ủy", "- Hội đồng Thi đua - Khen thưởng tỉnh", "- Các đơn vị trong Khối"):
        _paragraph(left, entry + values["entry_end"], size=12, align="left")
    _paragraph(left, doc.luu, size=12, align="left")
    first = right.paragraphs[0]
    first._p.getparent().remove(first._p)
    if values["authority"]:
        _paragraph(right, values["authority"], bold=True)
    for line in values["titles"]:
        _paragraph(right, line, bold=doc.titles_bold and line != "kiêm")
    for _ in range(4):
        _paragraph(right)
    _paragraph(right, doc.name, bold=True)


def _page_numbers(document: Any, doc: Party) -> None:
    """Put a centred 14 pt page number in the header, hidden on page 1 unless `first_page_number`."""
    section = document.sections[0]
    section.different_first_page_header_footer = not doc.first_page_number
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="28"/>'
                             f'</w:rPr><w:t>2</w:t></w:r></w:fldSimple>'))


def party_docx(doc: Party | None = None, **changes: Any) -> bytes:
    """Return the .docx of a Party document: the defaults of `Party`, with `changes`."""
    doc = replace(doc or Party(), **changes)
    values = doc.defaults()
    document = Document()
    _fonts(document)
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _header(document, doc, values)
    _paragraph(document, doc.ten_loai, size=15, bold=True).paragraph_format.space_before = Pt(12)
    _paragraph(document, values["trich_yeu"], bold=True)
    if doc.dashes is not None:
        _paragraph(document, doc.dashes)
    _body(document, doc, values)
    _closing(document, doc, values)
    if doc.page_numbers:
        _page_numbers(document, doc)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
