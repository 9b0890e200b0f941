"""The body (ô 6) as a tree: Phần, sections I … N, khoản 1., 1.1., điểm a), paragraphs, «-» and «+» items, tables.

The clerk builds the tree from blocks; the seed plan's particular parts (the fields of nhiệm vụ
chung, the quarters, the anniversary items) are blocks of this tree, not a fixed shape. doctpl
numbers everything (NĐ 30 structure b) and flattens the tree into styled lines for the template.
A section may start a Phần («Phần thứ nhất» or «Phần I»; the sections are numbered again in each),
a section without a title gives unnumbered paragraphs, a khoản inside a khoản is numbered 1.1.
and 1.1.1., and a table is typed a row a line (doctpl/parts/body_table.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from doctpl import facts, markup, the_thuc
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Choice, Field, Group, Repeat, Text, join
from doctpl.markup import Run
from doctpl.ooxml import Paragraph
from doctpl.parts import body_table, header, periods
from doctpl.vn.dates import short_date
from doctpl.vn.numbering import letter, ordinal, roman
from doctpl.vn.text import upper

COMPUTED = ("body",)
MAX_DEPTH = 4
BLOCK_TYPES = {
    "doan": "Đoạn văn",
    "gach": "Gạch đầu dòng (-)",
    "cong": "Gạch cộng (+)",
    "khoan": "Khoản (1., 2., …; trong khoản: 1.1., 1.1.1.)",
    "diem": "Điểm (a), b), …)",
    "quy": "Nhiệm vụ quý (Quý I, II, …)",
    "bang": "Bảng",
    "ky_niem": "Các ngày kỷ niệm trong kỳ (tự liệt kê)",
}
SPANS = {"trong_ky": "Trong kỳ của văn bản (mã [[ky_bao_cao]])", "ky_toi": "Kỳ tới (mã [[ky_tiep_theo]])"}
TEXT_HELP = ("Mỗi dòng là một đoạn. **chữ đậm**, *chữ nghiêng*; [[xuong_dong]] xuống dòng trong cùng đoạn; "
             "mã [[ky_niem:thanh_lap_dang]], [[so_nam:…]], [[can_chi]], [[nam]] được thay bằng giá trị tính theo năm.")
TOO_DEEP = (f"Nội dung chỉ lồng được tối đa {MAX_DEPTH} cấp trong một mục (ví dụ khoản › khoản › điểm › gạch đầu "
            "dòng); đưa thành phần này lên một cấp.")
# Line styles of the template (doctpl/build/base.py BODY_STYLES).
STYLES = {"doan": "VBNoiDung", "can_cu": "VBCanCu", "muc": "VBMuc", "khoan": "VBKhoan", "giua": "VBGiua"}
PHAN_STYLES = {"thu": "Phần thứ nhất, Phần thứ hai, …", "la_ma": "Phần I, Phần II, …"}
DASHES = {"gach": "- ", "cong": "+ "}
HEADINGS = ("muc", "giua")  # line styles of headings: a Phần, a section


def _check_block(block: dict[str, Any], path: str) -> list[FieldError]:
    kind = block["loai"]
    if kind in DASHES and not block["van_ban"]:
        return [FieldError(join(path, "van_ban"), "Vui lòng nhập «Nội dung».")]
    if kind in ("khoan", "diem") and not (block["tieu_de"] or block["van_ban"]):
        return [FieldError(join(path, "tieu_de"), "Khoản, điểm cần có tiêu đề hoặc nội dung.")]
    if kind == "doan" and not block["van_ban"]:
        return [FieldError(join(path, "van_ban"), "Vui lòng nhập «Nội dung».")]
    if kind == "bang":
        return [FieldError(join(path, "dong" if "dòng" in problem else "cot"), f"Bảng: {problem}")
                for problem in body_table.problems(block["cot"], block["nhom_cot"], block["dong"])]
    return []


def block_group(depth: int = 1) -> Group:
    """Return the declaration of one block; blocks nest up to MAX_DEPTH levels."""
    fields: list[Field] = [
        Choice("loai", "Loại", choices=BLOCK_TYPES, default="doan"),
        Text("tieu_de", "Tiêu đề", required=False, max_len=300, when={"loai": ("khoan", "diem", "bang")},
             check=markup.check_tokens,
             help="Khoản, điểm: in đậm sau số thứ tự, ví dụ «Mục đích». Bảng: tên bảng, in đậm giữa dòng."),
        Text("mo_dau", "Lời dẫn trước chủ đề", max_len=300, when={"loai": ("quy",)},
             default="Tổ chức phong trào thi đua với chủ đề", check=markup.check_tokens),
        Text("chu_de", "Chủ đề thi đua của quý", max_len=500, when={"loai": ("quy",)},
             check=markup.check_tokens, help="In nghiêng trong ngoặc kép."),
        Text("ket", "Lời dẫn sau chủ đề", required=False, max_len=300, when={"loai": ("quy",)},
             default="hưởng ứng vào các nội dung sau:", check=markup.check_tokens),
        Text("van_ban", "Nội dung", required=False, max_len=10000, multiline=True,
             when={"loai": ("doan", "gach", "cong", "khoan", "diem", "ky_niem")}, check=markup.check_tokens,
             help=TEXT_HELP + " Các ngày kỷ niệm: câu dẫn trước danh sách (để trống: câu dẫn mặc định)."),
        Choice("khoang", "Kỳ của các ngày kỷ niệm", choices=SPANS, default="trong_ky", required=False,
               when={"loai": ("ky_niem",)},
               help="Liệt kê các ngày kỷ niệm đã chọn của văn bản (nếu có), hoặc các ngày kỷ niệm năm tròn, năm chẵn "
                    "trong kỳ; số năm tính tự động."),
        Text("nhom_cot", "Nhóm cột", required=False, max_len=1000, when={"loai": ("bang",)}, tab=body_table.SEPARATOR,
             help="Không bắt buộc: dòng tiêu đề chung trên các cột, ô cách nhau bằng «|»; các ô liền nhau giống "
                  "nhau được gộp, ví dụ «| | Điểm | Điểm».",),
        Text("cot", "Tiêu đề cột", max_len=1000, when={"loai": ("bang",)}, tab=body_table.SEPARATOR,
             help="Các cột cách nhau bằng dấu «|» hoặc phím Tab, ví dụ «STT | Đơn vị | Tự chấm | Khối chấm»."),
        Text("dong", "Các dòng", max_len=20000, multiline=True, when={"loai": ("bang",)}, tab=body_table.SEPARATOR,
             help="Mỗi dòng một hàng, các ô cách nhau bằng «|» hoặc Tab (dán thẳng từ Excel được). Cột toàn số "
                  "được căn phải và viết 1.234,5."),
        Choice("tong", "Dòng tổng cộng", choices={"": "Không", "co": "Có: cộng các cột số"}, default="",
               required=False, when={"loai": ("bang",)}),
    ]
    if depth < MAX_DEPTH:
        fields.append(Repeat("con", "Nội dung bên trong", item=block_group(depth + 1), item_label="thành phần"))
    else:
        fields.append(Repeat("con", "Nội dung bên trong", item=Group("thanh_phan", "Thành phần nội dung"),
                             max_items=0, item_label="thành phần", too_many=TOO_DEEP))
    return Group("thanh_phan", "Thành phần nội dung", fields=fields, checks=(_check_block,))


def sections_fields(name: str = "noi_dung", label: str = "Nội dung văn bản", **options: Any) -> list[Field]:
    """Return how the Phần are numbered and the sections I … N of the body (`options` for the Repeat)."""
    return [
        Choice("kieu_phan", "Đánh số phần", choices=PHAN_STYLES, default="thu", required=False,
               help="Chỉ dùng khi có mục bắt đầu một phần (ô «Phần» của mục)."),
        Repeat(name, label, min_items=1, max_items=30, item_label="mục", item=Group("muc", "Mục", fields=[
            Text("phan", "Phần", required=False, max_len=300, check=markup.check_tokens,
                 help="Để trống, trừ khi mục này mở đầu một phần mới: tên phần, ví dụ «Kết quả thực hiện»; "
                      "số phần và số mục được đánh lại tự động."),
            Text("tieu_de", "Tên mục", required=False, max_len=300, check=markup.check_tokens,
                 help="Được đánh số La Mã và in hoa tự động, ví dụ «Mục đích – Yêu cầu». Để trống: các đoạn "
                      "không đánh số (mở đầu báo cáo)."),
            Repeat("thanh_phan", "Các thành phần nội dung", item=block_group(), item_label="thành phần"),
        ]), **options),
    ]


def lead_field() -> Text:
    """Return the lead paragraph after the căn cứ («UBND tỉnh ban hành Kế hoạch … cụ thể như sau:»)."""
    return Text("loi_mo_dau", "Lời mở đầu", required=False, max_len=3000, multiline=True, check=markup.check_tokens,
                help="Đoạn sau căn cứ, trước mục I: với kế hoạch, ví dụ «Ủy ban nhân dân tỉnh ban hành Kế hoạch … cụ "
                     "thể như sau:»; với báo cáo, «… báo cáo kết quả như sau:». Không in nghiêng như căn cứ.")


def doan(text: str) -> dict[str, Any]:
    """Return a paragraph block, for kinds that build part of their body from fixed fields."""
    return {"loai": "doan", "tieu_de": "", "van_ban": text}


def gach(text: str) -> dict[str, Any]:
    """Return a dash-item block."""
    return {"loai": "gach", "tieu_de": "", "van_ban": text}


def khoan(text: str = "", tieu_de: str = "", con: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Return a numbered khoản block."""
    return {"loai": "khoan", "tieu_de": tieu_de, "van_ban": text, "con": con or []}


