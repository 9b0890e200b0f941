"""Giấy mời: the invitation to one meeting of the khối, laid out as NĐ 30 Phụ lục III Mẫu 1.7.

«<Cơ quan> trân trọng kính mời: <người, đơn vị được mời>», «Tới dự …», then chủ trì, thời gian (the weekday
computed), địa điểm and the notes (what to prepare, whom to contact); the last line takes the end mark of the
thể thức («./.» or «.», so «Trân trọng./.» or «Trân trọng kính mời.»). A Party khối's giấy mời is a Party
administrative paper (QĐ 399-QĐ/TW; type GM in doctpl/data/viet_tat_dang.csv, marked [U]) in the Party layout.
"""

from __future__ import annotations

from typing import Any

from doctpl import compose, markup
from doctpl.errors import FieldError
from doctpl.fields import Repeat, Text
from doctpl.markup import Run
from doctpl.parts import body, header, kinh_gui, meeting, title
from doctpl.vn.dates import short_date
from doctpl.vn.text import without_breaks

LAYOUT = compose.Standard("Giấy mời")


def _text(name: str, label: str, help_text: str, *, multiline: bool = False) -> Text:
    return Text(name, label, required=False, max_len=2000, multiline=multiline, check=markup.check_tokens,
                help=help_text)


def _labelled(lines: body.Lines, label: str, value: str) -> None:
    """Add «<label>: <value>.», the value as typed (tokens and emphasis allowed)."""
    lines.add("doan", [Run(f"{label}: ")], body.closed(value, "."))


def context(data: dict[str, Any]) -> dict[str, Any]:
    """Return the template context of an invitation."""
    rules = header.rules_of(data)
    lines = body.Lines(compose.token_values(data), data["nam"])
    lines.opening(data)
    invited = kinh_gui.context(data["kinh_moi"], rules)
    issuer = [Run(f"{without_breaks(data['co_quan']['ten'])} trân trọng kính mời:")]
    if invited["single"]:
        lines.add("doan", issuer, [Run(" " + invited["single"])])
    else:
        lines.add("doan", issuer)
        for item in [invited["first"], *invited["rest"]]:
            lines.add("doan", [Run(item)])
    lines.add("doan", [Run("Tới dự ")], body.closed(data["ten_cuoc_hop"], "."))
    if data["noi_dung"]:
        lines.add("doan", [Run("Nội dung:")])
        for index, item in enumerate(data["noi_dung"]):
            lines.add("doan", "- " + body.closed(item, "." if index == len(data["noi_dung"]) - 1 else ";"))
    for name, label in (("chu_tri", "Chủ trì"), ("thanh_phan", "Thành phần")):
        if data[name]:
            _labelled(lines, label, data[name])
    lines.add("doan", [Run(f"Thời gian: {meeting.when(data['gio'], data['ngay_hop'], with_weekday=True)}.")])
    lines.add("doan", [Run(f"Địa điểm: {body.closed(data['dia_diem'], '.')}")])
    lines.paragraphs(data["chuan_bi"])
    if data["lien_he"]:
        _labelled(lines, "Thông tin liên hệ", data["lien_he"])
    lines.paragraphs(data["loi_ket"])
    return LAYOUT.context(data, lines)


def warnings(data: dict[str, Any]) -> list[FieldError]:
    """Warn, never refuse, when the invitation is dated after the meeting."""
    if data["ngay"] and data["ngay"] > data["ngay_hop"]:
        return [FieldError("ngay_hop", f"«Ngày họp» {short_date(data['ngay_hop'])} trước «Ngày ban hành» "
                                       f"{short_date(data['ngay'])} của giấy mời; kiểm tra lại ngày.")]
    return []


def file_title(data: dict[str, Any]) -> str:
    """Return «Giấy mời dự Hội nghị … – <cơ quan>»."""
    return f"Giấy mời {title.lower_initial(without_breaks(data['trich_yeu']))} – {data['co_quan']['ten']}"


KIND = LAYOUT.kind(
    id="giay_moi",
    title="Giấy mời",
    description="Giấy mời dự cuộc họp, hội nghị của khối, cụm (ký kết giao ước, sơ kết, tổng kết, bình xét, suy tôn): "
                "thời gian (thứ trong tuần tính tự động), địa điểm, nội dung, thành phần, những điều cần chuẩn bị.",
    fields=LAYOUT.fields(
        Repeat("kinh_moi", "Trân trọng kính mời", item=Text("", "Người, đơn vị được mời", max_len=300), min_items=1,
               max_items=30, item_label="người, đơn vị được mời",
               help="Tên cơ quan, đơn vị hoặc họ tên, chức vụ của người được mời (NĐ 30, Phụ lục III, Mẫu 1.7), "
                    "ví dụ Lãnh đạo Ban Tổ chức Tỉnh ủy; mỗi dòng một nơi."),
        Text("ten_cuoc_hop", "Tới dự", max_len=500, check=markup.check_tokens,
             help="Tên, nội dung cuộc họp, ví dụ Hội nghị ký kết giao ước thi đua năm [[nam]] của Cụm."),
        body.text_list("noi_dung", "Nội dung", "Các nội dung, chương trình cuộc họp (không bắt buộc), mỗi dòng một "
                                               "nội dung.", item_label="nội dung"),
        _text("chu_tri", "Chủ trì", "Ví dụ đồng chí Nguyễn Quang Hải, Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy, "
                                    "Trưởng khối."),
        _text("thanh_phan", "Thành phần", "Thành phần dự họp nói chung (không bắt buộc), ví dụ Lãnh đạo các đơn vị "
                                          "trong Khối."),
        meeting.day_field(), meeting.clock_field("gio", "Giờ họp"), meeting.place_field(),
        _text("chuan_bi", "Đề nghị chuẩn bị", "Tài liệu, nội dung cần chuẩn bị, mang theo, ví dụ «Đề nghị các đơn vị "
                                              "mang theo báo cáo tổng kết năm [[nam]].»", multiline=True),
        _text("lien_he", "Thông tin liên hệ", "Người, số điện thoại liên hệ khi cần."),
        _text("loi_ket", "Lời kết", "Không bắt buộc, ví dụ «Trân trọng» hoặc «Trân trọng kính mời»; dấu kết thúc "
                                    "(./. hoặc .) được thêm tự động.", multiline=True),
    ),
    context=context,
        warnings=warnings,
    file_title=file_title,
    examples={"giay_moi_2021_khoi_1.json": "Khối thi đua số 1, Thành ủy Đà Lạt, hội nghị tổng kết năm 2021",
              "giay_moi_2026_khoi_dang.json": "Khối thi đua các cơ quan Đảng tỉnh Lâm Đồng, hội nghị tổng kết năm 2026",
              "giay_moi_cum_phuong.json": "Cụm thi đua các phường số 2, hội nghị ký kết giao ước năm 2026"},
    order=9,
    addressee="kinh_moi",  # a batch sends the khối's one giấy mời to every member unit
)
