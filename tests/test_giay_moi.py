"""Giấy mời: NĐ 30 Phụ lục III Mẫu 1.7 and its Party form, the weekday computed, the endings, one per meeting."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from docx import Document

from doctpl.check import report
from doctpl.errors import ValidationError
from doctpl.kind import get_kind
from doctpl.parts import meeting
from doctpl.render import render
from tests.conftest import HOSTILE, example
from tests.test_the_thuc import by_text, style_of, texts

PARTY, STATE = "giay_moi_2026_khoi_dang.json", "giay_moi_cum_phuong.json"


def document(data: dict):
    """Return the rendered giấy mời under python-docx."""
    return Document(io.BytesIO(render("giay_moi", data).content))


def content(doc) -> list[str]:
    """Return the body lines (VB Nội dung), from «… trân trọng kính mời» to the end of the content."""
    return [p.text for p in doc.paragraphs if p.style.name == "VB Nội dung" and p.text.strip()]


@pytest.mark.parametrize("name", [PARTY, STATE])
def test_examples_pass_the_checker_without_warnings(name):
    data = example("giay_moi", name)
    rendered = render("giay_moi", data)
    checked = report.check(rendered.content)
    assert [f.rule for f in checked] == []
    assert checked.version.ma == ("hd05" if data["the_thuc"] == "dang" else "nd30")
    assert rendered.warnings == ()


def test_state_form_follows_mau_1_7():
    doc = document(example("giay_moi", STATE))
    lines = texts(doc)
    assert "Số:      /GM-CTĐP2" in lines  # NĐ 30 Phụ lục III: GM; the number left for the văn thư
    title = by_text(doc, "^GIẤY MỜI$")
    assert style_of(title) == (14, True, False, False) and title.alignment == 1
    assert style_of(by_text(doc, "^Dự Hội nghị ký kết giao ước thi đua năm 2026$"))[:2] == (14, True)
    assert content(doc) == [
        "Cụm thi đua các phường số 2 trân trọng kính mời:",
        "- Chủ tịch Ủy ban nhân dân các phường: Xuân Hương - Đà Lạt, Cam Ly - Đà Lạt, Lâm Viên - Đà Lạt, "
        "Xuân Trường - Đà Lạt, Lang Biang - Đà Lạt;",
        "- Lãnh đạo Ban Thi đua – Khen thưởng tỉnh Lâm Đồng.",
        "Tới dự Hội nghị ký kết giao ước thi đua năm 2026 của Cụm thi đua các phường số 2.",
        "Nội dung:", "- Thông qua dự thảo Giao ước thi đua năm 2026 của Cụm;", "- Ký kết Giao ước thi đua.",
        "Chủ trì: ông Lê Minh Tuấn, Chủ tịch Ủy ban nhân dân phường Xuân Hương - Đà Lạt, Cụm trưởng.",
        "Thời gian: 14 giờ 00, thứ Năm, ngày 05 tháng 02 năm 2026.",
        "Địa điểm: Hội trường Ủy ban nhân dân phường Xuân Hương - Đà Lạt.",
        "Đề nghị Ủy ban nhân dân các phường mang theo con dấu để đóng dấu vào Giao ước thi đua.",
        "Thông tin liên hệ: bà Nguyễn Thị Thu Trang, Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường "
        "Xuân Hương - Đà Lạt.",
        "Trân trọng./.",
    ]
    assert not any(line.startswith("Kính gửi") for line in lines)  # Mẫu 1.7 invites in its first line
    assert "TM. CỤM THI ĐUA CÁC PHƯỜNG SỐ 2" in lines and "- Lưu: VT, VP." in lines


def test_party_form():
    doc = document(example("giay_moi", PARTY))
    lines = texts(doc)
    assert "Số 10-GM/KTĐCQĐ" in lines and "ĐẢNG CỘNG SẢN VIỆT NAM" in lines
    assert style_of(by_text(doc, "^GIẤY MỜI$")) == (15, True, False, False)  # HD 05 Phụ lục 2, row 5
    trich_yeu = by_text(doc, "^dự Hội nghị tổng kết")
    assert doc.paragraphs[[p._p for p in doc.paragraphs].index(trich_yeu._p) + 1].text == "-----"
    body = content(doc)
    assert body[0] == "Khối thi đua các cơ quan Đảng tỉnh trân trọng kính mời:"
    assert body[2] == "- Đại diện lãnh đạo Ban Thi đua – Khen thưởng tỉnh Lâm Đồng;"  # HD 05: «;» on every entry
    assert "Thời gian: 8 giờ 00, thứ Sáu, ngày 18 tháng 12 năm 2026." in body
    assert body[-1] == "Trân trọng kính mời."  # HD 05 I.6.2.2: a full stop, never «./.»
    assert ["TRƯỞNG BAN\nTUYÊN GIÁO VÀ DÂN VẬN", "kiêm"] == lines[lines.index("kiêm") - 1:lines.index("kiêm") + 1]
    assert "- Lưu Ban Tuyên giáo và Dân vận." in lines


def test_one_invitee_is_named_on_the_first_line():
    data = example("giay_moi", STATE) | {"kinh_moi": ["- Lãnh đạo Ủy ban nhân dân phường Lâm Viên - Đà Lạt;"]}
    assert content(document(data))[:2] == [
        "Cụm thi đua các phường số 2 trân trọng kính mời: Lãnh đạo Ủy ban nhân dân phường Lâm Viên - Đà Lạt",
        "Tới dự Hội nghị ký kết giao ước thi đua năm 2026 của Cụm thi đua các phường số 2."]


@pytest.mark.parametrize(("day", "name"), [
    (dt.date(2026, 12, 14), "thứ Hai"), (dt.date(2026, 12, 15), "thứ Ba"), (dt.date(2026, 12, 16), "thứ Tư"),
    (dt.date(2026, 12, 17), "thứ Năm"), (dt.date(2026, 12, 18), "thứ Sáu"), (dt.date(2026, 12, 19), "thứ Bảy"),
    (dt.date(2026, 12, 20), "Chủ nhật"),
])
def test_the_weekday_is_computed(day, name):
    assert meeting.weekday(day) == name
    data = example("giay_moi", PARTY) | {"ngay_hop": day.isoformat(), "gio": {"gio": 14, "phut": 5}}
    assert f"Thời gian: 14 giờ 05, {name}, ngày {day.day} tháng 12 năm 2026." in content(document(data))


def test_optional_lines_are_left_out_and_the_last_one_takes_the_end_mark():
    data = example("giay_moi", STATE) | {"noi_dung": [], "chu_tri": "", "chuan_bi": "", "lien_he": "", "loi_ket": "",
                                         "thanh_phan": "Lãnh đạo các phường trong Cụm"}
    assert content(document(data))[4:] == ["Thành phần: Lãnh đạo các phường trong Cụm.",
                                           "Thời gian: 14 giờ 00, thứ Năm, ngày 05 tháng 02 năm 2026.",
                                           "Địa điểm: Hội trường Ủy ban nhân dân phường Xuân Hương - Đà Lạt./."]


def test_an_invitation_dated_after_the_meeting_is_warned_about():
    data = example("giay_moi", STATE) | {"ngay": "2026-02-06"}
    rendered = render("giay_moi", data)
    assert [(w.field, w.message) for w in rendered.warnings] == [
        ("ngay_hop", "«Ngày họp» 05/02/2026 trước «Ngày ban hành» 06/02/2026 của giấy mời; kiểm tra lại ngày.")]


def test_one_giay_moi_per_meeting_for_the_khoi():
    assert get_kind("giay_moi").scope == "khoi"  # a batch makes one for the khối (per-unit addressing: see README)


@pytest.mark.parametrize("value", list(HOSTILE.values()))
def test_hostile_text_is_printed_literally(value):
    data = example("giay_moi", STATE)
    for name in ("ten_cuoc_hop", "chu_tri", "dia_diem", "lien_he", "chuan_bi"):
        data[name] = value
    data["kinh_moi"] = [value]
    lines = "\n".join(texts(document(data)))
    expected = unicodedata.normalize("NFC", value)
    assert f"trân trọng kính mời: {expected}" in lines and f"Địa điểm: {expected}" in lines
    assert lines.count(expected) >= 6


def test_long_and_empty_input_is_refused_with_messages_naming_the_field():
    data = example("giay_moi", STATE) | {"ten_cuoc_hop": "Hội nghị " * 60, "gio": {"gio": 25}, "kinh_moi": []}
    with pytest.raises(ValidationError) as caught:
        render("giay_moi", data)
    errors = {e.field: e.message for e in caught.value.errors()}
    assert errors == {"ten_cuoc_hop": "«Tới dự» dài 539 ký tự, vượt quá giới hạn 500 ký tự.",
                      "gio.gio": "«Giờ họp: giờ» phải là số nguyên từ 0 đến 23.",
                      "kinh_moi": "«Trân trọng kính mời» cần ít nhất 1 người, đơn vị được mời."}
    with pytest.raises(ValidationError) as caught:
        render("giay_moi", {})
    errors = {e.field: e.message for e in caught.value.errors()}
    required = {"ten_cuoc_hop", "ngay_hop", "gio.gio", "dia_diem", "kinh_moi", "trich_yeu", "noi_nhan.cac_noi"}
    assert required <= set(errors)
    assert errors["ngay_hop"] == "Vui lòng nhập «Ngày họp»." and errors["dia_diem"] == "Vui lòng nhập «Địa điểm»."