def text_list(name: str, label: str, help_text: str = "", min_items: int = 0, item_label: str = "mục") -> Repeat:
    """Return a list of multi-line texts that may use the markup and tokens."""
    return Repeat(name, label, item=Text("", label, max_len=5000, multiline=True, check=markup.check_tokens),
                  min_items=min_items, max_items=60, item_label=item_label, help=help_text)


def can_cu_field() -> Repeat:
    """Return the căn cứ list."""
    return Repeat("can_cu", "Căn cứ", item=Text("", "Căn cứ", max_len=1000, check=markup.check_tokens),
                  max_items=20, item_label="căn cứ",
                  help="Mỗi căn cứ một dòng, in nghiêng; dấu «-» đầu dòng được thêm tự động.")


def can_cu_warnings(data: Mapping[str, Any]) -> list[FieldError]:
    """Warn when a căn cứ cites a catalogued legal document not in force on the document's date."""
    on = header.document_date(data)
    when = f"ban hành ngày {short_date(on)}" if data["ngay"] else f"thuộc năm {on.year}"
    out = []
    for index, text in enumerate(data["can_cu"]):
        for basis in facts.legal_bases_cited(text):
            if state := basis.state_on(on):
                hint = " Có thể còn sót từ văn bản năm trước." if basis.expired(on) else ""
                out.append(FieldError(join("can_cu", index), (
                    f"Căn cứ thứ {index + 1} dẫn văn bản số {basis.so_hieu}, {state}, trong khi văn bản này "
                    f"{when}.{hint} Kiểm tra lại căn cứ.")))
    return out


