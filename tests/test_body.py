"""The body as agencies write it: lead paragraph, Phần, 1.1.1., «+» items, tables, line breaks, depth limit.

Every kind with a free body shares this tree (doctpl/parts/body.py); the Kế hoạch carries the tests.
The .docx is read back with python-docx and lxml.
"""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from doctpl.errors import ValidationError
from doctpl.parts import body
from doctpl.parts.body_table import number, vietnamese
from doctpl.render import render
from tests.conftest import HOSTILE, example, state_example


def plan(*sections: dict, **extra) -> dict:
    data = state_example("ke_hoach")
    data["noi_dung"] = list(sections)
    return data | extra


def section(title: str, *blocks: dict, phan: str = "") -> dict:
    return {"phan": phan, "tieu_de": title, "thanh_phan": list(blocks)}


def doan(text: str) -> dict:
    return {"loai": "doan", "van_ban": text}


def open_docx(data: dict, kind_id: str = "ke_hoach"):
    return Document(io.BytesIO(render(kind_id, data).content))


def body_paragraphs(doc) -> list:
    return [p for p in doc.paragraphs if p.style.name.startswith("VB ") and p.text.strip()]


def test_lead_paragraph_follows_the_can_cu_upright():
    data = plan(section("Mục đích", doan("Nội dung.")),
                loi_mo_dau="Ủy ban nhân dân tỉnh ban hành Kế hoạch tổ chức phong trào thi đua năm 2021 như sau:")
    paragraphs = body_paragraphs(open_docx(data))
    lead = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Ủy ban nhân dân tỉnh ban hành"))
    assert paragraphs[lead - 1].style.name == "VB Căn cứ" and paragraphs[lead].style.name == "VB Nội dung"
    assert not any(run.italic for run in paragraphs[lead].runs) and paragraphs[lead + 1].text == "I. MỤC ĐÍCH"


@pytest.mark.parametrize(("style", "labels"), [("thu", ["Phần thứ nhất", "Phần thứ hai"]),
                                                ("la_ma", ["Phần I", "Phần II"])])
def test_phan_above_the_sections_numbers_them_again(style, labels):
    data = plan(section("Công tác chỉ đạo", doan("A."), phan="Kết quả thực hiện năm [[nam]]"),
                section("Kết quả cụ thể", doan("B.")),
                section("Nhiệm vụ trọng tâm", doan("C."), phan="Phương hướng năm 2022"), kieu_phan=style)
    texts = [p.text for p in body_paragraphs(open_docx(data))]
    start = texts.index(labels[0])
    assert texts[start:start + 9] == [labels[0], "KẾT QUẢ THỰC HIỆN NĂM 2021", "I. CÔNG TÁC CHỈ ĐẠO", "A.",
                                      "II. KẾT QUẢ CỤ THỂ", "B.", labels[1], "PHƯƠNG HƯỚNG NĂM 2022",
                                      "I. NHIỆM VỤ TRỌNG TÂM"]
    heading = next(p for p in open_docx(data).paragraphs if p.text == labels[0])
    assert heading.style.name == "VB Giữa dòng" and heading.style.paragraph_format.alignment == 1
    assert heading.style.font.bold and heading.style.paragraph_format.keep_with_next


def test_untitled_section_opens_a_report_with_unnumbered_paragraphs():
    data = plan(section("", doan("Thực hiện Kế hoạch, Khối báo cáo như sau:")), section("Kết quả", doan("X.")))
    texts = [p.text for p in body_paragraphs(open_docx(data))]
    assert "Thực hiện Kế hoạch, Khối báo cáo như sau:" in texts and "I. KẾT QUẢ" in texts
    assert not any(text.startswith("II.") for text in texts)


