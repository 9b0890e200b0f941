"""Word files typed the way clerks type them, made with python-docx for the import tests.

Direct formatting on every run instead of styles (the Normal style stays Calibri), mixed fonts, typed numbering
in plain paragraphs or Word's own automatic numbering (numbering.xml) under heading styles, rules typed as
underscores or drawn as lines, the header in a table, in text boxes or in paragraphs with tabs, manual line
breaks inside paragraphs. `Typist.typed` keeps every text as it was typed (a paragraph, a line of a table),
which the tests compare with the document rendered from the import.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Pt

from doctpl import markup

FIXTURE = Path(__file__).parent / "fixtures" / "ke-hoach-thi-dua-2021-khoi-so-1.txt"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
              'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
              'xmlns:v="urn:schemas-microsoft-com:vml"')
ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "both": WD_ALIGN_PARAGRAPH.JUSTIFY, None: None}


HELD = "\x0b"  # a line break held while the marks are read, so an emphasis may run across it


def plain(text: str) -> str:
    """Return typed text without the corpus's emphasis marks."""
    return "".join(run.text for run in markup.runs(text.replace("\n", HELD))).replace(HELD, "\n")


class Typist:
    """Types a document: every run formatted directly, in the font given (Times New Roman unless told)."""

    def __init__(self) -> None:
        self.doc = Document()
        self.typed: list[str] = []
        self.boxes = 0
        self.lists = 0

    def _runs(self, paragraph, text: str, bold: bool, italic: bool, font: str, size: float) -> None:
        for run in markup.runs(text.replace("\n", HELD), bold=bold, italic=italic):
            for index, line in enumerate(run.text.split(HELD)):
                if index:
                    paragraph.add_run().add_break()
                if line:
                    made = paragraph.add_run(line)
                    made.bold, made.italic, made.font.name, made.font.size = run.bold, run.italic, font, Pt(size)

    def para(self, text: str = "", *, bold: bool = False, italic: bool = False, align: str | None = "both",
             font: str = "Times New Roman", size: float = 14, style: str | None = None, container=None,
             num: tuple[int, int] | None = None):
        """Type one paragraph ("**b**", "*i*" and "\\n" for a manual break); `num` is (list, level) of Word's list."""
        paragraph = (container or self.doc).add_paragraph(style=style)
        paragraph.alignment = ALIGN[align]
        self._runs(paragraph, text, bold, italic, font, size)
        if num is not None:
            paragraph._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'))
        if text.strip():
            self.typed.append(plain(text))
        return paragraph

    def rule(self, drawn: bool = False, container=None) -> None:
        """Type a rule: a line of underscores, or an empty paragraph holding a drawn line."""
        if not drawn:
            (container or self.doc).add_paragraph("_" * 18).alignment = WD_ALIGN_PARAGRAPH.CENTER
            return
        paragraph = (container or self.doc).add_paragraph()
        paragraph._p.append(parse_xml(f'<w:r {NAMESPACES}><w:pict><v:line from="0,0" to="120pt,0" '
                                      'strokeweight="1pt"/></w:pict></w:r>'))

    def numbering(self, levels: list[tuple[str, str]]) -> int:
        """Define a Word list of these (number format, level text) levels; return its numId."""
        self.lists += 1
        number = 20 + self.lists
        part = self.doc.part.numbering_part.element
        lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                       f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
                       for i, (fmt, text) in enumerate(levels))
        abstract = parse_xml(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{number}">{lvls}</w:abstractNum>')
        first_num = part.find(f"{{{W}}}num")
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            part.append(abstract)
        part.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="{number}"><w:abstractNumId w:val="{number}"/></w:num>'))
        return number

    def table(self, rows: list[list[str]], bold_first: bool = True, spans: dict[tuple[int, int], int] | None = None):
        """Type a table of text cells; `spans` merges (row, column) across that many columns."""
        table = self.doc.add_table(rows=len(rows), cols=max(len(row) for row in rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                cell.paragraphs[0].alignment = ALIGN["center" if r == 0 else None]
                self._runs(cell.paragraphs[0], text, bold_first and r == 0, False, "Times New Roman", 13)
        for (r, c), width in (spans or {}).items():
            table.cell(r, c).merge(table.cell(r, c + width - 1))
        self.typed += [plain(text) for row in rows for text in row if text.strip()]
        return table

    def two_columns(self, left: list[tuple[str, dict]], right: list[tuple[str, dict]]):
        """Type a borderless table of one row: the lines of its left cell and of its right cell."""
        table = self.doc.add_table(rows=1, cols=2)
        for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            for text, options in lines:
                if text == "---":
                    self.rule(drawn=options.get("drawn", False), container=cell)
                else:
                    self.para(text, container=cell, **({"align": "center"} | options))
        return table

    def text_boxes(self, *boxes: list[tuple[str, dict]]) -> None:
        """Type each list of lines in a text box anchored in one empty paragraph (DrawingML with its VML copy)."""
        anchor = self.doc.add_paragraph()
        for lines in boxes:
            self.boxes += 1
            content = "".join(_box_paragraph(text, **options) for text, options in lines)
            self.typed += [plain(text) for text, _ in lines if text.strip() and text != "---"]
            anchor._p.append(parse_xml(
                f'<w:r {NAMESPACES}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
                f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{self.boxes}" '
                'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
                '<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
                '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
                '<wp:extent cx="2743200" cy="1143000"/><wp:wrapNone/>'
                f'<wp:docPr id="{self.boxes}" name="Text Box {self.boxes}"/><a:graphic>'
                '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
                '<wps:cNvSpPr txBox="1"/><wps:spPr/>'
                f'<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
                '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>'
                f'<v:shape id="box{self.boxes}" style="width:216pt;height:90pt"><v:textbox>'
                f'<w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
                '</mc:AlternateContent></w:r>'))

    def content(self) -> bytes:
        """Return the .docx."""
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _box_paragraph(text: str, bold: bool = False, italic: bool = False, size: float = 13) -> str:
    if text == "---":
        return f'<w:p><w:r><w:t>{"_" * 16}</w:t></w:r></w:p>'
    runs = []
    for index, line in enumerate(text.split("\n")):
        emphasis = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
        fonts = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>'
        runs.append(f'<w:r><w:rPr>{fonts}{emphasis}<w:sz w:val="{int(size * 2)}"/></w:rPr>'
                    f'{"<w:br/>" if index else ""}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    return f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{"".join(runs)}</w:p>'


def signature(typist: Typist, noi_nhan: list[str], signer: list[str]) -> None:
    """Type the closing table: the Nơi nhận on the left, the signature on the right (blank lines to sign)."""
    left = [("Nơi nhận:", {"bold": True, "italic": True, "size": 12, "align": None})]
    left += [(entry, {"size": 11, "align": None}) for entry in noi_nhan]
    right = [(line, {"bold": True}) for line in signer[:-1]] + [("", {})] * 3 + [(signer[-1], {"bold": True})]
    typist.two_columns(left, right)


def seed_plan() -> Typist:
    """The seed plan of Khối thi đua số 1 (2021), typed from the fixture: header in a table, typed numbering,
    Arial in some paragraphs, the signature and the Nơi nhận as paragraphs with manual line breaks."""
    typist = Typist()
    typist.two_columns(
        [("THÀNH ỦY ĐÀ LẠT", {}), ("KHỐI THI ĐUA SỐ 1", {"bold": True}), ("*", {}), ("Số 01-KH/KTĐ1", {})],
        [("ĐẢNG CỘNG SẢN VIỆT NAM", {"bold": True, "size": 15}), ("---", {}),
         ("Đà Lạt, ngày 08 tháng 4 năm 2021", {"italic": True})])
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", FIXTURE.read_text(encoding="utf-8")) if block.strip()]
    for joined in ("Đảng đảm bảo đúng yêu cầu", "biến”, “"):  # a stray Enter in the source: a line break here
        at = next(i for i, block in enumerate(blocks) if block.startswith(joined))
        blocks[at - 1:at + 1] = [blocks[at - 1] + "\n" + blocks[at]]
    opened = False  # the căn cứ stand before section I
    for index, block in enumerate(blocks):
        font = "Arial" if index % 7 == 3 else "Times New Roman"
        opened = opened or block.startswith("I. ")
        if block in ("KẾ HOẠCH", "Tổ chức thực hiện phong trào thi đua năm 2021"):
            typist.para(block, bold=True, align="center", size=15 if block == "KẾ HOẠCH" else 14)
        elif not opened and re.match(r"^- (Thực hiện|Căn cứ)", block):
            typist.para(block, italic=True)
        elif re.match(r"^([IVX]+\.|\d\. \S.{0,80}$|- (Về c|Công tác)[^.]*$)", block):
            typist.para(block, bold=True, font=font)
        elif block.startswith("Quý "):
            label, rest = block.split(":", 1)
            typist.para(f"**{label}:**{rest}", font=font)
        elif block.startswith("**T/M"):
            typist.para(block, align="center")
        elif block == "Nguyễn Quang Hải":
            typist.para(block, bold=True, align="center")
        elif block == "Nơi nhận:":
            typist.para(block, align=None, size=14)
        else:
            typist.para(block, font=font, align=None if block.startswith("- Hội đồng") else "both")
    return typist


def ubnd_plan() -> Typist:
    """A UBND plan: header in text boxes, Word's automatic numbering under Heading 1 and 2 (I., 1., a), «-», «+»),
    a lead paragraph after the căn cứ, the signature «TM. / KT. / PHÓ CHỦ TỊCH» in a table."""
    typist = Typist()
    typist.text_boxes(
        [("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG", {"bold": True}), ("---", {}), ("Số: 15/KH-UBND", {})],
        [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True}), ("Độc lập - Tự do - Hạnh phúc", {"bold": True}),
         ("---", {}), ("Lâm Đồng, ngày 20 tháng 01 năm 2026", {"italic": True})])
    typist.para("KẾ HOẠCH", bold=True, align="center")
    typist.para("Tổ chức phong trào thi đua yêu nước năm 2026", bold=True, align="center")
    typist.rule(drawn=True)
    typist.para("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", italic=True)
    typist.para("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, "
                "phân quyền trong lĩnh vực thi đua, khen thưởng;", italic=True)
    typist.para("Ủy ban nhân dân tỉnh ban hành Kế hoạch tổ chức phong trào thi đua yêu nước năm 2026 như sau:")
    outline = typist.numbering([("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")])
    dashes = typist.numbering([("bullet", "-"), ("bullet", "+")])
    for text, style, num in (
        ("MỤC ĐÍCH, YÊU CẦU", "Heading 1", (outline, 0)), ("Mục đích", "Heading 2", (outline, 1)),
        ("Phát huy truyền thống yêu nước, động viên cán bộ, công chức và Nhân dân thi đua hoàn thành thắng lợi "
         "nhiệm vụ năm 2026.", None, None),
        ("Yêu cầu", "Heading 2", (outline, 1)),
        ("Phong trào thi đua phải thiết thực, hiệu quả, tránh hình thức;", None, (dashes, 0)),
        ("Khen thưởng kịp thời, chính xác, công khai, công bằng.", None, (dashes, 0)),
        ("NỘI DUNG THI ĐUA", "Heading 1", (outline, 0)),
        ("Thi đua thực hiện nhiệm vụ phát triển kinh tế - xã hội", "Heading 2", (outline, 1)),
        ("Về kinh tế", None, (outline, 2)),
        ("Tăng trưởng tổng sản phẩm trên địa bàn đạt 8 %, trong đó:", None, (dashes, 0)),
        ("Thu ngân sách đạt và vượt dự toán;", None, (dashes, 1)),
        ("Giải ngân vốn đầu tư công đạt trên 95 %.", None, (dashes, 1)),
        ("Về văn hóa – xã hội", None, (outline, 2)),
        ("Tổ chức các hoạt động kỷ niệm 96 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2026); "
         "Mừng xuân Bính Ngọ.", None, (dashes, 0)),
        ("Thi đua cải cách hành chính", "Heading 2", (outline, 1)),
        ("Đẩy mạnh chuyển đổi số trong cơ quan nhà nước.\nPhấn đấu 100 % hồ sơ được giải quyết trực tuyến "
         "toàn trình.", None, None),
        ("TỔ CHỨC THỰC HIỆN", "Heading 1", (outline, 0)),
        ("Sở Nội vụ (Ban Thi đua – Khen thưởng) hướng dẫn, theo dõi, tổng hợp kết quả thực hiện Kế hoạch này.",
         None, (outline, 1)),
        ("Các sở, ban, ngành, địa phương xây dựng kế hoạch cụ thể, báo cáo kết quả trước ngày 15/12/2026.",
         None, (outline, 1)),
    ):
        typist.para(text, style=style, num=num, bold=style is not None, font="Arial" if num == (dashes, 1) else
                    "Times New Roman")
    signature(typist, ["- Bộ Nội vụ;", "- Thường trực Tỉnh ủy, HĐND tỉnh;", "- Các sở, ban, ngành;",
                       "- Lưu: VT, TH."], ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"])
    return typist


UBND_LEVELS = [(0, "muc"), (1, "khoan"), (1, "khoan"), (2, "gach"), (2, "gach"), (0, "muc"), (1, "khoan"),
               (2, "diem"), (3, "gach"), (4, "cong"), (4, "cong"), (2, "diem"), (3, "gach"), (1, "khoan"),
               (0, "muc"), (1, "khoan"), (1, "khoan")]


def report_by_criteria() -> Typist:
    """A year-end report laid out by tiêu chuẩn: the header in paragraphs apart by tabs, Phần thứ nhất / thứ hai,
    khoản 1. and 1.1., a table of scores with its total row, the closing in paragraphs apart by tabs."""
    typist = Typist()
    for line in ("UBND TỈNH LÂM ĐỒNG\t\t**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**",
                 "**SỞ NỘI VỤ**\t\t**Độc lập - Tự do - Hạnh phúc**", "______\t\t____________________",
                 "Số: 125/BC-SNV\t\t*Lâm Đồng, ngày 15 tháng 12 năm 2026*"):
        typist.para(line, align=None, size=13)
    typist.typed[-4:] = [part for line in typist.typed[-4:] for part in line.split("\t") if part.strip("_ ")]
    typist.para("BÁO CÁO", bold=True, align="center")
    typist.para("Tổng kết công tác thi đua, khen thưởng năm 2026\ntheo các tiêu chuẩn thi đua", bold=True,
                align="center")
    typist.para("Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng.", align="center")
    typist.para("Thực hiện Kế hoạch số 15/KH-UBND ngày 20/01/2026 của Ủy ban nhân dân tỉnh về tổ chức phong trào thi "
                "đua yêu nước năm 2026, Sở Nội vụ báo cáo kết quả như sau:")
    typist.para("Năm 2026, Sở Nội vụ triển khai đồng bộ các phong trào thi đua, bám sát các tiêu chuẩn đã đăng ký.")
    for text, bold in (
        ("Phần thứ nhất", True), ("KẾT QUẢ THỰC HIỆN CÁC TIÊU CHUẨN THI ĐUA", True),
        ("I. TIÊU CHUẨN 1: HOÀN THÀNH NHIỆM VỤ CHUYÊN MÔN", True), ("1. Công tác tổ chức bộ máy", True),
        ("1.1. Sắp xếp tổ chức", True), ("Hoàn thành sắp xếp 05 phòng chuyên môn theo Đề án được phê duyệt.", False),
        ("1.2. Quản lý biên chế", True), ("Thực hiện tinh giản biên chế\nđúng lộ trình được giao.", False),
        ("2. Công tác cán bộ", True), ("2.1. Tuyển dụng", True), ("- Tuyển dụng 25 công chức;", False),
        ("- Tiếp nhận 10 viên chức.", False),
        ("II. TIÊU CHUẨN 2: XÂY DỰNG CƠ QUAN VỮNG MẠNH", True), ("1. Công tác xây dựng Đảng", True),
        ("Chi bộ được xếp loại *hoàn thành tốt nhiệm vụ*.", False), ("2. Hoạt động của các đoàn thể", True),
        ("- Công đoàn cơ sở đạt vững mạnh:", False), ("+ 100 % đoàn viên tham gia sinh hoạt;", False),
        ("+ Tổ chức 02 hoạt động văn hóa, thể thao.", False), ("III. TỰ CHẤM ĐIỂM", True),
    ):
        centred = text.startswith("Phần") or text.startswith("KẾT QUẢ")
        typist.para(text, bold=bold, align="center" if centred else "both",
                    font="Arial" if text.startswith("+") else "Times New Roman")
    typist.para("Bảng tổng hợp điểm tự chấm", bold=True, align="center")
    typist.table([["STT", "Tiêu chuẩn", "Điểm chuẩn", "Điểm tự chấm"], ["1", "Tiêu chuẩn 1", "60", "57,5"],
                  ["2", "Tiêu chuẩn 2", "40", "38"], ["", "Tổng cộng", "100", "95,5"]])
    for text, bold in (
        ("Sở Nội vụ tự đánh giá xếp loại hoàn thành xuất sắc nhiệm vụ.", False),
        ("Phần thứ hai", True), ("PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027", True), ("I. NHIỆM VỤ TRỌNG TÂM", True),
        ("1. Tiếp tục đổi mới công tác thi đua, khen thưởng.", False),
        ("2. Nâng cao chất lượng tham mưu cho Ủy ban nhân dân tỉnh.", False), ("II. KIẾN NGHỊ", True),
        ("Đề nghị Ủy ban nhân dân tỉnh tặng Cờ thi đua cho Sở Nội vụ.", False),
    ):
        typist.para(text, bold=bold, align="center" if text.startswith(("Phần", "PHƯƠNG")) else "both")
    for line in ("**Nơi nhận:**\t\t\t**GIÁM ĐỐC**", "- Như trên;", "- Lưu: VT, VP.", "\t\t\t**Trần Văn Bình**"):
        typist.para(line, align=None, size=12)
    typist.typed[-4:] = [part for line in typist.typed[-4:] for part in line.split("\t") if part.strip()]
    return typist


REPORT_LEVELS = [(0, "phan"), (0, "muc"), (1, "khoan"), (2, "khoan"), (2, "khoan"), (1, "khoan"), (2, "khoan"),
                 (3, "gach"), (3, "gach"), (0, "muc"), (1, "khoan"), (1, "khoan"), (2, "gach"), (3, "cong"),
                 (3, "cong"), (0, "muc"), (1, "bang"), (0, "phan"), (0, "muc"), (1, "khoan"), (1, "khoan"),
                 (0, "muc")]


def so_ket_dot() -> Typist:
    """The sơ kết of a đợt thi đua by a trade union with three levels in its header table, a Kính gửi list,
    typed numbering, underscores for the rules."""
    typist = Typist()
    typist.two_columns(
        [("UBND TỈNH LÂM ĐỒNG", {}), ("SỞ NỘI VỤ", {}), ("CÔNG ĐOÀN", {"bold": True}), ("---", {"drawn": True}),
         ("Số: 08/BC-CĐ", {})],
        [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True}), ("Độc lập - Tự do - Hạnh phúc", {"bold": True}),
         ("---", {}), ("Lâm Đồng, ngày 30 tháng 6 năm 2026", {"italic": True})])
    typist.para("BÁO CÁO", bold=True, align="center")
    typist.para("Sơ kết đợt thi đua cao điểm “Chào mừng Đại hội Công đoàn tỉnh”", bold=True, align="center")
    typist.rule()
    typist.para("Kính gửi: Công đoàn Viên chức tỉnh.", align="center")
    typist.para("Thực hiện Kế hoạch số 03/KH-CĐ ngày 02/3/2026 của Công đoàn Sở Nội vụ về phát động đợt thi đua cao "
                "điểm từ ngày 02/3/2026 đến ngày 30/6/2026;", italic=True)
    typist.para("Ban Chấp hành Công đoàn Sở Nội vụ báo cáo kết quả đợt thi đua như sau:")
    for text in (
        "I. KẾT QUẢ ĐỢT THI ĐUA", "1. Công tác tuyên truyền",
        "Tổ chức 05 buổi tuyên truyền về Đại hội Công đoàn các cấp cho 100 % đoàn viên. Đăng 12 tin, bài trên trang "
        "thông tin điện tử của Sở.", "2. Kết quả thực hiện các chỉ tiêu",
        "- Hoàn thành 100 % chỉ tiêu phát triển đoàn viên;", "- Tổ chức 03 hoạt động chăm lo cho đoàn viên khó khăn;",
        "- Tổ chức các hoạt động kỷ niệm 96 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2026).",
        "3. Công tác khen thưởng", "Đề nghị khen thưởng kịp thời 04 tập thể, 09 cá nhân có thành tích tiêu biểu.",
        "II. ĐÁNH GIÁ CHUNG", "1. Ưu điểm", "Đoàn viên hưởng ứng tích cực; các chỉ tiêu đều đạt và vượt.",
        "2. Hạn chế", "Một số hoạt động còn chậm so với kế hoạch.", "3. Nguyên nhân",
        "Thời gian của đợt thi đua ngắn, trùng với nhiều nhiệm vụ chuyên môn.",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", "- Tiếp tục tuyên truyền kết quả Đại hội Công đoàn tỉnh;",
        "- Tổ chức tổng kết, khen thưởng đợt thi đua trong tháng 7 năm 2026;",
        "- Phát động đợt thi đua mới chào mừng Quốc khánh 02/9.",
        "IV. KIẾN NGHỊ", "Đề nghị Công đoàn Viên chức tỉnh tặng Giấy khen cho 02 tập thể, 05 cá nhân.",
    ):
        typist.para(text, bold=bool(re.match(r"^([IV]+\.|\d\. )", text)))
    signature(typist, ["- Như trên;", "- Lưu: VT, CĐ."], ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "Lê Thị Hoa"])
    return typist


CORPUS = {"seed_plan": ("ke_hoach", seed_plan), "ubnd_plan": ("ke_hoach", ubnd_plan),
          "report_by_criteria": ("bao_cao_tong_ket", report_by_criteria), "so_ket_dot": ("bao_cao_so_ket", so_ket_dot)}


SO_KET_LEVELS = [(0, "muc"), (1, "khoan"), (1, "khoan"), (2, "gach"), (2, "gach"), (2, "gach"), (1, "khoan"),
                 (0, "muc"), (1, "khoan"), (1, "khoan"), (1, "khoan"), (0, "muc"), (1, "gach"), (1, "gach"),
                 (1, "gach"), (0, "muc")]
LEVELS = {"ubnd_plan": UBND_LEVELS, "report_by_criteria": REPORT_LEVELS, "so_ket_dot": SO_KET_LEVELS}