def with_opening(data: dict[str, Any], texts: list[str]) -> dict[str, Any]:
    """Return a report's data with `texts` as the first paragraphs of its first section (made when it has none)."""
    opening = [{"loai": "doan", "tieu_de": "", "van_ban": text} for text in texts]
    sections = data.get("noi_dung") or [{"phan": "", "tieu_de": f"Kết quả thực hiện phong trào thi đua năm "
                                                                 f"{data['nam']}", "thanh_phan": []}]
    first = {**sections[0], "thanh_phan": opening + list(sections[0]["thanh_phan"])}
    return data | {"noi_dung": [first, *sections[1:]]}


def empty_parts(sections: list[Any], path: str = "noi_dung") -> list[FieldError]:
    """Warn of a titled section with nothing under it: a heading the clerk left to fill (or to remove)."""
    return [FieldError(join(join(path, index), "tieu_de"),
                       f"Mục «{section['tieu_de']}» chưa có nội dung: điền nội dung hoặc xóa mục này.")
            for index, section in enumerate(sections)
            if isinstance(section, Mapping) and section.get("tieu_de") and not section.get("thanh_phan")]


def texts(sections: list[dict[str, Any]], path: str) -> Iterator[tuple[str, str]]:
    """Yield (path, text) for every text of the tree, to check which tokens it uses."""
    for index, section in enumerate(sections):
        for key in ("phan", "tieu_de"):
            if section.get(key):
                yield join(join(path, index), key), section[key]
        yield from _block_texts(section["thanh_phan"], join(join(path, index), "thanh_phan"))


