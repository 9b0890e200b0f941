"""Giao ước thi đua năm: the covenant every member unit of the khối signs."""

from __future__ import annotations

from typing import Any

from doctpl import compose, markup
from doctpl.fields import Text
from doctpl.parts import body, signature_grid
from doctpl.vn.text import without_breaks

LAYOUT = compose.Standard("Giao ước thi đua", trich_yeu="Năm {nam}", grid=True)
SECTIONS = ("Nội dung giao ước", "Chỉ tiêu", "Tổ chức thực hiện")


def context(data: dict[str, Any]) -> dict[str, Any]:
    """Return the template context of a covenant."""
    lines = body.Lines(compose.token_values(data), data["nam"])
    lines.opening(data)
    lines.add("doan", [markup.Run("Chủ đề thi đua: “")], lines.runs(data["chu_de"], italic=True),
              [markup.Run("”.")])
    lines.add("doan", f"Các đơn vị trong {without_breaks(data['co_quan']['ten'])} gồm:")
    units = signature_grid.ordered(data["don_vi_ky"])
    for number, unit in enumerate(units, 1):
        role = signature_grid.ROLES[unit["vai_tro"]] if unit["vai_tro"] else ""
        ending = "." if number == len(units) else ";"
        lines.add("doan", f"{number}. {without_breaks(unit['ten'])}{f' ({role.lower()})' if role else ''}{ending}")
    lines.sections([
        {"tieu_de": SECTIONS[0], "thanh_phan": [body.khoan(text) for text in data["noi_dung_giao_uoc"]]},
        {"tieu_de": SECTIONS[1], "thanh_phan": [body.gach(text) for text in data["chi_tieu"]]},
        {"tieu_de": SECTIONS[2], "thanh_phan": [body.khoan(text) for text in data["to_chuc_thuc_hien"]]},
    ])
    return LAYOUT.context(data, lines)


KIND = LAYOUT.kind(
    id="giao_uoc",
    title="Giao ước thi đua",
    description="Giao ước thi đua năm giữa các đơn vị thành viên của khối, có chữ ký và dấu của từng đơn vị.",
    fields=LAYOUT.fields(
        Text("chu_de", "Chủ đề thi đua", max_len=1000, multiline=True, check=markup.check_tokens, per_year=True,
             help="In nghiêng trong ngoặc kép."),
        body.text_list("noi_dung_giao_uoc", "I. Nội dung giao ước", "Mỗi mục một cam kết, đánh số tự động.",
                       min_items=1, item_label="cam kết"),
        body.text_list("chi_tieu", "II. Chỉ tiêu", "Mỗi dòng một chỉ tiêu đo đếm được.", min_items=1,
                       item_label="chỉ tiêu"),
        body.text_list("to_chuc_thuc_hien", "III. Tổ chức thực hiện", min_items=1, item_label="mục"),
    ),
    context=context,
    checks=(signature_grid.check,),
    file_title=lambda data: f"Giao ước thi đua năm {data['nam']}",
    examples={"giao_uoc.json": "Khối thi đua số 1, Thành ủy Đà Lạt, năm 2021",
              "giao_uoc_2026_khoi_dang.json": "Khối thi đua các cơ quan Đảng tỉnh Lâm Đồng, năm 2026",
              "giao_uoc_cum_phuong.json": "Cụm thi đua các phường số 2, năm 2026"},
    order=2,
)