def test_khoan_inside_khoan_is_numbered_1_1_and_1_1_1_and_plus_items():
    inner = {"loai": "khoan", "tieu_de": "Cấp ba", "van_ban": "",
             "con": [{"loai": "cong", "van_ban": "Ý cộng thứ nhất"}, {"loai": "gach", "van_ban": "Ý gạch"}]}
    middle = {"loai": "khoan", "tieu_de": "Cấp hai", "van_ban": "", "con": [inner, {"loai": "diem", "van_ban": "Điểm"}]}
    data = plan(section("Nhiệm vụ", {"loai": "khoan", "tieu_de": "Cấp một", "van_ban": "", "con": [middle]},
                        {"loai": "khoan", "tieu_de": "Khoản hai", "van_ban": ""}))
    texts = [p.text for p in body_paragraphs(open_docx(data))]
    start = texts.index("1. Cấp một")
    assert texts[start:start + 7] == ["1. Cấp một", "1.1. Cấp hai", "1.1.1. Cấp ba", "+ Ý cộng thứ nhất",
                                      "- Ý gạch", "a) Điểm", "2. Khoản hai./."]


@pytest.mark.parametrize(("block", "field"), [
    ({"loai": "bang", "cot": "A\tB", "dong": "\t"}, "Các dòng"),
    ({"loai": "bang", "cot": " \t ", "dong": "1\t2"}, "Tiêu đề cột"),
])
def test_a_table_field_of_tabs_only_is_empty_not_a_row_of_empty_cells(block, field):
    with pytest.raises(ValidationError) as error:
        render("ke_hoach", plan(section("Mục", block)))
    assert f"Vui lòng nhập «{field}»." in [e.message for e in error.value.errors()]


def test_too_deep_nesting_names_the_limit():
    deepest = {"loai": "doan", "van_ban": "x"}
    for _ in range(4):
        deepest = {"loai": "khoan", "tieu_de": "t", "van_ban": "", "con": [deepest]}
    data = plan(section("Mục", deepest))
    with pytest.raises(ValidationError) as error:
        render("ke_hoach", data)
    messages = [e.message for e in error.value.errors()]
    assert any("tối đa 4 cấp" in message for message in messages), messages
    assert not any("không có trong biểu mẫu" in message for message in messages)


def test_forced_line_break_stays_in_one_paragraph():
    data = plan(section("Mục", doan("Dòng một[[xuong_dong]]Dòng hai")))
    paragraph = next(p for p in open_docx(data).paragraphs if p.text.startswith("Dòng một"))
    assert paragraph._p.findall(".//" + qn("w:br")) and paragraph.text == "Dòng một\nDòng hai./."


def table_block(**extra) -> dict:
    return {"loai": "bang", "tieu_de": "Bảng 1. Kết quả chấm điểm", "nhom_cot": "| | Điểm | Điểm",
            "cot": "STT | Đơn vị | Tự chấm | Khối chấm", "tong": "co",
            "dong": "1 | Văn phòng & <Ban> | 95,5 | 1.234\n2\tBan Tổ chức\t90.25\t1000\n3 | {{ 7*7 }} | 88 | 12",
            **extra}


def test_table_with_merged_header_numbers_right_total_and_repeated_header():
    doc = open_docx(plan(section("Kết quả", doan("Bảng sau:"), table_block(), doan("Sau bảng."))))
    caption = next(p for p in doc.paragraphs if p.text == "Bảng 1. Kết quả chấm điểm")
    assert caption.style.name == "VB Giữa dòng"
    table = next(t for t in doc.tables if "Tự chấm" in t._tbl.xml)
    rows = table._tbl.findall(qn("w:tr"))
    assert len(rows) == 2 + 3 + 1  # two header rows, three rows, the total
    for row in rows[:2]:
        assert row.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert all(row.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for row in rows)
    top = rows[0].findall(qn("w:tc"))
    assert [c.find(qn("w:tcPr")).find(qn("w:gridSpan")) is not None for c in top] == [False, False, True]
    text = [["".join(t.text for t in cell.iter(qn("w:t"))) for cell in row.findall(qn("w:tc"))] for row in rows]
    assert text[0] == ["STT", "Đơn vị", "Điểm"] and text[1] == ["", "", "Tự chấm", "Khối chấm"]
    assert text[2] == ["1", "Văn phòng & <Ban>", "95,50", "1.234"]
    assert text[3] == ["2", "Ban Tổ chức", "90,25", "1.000"]
    assert text[4][1] == "{{ 7*7 }}"  # template syntax stays literal
    assert text[5] == ["", "Tổng cộng", "273,75", "2.246"]
    align = [[cell.find(".//" + qn("w:jc")).get(qn("w:val")) for cell in row.findall(qn("w:tc"))] for row in rows]
    assert align[2] == ["center", "left", "right", "right"]
    size = rows[2].find(".//" + qn("w:sz")).get(qn("w:val"))
    assert size == "26"  # 13 pt
    assert [p.text for p in body_paragraphs(doc)][-1] == "Sau bảng./."


