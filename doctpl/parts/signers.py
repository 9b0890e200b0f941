"""Signatures by role (a biên bản): two or three blocks side by side in one borderless row, the lead on the right.

NĐ 30 Phụ lục III Mẫu 1.9 signs «THƯ KÝ» on the left and «CHỦ TỌA» on the right; HD 05 I.7.1.4.e signs
«NGƯỜI GHI BIÊN BẢN» and «CHỦ TRÌ HỘI NGHỊ», and I.7.2.4 puts the one who presides on the right, the others to
its left (doctpl/data/de_ky_bien_ban.csv, by date). The role line is set as a quyền hạn line, capitals in
bold; a chức vụ printed under it («ghi chức vụ chính quyền (nếu cần)», Mẫu 1.9 note 5) takes the thể thức's
emphasis of doctpl.parts.signature (NĐ 30 bold, Party upright), whose block this reuses. Nơi nhận, when the
document has one, stands at the left under the signatures, as in Mẫu 1.9.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any

from doctpl import facts, layout, the_thuc
from doctpl.build import base
from doctpl.fields import Choice, Field, Group, Repeat, Text
from doctpl.metrics import break_lines
from doctpl.ooxml import cell_box
from doctpl.parts import noi_nhan, signature
from doctpl.vn.text import upper

COMPUTED = ("signers",)
DATA_FILE = facts.DATA_DIR / "de_ky_bien_ban.csv"
THU_KY, CHU_TRI = "thu_ky", "chu_tri"
MAX_EXTRA = 1  # thư ký, chủ trì and at most one more: two or three blocks on one row
PRINT_TITLE = {"": "Không", "co": "Có: in chức vụ dưới dòng đề ký"}


@cache
def _titles() -> tuple[dict[str, str], ...]:
    with open(DATA_FILE, encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def role_title(role: str, the_thuc_value: str, on: dt.date) -> str:
    """Return the printed role of a signer on a date: «THƯ KÝ», «CHỦ TRÌ HỘI NGHỊ» (the oldest row before any)."""
    rows = sorted((row for row in _titles() if row["ma"] == role and row["the_thuc"] == the_thuc_value),
                  key=lambda row: row["hieu_luc_tu"])
    in_force = [row for row in rows if dt.date.fromisoformat(row["hieu_luc_tu"]) <= on]
    return (in_force[-1] if in_force else rows[0])["de_ky"]


def _person_fields() -> list[Field]:
    """Return a signer's name, title, and whether the title is printed under the role."""
    return [
        Text("ho_ten", "Họ và tên", max_len=80,
             help="Không ghi học hàm, học vị trước họ tên (NĐ 30, Phụ lục I; Hướng dẫn 05-HD/VPTW, I.7.1.3)."),
        Text("chuc_vu", "Chức vụ", required=False, max_len=200,
             help="In trong phần thành phần, ví dụ Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy, Trưởng khối."),
        Choice("in_chuc_vu", "In chức vụ ở chữ ký", choices=PRINT_TITLE, default="", required=False,
               help="Dưới dòng đề ký, chỉ khi cần (NĐ 30, Phụ lục III, Mẫu 1.9, ghi chú 5)."),
    ]


def person(name: str, label: str, help_text: str) -> Group:
    """Return one signer who is also named in the text (chủ trì, thư ký)."""
    return Group(name, label, help=help_text, fields=_person_fields())


def extra_field() -> Repeat:
    """Return the optional third signer, who signs for a party («Đại diện Ban Thi đua – Khen thưởng tỉnh»)."""
    role = Text("de_ky", "Dòng đề ký", max_len=150,
                help="Ví dụ Đại diện Ban Thi đua – Khen thưởng tỉnh. Được in hoa tự động.")
    item = Group("nguoi_ky", "Người ký", fields=[role, *_person_fields()])
    return Repeat("ky_them", "Người ký thêm", item=item, max_items=MAX_EXTRA, item_label="người ký",
                  help="Đại diện một bên dự họp ký giữa thư ký (bên trái) và chủ trì (bên phải).")


def signer(title: str, who: Mapping[str, Any]) -> dict[str, Any]:
    """Return one signer for `context`: the role as printed and the person."""
    return {"de_ky": title, "chuc_vu": who["chuc_vu"] if who.get("in_chuc_vu") else "", "ho_ten": who["ho_ten"]}


def context(signers: list[dict[str, Any]], rules: the_thuc.Rules) -> dict[str, Any]:
    """Return the blocks left to right (the lead last), the shorter ones padded so the names stand level."""
    box = cell_box(layout.TEXT_WIDTH // len(signers))
    cells = []
    for one in signers:
        block = signature.context({"tham_quyen": "", "chuc_vu": one["chuc_vu"], "ho_ten": one["ho_ten"]}, rules, box)
        role = "\n".join(break_lines(upper(one["de_ky"]), layout.BODY_SIZE, box, bold=True))
        cells.append({"lines": [{"text": role, "bold": True}, *(line for line in block["lines"] if line["text"])],
                      "ho_ten": block["ho_ten"]})
    tallest = max(_height(cell) for cell in cells)
    for cell in cells:
        cell["lines"] += [{"text": "", "bold": False}] * (tallest - _height(cell))
    return {"cols": len(cells), "cells": cells}


def _height(cell: dict[str, Any]) -> int:
    """Return the printed lines above the room to sign."""
    return sum(line["text"].count("\n") + 1 for line in cell["lines"])


def build(doc: Any, rules: the_thuc.Rules) -> None:
    """Write the row of two or three blocks, then Nơi nhận on the left when the document prints one."""
    base.paragraph(doc).paragraph_format.keep_with_next = True
    for branch, columns in (("if", 2), ("elif", 3)):
        base.tag(doc, f"{{%p {branch} signers.cols == {columns} %}}")
        tbl = base.table(doc, [layout.TEXT_WIDTH // columns] * columns)
        for index, cell in enumerate(tbl.rows[0].cells):
            signature.build(cell, f"signers.cells[{index}]")
    base.tag(doc, "{%p endif %}")
    base.tag(doc, "{%p if noi_nhan.lines %}")
    base.paragraph(doc).paragraph_format.keep_with_next = True
    tbl = base.table(doc, [layout.FOOTER_LEFT, signature.width()])
    left, right = tbl.rows[0].cells
    noi_nhan.build_list(left, rules)
    base.paragraph(right)
    base.tag(doc, "{%p endif %}")
