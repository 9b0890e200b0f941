"""The body (ô 6) as a tree: sections I … N, khoản 1., 2., điểm a), b), paragraphs and dash items.

The clerk builds the tree from blocks; the seed plan's particular parts (the fields of nhiệm vụ
chung, the quarters, the anniversary items) are blocks of this tree, not a fixed shape. doctpl
numbers everything (NĐ 30 structure b) and flattens the tree into styled lines for the template.
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
from doctpl.parts import header
from doctpl.vn.dates import short_date
from doctpl.vn.numbering import letter, roman
from doctpl.vn.text import upper

COMPUTED = ("body",)
MAX_DEPTH = 4
BLOCK_TYPES = {
    "doan": "Đoạn văn",
    "gach": "Gạch đầu dòng (-)",
    "khoan": "Khoản (1., 2., …)",
    "diem": "Điểm (a), b), …)",
    "quy": "Nhiệm vụ quý (Quý I, II, …)",
}
TEXT_HELP = ("Mỗi dòng là một đoạn. **chữ đậm**, *chữ nghiêng*; mã [[ky_niem:thanh_lap_dang]], "
             "[[so_nam:…]], [[can_chi]], [[nam]] được thay bằng giá trị tính theo năm.")
# Line styles of the template (doctpl/build/base.py BODY_STYLES).
STYLES = {"doan": "VBNoiDung", "can_cu": "VBCanCu", "muc": "VBMuc", "khoan": "VBKhoan"}


def _check_block(block: dict[str, Any], path: str) -> list[FieldError]:
    kind = block["loai"]
    if kind in ("doan", "gach") and not block["van_ban"]:
        return [FieldError(join(path, "van_ban"), "Vui lòng nhập «Nội dung».")]
    if kind in ("khoan", "diem") and not (block["tieu_de"] or block["van_ban"]):
        return [FieldError(join(path, "tieu_de"), "Khoản, điểm cần có tiêu đề hoặc nội dung.")]
    return []


def block_group(depth: int = 1) -> Group:
    """Return the declaration of one block; blocks nest up to MAX_DEPTH levels."""
    fields: list[Field] = [
        Choice("loai", "Loại", choices=BLOCK_TYPES, default="doan"),
        Text("tieu_de", "Tiêu đề", required=False, max_len=300, when={"loai": ("khoan", "diem")},
             check=markup.check_tokens, help="In đậm sau số thứ tự, ví dụ «Mục đích»."),
        Text("mo_dau", "Lời dẫn trước chủ đề", max_len=300, when={"loai": ("quy",)},
             default="Tổ chức phong trào thi đua với chủ đề", check=markup.check_tokens),
        Text("chu_de", "Chủ đề thi đua của quý", max_len=500, when={"loai": ("quy",)},
             check=markup.check_tokens, help="In nghiêng trong ngoặc kép."),
        Text("ket", "Lời dẫn sau chủ đề", required=False, max_len=300, when={"loai": ("quy",)},
             default="hưởng ứng vào các nội dung sau:", check=markup.check_tokens),
        Text("van_ban", "Nội dung", required=False, max_len=10000, multiline=True,
             when={"loai": ("doan", "gach", "khoan", "diem")}, check=markup.check_tokens, help=TEXT_HELP),
    ]
    if depth < MAX_DEPTH:
        fields.append(Repeat("con", "Nội dung bên trong", item=block_group(depth + 1), item_label="thành phần"))
    return Group("thanh_phan", "Thành phần nội dung", fields=fields, checks=(_check_block,))


def sections_field(name: str = "noi_dung", label: str = "Nội dung văn bản") -> Repeat:
    """Return the sections I … N of the body."""
    return Repeat(name, label, min_items=1, max_items=30, item_label="mục", item=Group("muc", "Mục", fields=[
        Text("tieu_de", "Tên mục", max_len=300, check=markup.check_tokens,
             help="Được đánh số La Mã và in hoa tự động, ví dụ «Mục đích – Yêu cầu»."),
        Repeat("thanh_phan", "Các thành phần nội dung", item=block_group(), item_label="thành phần"),
    ]))


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


def texts(sections: list[dict[str, Any]], path: str) -> Iterator[tuple[str, str]]:
    """Yield (path, text) for every text of the tree, to check which tokens it uses."""
    for index, section in enumerate(sections):
        yield join(join(path, index), "tieu_de"), section["tieu_de"]
        yield from _block_texts(section["thanh_phan"], join(join(path, index), "thanh_phan"))


def _block_texts(blocks: list[dict[str, Any]], path: str) -> Iterator[tuple[str, str]]:
    for index, block in enumerate(blocks):
        here = join(path, index)
        for key in ("tieu_de", "mo_dau", "chu_de", "ket", "van_ban"):
            if block.get(key):
                yield join(here, key), block[key]
        yield from _block_texts(block.get("con", []), join(here, "con"))


class Lines:
    """Accumulates the body as styled lines of runs, expanding tokens with the document's values."""

    def __init__(self, values: Mapping[str, str], year: int):
        self.values, self.year = values, year
        self.items: list[tuple[str, list[Run]]] = []

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

    def sections(self, sections: list[dict[str, Any]], start: int = 1) -> None:
        """Add sections numbered from `start` (I by default) with their blocks."""
        for number, section in enumerate(sections, start):
            title = markup.expand(section["tieu_de"], self.values, self.year)
            self.add("muc", f"{roman(number)}. {upper(title)}")
            self.blocks(section["thanh_phan"])

    def blocks(self, blocks: list[dict[str, Any]]) -> None:
        """Add sibling blocks; khoản, điểm and quarters are numbered among their own siblings."""
        counters = {"khoan": 0, "diem": 0, "quy": 0}
        for block in blocks:
            kind = block["loai"]
            if kind in counters:
                counters[kind] += 1
            number = counters.get(kind, 0)
            if kind == "doan":
                self.paragraphs(block["van_ban"])
            elif kind == "gach":
                self.paragraphs(block["van_ban"], "- ")
            elif kind in ("khoan", "diem"):
                label = f"{number}." if kind == "khoan" else f"{letter(number)})"
                if block["tieu_de"]:
                    self.add("khoan" if kind == "khoan" else "doan", f"{label} {block['tieu_de']}")
                    self.paragraphs(block["van_ban"])
                else:
                    self.paragraphs(block["van_ban"], f"{label} ")
            elif kind == "quy":
                self.quarter(number, block)
            self.blocks(block.get("con", []))

    def quarter(self, number: int, block: dict[str, Any]) -> None:
        """Add "Quý I: <lời dẫn> “<chủ đề>” <lời dẫn sau>" with the theme in italics."""
        after = block["ket"]
        joiner = "" if not after or after[0] in ".,:;" else " "
        self.add("doan", [Run(f"Quý {roman(number)}: ", bold=True)], f"{block['mo_dau']} “",
                 self.runs(block["chu_de"], italic=True), f"”{joiner}{after}")

    def result(self, mark: str = "") -> list[dict[str, Any]]:
        """Return the lines for the template, the last one closed with the end `mark` ("./." or ".")."""
        items = [(style, list(runs)) for style, runs in self.items]
        if items and mark:
            runs = items[-1][1]
            last = runs[-1] if runs else Run("")
            runs[-1:] = [Run(closed(last.text, mark), last.bold, last.italic)]
        return [{"style": style, "text": markup.rich(runs), "plain": "".join(r.text for r in runs)}
                for style, runs in items]


# The mark that ends the content: NĐ 30 Phụ lục I, II.6 | HD 05 I.6.2.2 (a full stop, never "./.").
END_MARK = {the_thuc.NHA_NUOC: "./.", the_thuc.DANG: "."}
_END = re.compile(r"[\s.]*(?:\./\.|/\.)?\s*$")


def closed(text: str, mark: str) -> str:
    """Return `text` ending with `mark` once, whatever end mark or full stop the clerk typed already."""
    return _END.sub("", text) + mark


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
    base.tag(doc, "{%p endif %}")
    base.tag(doc, "{%p endfor %}")
