"""Biên bản: the record of one meeting of the khối, laid out as NĐ 30 Phụ lục III Mẫu 1.9 (HD 05 in Party form).

Thời gian bắt đầu, địa điểm, thành phần (each party's members with their titles), chủ trì, thư ký, the
content (the shared body tree), the results (agreed scores, votes in phiếu and per cent, computed), the
closing formula «Biên bản được lập thành … bản …» and the time the meeting ended, which takes the end mark.
Thư ký signs on the left, chủ trì on the right (doctpl.parts.signers); Số is optional; Nơi nhận only when
asked. A suy tôn's results are rows {đơn vị, điểm, số phiếu đồng ý, tổng số phiếu} (doctpl.parts.results).
"""

from __future__ import annotations

from typing import Any

from doctpl import compose, markup
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Choice, Group, Integer, Repeat, Text
from doctpl.markup import Run
from doctpl.parts import body, header, meeting, results, signers, title
from doctpl.vn.dates import short_date
from doctpl.vn.numbering import roman, so_thu_tu
from doctpl.vn.text import upper, without_breaks
from doctpl.year import YearFacts

# Loại cuộc họp: (label, the noun of the closing line, the heading of the results).
LOAI = {
    "ky_ket": ("Ký kết giao ước thi đua", "Hội nghị", "Kết quả biểu quyết"),
    "kiem_tra": ("Kiểm tra, thẩm định kết quả chấm điểm", "Cuộc họp", "Kết quả thẩm định điểm"),
    "suy_ton": ("Bình xét, suy tôn thi đua", "Cuộc họp", "Kết quả bỏ phiếu suy tôn"),
    "bau": ("Bầu Trưởng khối, Phó khối", "Cuộc họp", "Kết quả bầu"),
    "khac": ("Cuộc họp khác", "Cuộc họp", "Kết quả"),
}
THONG_QUA = "Biên bản đã được đọc lại cho các thành viên dự họp cùng nghe và nhất trí thông qua."
_EDGE = " .,;:"


def _end(text: str, mark: str) -> str:
    """Return `text` ending with `mark` once («…;», «…:», «….»), whatever punctuation the clerk typed."""
    return text.rstrip(_EDGE) + mark


def _person(who: dict[str, Any]) -> str:
    """Return «Nguyễn Quang Hải, Trưởng Ban …», the title when there is one."""
    return ", ".join(part for part in (who["ho_ten"], who["chuc_vu"]) if part)