def test_table_problems_are_named():
    data = plan(section("Kết quả", table_block(dong="1 | A | 2 | 3 | 4")))
    with pytest.raises(ValidationError) as error:
        render("ke_hoach", data)
    [problem] = error.value.errors()
    assert problem.field == "noi_dung.0.thanh_phan.0.dong"
    assert "dòng 1 của bảng có 5 ô, bảng có 4 cột" in problem.message
    with pytest.raises(ValidationError) as error:
        render("ke_hoach", plan(section("Kết quả", table_block(cot=""))))
    assert any(e.field == "noi_dung.0.thanh_phan.0.cot" for e in error.value.errors())


def test_vietnamese_numbers():
    assert number("1.234,5") == (number("1234,5")[0], 1) and number("95.5")[0] == number("95,5")[0]
    assert number("1.234")[0] == 1234 and number("abc") is None and number("12a") is None
    assert vietnamese(number("1234567,5")[0], 2) == "1.234.567,50"


@pytest.mark.parametrize("kind_id", ["ke_hoach", "bao_cao_tong_ket"])
def test_tables_and_new_levels_in_party_form_too(kind_id):
    data = example(kind_id)
    data["noi_dung"][0]["thanh_phan"].append(table_block(dong=HOSTILE["amp_lt_quote"] + " | x | 1 | 2"))
    doc = open_docx(data, kind_id)
    table = next(t for t in doc.tables if "Tự chấm" in t._tbl.xml)
    assert HOSTILE["amp_lt_quote"] in table._tbl.xml.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&quot;", '"')


@pytest.mark.parametrize("the_thuc", ["nha_nuoc", "dang"])
def test_sections_numbered_again_in_each_phan_pass_the_checker(the_thuc):
    from doctpl.check import report

    data = plan(section("Công tác chỉ đạo", doan("A."), phan="Kết quả"), section("Kết quả cụ thể", doan("B.")),
                section("Nhiệm vụ", doan("C."), phan="Phương hướng"), the_thuc=the_thuc)
    assert not [f for f in report.check(render("ke_hoach", data).content) if f.severity == "error"]


def test_an_empty_last_section_is_warned_about_and_never_takes_the_end_mark():
    rendered_plan = render("ke_hoach", plan(section("Kết quả", doan("Nội dung cuối")), section("Phương hướng")))
    paragraphs = body_paragraphs(Document(io.BytesIO(rendered_plan.content)))
    assert [p.text for p in paragraphs][-2:] == ["Nội dung cuối./.", "II. PHƯƠNG HƯỚNG"]
    assert [w.field for w in rendered_plan.warnings if "chưa có nội dung" in w.message] == ["noi_dung.1.tieu_de"]


@given(st.text(alphabet=st.sampled_from(list("ab ./\n\t\u00a0")), max_size=14), st.sampled_from(["./.", "."]))
def test_the_end_mark_looks_for_the_typed_mark_in_the_tail_only_and_finds_what_the_whole_text_search_finds(
        text, mark):
    assert body.closed(text, mark) == body._END.sub("", text) + mark