def _block_texts(blocks: list[dict[str, Any]], path: str) -> Iterator[tuple[str, str]]:
    for index, block in enumerate(blocks):
        here = join(path, index)
        for key in ("tieu_de", "mo_dau", "chu_de", "ket", "van_ban"):
            if block.get(key):
                yield join(here, key), block[key]
        yield from _block_texts(block.get("con", []), join(here, "con"))


Item = tuple[str, list[Run] | Paragraph]


class Lines:
    """Accumulates the body as styled lines of runs, expanding tokens with the document's values.

    `spans` are the period the document speaks of and the next one (its year and the next by
    default); `chosen` the anniversaries the document selected, if it has such a list.
    """

    def __init__(self, values: Mapping[str, str], year: int, *,
                 spans: tuple[periods.Period, periods.Period] | None = None, chosen: list[str] | None = None):
        self.values, self.year = values, year
        self.spans, self.chosen = spans or periods.year(year), chosen
        self.items: list[Item] = []

    def runs(self, text: str, **emphasis: bool) -> list[Run]:
        """Expand tokens in `text` and split it into runs."""
        return markup.runs(markup.expand(text, self.values, self.year), **emphasis)

    def add(self, style: str, *parts: str | list[Run]) -> None:
        """Add one line made of text (tokens and emphasis allowed) and ready runs."""
        out: list[Run] = []
        for part in parts:
            out.extend(self.runs(part) if isinstance(part, str) else part)
        self.items.append((style, out))

    def paragraphs(self, text: str, first_prefix: str = "") -> None:
        """Add each line of a multi-line text as a paragraph; the first gets `first_prefix`."""
        for index, paragraph in enumerate(p for p in text.split("\n") if p.strip()):
            self.add("doan", (first_prefix if index == 0 else "") + paragraph)

    def can_cu(self, items: list[str]) -> None:
        """Add the căn cứ lines, each starting with "- "."""
        for item in items:
            self.add("can_cu", "- " + item.lstrip("-–• ").strip())

    def opening(self, data: Mapping[str, Any]) -> None:
        """Add the căn cứ and the lead paragraph that follows them."""
        self.can_cu(data["can_cu"])
        self.paragraphs(data.get("loi_mo_dau") or "")

    def sections(self, sections: list[dict[str, Any]], start: int = 1, phan_style: str = "thu") -> None:
        """Add sections numbered from `start` (I by default), again from I in each Phần, with their blocks.

        A section without a title adds its blocks unnumbered (a report's opening paragraphs).
        """
        number, phan = start - 1, 0
        for section in sections:
            if section.get("phan"):
                phan, number = phan + 1, 0
                label = f"Phần {ordinal(phan)}" if phan_style == "thu" else f"Phần {roman(phan)}"
                self.add("giua", label)
                self.add("giua", upper(markup.expand(section["phan"], self.values, self.year)))
            if section["tieu_de"]:
                number += 1
                title = markup.expand(section["tieu_de"], self.values, self.year)
                self.add("muc", f"{roman(number)}. {upper(title)}")
            self.blocks(section["thanh_phan"])

    def blocks(self, blocks: list[dict[str, Any]], khoan_prefix: str = "") -> None:
        """Add sibling blocks; khoản, điểm and quarters are numbered among their own siblings.

        A khoản inside a khoản carries its parent's number: 1.1., then 1.1.1.
        """
        counters = {"khoan": 0, "diem": 0, "quy": 0}
        for block in blocks:
            kind = block["loai"]
            if kind in counters:
                counters[kind] += 1
            number = counters.get(kind, 0)
            inner = khoan_prefix
            if kind in ("doan", *DASHES):
                self.paragraphs(block["van_ban"], DASHES.get(kind, ""))
            elif kind in ("khoan", "diem"):
                label = f"{khoan_prefix}{number}." if kind == "khoan" else f"{letter(number)})"
                inner = label if kind == "khoan" else khoan_prefix
                if block["tieu_de"]:
                    self.add("khoan" if kind == "khoan" else "doan", f"{label} {block['tieu_de']}")
                    self.paragraphs(block["van_ban"])
                else:
                    self.paragraphs(block["van_ban"], f"{label} ")
            elif kind == "quy":
                self.quarter(number, block)
            elif kind == "bang":
                self.table(block)
            elif kind == "ky_niem":
                self.anniversaries(block)
            self.blocks(block.get("con", []), inner)

    def table(self, block: Mapping[str, Any]) -> None:
        """Add a table, its title centred above it."""
        if block["tieu_de"]:
            self.add("giua", block["tieu_de"])
        self.items.append(("bang", body_table.xml(block["cot"], block["nhom_cot"], block["dong"], bool(block["tong"]))))

    def anniversaries(self, block: Mapping[str, Any]) -> None:
        """Add the lead line and one dash item per anniversary in the block's period, the last closed with "."."""
        span = self.spans[block["khoang"] == "ky_toi"]
        found = periods.events(span, self.chosen)
        if not found:
            return
        self.paragraphs(block["van_ban"] or f"Tổ chức các hoạt động kỷ niệm các ngày lễ lớn trong {span.words}:")
        for index, (event, year) in enumerate(found):
            self.add("doan", f"- Kỷ niệm {event.phrase(year)}{'.' if index == len(found) - 1 else ';'}")

    def quarter(self, number: int, block: dict[str, Any]) -> None:
        """Add "Quý I: <lời dẫn> “<chủ đề>” <lời dẫn sau>" with the theme in italics."""
        after = block["ket"]
        joiner = "" if not after or after[0] in ".,:;" else " "
        self.add("doan", [Run(f"Quý {roman(number)}: ", bold=True)], f"{block['mo_dau']} “",
                 self.runs(block["chu_de"], italic=True), f"”{joiner}{after}")

    def result(self, mark: str = "") -> list[dict[str, Any]]:
        """Return the lines for the template, the last text closed with the end `mark` ("./." or ".")."""
        items = list(self.items)
        texts = [index for index, (style, _) in enumerate(items) if style not in ("bang", *HEADINGS)]  # no heading
        if texts and mark:
            style, runs = items[texts[-1]]
            last = runs[-1] if runs else Run("")
            items[texts[-1]] = (style, [*runs[:-1], Run(closed(last.text, mark), last.bold, last.italic)])
        return [{"style": "bang", "xml": content} if style == "bang" else {"style": style, "text": markup.rich(content)}
                for style, content in items]


