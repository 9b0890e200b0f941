"""Bản đăng ký thi đua năm: one unit registers its collective and individual titles with the trưởng khối."""

from __future__ import annotations

import math
from typing import Any

from doctpl import compose, facts, layout, markup
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Choice, Group, Integer, Repeat, Text, join
from doctpl.parts import body, header, kinh_gui

NONE = {"": "— Không đăng ký —"}
# Every personal title above Lao động tiên tiến presupposes it.
LDTT_OR_ABOVE = ("ldtt", "cstd_co_so", "cstd_tinh", "cstd_toan_quoc")
CSTD_OR_ABOVE = ("cstd_co_so", "cstd_tinh", "cstd_toan_quoc")
HEADINGS = ("I. ĐĂNG KÝ DANH HIỆU THI ĐUA, HÌNH THỨC KHEN THƯỞNG CỦA TẬP THỂ",
            "II. ĐĂNG KÝ DANH HIỆU THI ĐUA, HÌNH THỨC KHEN THƯỞNG CỦA CÁ NHÂN", "Cam kết")
COL = layout.TEXT_WIDTH


def _check_row(row: dict[str, Any], path: str) -> list[FieldError]:
    if row["danh_hieu"] or row["hinh_thuc"]:
        return []
    message = "Cần đăng ký ít nhất một danh hiệu thi đua hoặc hình thức khen thưởng."
    return [FieldError(join(path, "danh_hieu"), message)]


def _row(name: str, label: str, who: str, fields: list[Any], item_label: str, min_items: int,
         per_issuer: bool = False) -> Repeat:
    group = Group(name, label, fields=[
        *fields,
        Choice("danh_hieu", "Danh hiệu thi đua", choices=NONE | facts.rewards("danh_hieu", who), default=""),
        Choice("hinh_thuc", "Hình thức khen thưởng", choices=NONE | facts.rewards("hinh_thuc", who), default=""),
    ], checks=(_check_row,))
    return Repeat(name, label, item=group, min_items=min_items, max_items=500, item_label=item_label,
                  per_issuer=per_issuer,
                  help="Danh hiệu thi đua và hình thức khen thưởng là hai danh mục khác nhau (Luật TĐKT 2022).")


