"""Báo cáo sơ kết and tổng kết: outlines, anniversaries by half-year, scores, awards and reward money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from doctpl.reward import reward, round_amount
from doctpl.scoring import rank
from tests.conftest import assert_rejected, rendered, state_example

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def texts(kind_id, data):
    return [p.text.replace("\n", " ") for p in rendered(kind_id, data).paragraphs()]  # a wrapped title on one line


def table_rows(reader, index):
    tables = [t for t in reader.tables() if t.find(f"{W}tblPr/{W}tblBorders/{W}top").get(f"{W}val") == "single"]
    return [["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.iter(f"{W}tc")]
            for row in tables[index].iter(f"{W}tr")]


# -- Sơ kết ------------------------------------------------------------------------------------------


def test_so_ket_outline():
    lines = texts("bao_cao_so_ket", state_example("bao_cao_so_ket"))
    assert "BÁO CÁO" in lines
    assert "Sơ kết công tác thi đua 6 tháng đầu năm 2021, phương hướng 6 tháng cuối năm 2021" in lines
    assert "Kính gửi: Hội đồng Thi đua – Khen thưởng thành phố Đà Lạt" in lines
    sections = ["I. KẾT QUẢ THỰC HIỆN CÔNG TÁC THI ĐUA, KHEN THƯỞNG 6 THÁNG ĐẦU NĂM 2021", "II. ĐÁNH GIÁ CHUNG",
                "1. Ưu điểm", "2. Hạn chế", "3. Nguyên nhân", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2021",
                "IV. KIẾN NGHỊ"]
    positions = [lines.index(s) for s in sections]
    assert positions == sorted(positions)
    label = lines.index("Nơi nhận:")
    assert lines[label + 1] == "- Như trên;" and "Số: 07/BC-KTĐ1" in lines


def test_so_ket_anniversaries_split_by_half_year():
    lines = texts("bao_cao_so_ket", state_example("bao_cao_so_ket"))
    first = lines.index("Tổ chức các hoạt động kỷ niệm các ngày lễ lớn trong 6 tháng đầu năm:")
    second = lines.index("Tổ chức các hoạt động kỷ niệm các ngày lễ lớn trong 6 tháng cuối năm:")
    assert lines.index("II. ĐÁNH GIÁ CHUNG") > first + 4 and second > lines.index("II. ĐÁNH GIÁ CHUNG")
    assert lines[first + 1:first + 5] == [
        "- Kỷ niệm 91 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2021);",
        "- Kỷ niệm 46 năm ngày giải phóng Đà Lạt (03/4/1975 – 03/4/2021);",
        "- Kỷ niệm 46 năm ngày giải phóng hoàn toàn miền Nam thống nhất đất nước (30/4/1975 – 30/4/2021);",
        "- Kỷ niệm 131 năm ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 – 19/5/2021).",
    ]
    assert lines[second + 1] == "- Kỷ niệm 91 năm ngày truyền thống ngành Tuyên giáo của Đảng (01/8/1930 – 01/8/2021);"
    assert lines[second + 8] == "- Kỷ niệm 91 năm ngày truyền thống Văn phòng cấp ủy (18/10/1930 – 18/10/2021)."


def test_so_ket_in_another_year_and_without_kinh_gui_or_kien_nghi():
    data = state_example("bao_cao_so_ket")
    data.update(nam=2025, ngay="2025-06-20", kinh_gui=[])
    data["noi_dung"] = [section for section in data["noi_dung"] if section["tieu_de"] != "Kiến nghị"]
    lines = texts("bao_cao_so_ket", data)
    assert "- Kỷ niệm 50 năm ngày giải phóng hoàn toàn miền Nam thống nhất đất nước (30/4/1975 – 30/4/2025);" in lines
    assert "- Kỷ niệm 80 năm ngày Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam (02/9/1945 – 02/9/2025);" in lines
    assert not any(line.startswith("IV.") for line in lines)
    assert not any(line.startswith("Kính gửi") for line in lines) and "- Như trên;" not in lines


def so_ket(**changes) -> dict:
    data = state_example("bao_cao_so_ket")
    data.pop("trich_yeu")
    return data | changes


def test_so_ket_of_a_quarter_lists_its_own_anniversaries_and_names_the_next():
    lines = texts("bao_cao_so_ket", so_ket(ky="quy", quy="2", ngay="2021-06-28"))
    assert "Sơ kết công tác thi đua quý II năm 2021, phương hướng quý III năm 2021" in lines
    assert "I. KẾT QUẢ THỰC HIỆN CÔNG TÁC THI ĐUA, KHEN THƯỞNG QUÝ II NĂM 2021" in lines
    assert "III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ III NĂM 2021" in lines
    assert "- Kỷ niệm 131 năm ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 – 19/5/2021)." in lines  # May: quý II
    assert not any("03/02/2021" in line for line in lines)  # February is quý I
    assert any("01/8/1930 – 01/8/2021" in line for line in lines)  # August: the next quarter


def test_so_ket_of_a_dot_with_its_dates():
    data = so_ket(ky="dot", dot_ten="Thi đua chào mừng Đại hội", dot_tu="2021-03-01", dot_den="2021-04-30",
                  ngay="2021-05-05")
    lines = texts("bao_cao_so_ket", data)
    assert ("Sơ kết đợt thi đua “Thi đua chào mừng Đại hội” (từ 01/3/2021 đến 30/4/2021), phương hướng thời gian tới"
            in lines)
    assert "- Kỷ niệm 46 năm ngày giải phóng Đà Lạt (03/4/1975 – 03/4/2021);" in lines
    assert_rejected("bao_cao_so_ket", lambda d: d.update(ky="dot", dot_tu="2021-03-01", dot_den="2021-02-01"),
                    "dot_den", "phải sau")


def test_so_ket_without_a_body_gets_the_default_outline_and_headings_are_free():
    data = so_ket()
    del data["noi_dung"]
    lines = texts("bao_cao_so_ket", data)
    assert ["1. Ưu điểm", "2. Hạn chế", "3. Nguyên nhân"] == [line for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert "III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2021" in lines
    assert not any("KIẾN NGHỊ" in line for line in lines)  # added by the clerk when there is one
    free = so_ket(noi_dung=[{"tieu_de": "Kết quả theo từng tiêu chuẩn", "thanh_phan": [
        {"loai": "khoan", "tieu_de": "Tiêu chuẩn 1", "van_ban": "Đạt."}]}])
    lines = texts("bao_cao_so_ket", free)
    assert "I. KẾT QUẢ THEO TỪNG TIÊU CHUẨN" in lines and "II. ĐÁNH GIÁ CHUNG" not in lines


def test_a_so_ket_in_the_old_shape_still_renders_the_same_lines():
    old = {key: value for key, value in so_ket().items() if key not in ("noi_dung", "ky")}
    old |= {"ket_qua": [{"loai": "doan", "van_ban": "Kết quả cũ."}], "uu_diem": "Ưu cũ.", "han_che": "Hạn cũ.",
            "nguyen_nhan": "Nguyên cũ.", "phuong_huong": [{"loai": "gach", "van_ban": "Hướng cũ."}], "kien_nghi": ""}
    lines = texts("bao_cao_so_ket", old)
    assert "Kết quả cũ." in lines and "Ưu cũ." in lines and "- Hướng cũ." in lines
    assert "Tổ chức các hoạt động kỷ niệm các ngày lễ lớn trong 6 tháng đầu năm:" in lines
    assert not any(line.startswith("IV.") for line in lines)


# -- Tổng kết ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("totals", "ranks"), [
    ([("A", "90", "0"), ("B", "95", "0"), ("C", "92", "0")], {"B": 1, "C": 2, "A": 3}),
    ([("A", "94,5", "0,5"), ("B", "95", "0"), ("C", "96", "-2")], {"A": 1, "B": 1, "C": 3}),
    ([("A", "90", "0"), ("B", "90", "0"), ("C", "90", "0")], {"A": 1, "B": 1, "C": 1}),
])
def test_totals_and_ranks_are_computed_and_ties_share_a_rank(totals, ranks):
    rows = [{"don_vi": u, "tu_cham": Decimal(95), "khoi_cham": Decimal(k.replace(",", ".")),
             "thuong_tru": Decimal(t.replace(",", "."))} for u, k, t in totals]
    assert {s.don_vi: s.hang for s in rank(rows)} == ranks


def test_tong_ket_scoring_table():
    rows = table_rows(rendered("bao_cao_tong_ket", state_example("bao_cao_tong_ket")), 0)
    assert rows[0] == ["STT", "Đơn vị", "Điểm tự chấm", "Điểm khối chấm", "Điểm thưởng, trừ", "Tổng", "Xếp hạng"]
    assert rows[1] == ["1", "Ban Dân vận Thành ủy", "98", "96,5", "1", "97,5", "1"]
    assert [(r[1], r[5], r[6]) for r in rows[2:]] == [
        ("Văn phòng Thành ủy", "95,5", "2"), ("Ban Tuyên giáo Thành ủy", "95", "3"),
        ("Ban Tổ chức Thành ủy", "94,5", "4"), ("Ủy ban Kiểm tra Thành ủy", "93", "5"),
        ("Trung tâm Bồi dưỡng chính trị thành phố", "91,5", "6")]


def test_tong_ket_outline_and_proposals():
    reader = rendered("bao_cao_tong_ket", state_example("bao_cao_tong_ket"))
    lines = [p.text for p in reader.paragraphs()]
    headings = ["I. ĐẶC ĐIỂM TÌNH HÌNH", "II. KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA NĂM 2021", "III. ĐÁNH GIÁ CHUNG",
                "IV. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA", "V. ĐỀ NGHỊ KHEN THƯỞNG", "VI. TIỀN THƯỞNG KÈM THEO"]
    assert [lines.index(h) for h in headings] == sorted(lines.index(h) for h in headings)
    proposals = table_rows(reader, 1)
    assert proposals[0] == ["STT", "Tập thể, cá nhân", "Hình thức đề nghị", "Tóm tắt thành tích"]
    assert proposals[1][:3] == ["1", "Ban Dân vận Thành ủy", "Cờ thi đua của Ủy ban nhân dân tỉnh"]


def test_tong_ket_money_table_with_total_in_words():
    reader = rendered("bao_cao_tong_ket", state_example("bao_cao_tong_ket"))
    rows = table_rows(reader, 2)
    assert rows[0] == ["STT", "Tập thể, cá nhân", "Danh hiệu, hình thức", "Hệ số", "Số tiền"]
    assert rows[1] == ["1", "Ban Dân vận Thành ủy", "Tập thể lao động xuất sắc", "1,5",
                       "2.240.000 đồng (Hai triệu hai trăm bốn mươi nghìn đồng)"]
    assert rows[3][3:] == ["1", "1.490.000 đồng (Một triệu bốn trăm chín mươi nghìn đồng)"]
    assert rows[4][4] == "450.000 đồng (Bốn trăm năm mươi nghìn đồng)"
    assert rows[-1] == ["", "Tổng cộng", "", "", "5.380.000 đồng (Năm triệu ba trăm tám mươi nghìn đồng)"]
    lines = [p.text for p in reader.paragraphs()]
    assert ("Mức lương cơ sở 1.490.000 đồng theo Nghị định 38/2019/NĐ-CP, áp dụng theo ngày quyết định khen thưởng "
            "28/12/2021; làm tròn lên hàng chục nghìn đồng./.") in lines


@pytest.mark.parametrize(("decided", "base"), [
    (dt.date(2019, 7, 1), 1_490_000), (dt.date(2023, 6, 30), 1_490_000), (dt.date(2023, 7, 1), 1_800_000),
    (dt.date(2024, 6, 30), 1_800_000), (dt.date(2024, 7, 1), 2_340_000), (dt.date(2026, 6, 30), 2_340_000),
    (dt.date(2026, 7, 1), 2_530_000), (dt.date(2030, 1, 1), 2_530_000),
])
def test_base_salary_in_force_on_the_decision_date(decided, base):
    assert reward("cstd_co_so", "ca_nhan", decided).base.amount == base
    assert reward("cstd_co_so", "ca_nhan", decided).amount == base  # coefficient 1,0


@pytest.mark.parametrize(("ma", "who", "decided", "up", "nearest"), [
    ("ldtt", "ca_nhan", dt.date(2024, 7, 1), 710_000, 700_000),
    ("ttldtt", "tap_the", dt.date(2024, 7, 1), 1_880_000, 1_870_000),
    ("ttldxs", "tap_the", dt.date(2026, 7, 1), 3_800_000, 3_800_000),
    ("cstd_toan_quoc", "ca_nhan", dt.date(2026, 7, 1), 11_390_000, 11_390_000),  # 11.385.000: half goes up
    ("ldtt", "ca_nhan", dt.date(2023, 7, 1), 540_000, 540_000),
    ("bang_khen_ttg", "ca_nhan", dt.date(2026, 7, 1), 8_860_000, 8_860_000),
    ("bang_khen_tinh", "ca_nhan", dt.date(2025, 6, 30), 2_340_000, 2_340_000),
    ("bang_khen_tinh", "ca_nhan", dt.date(2025, 7, 1), 3_510_000, 3_510_000),
])
def test_reward_amounts_in_both_rounding_modes(ma, who, decided, up, nearest):
    assert reward(ma, who, decided, "len").amount == up
    assert reward(ma, who, decided, "gan_nhat").amount == nearest


def test_rounding_is_to_ten_thousand():
    assert round_amount(Decimal("447000"), "len") == 450_000
    assert round_amount(Decimal("445000"), "gan_nhat") == 450_000  # half way goes up
    assert round_amount(Decimal("455000"), "gan_nhat") == 460_000
    assert round_amount(Decimal("445001"), "gan_nhat") == 450_000
    assert round_amount(Decimal("440000"), "len") == 440_000


def test_rounding_mode_reaches_the_document():
    data = state_example("bao_cao_tong_ket")
    data.update(lam_tron="gan_nhat", ngay_quyet_dinh="2024-07-01")
    rows = table_rows(rendered("bao_cao_tong_ket", data), 2)
    assert rows[4][4] == "700.000 đồng (Bảy trăm nghìn đồng)"
    assert rows[2][4] == "1.870.000 đồng (Một triệu tám trăm bảy mươi nghìn đồng)"


@pytest.mark.parametrize(("change", "field", "fragment"), [
    (lambda d: d.update(ngay_quyet_dinh=""), "ngay_quyet_dinh", "để tính tiền thưởng"),
    (lambda d: d.update(ngay_quyet_dinh="2007-06-30"), "ngay_quyet_dinh", "Chưa có mức lương cơ sở"),
    (lambda d: d["tien_thuong"][0].update(doi_tuong="ca_nhan"), "tien_thuong.0.khen", "không dùng cho cá nhân"),
    (lambda d: d["de_nghi"][2].update(doi_tuong="tap_the"), "de_nghi.2.khen", "không dùng cho tập thể"),
    (lambda d: d["diem"][0].update(khoi_cham="chín mươi"), "diem.0.khoi_cham", "phải là số"),
    (lambda d: d["diem"][0].update(khoi_cham="95,555"), "diem.0.khoi_cham", "tối đa 2 chữ số thập phân"),
])
def test_tong_ket_bad_input(change, field, fragment):
    assert_rejected("bao_cao_tong_ket", change, field, fragment)


def test_tong_ket_without_tables_leaves_them_out():
    data = state_example("bao_cao_tong_ket")
    data.update(diem=[], de_nghi=[], tien_thuong=[], ngay_quyet_dinh="")
    lines = texts("bao_cao_tong_ket", data)
    assert not any(line.startswith(("IV.", "V.", "VI.")) for line in lines)
    assert any(line.endswith("./.") for line in lines)
