"""Header (ô 1–4): chủ quản and issuing body, Số and ký hiệu, the Quốc hiệu or the Party title, the date line.

The issuing body may have up to three levels, as agencies write them («UBND TỈNH ĐẮK LẮK / SỞ NỘI VỤ /
CÔNG ĐOÀN», «ĐẢNG BỘ TỈNH LÂM ĐỒNG / ĐẢNG ỦY PHƯỜNG … / CHI BỘ …»): the upper levels in regular capitals, only
the issuer in bold (NĐ 30 Phụ lục I II.2; HD 05 I.2.1, I.2.2 and Phụ lục 2 row 2). Each name is broken into
balanced lines between word units (doctpl.metrics), or where the clerk typed «|».
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from doctpl import facts, layout, the_thuc
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Choice, Date, Field, Group, Integer, Text, join
from doctpl.metrics import break_lines, text_width
from doctpl.ooxml import cell_box, rule, rule_xml
from doctpl.vn.dates import date_line
from doctpl.vn.numbering import so_thu_tu
from doctpl.vn.text import upper

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
HEADER_SIZE = 13  # ô 2, ô 3 and the Quốc hiệu; NĐ 30 pairs it with 14 for Tiêu ngữ and date
DANG_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
DANG_TITLE_SIZE = 15  # HD 05 Phụ lục 2, row 1
ASTERISK = "*"
# Size of the names and of the Số line: NĐ 30 Phụ lục I ô 2–3 | HD 05 Phụ lục 2 rows 2–3.
NAME_SIZE = {the_thuc.NHA_NUOC: HEADER_SIZE, the_thuc.DANG: 14}
_KY_HIEU = re.compile(r"^[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*$")
_BLANK_NUMBER = " " * 5  # with the space after "Số:", room for the văn thư to write the number
BREAK_HELP = (" Gõ «|» tại chỗ muốn xuống dòng, ví dụ ỦY BAN NHÂN DÂN|PHƯỜNG LÂM VIÊN - ĐÀ LẠT; "
              "dấu «|» không được in.")
# The levels of the issuing body's name, top down: (field, bold).
LEVELS = (("cap_tren", False), ("chu_quan", False), ("ten", True))


def check_ky_hieu(value: str) -> list[str]:
    """Return why `value` cannot be a ký hiệu of an issuing body (empty when it can)."""
    if _KY_HIEU.match(upper(value)):
        return []
    return ["chỉ gồm chữ cái, chữ số và dấu gạch nối, không có khoảng trắng hay dấu «/» (ví dụ KTĐ1)."]


def _check_levels(co_quan: dict[str, Any], path: str) -> list[FieldError]:
    """Refuse a level above the chủ quản when there is no chủ quản."""
    if co_quan.get("cap_tren") and not co_quan.get("chu_quan"):
        return [FieldError(join(path, "cap_tren"), "«Cơ quan cấp trên của cơ quan chủ quản» chỉ dùng khi có "
                                                   "«Cơ quan, tổ chức chủ quản»; hãy nhập cơ quan chủ quản, "
                                                   "hoặc chuyển tên này vào ô chủ quản.")]
    return []


def fields(nam_help: str = "Năm của văn bản, dùng cho ngày kỷ niệm, Can Chi và ngày tháng.") -> list[Field]:
    """Return the header fields every kind asks for: the thể thức first, then the issuing body."""
    return [
        Choice("the_thuc", "Thể thức văn bản", choices=the_thuc.CHOICES, default=the_thuc.NHA_NUOC, required=False,
               help="Cơ quan nhà nước trình bày theo Nghị định 30/2020/NĐ-CP; cơ quan, tổ chức đảng theo hướng dẫn "
                    "của Văn phòng Trung ương Đảng (ngày văn bản chọn Hướng dẫn 36 hay Hướng dẫn 05)."),
        Group("co_quan", "Cơ quan ban hành", fields=[
            Text("cap_tren", "Cơ quan cấp trên của cơ quan chủ quản", required=False, max_len=120,
                 help="Chỉ khi tên cơ quan ban hành có ba cấp: in trên dòng chủ quản, ví dụ UBND TỈNH ĐẮK LẮK "
                      "(chủ quản SỞ NỘI VỤ, cơ quan ban hành CÔNG ĐOÀN) hoặc ĐẢNG BỘ TỈNH LÂM ĐỒNG; "
                      "để trống nếu không có." + BREAK_HELP),
            Text("chu_quan", "Cơ quan, tổ chức chủ quản", required=False, max_len=120,
                 help="Tên cơ quan cấp trên trực tiếp, ví dụ TỈNH ỦY LÂM ĐỒNG; để trống nếu không có." + BREAK_HELP),
            Text("ten", "Tên cơ quan, tổ chức ban hành", max_len=120,
                 help="Ví dụ KHỐI THI ĐUA SỐ 1. Được in hoa tự động." + BREAK_HELP),
            Text("ky_hieu", "Ký hiệu cơ quan ban hành", max_len=30, check=check_ky_hieu,
                 help="Chữ viết tắt tên cơ quan trong số, ký hiệu văn bản, ví dụ KTĐ1."),
        ], checks=(_check_levels,)),
        Integer("so", "Số văn bản", required=False, minimum=1, maximum=99999, per_issuer=True, pad_width=2,
                help="Để trống để văn thư điền tay khi đăng ký văn bản đi. Số dưới 10 được in với số 0 ở đầu (01)."),
        Text("dia_danh", "Địa danh", max_len=60, help="Tên tỉnh, thành phố nơi cơ quan đóng trụ sở, ví dụ Lâm Đồng."),
        Date("ngay", "Ngày ban hành", required=False, per_issuer=True,
             help="Để trống để điền tay ngày, tháng khi ký."),
        Integer("nam", "Năm", minimum=1945, maximum=2200, help=nam_help),
    ]


def number_symbol(so: int | None, ten_loai: str, ky_hieu: str, rules: the_thuc.Rules, on: dt.date) -> str:
    """Return the số and ký hiệu without "Số": "01/KH-KTĐ1" (NĐ 30), "01-KH/KTĐ1" (Party); blanks for none."""
    number = so_thu_tu(so) if so else _BLANK_NUMBER
    abbreviation = facts.abbreviation(ten_loai, on, rules.the_thuc)
    if rules.dang:  # HD 05 I.3.2: a hyphen before the type, a slash before the issuer
        return f"{number}-{abbreviation}/{upper(ky_hieu)}"
    return f"{number}/{abbreviation}-{upper(ky_hieu)}"


def so_ky_hieu(so: int | None, ten_loai: str, ky_hieu: str, rules: the_thuc.Rules, on: dt.date) -> str:
    """Return the Số line: "Số: 01/KH-KTĐ1" (NĐ 30) or "Số 01-KH/KTĐ1" (Party, no colon)."""
    symbol = number_symbol(so, ten_loai, ky_hieu, rules, on)
    return f"Số {symbol}" if rules.dang else f"Số: {symbol}"


def rules_of(data: Mapping[str, Any]) -> the_thuc.Rules:
    """Return the version of the rules the document follows: its thể thức on its date."""
    return the_thuc.rules_on(data.get("the_thuc") or the_thuc.NHA_NUOC, document_date(data))


def document_date(data: Mapping[str, Any]) -> dt.date:
    """Return the date the document speaks for: its date, or 1 January of its year while the date is blank."""
    return data["ngay"] or dt.date(data["nam"], 1, 1)


def context(data: dict[str, Any], ten_loai: str, rules: the_thuc.Rules) -> dict[str, Any]:
    """Return the header values: names in capitals broken into lines, the Số line, the date line, the rule."""
    co_quan = data["co_quan"]
    size = NAME_SIZE[rules.the_thuc]
    box = cell_box(layout.HEADER_LEFT)
    names = {name: break_lines(upper(co_quan.get(name) or ""), size, box, bold=bold) for name, bold in LEVELS}
    lines = names["ten"]
    on = document_date(data)
    name_width = min(max(text_width(line, size, bold=True) for line in lines), box)
    return {
        "cap_tren": "\n".join(names["cap_tren"]),
        "chu_quan": "\n".join(names["chu_quan"]),
        "co_quan": "\n".join(lines),
        # NĐ 30: a rule 1/3–1/2 of the name's length under the issuing body (Party documents: "*").
        "rule_co_quan": rule(round(name_width * 0.4), box),
        "so_ky_hieu": so_ky_hieu(data["so"], ten_loai, co_quan["ky_hieu"], rules, on),
        "dia_danh_ngay": date_line(data["dia_danh"], data["ngay"], data["nam"]),
    }


COMPUTED = ("hdr",)


def build(doc: Any, rules: the_thuc.Rules) -> None:
    """Write the two-column header table: names and Số on the left, the national or Party title and the date right."""
    size = NAME_SIZE[rules.the_thuc]
    tbl = base.table(doc, [layout.HEADER_LEFT, layout.HEADER_RIGHT], rows=2)
    left, right = tbl.rows[0].cells
    for name in ("cap_tren", "chu_quan"):  # regular; only the issuer is bold
        base.tag(left, f"{{%p if hdr.{name} %}}")
        base.paragraph(left, f"{{{{ hdr.{name} }}}}", size=size)
        base.tag(left, "{%p endif %}")
    base.paragraph(left, "{{ hdr.co_quan }}", size=size, bold=True)
    if rules.dang:
        base.paragraph(left, ASTERISK, size=size)  # HD 05 I.2.2.1: "*" between the name and the number
        # HD 05 I.1.2: the Party title, caps 15 bold, over a solid rule of its own length; no Quốc hiệu.
        base.paragraph(right, DANG_TITLE, size=DANG_TITLE_SIZE, bold=True)
        title_width = text_width(DANG_TITLE, DANG_TITLE_SIZE, bold=True)
        base.raw(right, rule_xml(title_width, cell_box(layout.HEADER_RIGHT)))
    else:
        base.paragraph(left, "{{p hdr.rule_co_quan }}")
        base.paragraph(right, QUOC_HIEU, size=HEADER_SIZE, bold=True)
        base.paragraph(right, TIEU_NGU, size=layout.BODY_SIZE, bold=True)
        # NĐ 30: under the Tiêu ngữ a solid rule exactly as long as the Tiêu ngữ.
        base.raw(right, rule_xml(text_width(TIEU_NGU, layout.BODY_SIZE, bold=True), cell_box(layout.HEADER_RIGHT)))
    left, right = tbl.rows[1].cells
    base.paragraph(left, "{{ hdr.so_ky_hieu }}", size=size, before=120)
    base.paragraph(right, "{{ hdr.dia_danh_ngay }}", size=layout.BODY_SIZE, italic=True, before=120)
