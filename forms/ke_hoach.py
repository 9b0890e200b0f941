"""Kế hoạch tổ chức phong trào thi đua năm: the khối's yearly emulation plan."""

from __future__ import annotations

from itertools import chain
from typing import Any

from doctpl import compose
from doctpl.errors import FieldError
from doctpl.fields import Date, Text
from doctpl.parts import body
from doctpl.vn.dates import short_date

LAYOUT = compose.Standard("Kế hoạch", trich_yeu="Tổ chức thực hiện phong trào thi đua năm {nam}")


def deadlines(data: dict[str, Any]) -> str:
    """Return the bold report-deadline sentence for [[han_bao_cao]], or "" when no deadline is set."""
    parts = []
    if data["han_bao_cao_6_thang"]:
        parts.append(f"Báo cáo 06 tháng gửi chậm nhất ngày {short_date(data['han_bao_cao_6_thang'], with_year=False)}")
    if data["han_bao_cao_nam"]:
        parts.append(f"báo cáo tổng kết năm gửi chậm nhất ngày {short_date(data['han_bao_cao_nam'], with_year=False)}")
    if not parts:
        return ""
    sentence = " và ".join(parts)
    return f"**{sentence[0].upper()}{sentence[1:]}.**"


def values(data: dict[str, Any]) -> dict[str, str]:
    """Return the token values of a plan."""
    return compose.token_values(data, han_bao_cao=deadlines(data))


def context(data: dict[str, Any]) -> dict[str, Any]:
    """Return the template context of a plan."""
    lines = body.Lines(values(data), data["nam"])
    lines.opening(data)
    lines.sections(data["noi_dung"], phan_style=data["kieu_phan"])
    return LAYOUT.context(data, lines)


def check(data: dict[str, Any]) -> list[FieldError]:
    """Check what one field cannot: tokens whose value is missing, deadlines outside the year."""
    texts = chain(body.texts(data["noi_dung"], "noi_dung"),
                  ((f"can_cu.{index}", text) for index, text in enumerate(data["can_cu"])))
    errors = compose.missing_tokens(texts, values(data))
    for name, label in (("han_bao_cao_6_thang", "Hạn gửi báo cáo 6 tháng"), ("han_bao_cao_nam", "Hạn gửi báo cáo năm")):
        if data[name] and data[name].year != data["nam"]:
            errors.append(FieldError(name, f"«{label}» phải thuộc năm {data['nam']} của kế hoạch."))
    return errors


KIND = LAYOUT.kind(
    id="ke_hoach",
    title="Kế hoạch tổ chức phong trào thi đua",
    description="Kế hoạch năm của khối thi đua: mục đích, yêu cầu, nội dung phát động, "
                "nhiệm vụ từng quý, tổ chức thực hiện.",
    fields=LAYOUT.fields(
        Text("chu_de_nam", "Chủ đề năm", required=False, max_len=1000, multiline=True, per_year=True,
             help="Chủ đề năm của cấp ủy/chính quyền; chèn vào nội dung bằng mã [[chu_de_nam]]."),
        Date("han_bao_cao_6_thang", "Hạn gửi báo cáo 6 tháng", required=False, per_year=True,
             help="Chèn vào nội dung bằng mã [[han_bao_cao]] (in đậm)."),
        Date("han_bao_cao_nam", "Hạn gửi báo cáo năm", required=False, per_year=True),
        *body.sections_fields(),
    ),
    context=context,
    checks=(check,),
    file_title=lambda data: f"Kế hoạch thi đua năm {data['nam']}",
    examples={
        "ke_hoach.json": "Khối thi đua số 1, Thành ủy Đà Lạt, năm 2021",
        "ke_hoach_cum_phuong.json": "Cụm thi đua các phường số 2, năm 2026",
        "ke_hoach_2026_khoi_dang.json": "Khối thi đua các cơ quan Đảng tỉnh Lâm Đồng, năm 2026",
    },
    order=1,
)
