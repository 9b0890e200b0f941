"""Báo cáo sơ kết công tác thi đua 6 tháng đầu năm, phương hướng 6 tháng cuối năm."""

from __future__ import annotations

from typing import Any

from doctpl import compose, facts, markup
from doctpl.fields import Choice, Repeat, Text
from doctpl.parts import body

LAYOUT = compose.Standard(
    "Báo cáo", trich_yeu="Sơ kết công tác thi đua 6 tháng đầu năm {nam}, phương hướng 6 tháng cuối năm",
    kinh_gui=True)
SECTIONS = ("Kết quả thực hiện công tác thi đua, khen thưởng 6 tháng đầu năm [[nam]]", "Đánh giá chung",
            "Phương hướng, nhiệm vụ 6 tháng cuối năm [[nam]]", "Kiến nghị")
ASSESSMENT = (("uu_diem", "Ưu điểm"), ("han_che", "Hạn chế"), ("nguyen_nhan", "Nguyên nhân"))
FIRST_HALF = "Tổ chức các hoạt động kỷ niệm các ngày lễ lớn trong 6 tháng đầu năm:"
SECOND_HALF = "Tổ chức các hoạt động kỷ niệm các ngày lễ lớn trong 6 tháng cuối năm:"


def anniversary_blocks(lead: str, event_ids: list[str], year: int, months: range) -> list[dict[str, Any]]:
    """Return the lead line and one dash item per selected event in `months`, in calendar order."""
    events = sorted((facts.anniversaries()[e] for e in dict.fromkeys(event_ids)),
                    key=lambda e: (e.ngay.month, e.ngay.day))
    items = [f"Kỷ niệm {e.phrase(year)}" for e in events if e.ngay.month in months]
    if not items:
        return []
    return [body.doan(lead)] + [body.gach(text + (";" if i < len(items) - 1 else "."))
                                for i, text in enumerate(items)]


def context(data: dict[str, Any]) -> dict[str, Any]:
    """Return the template context of a mid-year report."""
    year = data["nam"]
    lines = body.Lines(compose.token_values(data), year)
    lines.can_cu(data["can_cu"])
    sections = [
        {"tieu_de": SECTIONS[0],
         "thanh_phan": data["ket_qua"] + anniversary_blocks(FIRST_HALF, data["ky_niem"], year, range(1, 7))},
        {"tieu_de": SECTIONS[1], "thanh_phan": [body.khoan(data[key], label) for key, label in ASSESSMENT]},
        {"tieu_de": SECTIONS[2],
         "thanh_phan": data["phuong_huong"] + anniversary_blocks(SECOND_HALF, data["ky_niem"], year, range(7, 13))},
    ]
    if data["kien_nghi"]:
        sections.append({"tieu_de": SECTIONS[3], "thanh_phan": [body.doan(data["kien_nghi"])]})
    lines.sections(sections)
    return LAYOUT.context(data, lines)


def _blocks(name: str, label: str) -> Repeat:
    return Repeat(name, label, item=body.block_group(), min_items=1, item_label="thành phần", of_year=True,
                  help="Các đoạn, gạch đầu dòng, khoản, điểm của phần này.")


KIND = LAYOUT.kind(
    id="bao_cao_so_ket",
    title="Báo cáo sơ kết 6 tháng",
    description="Sơ kết công tác thi đua 6 tháng đầu năm và phương hướng 6 tháng cuối năm, của một đơn vị "
                "hoặc của khối; các ngày kỷ niệm được chia theo nửa năm.",
    fields=LAYOUT.fields(
        _blocks("ket_qua", "I. Kết quả 6 tháng đầu năm"),
        Repeat("ky_niem", "Ngày kỷ niệm trong năm", item=Choice(
            "", "Sự kiện", choices={e.id: e.ten for e in facts.anniversaries().values()}), max_items=40,
            item_label="ngày kỷ niệm",
            help="Ngày kỷ niệm tháng 1–6 vào phần kết quả, tháng 7–12 vào phần phương hướng; số năm tính tự động."),
        *(Text(key, f"II. {label}", max_len=5000, multiline=True, check=markup.check_tokens, of_year=True)
          for key, label in ASSESSMENT),
        _blocks("phuong_huong", "III. Phương hướng 6 tháng cuối năm"),
        Text("kien_nghi", "IV. Kiến nghị", required=False, max_len=5000, multiline=True, check=markup.check_tokens,
             of_year=True,
             help="Để trống nếu không có kiến nghị; khi đó không có mục IV."),
    ),
    context=context,
    checks=(facts.check_numbered(LAYOUT.ten_loai),),
    file_title=lambda data: f"Báo cáo sơ kết 6 tháng năm {data['nam']} – {data['co_quan']['ten']}",
    examples={"bao_cao_so_ket.json": "Khối thi đua số 1, Thành ủy Đà Lạt, 6 tháng đầu năm 2021",
              "bao_cao_so_ket_2026_khoi_dang.json": "Khối các cơ quan Đảng tỉnh Lâm Đồng, 6 tháng đầu năm 2026",
              "bao_cao_so_ket_cum_phuong.json": "Cụm thi đua các phường số 2, 6 tháng đầu năm 2026"},
    scope="don_vi",
    order=4,
)
