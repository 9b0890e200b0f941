"""The Kế hoạch: seed coverage in its own Party form, NĐ 30 formatting of every element, another shape, hostile input.

The seed is a Party-bloc khối's 2021 plan: examples/ke_hoach.json renders it under HD 36 and
reproduces it sentence by sentence, its «T/M KHỐI THI ĐUA SỐ 1», its «- Lưu HSQT.» and its Nơi nhận
ending with «,». The same data with `the_thuc` "nha_nuoc" gives the NĐ 30 form tested element by element.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from doctpl import layout
from doctpl.errors import ValidationError
from doctpl.metrics import text_width
from doctpl.render import render
from tests.conftest import HOSTILE, assert_rejected, body_text, example, find, rendered

# A copy of ../shared/seed, so a fresh clone tests on its own; test_seed_copy_is_current guards it.
SEED = Path(__file__).resolve().parent / "fixtures" / "ke-hoach-thi-dua-2021-khoi-so-1.txt"
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / SEED.name

# What the output deliberately writes differently from the seed, and why.
CORRECTIONS = [
    ("châm nhất", "chậm nhất"),  # typo (DEVELOPERS.md)
    ("Phản đấu", "Phấn đấu"),  # typo
    ("hướng ứng", "hưởng ứng"),  # typo
    ("Hướng ứng", "Hưởng ứng"),  # the same typo at the start of a sentence
    ("DÂN VÂN", "DÂN VẬN"),  # typo
    ("Đảng cộng sản Việt Nam", "Đảng Cộng sản Việt Nam"),  # Phụ lục II capitals, from the catalogue
    # A Party trích yếu starts with a lower-case word (HD 36 as HD 05 I.5.1); the seed wrote a capital.
    ("Tổ chức thực hiện phong trào thi đua năm 2021", "tổ chức thực hiện phong trào thi đua năm 2021"),
]


def seed_sentences() -> list[str]:
    """Return the seed's sentences line by line, corrected, with Markdown emphasis removed.

    A sentence the seed broke over two lines ("… xây dựng" / "Đảng đảm bảo …") yields two pieces,
    each of which must appear in the output.
    """
    sentences = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = line.strip().replace("*", "")
        for wrong, right in CORRECTIONS:
            line = line.replace(wrong, right)
        sentences += [s for s in re.split(r"(?<=[.;:!?])\s+", line) if s.strip()]
    return sentences


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="../shared is not beside this checkout")
def test_seed_copy_is_current():
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_seed_is_reproduced_sentence_by_sentence():
    document = normalised(body_text(rendered("ke_hoach", example("ke_hoach"))).replace("\n", " "))
    sentences = seed_sentences()
    assert len(sentences) > 100
    missing = [s for s in sentences if normalised(s) not in document]
    assert missing == []


def test_typos_of_the_seed_are_gone():
    text = body_text(rendered("ke_hoach", example("ke_hoach")))
    for wrong, _ in CORRECTIONS[:5]:
        assert wrong not in text
    assert "chậm nhất ngày 20/6" in text and "Phấn đấu hoàn thành" in text and "DÂN VẬN" in text


def test_the_seed_keeps_its_party_closing():
    paragraphs = rendered("ke_hoach", example("ke_hoach")).paragraphs()
    texts = [p.text for p in paragraphs]
    assert "T/M KHỐI THI ĐUA SỐ 1" in texts and "TM. KHỐI THI ĐUA SỐ 1" not in texts
    assert texts[-1] == "Nguyễn Quang Hải" or "Nguyễn Quang Hải" in texts
    assert "- Lưu HSQT." in texts and not any("Lưu: VT" in text for text in texts)
    assert "- Hội đồng TĐ-KT Thành phố (thay b/c)," in texts  # HD 36: a comma after each entry
    assert "Số 01-KH/KTĐ1" in texts and "ĐẢNG CỘNG SẢN VIỆT NAM" in texts
    assert not any("CỘNG HÒA XÃ HỘI" in text for text in texts)


def test_computed_values_of_the_seed_plan():
    data = example("ke_hoach")
    data["the_thuc"] = "nha_nuoc"
    paragraphs = rendered("ke_hoach", data).paragraphs()
    texts = [p.text for p in paragraphs]
    assert "Số: 01/KH-KTĐ1" in texts
    assert "Đà Lạt, ngày 08 tháng 4 năm 2021" in texts
    assert "II. NỘI DUNG PHÁT ĐỘNG PHONG TRÀO THI ĐUA NĂM 2021" in texts
    assert find(paragraphs, r"kỷ niệm 91 năm ngày thành lập Đảng Cộng sản Việt Nam \(03/02/1930 – 03/02/2021\); "
                            r"Mừng xuân Tân Sửu\.")
    assert find(paragraphs, r"^Quý IV: ")
    # The end-of-content mark of the Phụ lục III templates.
    assert [p for p in paragraphs if p.where == "body" and p.text][-1].text.endswith("năm 2021./.")


def test_the_same_plan_rolls_its_computed_values_with_the_year():
    data = example("ke_hoach")
    data.update(nam=2022, ngay="2022-01-05", han_bao_cao_6_thang="2022-06-20", han_bao_cao_nam="2022-12-20")
    text = body_text(rendered("ke_hoach", data))
    assert "92 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2022); Mừng xuân Nhâm Dần" in text
    assert "Chào mừng 47 năm ngày giải phóng Đà Lạt và 47 năm ngày giải phóng" in text
    assert "Đà Lạt, ngày 05 tháng 01 năm 2022" in text


# -- NĐ 30 formatting, element by element ---------------------------------------------------------


@pytest.fixture(scope="module")
def seed_doc():
    data = example("ke_hoach")
    data["the_thuc"] = "nha_nuoc"  # the same data in state form
    return rendered("ke_hoach", data)


def test_page_is_a4_portrait_with_nd30_margins(seed_doc):
    section = seed_doc.section()
    assert (section["width"], section["height"], section["orient"]) == (11906, 16838, "portrait")
    mm = 1440 / 25.4
    assert 20 * mm - 1 <= section["top"] <= 25 * mm + 1
    assert 20 * mm - 1 <= section["bottom"] <= 25 * mm + 1
    assert 30 * mm - 1 <= section["left"] <= 35 * mm + 1
    assert 15 * mm - 1 <= section["right"] <= 20 * mm + 1


def test_times_new_roman_in_every_slot_of_every_run_and_style(seed_doc):
    expected = {slot: "Times New Roman" for slot in ("ascii", "hAnsi", "eastAsia", "cs")}
    for style, fonts in seed_doc.style_fonts().items():
        assert fonts == expected, style
    runs = [run for p in seed_doc.paragraphs() for run in p.runs]
    runs += [run for ps in seed_doc.header_paragraphs().values() for p in ps for run in p.runs]
    assert len(runs) > 200
    for run in runs:
        assert run.fonts == expected, run.text


def _cell(doc, table, row, cell):
    return [p for p in doc.paragraphs() if p.where == f"table {table} row {row} cell {cell}"]


def _single(para):
    """Return (size, bold, italic) shared by every run of a paragraph."""
    values = {(run.size, run.bold, run.italic) for run in para.runs if run.text.strip()}
    assert len(values) == 1, (para.text, values)
    return values.pop()


def test_header_left_column(seed_doc):
    chu_quan, co_quan, rule = _cell(seed_doc, 0, 0, 0)
    assert chu_quan.text == "THÀNH ỦY ĐÀ LẠT" and _single(chu_quan) == (13, False, False)
    assert co_quan.text == "KHỐI THI ĐUA SỐ 1" and _single(co_quan) == (13, True, False)
    assert {chu_quan.align, co_quan.align, rule.align} == {"center"}
    # A solid rule 1/3–1/2 of the issuing body's length, centred under it.
    assert rule.bottom_border and rule.text == ""
    box = layout.HEADER_LEFT - 2 * layout.CELL_MARGIN
    length = box - rule.left - rule.right
    name = text_width(co_quan.text, 13, bold=True)
    assert name / 3 <= length <= name / 2 and abs(rule.left - rule.right) <= 1
    (so,) = _cell(seed_doc, 0, 1, 0)
    assert so.text == "Số: 01/KH-KTĐ1" and _single(so) == (13, False, False) and so.align == "center"


def test_header_right_column(seed_doc):
    quoc_hieu, tieu_ngu, rule = _cell(seed_doc, 0, 0, 1)
    assert quoc_hieu.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and _single(quoc_hieu) == (13, True, False)
    assert tieu_ngu.text == "Độc lập - Tự do - Hạnh phúc" and _single(tieu_ngu) == (14, True, False)
    box = layout.HEADER_RIGHT - 2 * layout.CELL_MARGIN
    assert rule.bottom_border
    assert abs((box - rule.left - rule.right) - text_width(tieu_ngu.text, 14, bold=True)) <= 2
    (date,) = _cell(seed_doc, 0, 1, 1)
    assert date.text == "Đà Lạt, ngày 08 tháng 4 năm 2021" and _single(date) == (14, False, True)
    assert date.align == "center"


def test_header_and_footer_tables_are_borderless(seed_doc):
    tables = seed_doc.tables()
    assert len(tables) == 2
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    for table in tables:
        borders = table.find("w:tblPr/w:tblBorders", ns)
        assert borders is not None
        assert all(b.get(f"{{{ns['w']}}}val") in ("nil", "none") for b in borders)
        assert table.find("w:tr/w:tc/w:tcPr/w:tcBorders", ns) is None


def test_title_block(seed_doc):
    paragraphs = [p for p in seed_doc.paragraphs() if p.where == "body"]
    ten_loai, trich_yeu, rule = paragraphs[:3]
    assert ten_loai.text == "KẾ HOẠCH" and _single(ten_loai) == (14, True, False) and ten_loai.align == "center"
    assert trich_yeu.text == "Tổ chức thực hiện phong trào thi đua năm 2021"
    assert _single(trich_yeu) == (14, True, False) and trich_yeu.align == "center"
    length = layout.TEXT_WIDTH - rule.left - rule.right
    width = text_width(trich_yeu.text, 14, bold=True)
    assert rule.bottom_border and width / 3 <= length <= width / 2


def test_body_paragraphs(seed_doc):
    body = [p for p in seed_doc.paragraphs() if p.where == "body" and p.text][2:]
    assert len(body) > 60
    for para in body:
        assert para.align == "both", para.text
        assert para.first_line in (567, 720), para.text  # 1 cm or 1.27 cm
        assert max(para.before, para.after) >= 120, para.text  # at least 6 pt between paragraphs
        assert para.line_rule in (None, "auto") and 240 <= (para.line or 240) <= 360, para.text
        assert {run.size for run in para.runs} == {14}, para.text


def test_headings_follow_structure_b(seed_doc):
    paragraphs = seed_doc.paragraphs()
    for pattern in (r"^I\. MỤC ĐÍCH – YÊU CẦU$", r"^II\. NỘI DUNG", r"^III\. TỔ CHỨC THỰC HIỆN$",
                    r"^1\. Mục đích$", r"^2\. Yêu cầu$", r"^3\. Nhiệm vụ phát động"):
        heading = find(paragraphs, pattern)
        assert _single(heading) == (14, True, False), heading.text
        assert heading.keep_next
    point = find(paragraphs, r"^1\. Văn phòng, các Ban")  # a khoản without a title is not bold
    assert not any(run.bold for run in point.runs)
    can_cu = find(paragraphs, r"^- Thực hiện Thông báo số 133")
    assert all(run.italic for run in can_cu.runs)
    quarter = find(paragraphs, r"^Quý I: ")
    runs = [run for run in quarter.runs if run.text]
    assert runs[0].bold and runs[0].text == "Quý I: "
    theme = [run for run in runs if run.text == "Mừng đảng, mừng xuân"]
    assert theme and theme[0].italic
    deadline = find(paragraphs, r"cụ thể như sau: Báo cáo 06 tháng")
    assert [run.bold for run in deadline.runs if "chậm nhất" in run.text] == [True]


def test_noi_nhan_and_signature(seed_doc):
    left, right = _cell(seed_doc, 1, 0, 0), _cell(seed_doc, 1, 0, 1)
    label, *entries = left
    assert label.text == "Nơi nhận:" and _single(label) == (12, True, True)
    assert [e.text for e in entries] == [
        "- Hội đồng TĐ-KT Thành phố (thay b/c);", "- Phòng Nội vụ Thành phố;", "- Thủ trưởng Cơ quan Thành uỷ;",
        "- Đảng Uỷ cơ quan;", "- Các Ban xây dựng Đảng Thành uỷ;", "- BCH Công đoàn, Chi Đoàn cơ quan;",
        "- Lưu: VT, HSQT.",
    ]
    assert all(_single(e) == (11, False, False) for e in entries)
    quyen_han, chuc_vu, *space, ho_ten = right
    assert quyen_han.text == "TM. KHỐI THI ĐUA SỐ 1" and _single(quyen_han) == (14, True, False)
    assert chuc_vu.text == "TRƯỞNG BAN DÂN VẬN" and _single(chuc_vu) == (14, True, False)
    assert len(space) >= 3 and all(p.text == "" for p in space)
    assert ho_ten.text == "Nguyễn Quang Hải" and _single(ho_ten) == (14, True, False)
    assert {quyen_han.align, chuc_vu.align, ho_ten.align} == {"center"}


def test_page_numbers_centred_in_the_header_from_page_2(seed_doc):
    section = seed_doc.section()
    assert section["title_page"]
    headers = seed_doc.header_paragraphs()
    default = headers[seed_doc.header_part(section["header_refs"]["default"])]
    first = headers[seed_doc.header_part(section["header_refs"]["first"])]
    numbered = [p for p in default if p.has_page_field]
    assert len(numbered) == 1 and numbered[0].align == "center"
    assert {run.size for run in numbered[0].runs} <= {13, 14} and not any(r.italic for r in numbered[0].runs)
    assert not any(p.has_page_field or p.text.strip() for p in first)


def test_signature_block_is_kept_with_the_end_of_the_text(seed_doc):
    body = [p for p in seed_doc.paragraphs() if p.where == "body"]
    assert body[-2].text.endswith("./.") and body[-2].keep_next and body[-1].keep_next


# -- A plan of another shape ------------------------------------------------------------------------


def test_second_example_of_a_different_shape():
    reader = rendered("ke_hoach", example("ke_hoach", "ke_hoach_cum_phuong.json"))
    paragraphs = reader.paragraphs()
    texts = [p.text for p in paragraphs]
    assert "Số:      /KH-CTĐP2" in texts  # number left for the văn thư
    assert "Lâm Đồng, ngày      tháng      năm 2026" in texts
    assert _cell(reader, 0, 0, 0)[0].text == "CỤM THI ĐUA\nCÁC PHƯỜNG SỐ 2"  # no chủ quản line; two balanced lines
    for expected in ("I. MỤC ĐÍCH, YÊU CẦU", "IV. TỔ CHỨC THỰC HIỆN", "a) Về kinh tế – xã hội",
                     "đ) Về chuyển đổi số", "KT. CỤM TRƯỞNG", "CỤM PHÓ", "- Lưu: VT, VP, 02b."):
        assert expected in texts
    assert find(paragraphs, r"^- Kỷ niệm 96 năm ngày thành lập Đảng Cộng sản Việt Nam \(03/02/1930 – 03/02/2026\);$")
    assert find(paragraphs, r"81 năm Cách mạng tháng Tám .* 78 năm ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi")
    assert not any("Quý" in t for t in texts)


# -- Hostile input ---------------------------------------------------------------------------------


def test_special_characters_and_template_syntax_render_literally():
    data = example("ke_hoach")
    data["trich_yeu"] = HOSTILE["amp_lt_quote"]
    data["co_quan"]["ten"] = HOSTILE["amp_lt_quote"]
    data["noi_dung"][0]["thanh_phan"].insert(0, {"loai": "doan", "van_ban": HOSTILE["jinja"]})
    data["noi_dung"][0]["thanh_phan"].insert(1, {"loai": "gach", "van_ban": HOSTILE["nfd"]})
    data["nguoi_ky"]["ho_ten"] = HOSTILE["jinja"]
    data["noi_nhan"]["cac_noi"].append(HOSTILE["amp_lt_quote"])
    text = body_text(rendered("ke_hoach", data))
    assert 'Công ty A & B <TNHH> "x"' in text
    assert 'CÔNG TY A & B\n<TNHH> "X"' in text
    assert "{{ 7*7 }} {% if true %}x{% endif %}" in text and "49" not in text
    assert "- Kế hoạch tổ chức phong trào thi đua Đảng ủy" in text  # NFD input comes out composed
    assert '- Công ty A & B <TNHH> "x",' in text  # HD 36: a comma after each entry


def test_very_long_text_is_refused_with_the_field_named():
    data = example("ke_hoach")
    data["trich_yeu"] = "x" * 501
    with pytest.raises(ValidationError) as caught:
        render("ke_hoach", data)
    (error,) = caught.value.errors()
    assert error.field == "trich_yeu" and "501" in error.message and "500" in error.message


def test_long_body_text_within_the_limit_renders():
    data = example("ke_hoach")
    data["noi_dung"][0]["thanh_phan"].append({"loai": "doan", "van_ban": "Thi đua yêu nước. " * 500})
    assert "Thi đua yêu nước." in body_text(rendered("ke_hoach", data))


@pytest.mark.parametrize(("change", "field", "fragment"), [
    (lambda d: d["co_quan"].update(ten=""), "co_quan.ten", "Vui lòng nhập «Tên cơ quan"),
    (lambda d: d.update(nam="hai nghìn"), "nam", "số nguyên"),
    (lambda d: d.update(ngay="31/02/2021"), "ngay", "không phải ngày hợp lệ"),
    (lambda d: d["co_quan"].update(ky_hieu="KT Đ/1"), "co_quan.ky_hieu", "không có khoảng trắng"),
    (lambda d: d["nguoi_ky"].update(tham_quyen="XX"), "nguoi_ky.tham_quyen", "phải là một trong"),
    (lambda d: d["nguoi_ky"].update(thay_mat=""), "nguoi_ky.thay_mat", "Vui lòng nhập"),
    (lambda d: d["noi_dung"][0]["thanh_phan"][0].update(tieu_de="", van_ban=""), "noi_dung.0.thanh_phan.0.tieu_de",
     "tiêu đề hoặc nội dung"),
    (lambda d: d["noi_dung"][1]["thanh_phan"][3]["con"][0].update(chu_de="[[ky_niem:khong_co]]"),
     "noi_dung.1.thanh_phan.3.con.0.chu_de", "không có trong danh mục"),
    (lambda d: d.update(han_bao_cao_6_thang="", han_bao_cao_nam=""), "noi_dung.2.thanh_phan.1.van_ban",
     "Hạn gửi báo cáo"),
    (lambda d: d.update(han_bao_cao_nam="2022-12-20"), "han_bao_cao_nam", "năm 2021"),
    (lambda d: d.update(la_gi="?"), "la_gi", "không có trong biểu mẫu"),
    (lambda d: d.update(noi_dung=[]), "noi_dung", "ít nhất 1"),
])
def test_bad_input_is_named_in_vietnamese(change, field, fragment):
    assert_rejected("ke_hoach", change, field, fragment)
