"""Nơi nhận (ô 9b): the label, one recipient a line "- …;", the last line "- Lưu: VT, …."."""

from __future__ import annotations

import re
from typing import Any

from doctpl import layout
from doctpl.build import base
from doctpl.fields import Group, Repeat, Text
from doctpl.parts import signature

COMPUTED = ("noi_nhan",)
LABEL_SIZE, ENTRY_SIZE = 12, 11
_EDGES = re.compile(r"^[\s\-–—•+*]+|[\s,;.]+$")


def group(first_entry: str = "") -> Group:
    """Return the Nơi nhận fields; `first_entry` suggests "Như trên" for upward reports."""
    return Group("noi_nhan", "Nơi nhận", fields=[
        Repeat("cac_noi", "Các nơi nhận", item=Text("", "Nơi nhận", max_len=200), max_items=60,
               item_label="nơi nhận", required=True,
               help="Mỗi dòng một nơi nhận; dấu «-» đầu dòng và «;» cuối dòng được thêm tự động."
               + (f" Báo cáo gửi cấp trên bắt đầu bằng «{first_entry}»." if first_entry else "")),
        Text("luu", "Lưu", required=False, max_len=60, per_issuer=True,
             help="Phần sau «Lưu: VT,», ví dụ viết tắt đơn vị soạn thảo và số bản: HSQT hoặc TH, 02b."),
    ])


def entry(text: str) -> str:
    """Return one recipient as NĐ 30 writes it: "- Phòng Nội vụ Thành phố;"."""
    return f"- {_EDGES.sub('', text)};"


NHU_TREN = "Như trên"


def context(data: dict[str, Any], nhu_tren: bool = False) -> dict[str, Any]:
    """Return every printed line, "- Như trên;" first for a document with Kính gửi, "- Lưu: VT, …." last."""
    luu = _EDGES.sub("", data["luu"])
    names = [_EDGES.sub("", text) for text in data["cac_noi"]]
    if nhu_tren and NHU_TREN not in names:
        names.insert(0, NHU_TREN)
    lines = [entry(text) for text in names]
    lines.append(f"- Lưu: VT, {luu}." if luu else "- Lưu: VT.")
    return {"lines": lines}


def build_list(container: Any) -> None:
    """Write the label and the entries into a table cell or the document body, kept on one page."""
    label = base.paragraph(container, "Nơi nhận:", size=LABEL_SIZE, bold=True, italic=True, align="left")
    base.tag(container, "{%p for line in noi_nhan.lines %}")
    entry_line = base.paragraph(container, "{{ line }}", size=ENTRY_SIZE, align="left")
    base.tag(container, "{%p endfor %}")
    for par in (label, entry_line):
        par.paragraph_format.keep_with_next = True


def build_closing(doc: Any) -> None:
    """Write the closing table: Nơi nhận on the left, level with the signature block on the right."""
    base.paragraph(doc).paragraph_format.keep_with_next = True
    tbl = base.table(doc, [layout.FOOTER_LEFT, signature.width()])
    left, right = tbl.rows[0].cells
    build_list(left)
    signature.build(right)
