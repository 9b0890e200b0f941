"""Tờ trình đề nghị khen thưởng: Kính trình / Kính gửi, awards with their authority, quota and score warnings."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata

import pytest
from docx import Document

from doctpl import facts
from doctpl.check import report
from doctpl.errors import ValidationError
from doctpl.render import render
from forms import to_trinh
from tests.conftest import HOSTILE, example
from tests.test_the_thuc import by_text, style_of, texts

PARTY, STATE = "to_trinh_2026_khoi_dang.json", "to_trinh_cum_phuong.json"


def document(data: dict):
    """Return the rendered tờ trình under python-docx."""
    return Document(io.BytesIO(render("to_trinh", data).content))


def proposal(unit: str, khen: str, diem: str | None = "96", votes: tuple[int, int] = (7, 7)) -> dict:
    return {"don_vi": unit, "khen": khen, "diem": diem, "dong_y": votes[0], "tong_phieu": votes[1]}


@pytest.mark.parametrize("name", [PARTY, STATE])
def test_examples_pass_the_checker_without_warnings(name):
    data = example("to_trinh", name)
    rendered = render("to_trinh", data)
    checked = report.check(rendered.content)
    assert [f.rule for f in checked] == []
    assert checked.version.ma == ("hd05" if data["the_thuc"] == "dang" else "nd30")
    assert rendered.warnings == ()


@pytest.mark.parametrize(("the_thuc", "ngay", "label", "italic"), [
    ("dang", "2026-12-21", "Kính trình:", True),  # HD 05 I.9.2.4, the Kính gửi styles (label italic)
    ("dang", "2026-03-02", "Kính gửi:", True),  # HD 36 (secondary sources): Kính gửi under the title
    ("nha_nuoc", "2026-12-21", "Kính gửi:", False),  # NĐ 30 Phụ lục I II.9.a, label upright
])
def test_kinh_trinh_or_kinh_gui_under_the_title(the_thuc, ngay, label, italic):
    doc = document(example("to_trinh", PARTY) | {"the_thuc": the_thuc, "ngay": ngay})
    line = by_text(doc, "^Kính (trình|gửi): ")
    assert line.text == f"{label} Hội đồng Thi đua – Khen thưởng tỉnh Lâm Đồng"
    first, value = line.runs[0], line.runs[1]
    assert first.text == label + " " and bool(first.italic) is italic and not value.italic
    assert first.font.size.pt == 14 and line.alignment == 1
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs.index(line.text) == paragraphs.index("TỜ TRÌNH") + 3  # after the trích yếu and its separator
    noi_nhan = texts(doc)[texts(doc).index("Nơi nhận:") + 1]
    assert noi_nhan == ("- Như trên," if ngay < "2026-05-27" else "- Như trên;")  # HD 05 I.9.2.4; NĐ 30 II.9.b


@pytest.mark.parametrize(("the_thuc", "entries"), [
    ("dang", ["- Hội đồng Thi đua – Khen thưởng tỉnh Lâm Đồng;", "- Ủy ban nhân dân tỉnh Lâm Đồng;"]),  # HD 05 I.9.2.5
    ("nha_nuoc", ["- Hội đồng Thi đua – Khen thưởng tỉnh Lâm Đồng;", "- Ủy ban nhân dân tỉnh Lâm Đồng."]),
])
def test_several_recipients_one_a_line(the_thuc, entries):
    data = example("to_trinh", PARTY) | {"the_thuc": the_thuc}
    data["kinh_gui"].append("Ủy ban nhân dân tỉnh Lâm Đồng")
    lines = texts(document(data))
    start = next(i for i, text in enumerate(lines) if text.startswith("Kính "))
    assert lines[start].endswith(entries[0]) and lines[start + 1] == entries[1]


@pytest.mark.parametrize(("the_thuc", "trich_yeu", "so", "end"), [
    ("dang", "đề nghị khen thưởng năm 2026", "Số 01-TTr/KTĐCQĐ", "."),
    ("nha_nuoc", "Đề nghị khen thưởng năm 2026", "Số: 01/TTr-KTĐCQĐ", "./."),
])
def test_awards_with_their_authority_and_the_attached_list(the_thuc, trich_yeu, so, end):
    doc = document(example("to_trinh", PARTY) | {"the_thuc": the_thuc})
    lines = texts(doc)
    assert so in lines and trich_yeu in lines  # TTr: NĐ 30 Phụ lục III; HD 05 I.3.1.2.a
    award = by_text(doc, "^1. Cờ thi đua của Ủy ban nhân dân tỉnh: 01 tập thể$")
    assert award.style.name == "VB Khoản" and award.style.font.bold
    start = lines.index(award.text)
    assert lines[start:start + 4] == ["1. Cờ thi đua của Ủy ban nhân dân tỉnh: 01 tập thể",
                                      "- Ban Tuyên giáo và Dân vận Tỉnh ủy.",
                                      "2. Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 01 tập thể",
                                      "- Văn phòng Tỉnh ủy."]
    heading = by_text(doc, "^DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG$")
    assert heading.style.name == "VB Giữa dòng"
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["STT", "Tập thể", "Hình thức đề nghị", "Điểm", "Kết quả bỏ phiếu"],
        ["1", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Cờ thi đua của Ủy ban nhân dân tỉnh", "97,5",
         "07/07 phiếu, đạt 100%"],
        ["2", "Văn phòng Tỉnh ủy", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "96,5", "06/07 phiếu, đạt 85,71%"]]
    assert style_of(table.rows[0].cells[0].paragraphs[0])[:2] == (13, True)
    closing = [p for p in doc.paragraphs if p.style.name == "VB Nội dung" and p.text.strip()][-1]
    assert closing.text == f"Kính trình Hội đồng Thi đua – Khen thưởng tỉnh Lâm Đồng xem xét, quyết định{end}"


def test_a_closing_sentence_typed_replaces_the_default():
    typed = "Kính đề nghị Hội đồng xem xét, trình Chủ tịch Ủy ban nhân dân tỉnh."
    lines = texts(document(example("to_trinh", STATE) | {"loi_ket": typed}))
    assert typed[:-1] + "./." in lines
    assert not any(line.endswith("xem xét, quyết định./.") for line in lines)


def test_the_quota_file_has_its_source_and_marks_what_is_unverified():
    with open(facts.DATA_DIR / "chi_tieu_khen_thuong.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["ma"]: int(row["so_luong"]) for row in rows} == {"co_tinh": 2, "bang_khen_tinh": 1}
    assert all(row["nguon"] and row["xac_minh"] == "U" and "[U]" in row["nguon"] for row in rows)
    assert set(facts.rewards(doi_tuong="tap_the")) >= {row["ma"] for row in rows}
    assert to_trinh.quotas(dt.date(2026, 12, 21)) == {"co_tinh": 2, "bang_khen_tinh": 1}
    assert to_trinh.quotas(dt.date(2025, 6, 30)) == {}  # before the rows take effect


def test_proposals_beyond_the_quota_are_warned_about_never_refused():
    data = example("to_trinh", PARTY)
    data["de_nghi"] = [proposal("Ban Tuyên giáo và Dân vận Tỉnh ủy", "co_tinh", "97,5"),
                       proposal("Văn phòng Tỉnh ủy", "co_tinh", "96,5"),
                       proposal("Ủy ban Kiểm tra Tỉnh ủy", "co_tinh", "96"),
                       proposal("Ban Tổ chức Tỉnh ủy", "bang_khen_tinh", "95,5"),
                       proposal("Ban Nội chính Tỉnh ủy", "bang_khen_tinh", "95,5", (5, 7))]
    rendered = render("to_trinh", data)
    assert [(w.field, w.message) for w in rendered.warnings] == [
        ("de_nghi.2.khen", "Đề nghị 03 tập thể «Cờ thi đua của Ủy ban nhân dân tỉnh», vượt chỉ tiêu 02 của mỗi khối, "
                           "cụm trong năm 2026; kiểm tra lại trước khi trình."),
        ("de_nghi.4.khen", "Đề nghị 02 tập thể «Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh», vượt chỉ tiêu 01 của "
                           "mỗi khối, cụm trong năm 2026; kiểm tra lại trước khi trình.")]
    lines = texts(Document(io.BytesIO(rendered.content)))
    assert "1. Cờ thi đua của Ủy ban nhân dân tỉnh: 03 tập thể" in lines and "- Ủy ban Kiểm tra Tỉnh ủy." in lines
    assert "05/07 phiếu, đạt 71,43%" in lines


def test_a_unit_under_the_minimum_score_or_without_one_is_warned_about():
    data = example("to_trinh", STATE)
    data["de_nghi"][1]["diem"] = "94,5"
    data["de_nghi"].append(proposal("Phường Lâm Viên - Đà Lạt", "ttldxs", None, (5, 5)))
    rendered = render("to_trinh", data)
    assert [(w.field, w.message) for w in rendered.warnings] == [
        ("de_nghi.1.diem", "«Phường Cam Ly - Đà Lạt» đạt 94,5 điểm, dưới «Điểm tối thiểu» 95 điểm để được đề nghị "
                           "khen thưởng."),
        ("de_nghi.2.diem", "«Phường Lâm Viên - Đà Lạt» chưa có «Điểm» để đối chiếu với «Điểm tối thiểu» 95.")]
    assert "3. Tập thể lao động xuất sắc: 01 tập thể" in texts(Document(io.BytesIO(rendered.content)))
    assert render("to_trinh", data | {"diem_toi_thieu": None}).warnings == ()


@pytest.mark.parametrize(("change", "field", "message"), [
    (lambda d: d["de_nghi"][0].update(khen=""), "de_nghi.0.khen", "Vui lòng nhập «Hình thức đề nghị»."),
    (lambda d: d["de_nghi"][0].update(khen="cstd_co_so"), "de_nghi.0.khen",
     "«Hình thức đề nghị»: «cstd_co_so» không có trong danh sách để chọn."),  # a person's title, not a collective's
    (lambda d: d.update(de_nghi=[]), "de_nghi", "«Danh sách đề nghị» cần ít nhất 1 dòng."),
    (lambda d: d.update(kinh_gui=[]), "kinh_gui", "«Kính gửi» cần ít nhất 1 nơi nhận."),
    (lambda d: d["de_nghi"][0].update(dong_y=9), "de_nghi.0.dong_y",
     "«Số phiếu đồng ý» (9) nhiều hơn «Tổng số phiếu» (7)."),
    (lambda d: d.update(diem_toi_thieu="chín mươi"), "diem_toi_thieu",
     "«Điểm tối thiểu» phải là số từ -1000 đến 1000, tối đa 2 chữ số thập phân (ví dụ 95,5)."),
    (lambda d: d["de_nghi"][0].update(don_vi="Ban " * 100), "de_nghi.0.don_vi",
     "«Tập thể» dài 399 ký tự, vượt quá giới hạn 300 ký tự."),
])
def test_bad_input_is_refused_with_a_message_naming_the_field(change, field, message):
    data = example("to_trinh", PARTY)
    change(data)
    with pytest.raises(ValidationError) as caught:
        render("to_trinh", data)
    assert (field, message) in [(e.field, e.message) for e in caught.value.errors()]


@pytest.mark.parametrize("value", list(HOSTILE.values()))
def test_hostile_text_is_printed_literally(value):
    data = example("to_trinh", STATE)
    data["de_nghi"][0]["don_vi"] = value
    data["kinh_gui"] = [value]
    data["loi_mo_dau"] = value
    lines = "\n".join(texts(document(data)))
    expected = unicodedata.normalize("NFC", value)
    assert f"Kính gửi: {expected}" in lines and f"- {expected}." in lines and f"Kính trình {expected} xem xét" in lines
    assert lines.count(expected) >= 5