def _names(rows: list[dict[str, Any]], who: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    titles, forms = facts.reward_names("danh_hieu", who), facts.reward_names("hinh_thuc", who)
    values = compose.token_values(data)
    return [row | {"stt": index, "danh_hieu_ten": titles.get(row["danh_hieu"], ""),
                   "hinh_thuc_ten": forms.get(row["hinh_thuc"], "")}
            | ({"ten": markup.expand(row["ten"], values, data["nam"])} if "ten" in row else {})
            for index, row in enumerate(rows, 1)]


def counts(data: dict[str, Any]) -> dict[str, int]:
    """Count the individuals registering LĐTT (or above) and CSTĐ cơ sở (or above)."""
    people = data["ca_nhan"]
    return {"ldtt": sum(p["danh_hieu"] in LDTT_OR_ABOVE for p in people),
            "cstd": sum(p["danh_hieu"] in CSTD_OR_ABOVE for p in people)}


def warnings(data: dict[str, Any]) -> list[FieldError]:
    """Warn, never refuse, when the registration breaks the usual ratios."""
    on = header.document_date(data)
    found = counts(data)
    out = []
    ceiling = facts.ratio("cstd_co_so_toi_da_tren_ldtt", on)
    if ceiling is not None and found["cstd"] and found["cstd"] > ceiling * found["ldtt"]:
        allowed = math.floor(ceiling * found["ldtt"])
        out.append(FieldError("ca_nhan", (
            f"Số đăng ký Chiến sĩ thi đua cơ sở ({found['cstd']}) vượt {ceiling:.0%} số Lao động tiên tiến "
            f"({found['ldtt']}); thông thường tối đa {allowed} người.")))
    floor = facts.ratio("ldtt_toi_thieu_cho_ttldxs", on)
    for index, row in enumerate(data["tap_the"]):
        if row["danh_hieu"] != "ttldxs" or floor is None:  # None: no such rule on the document's date
            continue
        if found["ldtt"] < floor * data["tong_so_nguoi"]:
            out.append(FieldError(f"tap_the.{index}.danh_hieu", (
                f"Tập thể lao động xuất sắc cần ít nhất {floor:.0%} cá nhân đạt Lao động tiên tiến; "
                f"mới đăng ký {found['ldtt']}/{data['tong_so_nguoi']} người.")))
        if not found["cstd"]:
            out.append(FieldError(f"tap_the.{index}.danh_hieu",
                                  "Tập thể lao động xuất sắc cần có ít nhất một Chiến sĩ thi đua cơ sở."))
    return out


def write_body(doc: Any) -> None:
    """Write the introduction, the two registration tables and the closing lines."""
    body.build(doc)
    for heading, rows, columns in (
        (HEADINGS[0], "tap_the", [("STT", 800, "{{ r.stt }}", "center"), ("Tên tập thể", 3300, "{{ r.ten }}", "left"),
                                  ("Danh hiệu thi đua", COL - 7100, "{{ r.danh_hieu_ten }}", "left"),
                                  ("Hình thức khen thưởng", 3000, "{{ r.hinh_thuc_ten }}", "left")]),
        (HEADINGS[1], "ca_nhan", [("STT", 800, "{{ r.stt }}", "center"), ("Họ và tên", 2200, "{{ r.ho_ten }}", "left"),
                                  ("Chức vụ", 2000, "{{ r.chuc_vu }}", "left"),
                                  ("Danh hiệu thi đua", COL - 7300, "{{ r.danh_hieu_ten }}", "left"),
                                  ("Hình thức khen thưởng", 2300, "{{ r.hinh_thuc_ten }}", "left")]),
    ):
        doc.add_paragraph(heading, style=base.STYLE_NAMES["VBMuc"])
        base.data_table(doc, rows, columns)
    body.build(doc, "body_cuoi")


def context(data: dict[str, Any]) -> dict[str, Any]:
    """Return the template context of a registration."""
    values = compose.token_values(data)
    intro = body.Lines(values, data["nam"])
    intro.opening(data)
    found = counts(data)
    closing = body.Lines(values, data["nam"])
    closing.add("doan", f"Tổng số cá nhân đăng ký: {len(data['ca_nhan'])}/{data['tong_so_nguoi']} người; "
                        f"Lao động tiên tiến trở lên: {found['ldtt']}; "
                        f"Chiến sĩ thi đua cơ sở trở lên: {found['cstd']}.")
    if data["cam_ket"]:
        pledges = [body.gach(text) for text in data["cam_ket"]]
        closing.sections([{"tieu_de": HEADINGS[2], "thanh_phan": pledges}], start=3)
    return LAYOUT.context(data, intro, end_mark=False, body_cuoi=closing.result(body.end_mark(header.rules_of(data))),
                          tap_the=_names(data["tap_the"], "tap_the", data),
                          ca_nhan=_names(data["ca_nhan"], "ca_nhan", data))


LAYOUT = compose.Standard("Bản đăng ký thi đua", trich_yeu="Năm {nam}", kinh_gui=True, body=write_body,
                          extra=("body_cuoi", "tap_the", "ca_nhan"))

KIND = LAYOUT.kind(
    id="dang_ky",
    title="Bản đăng ký thi đua",
    description="Đăng ký danh hiệu thi đua và hình thức khen thưởng năm của một đơn vị, gửi Trưởng khối.",
    fields=LAYOUT.fields(
        Integer("tong_so_nguoi", "Tổng số cán bộ, công chức, người lao động", minimum=1, maximum=100000,
                help="Dùng để kiểm tra tỷ lệ Lao động tiên tiến khi đăng ký Tập thể lao động xuất sắc."),
        _row("tap_the", "Tập thể đăng ký", "tap_the", [
            Text("ten", "Tên tập thể", max_len=200, check=markup.check_tokens,
                 help="[[co_quan]] in tên cơ quan ban hành; hoặc ghi tên một phòng, tổ trực thuộc.")],
             "tập thể", 1),
        _row("ca_nhan", "Cá nhân đăng ký", "ca_nhan", [
            Text("ho_ten", "Họ và tên", max_len=80), Text("chuc_vu", "Chức vụ", required=False, max_len=120)],
             "cá nhân", 0, per_issuer=True),
        body.text_list("cam_ket", "Cam kết", "Các cam kết của đơn vị (không bắt buộc).", item_label="cam kết"),
        kinh_gui_field=kinh_gui.field(required=True, help_text="Đơn vị trưởng khối thi đua, ví dụ: Ban Tuyên "
                                                               "giáo và Dân vận Tỉnh ủy (Trưởng khối)."),
    ),
    context=context,
        warnings=warnings,
    file_title=lambda data: f"Đăng ký thi đua năm {data['nam']} – {data['co_quan']['ten']}",
    examples={"dang_ky.json": "Ban Tuyên giáo Thành ủy Đà Lạt, năm 2021",
              "dang_ky_2026_khoi_dang.json": "Ban Tuyên giáo và Dân vận Tỉnh ủy Lâm Đồng, năm 2026",
              "dang_ky_cum_phuong.json": "UBND phường Lâm Viên - Đà Lạt, Cụm thi đua các phường số 2, năm 2026"},
    scope="don_vi",
    order=3,
)