# The mark that ends the content: NĐ 30 Phụ lục I, II.6 | HD 05 I.6.2.2 (a full stop, never "./.").
END_MARK = {the_thuc.NHA_NUOC: "./.", the_thuc.DANG: "."}
_END = re.compile(r"[\s.]*(?:\./\.|/\.)?\s*$")


def closed(text: str, mark: str) -> str:
    """Return `text` ending with `mark` once, whatever end mark or full stop the clerk typed already."""
    start = len(text)  # what _END removes is made of spaces, «.» and «/» only: it is looked for in that tail
    while start and (text[start - 1] in "./" or text[start - 1].isspace()):
        start -= 1
    return text[:start] + _END.sub("", text[start:]) + mark


def end_mark(rules: the_thuc.Rules) -> str:
    """Return the mark that ends the content under `rules`."""
    return END_MARK[rules.the_thuc]


def build(doc: Any, source: str = "body") -> None:
    """Write a body loop over the context list `source`: one paragraph per line style.

    The last line of each style is kept with what follows, so the signature block never
    stands alone on a page without the end of the text.
    """
    base.tag(doc, f"{{%p for b in {source} %}}")
    for index, (style, style_id) in enumerate(STYLES.items()):
        base.tag(doc, f"{{%p {'if' if index == 0 else 'elif'} b.style == '{style}' %}}")
        base.tag(doc, "{%p if loop.last %}")
        doc.add_paragraph("{{r b.text }}", style=base.STYLE_NAMES[style_id]).paragraph_format.keep_with_next = True
        base.tag(doc, "{%p else %}")
        doc.add_paragraph("{{r b.text }}", style=base.STYLE_NAMES[style_id])
        base.tag(doc, "{%p endif %}")
    base.tag(doc, "{%p elif b.style == 'bang' %}")
    doc.add_paragraph("{{p b.xml }}")  # the whole table replaces this paragraph
    base.tag(doc, "{%p endif %}")
    base.tag(doc, "{%p endfor %}")