def signer_list(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the signers left to right: thư ký, the extra party's representative, chủ trì (the lead) last."""
    the_thuc, on = header.rules_of(data).the_thuc, header.document_date(data)
    return [signers.signer(signers.role_title(signers.THU_KY, the_thuc, on), data["thu_ky"]),
            *(signers.signer(extra["de_ky"], extra) for extra in data["ky_them"]),
            signers.signer(signers.role_title(signers.CHU_TRI, the_thuc, on), data["chu_tri"])]


def _attendance(lines: body.Lines, data: dict[str, Any]) -> None:
    """Add «Thành phần tham dự:», each party («- Đại diện …:») and its members («+ …;»), the last with «.»."""
    lines.add("doan", [Run("Thành phần tham dự:")])
    parties = data["tham_du"]
    for number, party in enumerate(parties, 1):
        if party["ten"]:
            lines.add("doan", [Run(f"- {_end(party['ten'], ':')}")])
        dash = "+ " if party["ten"] else "- "
        for index, member in enumerate(party["thanh_vien"], 1):
            last = number == len(parties) and index == len(party["thanh_vien"])
            lines.add("doan", [Run(dash + _end(_person(member), "." if last else ";"))])
    if data["vang"]:
        lines.add("doan", [Run(f"Vắng mặt: {_end(data['vang'], '.')}")])


def results_heading(data: dict[str, Any]) -> str:
    """Return the results' heading, numbered after the content's numbered sections («III. KẾT QUẢ BỎ PHIẾU …»)."""
    number = 0
    for section in data["noi_dung"]:  # as body.Lines.sections numbers them: again from I in each Phần
        if section.get("phan"):
            number = 0
        if section["tieu_de"] and (section["thanh_phan"] or section.get("phan")):
            number += 1
    heading = upper(data["ket_qua_tieu_de"] or LOAI[data["loai_cuoc_hop"]][2])
    return f"{roman(number + 1)}. {heading}" if number else heading


def context(data: dict[str, Any]) -> dict[str, Any]:
    """Return the template context of a biên bản."""
    values = compose.token_values(data)
    lines = body.Lines(values, data["nam"])  # to the results; the closing lines after them
    lines.opening(data)
    lines.add("doan", [Run(f"Thời gian bắt đầu: {meeting.when(data['bat_dau'], data['ngay_hop'])}.")])
    lines.add("doan", [Run(f"Địa điểm: {_end(data['dia_diem'], '.')}")])
    _attendance(lines, data)
    lines.add("doan", [Run(f"Chủ trì: {_end(_person(data['chu_tri']), '.')}")])
    lines.add("doan", [Run(f"Thư ký: {_end(_person(data['thu_ky']), '.')}")])
    lines.add("doan", [Run("Nội dung:")])
    lines.sections(data["noi_dung"], phan_style=data["kieu_phan"])
    closing = body.Lines(values, data["nam"])
    if data["thong_qua"] == "co":
        closing.add("doan", [Run(THONG_QUA)])
    formula = f"Biên bản được lập thành {so_thu_tu(data['so_ban'])} bản có giá trị như nhau"
    closing.add("doan", *([formula + ", ", _end(data["phan_bo"], ".")] if data["phan_bo"] else [formula + "."]))
    noun = LOAI[data["loai_cuoc_hop"]][1]
    closing.add("doan", [Run(f"{noun} kết thúc vào {meeting.when(data['ket_thuc'], data['ngay_hop'])}.")])
    return LAYOUT.context(data, lines, end_mark=False, bb={
        "tieu_de_ket_qua": results_heading(data) if data["ket_qua"] else "",
        "ket_qua": results.context(data["ket_qua"]), "cuoi": closing.result(body.end_mark(header.rules_of(data)))})


def check(data: dict[str, Any]) -> list[FieldError]:
    """Refuse a meeting that ends before it starts."""
    if meeting.minutes(data["ket_thuc"]) <= meeting.minutes(data["bat_dau"]):
        return [FieldError("ket_thuc.gio", f"«Giờ kết thúc» phải sau «Giờ bắt đầu» "
                                           f"({meeting.clock_text(data['bat_dau'])}).")]
    return []


def warnings(data: dict[str, Any]) -> list[FieldError]:
    """Warn, never refuse: a date other than the meeting's, a suy tôn without a vote."""
    out = []
    if data["ngay"] and data["ngay"] != data["ngay_hop"]:
        out.append(FieldError("ngay", f"«Ngày ban hành» {short_date(data['ngay'])} khác «Ngày họp» "
                                      f"{short_date(data['ngay_hop'])}; biên bản thường ghi ngày họp."))
    if data["loai_cuoc_hop"] == "suy_ton" and not any(row["tong_phieu"] for row in data["ket_qua"]):
        out.append(FieldError("ket_qua", "Biên bản bình xét, suy tôn chưa có «Kết quả» bỏ phiếu: nhập số phiếu đồng "
                                         "ý và tổng số phiếu của từng đơn vị được đề nghị."))
    return out


def write_body(doc: Any) -> None:
    """Write the opening and the content, the results under their heading, then the closing lines."""
    body.build(doc)
    base.tag(doc, "{%p if bb.tieu_de_ket_qua %}")
    doc.add_paragraph("{{ bb.tieu_de_ket_qua }}", style=base.STYLE_NAMES["VBMuc"])
    base.tag(doc, "{%p endif %}")
    results.build(doc, "bb.ket_qua", "Đơn vị, tiêu chí")
    body.build(doc, "bb.cuoi")


def file_title(data: dict[str, Any]) -> str:
    """Return «Biên bản họp bình xét, suy tôn … – <cơ quan>»."""
    return f"Biên bản {title.lower_initial(without_breaks(data['trich_yeu']))} – {data['co_quan']['ten']}"


LAYOUT = compose.Standard("Biên bản", body=write_body, extra=("bb",), signers_of=signer_list, noi_nhan_optional=True)

_MEMBER = Group("nguoi", "Người dự", fields=[Text("ho_ten", "Họ và tên", max_len=80),
                                               Text("chuc_vu", "Chức vụ", required=False, max_len=200)])

def from_year(year: YearFacts, data: dict[str, Any]) -> dict[str, Any]:
    """Start the khối's biên bản with the scores the khối agreed, a row per unit, the votes to fill."""
    scores = year.scores() if year.unit is None else []
    rows = [{"don_vi": row["don_vi"], "khen": "", "diem": row["khoi_cham"], "dong_y": None, "tong_phieu": None}
            for row in scores]
    return data | {"ket_qua": rows} if rows else data


KIND = LAYOUT.kind(
    id="bien_ban",
    title="Biên bản",
    description="Biên bản cuộc họp của khối, cụm (ký kết giao ước, kiểm tra, thẩm định điểm, bình xét, suy tôn, bầu "
                "Trưởng khối, Phó khối): thành phần, nội dung, kết quả chấm điểm và bỏ phiếu (tỷ lệ tính tự động); "
                "thư ký ký bên trái, chủ trì bên phải.",
    fields=LAYOUT.fields(
        Choice("loai_cuoc_hop", "Loại cuộc họp", choices={code: label for code, (label, *_) in LOAI.items()},
               default="khac"),
        meeting.day_field(), meeting.clock_field("bat_dau", "Giờ bắt đầu"), meeting.place_field(),
        Repeat("tham_du", "Thành phần tham dự", min_items=1, max_items=10, item_label="thành phần",
               help="Mỗi bên dự họp một thành phần, ví dụ «Đại diện Khối thi đua», «Đại diện Ban Thi đua – Khen "
                    "thưởng tỉnh», với những người dự và chức vụ.",
               item=Group("ben", "Thành phần", fields=[
                   Text("ten", "Tên thành phần", required=False, max_len=200,
                        help="Ví dụ Đại diện Khối thi đua; để trống khi chỉ có một thành phần."),
                   Repeat("thanh_vien", "Người dự", item=_MEMBER, min_items=1, max_items=100, item_label="người dự"),
               ])),
        Text("vang", "Vắng mặt", required=False, max_len=1000, help="Người vắng mặt và lý do (không bắt buộc)."),
        signers.person("chu_tri", "Chủ trì", "Người chủ trì ký bên phải (NĐ 30, Phụ lục III, Mẫu 1.9; Hướng dẫn "
                                             "05-HD/VPTW, I.7.2.4)."),
        signers.person("thu_ky", "Thư ký", "Người ghi biên bản, ký bên trái."),
        signers.extra_field(),
        *body.sections_fields(label="Nội dung cuộc họp", of_year=True),
        results.rows_field("ket_qua", "Kết quả", unit_label="Đơn vị, tiêu chí",
                           unit_help="Đơn vị được chấm điểm, bỏ phiếu, hoặc tiêu chí, nội dung được biểu quyết.",
                           award_required=False),
        Text("ket_qua_tieu_de", "Tên mục kết quả", required=False, max_len=200,
             help="Để trống để dùng tên theo loại cuộc họp, ví dụ «Kết quả bỏ phiếu suy tôn»."),
        Choice("thong_qua", "Thông qua biên bản", choices={"co": f"Có: in «{THONG_QUA}»", "khong": "Không in"},
               default="co", required=False),
        Integer("so_ban", "Số bản", required=False, minimum=1, maximum=99, default=2,
                help="In «Biên bản được lập thành 02 bản có giá trị như nhau»."),
        Text("phan_bo", "Nơi giữ các bản", required=False, max_len=500, check=markup.check_tokens,
             help="Ví dụ «01 bản lưu tại đơn vị Trưởng khối, 01 bản gửi Hội đồng Thi đua – Khen thưởng tỉnh»."),
        meeting.clock_field("ket_thuc", "Giờ kết thúc"),
    ),
    context=context,
    checks=(check,),
    warnings=warnings,
    file_title=file_title,
    examples={"bien_ban_2021_khoi_1.json": "Khối thi đua số 1, Thành ủy Đà Lạt, bình xét, suy tôn năm 2021",
              "bien_ban_2026_khoi_dang.json": "Khối thi đua các cơ quan Đảng tỉnh Lâm Đồng, bình xét, suy tôn năm 2026",
              "bien_ban_cum_phuong.json": "Cụm thi đua các phường số 2, hội nghị ký kết giao ước năm 2026"},
    order=7,
    from_year=from_year,
)
