"""Nơi nhận: the label, one recipient a line, the archive line last.

NĐ 30 (Phụ lục I, II.9.b): «Nơi nhận:» 12 bold italic, entries 11 ending «;», «- Lưu: VT, …».
HD 05 (I.9 and Phụ lục 2 row 9): «Nơi nhận:» 14 upright underlined, entries 12 ending «;», «- Lưu <unit>.»
with no colon and no VT. HD 36 (and the 2021 seed) ends each entry with «,».
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from doctpl import layout, the_thuc
from doctpl.build import base
from doctpl.fields import Group, Repeat, Text
from doctpl.parts import signature

COMPUTED = ("noi_nhan",)
LABEL = "Nơi nhận:"
# The label's (size, bold, italic, underline) and the entries' size, side by side.
LABEL_STYLE = {the_thuc.NHA_NUOC: (12, True, True, False), the_thuc.DANG: (14, False, False, True)}
ENTRY_SIZE = {the_thuc.NHA_NUOC: 11, the_thuc.DANG: 12}
ENTRY_END = {"nd30": ";", "hd36": ",", "hd05": ";"}
VAN_THU = "VT"  # NĐ 30: the văn thư keeps the first copy; Party documents name the keeping unit only
_EDGES = re.compile(r"^[\s\-–—•+*]+|[\s,;.]+$")
_VAN_THU_FIRST = re.compile(r"^(?:Lưu\s*:?\s*)?VT\b\s*[,;]?\s*", re.IGNORECASE)
NHU_TREN = "Như trên"


def group(first_entry: str = "") -> Group:
    """Return the Nơi nhận fields; `first_entry` suggests "Như trên" for upward reports."""
    return Group("noi_nhan", "Nơi nhận", fields=[
        Repeat("cac_noi", "Các nơi nhận", item=Text("", "Nơi nhận", max_len=200), max_items=60,
               item_label="nơi nhận", required=True,
               help="Mỗi dòng một nơi nhận; dấu «-» đầu dòng và dấu cuối dòng được thêm tự động."
               + (f" Báo cáo gửi cấp trên bắt đầu bằng «{first_entry}»." if first_entry else "")),
        Text("luu", "Lưu", required=False, max_len=60, per_issuer=True,
             help="Văn bản nhà nước: phần sau «Lưu: VT,», ví dụ viết tắt đơn vị soạn thảo và số bản (TH, 02b). "
                  "Văn bản của Đảng: đơn vị lưu, ví dụ HSQT hoặc Văn phòng (in «- Lưu HSQT.»); để trống thì in tên "
                  "cơ quan ban hành."),
    ])


def archive(luu: str, rules: the_thuc.Rules, issuer: str = "") -> str:
    """Return the archive line: "- Lưu: VT, TH." (NĐ 30) or "- Lưu HSQT." (Party; the issuer when left blank)."""
    luu = _EDGES.sub("", luu)
    if rules.dang:
        return f"- Lưu {luu or _EDGES.sub('', issuer)}."
    luu = _VAN_THU_FIRST.sub("", luu)  # "VT, TH" typed in full would print "VT, VT, TH"
    return f"- Lưu: {VAN_THU}, {luu}." if luu else f"- Lưu: {VAN_THU}."


def context(data: Mapping[str, Any], rules: the_thuc.Rules, nhu_tren: bool = False, issuer: str = "") -> dict[str, Any]:
    """Return every printed line, "- Như trên" first for a document with Kính gửi, the archive line last."""
    names = [_EDGES.sub("", text) for text in data["cac_noi"]]
    if nhu_tren and NHU_TREN not in names:
        names.insert(0, NHU_TREN)
    end = ENTRY_END[rules.ma]
    return {"lines": [f"- {name}{end}" for name in names] + [archive(data["luu"], rules, issuer)]}


def build_list(container: Any, rules: the_thuc.Rules) -> None:
    """Write the label and the entries into a table cell or the document body, kept on one page."""
    size, bold, italic, underline = LABEL_STYLE[rules.the_thuc]
    label = base.paragraph(container, LABEL, size=size, bold=bold, italic=italic, underline=underline, align="left")
    base.tag(container, "{%p for line in noi_nhan.lines %}")
    entry_line = base.paragraph(container, "{{ line }}", size=ENTRY_SIZE[rules.the_thuc], align="left")
    base.tag(container, "{%p endfor %}")
    for par in (label, entry_line):
        par.paragraph_format.keep_with_next = True


def build_closing(doc: Any, rules: the_thuc.Rules) -> None:
    """Write the closing table: Nơi nhận on the left, level with the signature block on the right."""
    base.paragraph(doc).paragraph_format.keep_with_next = True
    tbl = base.table(doc, [layout.FOOTER_LEFT, signature.width()])
    left, right = tbl.rows[0].cells
    build_list(left, rules)
    signature.build(right)
