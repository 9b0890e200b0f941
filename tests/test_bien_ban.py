"""Biên bản: Mẫu 1.9 in NĐ 30 and HD 05 form, signers by role with the lead on the right, votes and per cent."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from docx import Document
from docx.oxml.ns import qn

from doctpl.check import report
from doctpl.errors import ValidationError
from doctpl.kind import get_kind
from doctpl.parts import results, signers
from doctpl.render import render
from tests.conftest import HOSTILE, example
from tests.test_the_thuc import all_paragraphs, by_text, style_of, texts

KIND = get_kind("bien_ban")
PARTY, STATE = "bien_ban_2026_khoi_dang.json", "bien_ban_cum_phuong.json"


def document(data: dict):
    """Return the rendered biên bản under python-docx."""
    return Document(io.BytesIO(render("bien_ban", data).content))


def signer_table(doc):
    """Return the borderless row of signatures: the table whose first cell starts with a role title."""
    roles = {"THƯ KÝ", "NGƯỜI GHI BIÊN BẢN"}
    return next(t for t in doc.tables if t.rows[0].cells[0].paragraphs
                and t.rows[0].cells[0].paragraphs[0].text in roles)


def lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def height(cell) -> int:
    """Return the printed lines of a signature block (a role broken over lines is one paragraph)."""
    return sum(p.text.count("\n") + 1 for p in cell.paragraphs)


@pytest.mark.parametrize("name", [PARTY, STATE])
def test_examples_pass_the_checker_without_warnings(name):
    data = example("bien_ban", name)
    rendered = render("bien_ban", data)
    checked = report.check(rendered.content)
    assert [f.rule for f in checked] == []
    assert checked.version.ma == ("hd05" if data["the_thuc"] == "dang" else "nd30")
    assert rendered.warnings == ()


@pytest.mark.parametrize(("the_thuc", "left", "right", "title_size", "end"), [
    ("dang", "NGƯỜI GHI BIÊN BẢN", "CHỦ TRÌ HỘI NGHỊ", 15, "."),  # HD 05 I.7.1.4.e
    ("nha_nuoc", "THƯ KÝ", "CHỦ TỌA", 14, "./."),  # NĐ 30 Phụ lục III, Mẫu 1.9
])
def test_layout_and_signers_by_role_with_the_lead_on_the_right(the_thuc, left, right, title_size, end):
    data = example("bien_ban", PARTY) | {"the_thuc": the_thuc}
    doc = document(data)
    heading = by_text(doc, "^BIÊN BẢN$")
    assert style_of(heading) == (title_size, True, False, False) and heading.alignment == 1
    trich_yeu = doc.paragraphs[[p._p for p in doc.paragraphs].index(heading._p) + 1]
    assert trich_yeu.text.startswith("hội nghị" if the_thuc == "dang" else "Hội nghị")
    table = signer_table(doc)
    cells = table.rows[0].cells
    assert len(cells) == 2 and lines(cells[0])[0] == left and lines(cells[-1])[0] == right
    assert lines(cells[0])[-1] == "Lê Minh Tâm" and lines(cells[-1])[-1] == "Nguyễn Quang Hải"  # the lead right
    for cell in cells:
        role, name = cell.paragraphs[0], cell.paragraphs[-1]
        assert style_of(role) == (14, True, False, False) and style_of(name) == (14, True, False, False)
        assert role.alignment == 1
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {side.get(qn("w:val")) for side in borders} == {"nil"}  # a borderless row
    last = by_text(doc, "kết thúc vào")
    assert last.text == f"Cuộc họp kết thúc vào 11 giờ 30, ngày 18 tháng 12 năm 2026{end}"
    body = [p for p in doc.paragraphs if p.style.name == "VB Nội dung" and p.text.strip()]
    assert body[-1].text == last.text  # the closing time ends the content, with the end mark


@pytest.mark.parametrize(("the_thuc", "bold"), [("nha_nuoc", True), ("dang", False)])
def test_a_title_printed_under_the_role_takes_the_signature_emphasis(the_thuc, bold):
    data = example("bien_ban", PARTY) | {"the_thuc": the_thuc}
    data["chu_tri"]["in_chuc_vu"] = "co"
    data["chu_tri"]["chuc_vu"] = "Trưởng Ban Tuyên giáo và Dân vận"
    cell = signer_table(document(data)).rows[0].cells[-1]
    title = next(p for p in cell.paragraphs if p.text.startswith("TRƯỞNG BAN"))
    assert style_of(title) == (14, bold, False, False)  # NĐ 30 bold; HD 05 Phụ lục 2: chức vụ upright, not bold
    left = signer_table(document(data)).rows[0].cells[0]
    assert height(left) == height(cell)  # blank lines keep the names on one level


def test_three_signers_keep_the_lead_last():
    doc = document(example("bien_ban", STATE))
    cells = signer_table(doc).rows[0].cells
    assert [lines(cell)[0] for cell in cells] == ["THƯ KÝ", "ĐẠI DIỆN BAN\nTHI ĐUA –\nKHEN THƯỞNG TỈNH", "CHỦ TỌA"]
    assert [lines(cell)[-1] for cell in cells] == ["Nguyễn Thị Thu Trang", "Đặng Quốc Việt", "Lê Minh Tuấn"]
    assert len({height(cell) for cell in cells}) == 1


def test_at_most_three_signers():
    data = example("bien_ban", STATE)
    data["ky_them"] *= 2
    with pytest.raises(ValidationError) as caught:
        render("bien_ban", data)
    assert [(e.field, e.message) for e in caught.value.errors()] == [
        ("ky_them", "«Người ký thêm» có tối đa 1 người ký.")]


def test_role_titles_follow_the_rules_of_the_date():
    assert signers.role_title(signers.CHU_TRI, "dang", dt.date(2026, 3, 2)) == "CHỦ TRÌ HỘI NGHỊ"
    assert signers.role_title(signers.THU_KY, "nha_nuoc", dt.date(2019, 1, 1)) == "THƯ KÝ"  # before any row: the first
    data = example("bien_ban", PARTY) | {"ngay": "2026-03-02", "ngay_hop": "2026-03-02"}  # HD 36
    rendered = render("bien_ban", data)
    assert report.check(rendered.content).version.ma == "hd36"
    cells = signer_table(Document(io.BytesIO(rendered.content))).rows[0].cells
    assert [lines(cell)[0] for cell in cells] == ["NGƯỜI GHI BIÊN BẢN", "CHỦ TRÌ HỘI NGHỊ"]


def test_no_noi_nhan_unless_asked():
    data = example("bien_ban", PARTY)
    del data["co_noi_nhan"]
    data["noi_nhan"] = {"cac_noi": [], "luu": ""}  # not asked for: not required either
    rendered = render("bien_ban", data)
    doc = Document(io.BytesIO(rendered.content))
    assert not any(text.startswith("Nơi nhận") for text in texts(doc))
    assert lines(signer_table(doc).rows[0].cells[-1])[-1] == "Nguyễn Quang Hải"
    # A biên bản kept on file has no Nơi nhận (NĐ 30 Phụ lục III Mẫu 1.9): the checker accepts it.
    assert [f.rule for f in report.check(rendered.content) if f.severity == "error"] == []


@pytest.mark.parametrize(("the_thuc", "label_style", "archive"), [
    ("dang", (14, False, False, True), "- Lưu Ban Tuyên giáo và Dân vận."),
    ("nha_nuoc", (12, True, True, False), "- Lưu: VT, Ban Tuyên giáo và Dân vận."),
])
def test_noi_nhan_when_asked_stands_under_the_signatures(the_thuc, label_style, archive):
    doc = document(example("bien_ban", PARTY) | {"the_thuc": the_thuc})
    label = by_text(doc, "^Nơi nhận:$")
    assert style_of(label) == label_style and archive in texts(doc)
    tables = [t._tbl for t in doc.tables]
    holder = next(t for t in doc.tables if label._p in [p._p for c in t.rows[0].cells for p in c.paragraphs])
    assert tables.index(holder._tbl) > tables.index(signer_table(doc)._tbl)
    assert holder.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"


def test_opening_attendance_and_closing_formula():
    doc = document(example("bien_ban", PARTY))
    lines_ = texts(doc)
    start = lines_.index("Thời gian bắt đầu: 8 giờ 00, ngày 18 tháng 12 năm 2026.")
    assert lines_[start + 1:start + 4] == ["Địa điểm: Hội trường Ban Tuyên giáo và Dân vận Tỉnh ủy Lâm Đồng.",
                                           "Thành phần tham dự:", "- Đại diện lãnh đạo các đơn vị trong Khối:"]
    assert lines_[start + 4] == "+ Đồng chí Nguyễn Quang Hải, Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy, Trưởng khối;"
    assert "- Đại diện Ban Thi đua – Khen thưởng tỉnh:" in lines_
    assert "+ Bà Trịnh Thị Ngọc Hân, Phó Trưởng Ban Thi đua – Khen thưởng tỉnh." in lines_  # the last member: «.»
    assert "Chủ trì: Nguyễn Quang Hải, Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy, Trưởng khối." in lines_
    assert "Thư ký: Lê Minh Tâm, Chánh Văn phòng Ban Tuyên giáo và Dân vận Tỉnh ủy." in lines_
    assert ("Biên bản được lập thành 03 bản có giá trị như nhau, 01 bản lưu tại đơn vị Trưởng khối, 02 bản gửi "
            "Hội đồng Thi đua – Khen thưởng tỉnh kèm hồ sơ đề nghị khen thưởng.") in lines_
    state = texts(document(example("bien_ban", STATE)))
    assert "Số:      /BB-CTĐP2" in state  # Số optional: left for the văn thư
    assert "Hội nghị kết thúc vào 16 giờ 30, ngày 05 tháng 02 năm 2026./." in state
    plain = example("bien_ban", STATE) | {"phan_bo": "", "so_ban": None, "thong_qua": "khong"}
    state = texts(document(plain))
    assert "Biên bản được lập thành 02 bản có giá trị như nhau." in state
    assert not any(text.startswith("Biên bản đã được đọc lại") for text in state)


@pytest.mark.parametrize(("agree", "total", "text"), [
    (7, 7, "07/07 phiếu, đạt 100%"), (6, 7, "06/07 phiếu, đạt 85,71%"), (2, 3, "02/03 phiếu, đạt 66,67%"),
    (1, 8, "01/08 phiếu, đạt 12,5%"), (0, 5, "00/05 phiếu, đạt 0%"), (12, 15, "12/15 phiếu, đạt 80%"),
    (1, 6, "01/06 phiếu, đạt 16,67%"), (1, 200, "01/200 phiếu, đạt 0,5%"),
])
def test_votes_in_phieu_and_per_cent(agree, total, text):
    assert results.vote_text(agree, total) == text


def test_results_table_numbered_after_the_content():
    doc = document(example("bien_ban", PARTY))
    heading = by_text(doc, "^III. KẾT QUẢ BỎ PHIẾU SUY TÔN$")
    assert heading.style.name == "VB Mục" and heading.style.font.bold
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in table.rows[0].cells] == ["STT", "Đơn vị, tiêu chí", "Hình thức đề nghị", "Điểm",
                                                     "Kết quả bỏ phiếu"]
    assert [c.text for c in table.rows[1].cells] == ["1", "Ban Tuyên giáo và Dân vận Tỉnh ủy",
                                                     "Cờ thi đua của Ủy ban nhân dân tỉnh", "97,5",
                                                     "07/07 phiếu, đạt 100%"]
    assert [c.text for c in table.rows[2].cells][2:] == ["Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "96,5",
                                                         "06/07 phiếu, đạt 85,71%"]
    assert [c.text for c in table.rows[3].cells] == ["3", "Ủy ban Kiểm tra Tỉnh ủy", "", "96", ""]


@pytest.mark.parametrize(("rows", "headings"), [
    ([{"don_vi": "Tiêu chuẩn 1", "diem": "28,5"}], ["STT", "Đơn vị, tiêu chí", "Điểm"]),  # a check of scores
    ([{"don_vi": "Bầu Văn phòng Tỉnh ủy làm Trưởng khối", "dong_y": 7, "tong_phieu": 7}],
     ["STT", "Đơn vị, tiêu chí", "Kết quả bỏ phiếu"]),
])
def test_the_table_shows_only_the_columns_its_rows_fill(rows, headings):
    data = example("bien_ban", PARTY) | {"loai_cuoc_hop": "kiem_tra", "ket_qua": rows}
    table = next(t for t in document(data).tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in table.rows[0].cells] == headings
    assert "III. KẾT QUẢ THẨM ĐỊNH ĐIỂM" in texts(document(data))


def test_without_results_there_is_no_heading_and_no_table():
    data = example("bien_ban", STATE) | {"ket_qua": []}
    doc = document(data)
    assert not any(t.rows[0].cells[0].text == "STT" for t in doc.tables)
    assert not any(text.startswith("III.") for text in texts(doc))


@pytest.mark.parametrize(("row", "field", "message"), [
    ({"dong_y": 8, "tong_phieu": 7}, "ket_qua.0.dong_y", "«Số phiếu đồng ý» (8) nhiều hơn «Tổng số phiếu» (7)."),
    ({"dong_y": 5}, "ket_qua.0.tong_phieu", results.BOTH),
    ({"tong_phieu": 5}, "ket_qua.0.dong_y", results.BOTH),
    ({"tong_phieu": 0, "dong_y": 0}, "ket_qua.0.tong_phieu", "«Tổng số phiếu» phải là số nguyên từ 1 đến 10000."),
    ({"diem": "abc"}, "ket_qua.0.diem", "«Điểm» phải là số từ 0 đến 1000, tối đa 2 chữ số thập phân (ví dụ 95,5)."),
])
def test_impossible_votes_and_scores_are_refused_naming_the_field(row, field, message):
    data = example("bien_ban", PARTY)
    data["ket_qua"] = [{"don_vi": "Văn phòng Tỉnh ủy", **row}]
    with pytest.raises(ValidationError) as caught:
        render("bien_ban", data)
    assert (field, message) in [(e.field, e.message) for e in caught.value.errors()]


def test_a_meeting_that_ends_before_it_starts_is_refused():
    data = example("bien_ban", PARTY) | {"ket_thuc": {"gio": 7, "phut": 30}}
    with pytest.raises(ValidationError) as caught:
        render("bien_ban", data)
    assert [(e.field, e.message) for e in caught.value.errors()] == [
        ("ket_thuc.gio", "«Giờ kết thúc» phải sau «Giờ bắt đầu» (8 giờ 00).")]


def test_warnings_never_refuse():
    data = example("bien_ban", PARTY) | {"ngay": "2026-12-19"}
    for row in data["ket_qua"]:
        row.pop("dong_y", None), row.pop("tong_phieu", None)
    rendered = render("bien_ban", data)
    assert [(w.field, w.message) for w in rendered.warnings] == [
        ("ngay", "«Ngày ban hành» 19/12/2026 khác «Ngày họp» 18/12/2026; biên bản thường ghi ngày họp."),
        ("ket_qua", "Biên bản bình xét, suy tôn chưa có «Kết quả» bỏ phiếu: nhập số phiếu đồng ý và tổng số phiếu "
                    "của từng đơn vị được đề nghị.")]
    assert rendered.content


@pytest.mark.parametrize("value", list(HOSTILE.values()))
def test_hostile_text_is_printed_literally(value):
    data = example("bien_ban", STATE)
    data["dia_diem"] = value
    data["tham_du"][0]["ten"] = value
    data["tham_du"][0]["thanh_vien"][0]["chuc_vu"] = value
    data["ket_qua"][0]["don_vi"] = value
    data["ky_them"][0]["de_ky"] = value
    data["noi_dung"][0]["thanh_phan"][0]["van_ban"] = value
    doc = document(data)
    expected = unicodedata.normalize("NFC", value)
    body = "\n".join(texts(doc))
    assert body.count(expected) >= 5
    cell = signer_table(doc).rows[0].cells[1]
    assert lines(cell)[0].replace("\n", " ") == expected.upper()


def test_long_and_empty_input_is_refused_with_messages_naming_the_field():
    data = example("bien_ban", PARTY)
    data["dia_diem"] = "Hội trường " * 40
    data["chu_tri"]["ho_ten"] = ""
    data["tham_du"][0]["thanh_vien"] = []
    with pytest.raises(ValidationError) as caught:
        render("bien_ban", data)
    errors = {e.field: e.message for e in caught.value.errors()}
    assert errors["dia_diem"] == "«Địa điểm» dài 439 ký tự, vượt quá giới hạn 300 ký tự."
    assert errors["chu_tri.ho_ten"] == "Vui lòng nhập «Họ và tên»."
    assert errors["tham_du.0.thanh_vien"] == "«Người dự» cần ít nhất 1 người dự."
    with pytest.raises(ValidationError) as caught:
        render("bien_ban", {})
    errors = {e.field: e.message for e in caught.value.errors()}
    assert errors["ngay_hop"] == "Vui lòng nhập «Ngày họp»."
    assert errors["bat_dau.gio"] == "Vui lòng nhập «Giờ bắt đầu: giờ»."
    assert errors["ket_thuc.gio"] == "Vui lòng nhập «Giờ kết thúc: giờ»."
    assert errors["dia_diem"] == "Vui lòng nhập «Địa điểm»."
    assert errors["thu_ky.ho_ten"] == "Vui lòng nhập «Họ và tên»."
    assert "noi_nhan.cac_noi" not in errors  # no Nơi nhận unless asked
    assert all(message for message in errors.values())


def test_every_paragraph_is_times_new_roman():
    doc = document(example("bien_ban", PARTY))
    fonts = {run._r.rPr.rFonts.get(qn("w:ascii")) for p in all_paragraphs(doc) for run in p.runs
             if run.text.strip() and run._r.rPr is not None and run._r.rPr.rFonts is not None}
    assert fonts == {"Times New Roman"}
