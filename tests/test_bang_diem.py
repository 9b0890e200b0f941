"""Bảng chấm điểm: score arithmetic, caps, grades, ranks with ties, errors naming the criterion, the .xlsx round
trip of self-scores, the tables and the Phụ lục's section read back in both thể thức, the checker's verdict."""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from openpyxl import load_workbook

from doctpl import score_check, score_tree, scoring_xlsx
from doctpl.check.report import check
from doctpl.cli import main
from doctpl.errors import BadInput, ValidationError
from doctpl.fields import describe
from doctpl.kind import get_kind
from doctpl.parts import score_table
from doctpl.render import render
from doctpl.rollover import roll
from tests.conftest import example

KIND = "bang_diem"
SEED, STATE, PARTY = "bang_diem.json", "bang_diem_cum_phuong.json", "bang_diem_2026_khoi_dang.json"
LANDSCAPE = {"huong_phu_luc": "ngang"}


def _item(text, most, loai="chuan", **more):
    return {"noi_dung": text, "loai": loai, "diem_toi_da": most, **more}


def small(scores=None, **changes):
    """Return a record with a small table: leaves 1.1, 1.2 (graded), 1.3 (bonus), 1.4, 1.5 (deductions), 2.1, 2.2."""
    data = example(KIND) | {"thuong_toi_da": 1, "tru_toi_da": 3, "tieu_chuan": [
        _item("Nhiệm vụ chính trị", 20, tru_toi_da=1, muc=[
            _item("Tham mưu", 10),
            {"noi_dung": "Chất lượng", "loai": "chuan", "cach_cham": "xep_loai", "diem_a": 10, "diem_b": 8,
             "diem_c": 5, "diem_d": 0},
            _item("Được biểu dương", 2, "thuong"), _item("Chậm tiến độ", 1, "tru"), _item("Báo cáo chậm", 1, "tru")]),
        _item("Hoạt động chung", 10, muc=[_item("Họp", 6), _item("Thể thao", 6)])]}
    rows = [{"tu_cham": value} if value is not None else {} for value in (scores or [10, 8, 2, 0.5, 0, 6, 5])]
    data["don_vi"] = [{"ten": "Phường Xuân Hương - Đà Lạt", "diem": rows}]
    return data | changes


def validated(data):
    return get_kind(KIND).validate(data)


def errors_of(data):
    with pytest.raises(ValidationError) as caught:
        validated(data)
    return {(e.field, e.message) for e in caught.value.errors()}


# -- arithmetic ----------------------------------------------------------------------------------------------

def test_codes_subtotals_caps_and_the_total():
    data = validated(small())
    tree = score_tree.table(data)
    assert [node.code for node in tree.walk()] == ["1", "1.1", "1.2", "1.3", "1.4", "1.5", "2", "2.1", "2.2"]
    found = score_tree.values(data["don_vi"][0], "tu_cham", len(tree.leaves))
    first, second = (score_tree.points(node, found, []) for node in tree.nodes)
    assert (first.chuan, first.thuong, first.tru, first.total) == (18, 2, Decimal("0.5"), Decimal("19.5"))
    assert second.total == 10  # 6 + 5 offered, the tiêu chuẩn is worth 10
    excess = []
    result = score_tree.total(tree, found, excess)
    assert (result.thuong, result.total) == (1, Decimal("28.5"))  # the bonus of 2 counts up to the table's cap
    assert [(e.loai, e.found, e.cap) for e in excess] == [("thuong", 2, 1)]
    assert tree.maximum == 30


def test_a_bonus_past_its_cap_is_counted_up_to_it_and_warned_about():
    warnings = [w.message for w in render(KIND, small()).warnings]
    assert "Bảng điểm: tổng điểm thưởng tự chấm 2 vượt mức tối đa 1; chỉ tính 1 điểm." in warnings


def test_grades_give_their_points_and_other_values_are_refused():
    graded = next(line for line in score_table.lines(validated(small()), 0) if line["ma"] == "1.2")
    assert (graded["tu_cham"], graded["noi_dung"]) == ("8 (B)", "Chất lượng (xếp loại A: 10; B: 8; C: 5; D: 0)")
    assert ("don_vi.0.diem.1.tu_cham", "Tiêu chí 1.2 “Chất lượng” xếp loại A, B, C, D: điểm tự chấm 7 không ứng với "
            "loại nào (A: 10, B: 8, C: 5, D: 0).") in errors_of(small([10, 7, 0, 0, 0, 6, 5]))


@pytest.mark.parametrize(("scores", "stage", "field", "message"), [
    ([12, 8, 0, 0, 0, 6, 5], "tu_cham", "don_vi.0.diem.0.tu_cham",
     "Tiêu chí 1.1 “Tham mưu”: điểm tự chấm 12 vượt điểm tối đa 10."),
    ([10, 8, 2.5, 0, 0, 6, 5], "tham_dinh", "don_vi.0.diem.2.tham_dinh",
     "Tiêu chí 1.3 “Được biểu dương”: điểm thưởng khối thẩm định 2,5 vượt mức thưởng tối đa 2."),
    ([10, 8, 0, 1.5, 0, 6, 5], "hoi_dong", "don_vi.0.diem.3.hoi_dong",
     "Tiêu chí 1.4 “Chậm tiến độ”: điểm trừ Hội đồng chấm 1,5 vượt mức trừ tối đa 1."),
    ([10, 8, 0, 1, 0.5, 6, 5], "tu_cham", "don_vi.0.diem",
     "Tiêu chí 1 “Nhiệm vụ chính trị”: tổng điểm trừ tự chấm 1,5 vượt mức tối đa 1."),
])
def test_every_score_past_its_maximum_or_cap_is_an_error_naming_the_criterion(scores, stage, field, message):
    data = small()
    data["don_vi"][0]["diem"] = [{stage: value} for value in scores]
    assert (field, message) in errors_of(data)


def test_deductions_past_the_tables_cap_and_too_many_rows():
    data = small([10, 8, 0, 0.5, 0.5, 6, 5, 1], tru_toi_da=0.5)
    assert errors_of(data) >= {
        ("don_vi.0.diem", "Bảng điểm: tổng điểm trừ tự chấm 1 vượt mức tối đa 0,5."),
        ("don_vi.0.diem", "Đơn vị «Phường Xuân Hương - Đà Lạt» có 8 dòng điểm, bảng tiêu chí chỉ có 7 tiêu chí "
                          "được chấm.")}
    assert describe(get_kind(KIND).fields, "don_vi.0.diem.3.tu_cham") == "Đơn vị thứ 1 › tiêu chí thứ 4 › Điểm tự chấm"


def test_decimal_commas_are_read_and_more_than_two_decimals_refused():
    data = small()
    data["don_vi"][0]["diem"][0] = {"tu_cham": "9,5", "tham_dinh": "9,25"}
    assert validated(data)["don_vi"][0]["diem"][0]["tham_dinh"] == Decimal("9.25")
    data["don_vi"][0]["diem"][0] = {"tu_cham": "9,555"}
    assert any(field == "don_vi.0.diem.0.tu_cham" and "tối đa 2 chữ số thập phân" in message
               for field, message in errors_of(data))


def test_criteria_that_do_not_add_up_are_refused_on_the_field_to_correct():
    data = small()
    first, second = data["tieu_chuan"]
    second["muc"][0]["diem_toi_da"] = 12
    first["muc"][1]["diem_b"] = 11
    first["muc"][0] |= {"tru_toi_da": 1}
    data["tieu_chuan"].append(_item("Điểm trừ chung", 2, "tru", muc=[_item("Vi phạm", 1)]))
    found = errors_of(data)
    assert found >= {
        ("tieu_chuan.1.muc.0.diem_toi_da", "Tiêu chí 2.1 “Họp”: điểm tối đa 12 vượt điểm tối đa 10 của tiêu chí 2."),
        ("tieu_chuan.0.muc.1.diem_b", "Tiêu chí 1.2 “Chất lượng”: điểm loại B (11) lớn hơn điểm loại trên nó (10)."),
        ("tieu_chuan.0.muc.0.tru_toi_da", "Tiêu chí 1.1 “Tham mưu”: mức tối đa này chỉ dùng cho tiêu chí có tiêu "
                                          "chí con."),
        ("tieu_chuan.2.muc.0.loai", "Tiêu chí 3.1 “Vi phạm” thuộc «điểm trừ» của tiêu chí 3 nên cũng phải là "
                                    "điểm trừ.")}
    data = small()
    data["tieu_chuan"][1]["muc"] = [_item("Họp", 4), _item("Thể thao", 4)]
    assert ("tieu_chuan.1.diem_toi_da", "Tiêu chí 2 “Hoạt động chung”: điểm tối đa 10 nhưng các tiêu chí con cộng "
                                        "lại chỉ được 8 điểm chuẩn.") in errors_of(data)


def test_unscored_criteria_of_a_started_stage_are_warned_about():
    warnings = [w.message for w in render(KIND, small([10, None, 0, 0, 0, None, 5])).warnings]
    assert ("Đơn vị «Phường Xuân Hương - Đà Lạt» chưa có điểm tự chấm của tiêu chí 1.2, 2.1; tổng điểm tính như "
            "0 điểm.") in warnings


# -- ranks, citations, the criteria from a giao ước --------------------------------------------------------

def test_ranks_share_places_on_ties_and_use_the_latest_stage_every_unit_reached():
    rows, basis = score_table.summary_rows(validated(example(KIND, STATE)))
    assert basis == "tham_dinh"
    assert [(r["ten"], r["tham_dinh"], r["hang"]) for r in rows] == [
        ("Phường Xuân Hương - Đà Lạt", "101", 1), ("Phường Cam Ly - Đà Lạt", "99", 2),
        ("Phường Lâm Viên - Đà Lạt", "99", 2), ("Phường Xuân Trường - Đà Lạt", "98", 4),
        ("Phường Lang Biang - Đà Lạt", "96,5", 5)]
    party, basis = score_table.summary_rows(validated(example(KIND, PARTY)))
    assert basis == "hoi_dong" and [r["hang"] for r in party] == [1, 2, 3, 4, 4, 6, 7]


def test_a_unit_cites_its_score_and_lists_it_criterion_by_criterion():
    data = validated(example(KIND, STATE))
    assert score_tree.cite(data, "phường cam ly - đà lạt") == "tự chấm 100,5/100 điểm; khối thẩm định 99/100 điểm"
    lines = score_table.lines(data, 1)
    assert lines[-1] == {"ma": "", "noi_dung": "TỔNG ĐIỂM", "dam": True, "chuan": "100", "thuong": "", "tru": "",
                         "tu_cham": "100,5", "tham_dinh": "99", "hoi_dong": "", "ghi_chu": ""}
    with pytest.raises(BadInput, match="Không có đơn vị «Phường 9»"):
        score_tree.cite(data, "Phường 9")


def test_the_criteria_skeleton_comes_from_a_giao_uocs_chi_tieu():
    giao_uoc = get_kind("giao_uoc")
    source = giao_uoc.validate(giao_uoc.example("giao_uoc_cum_phuong.json"))
    criteria = score_tree.skeleton(source)
    assert len(criteria) == len(source["chi_tieu"]) and "năm 2026" in criteria[0]["noi_dung"]
    assert ("tieu_chuan.0.diem_toi_da", "Vui lòng nhập «Điểm tối đa».") in errors_of(small(tieu_chuan=criteria))
    filled = [item | {"diem_toi_da": 10} for item in criteria]
    assert validated(small([], tieu_chuan=filled))["tieu_chuan"][6]["diem_toi_da"] == 10


# -- the .xlsx of self-scores ---------------------------------------------------------------------------------

def _filled(data, unit, cells):
    book = load_workbook(io.BytesIO(scoring_xlsx.template(data, unit)))
    sheet = book[scoring_xlsx.SHEET]
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(content, code):
    sheet = load_workbook(io.BytesIO(content))[scoring_xlsx.SHEET]
    return next(cell.row for cell in sheet["A"] if cell.value == code)


def test_the_self_score_sheet_round_trips():
    data = example(KIND, STATE)
    blank = scoring_xlsx.template(data, "Phường Cam Ly - Đà Lạt")
    sheet = load_workbook(io.BytesIO(blank))[scoring_xlsx.SHEET]
    assert sheet.protection.sheet and sheet["B2"].value == "Phường Cam Ly - Đà Lạt"
    line = _row(blank, "1.1")
    assert (sheet[f"D{line}"].value, sheet[f"F{line}"].value, sheet[f"F{line}"].protection.locked) == (15, 15, False)
    assert sheet[f"F{_row(blank, '1')}"].protection.locked  # a tiêu chuẩn is not scored
    assert scoring_xlsx.read(data, blank).data == data  # unchanged, it reads back what it wrote
    graded = _row(blank, "2.4")
    content = _filled(data, 1, {f"F{line}": "14,5", f"G{line}": "Đạt 98 % dự toán", f"F{graded}": "b"})
    imported = scoring_xlsx.read(data, content, "cam-ly.xlsx")
    unit = imported.data["don_vi"][1]
    assert imported.unit == 1
    assert unit["diem"][0] == {"tu_cham": 14.5, "tham_dinh": 15, "tu_cham_ghi_chu": "Đạt 98 % dự toán"}
    assert unit["diem"][6]["tu_cham"] == 4  # grade B
    assert validated(imported.data)["don_vi"][1]["diem"][0]["tu_cham"] == Decimal("14.5")


@pytest.mark.parametrize(("code", "column", "value", "message"), [
    ("1.1", "F", "=1+1", "ô có công thức «=1+1»; hãy nhập giá trị, không dùng công thức."),
    ("1.1", "G", "=HYPERLINK(\"x\")", "ô có công thức «=HYPERLINK(\"x\")»; hãy nhập giá trị, không dùng công thức."),
    ("1.1", "F", "mười", "Tiêu chí 1.1 “Thu ngân sách nhà nước đạt dự toán được giao”: «mười» — «Điểm tự chấm» phải "
                         "là số từ 0 đến 1000, tối đa 2 chữ số thập phân (ví dụ 95,5)."),
    ("1.1", "F", -1, "«-1» — «Điểm tự chấm» phải là số từ 0 đến 1000"),
    ("1.1", "F", "9,555", "«9,555» — «Điểm tự chấm» phải là số từ 0 đến 1000, tối đa 2 chữ số thập phân"),
    ("1.1", "F", 16, "Tiêu chí 1.1 “Thu ngân sách nhà nước đạt dự toán được giao”: điểm tự chấm 16 vượt điểm tối "
                     "đa 15."),
    ("1.1", "F", "A", "Tiêu chí 1.1 “Thu ngân sách nhà nước đạt dự toán được giao” chấm bằng điểm, không xếp loại: "
                      "nhập số điểm."),
    ("2.5", "F", 3, "Tiêu chí 2.5 “Hồ sơ giải quyết trễ hạn (mỗi 1 % trễ hạn trừ 0,5 điểm)”: điểm trừ tự chấm 3 "
                    "vượt mức trừ tối đa 2."),
])
def test_a_wrong_cell_is_named_by_its_row_and_column(code, column, value, message):
    data = example(KIND, STATE)
    line = _row(scoring_xlsx.template(data, 0), code)
    with pytest.raises(ValidationError) as caught:
        scoring_xlsx.read(data, _filled(data, 0, {f"{column}{line}": value}))
    assert (f"dòng {line}, cột {column}", True) in [(e.field, message in e.message) for e in caught.value.errors()]


def test_a_deduction_cap_is_named_on_the_row_of_its_criterion_and_the_sheet_must_match():
    data = example(KIND, STATE)
    data["tieu_chuan"][1]["tru_toi_da"] = 1
    blank = scoring_xlsx.template(data, 0)
    with pytest.raises(ValidationError) as caught:
        scoring_xlsx.read(data, _filled(data, 0, {f"F{_row(blank, '2.5')}": 1.5}))
    assert [(e.field, e.message) for e in caught.value.errors()] == [(f"dòng {_row(blank, '2')}, cột F", (
        "Tiêu chí 2 “Cải cách hành chính, chuyển đổi số”: tổng điểm trừ tự chấm 1,5 vượt mức tối đa 1."))]
    with pytest.raises(BadInput, match="là bảng tự chấm của «Phường Cam Ly - Đà Lạt», không phải của «Phường Xuân"):
        scoring_xlsx.read(data, _filled(data, 0, {"B2": "Phường Cam Ly - Đà Lạt"}), unit=0)
    changed = copy.deepcopy(data)
    changed["tieu_chuan"][0]["muc"][0]["noi_dung"] = "Thu ngân sách"
    with pytest.raises(ValidationError, match="hãy tải lại mẫu tự chấm"):
        scoring_xlsx.read(changed, blank)


def test_a_criterion_written_like_a_formula_stays_text_in_the_sheet():
    data = example(KIND, STATE)
    data["tieu_chuan"][0]["muc"][0]["noi_dung"] = "=SUM(A1:A9) không phải công thức"
    content = scoring_xlsx.template(data, 0)
    sheet = load_workbook(io.BytesIO(content))[scoring_xlsx.SHEET]
    assert sheet[f"B{_row(content, '1.1')}"].data_type == "s"
    assert scoring_xlsx.read(data, content).data == data


def test_the_command_line_writes_and_reads_the_sheet(tmp_path):
    source = tmp_path / "bang_diem.json"
    source.write_text(json.dumps(example(KIND, STATE), ensure_ascii=False), encoding="utf-8")
    sheet, out = tmp_path / "tu_cham.xlsx", tmp_path / "moi.json"
    runner = CliRunner()
    assert runner.invoke(main, ["diem", "mau", str(source), "2", "-o", str(sheet)]).exit_code == 0
    result = runner.invoke(main, ["diem", "nhap", str(source), str(sheet), "-o", str(out)])
    assert result.exit_code == 0 and "Phường Cam Ly - Đà Lạt" in result.output
    assert json.loads(out.read_text(encoding="utf-8")) == example(KIND, STATE)
    failed = runner.invoke(main, ["diem", "mau", str(source), "Phường 9", "-o", str(sheet)])
    assert failed.exit_code == 2 and "Không có đơn vị «Phường 9»" in failed.output


# -- the rendered document ------------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=[STATE, PARTY, SEED])
def document(request):
    """The examples, the Party one with its appendices in landscape."""
    data = example(KIND, request.param) | (LANDSCAPE if request.param == PARTY else {})
    return request.param, render(KIND, data).content


def _tables(content):
    doc = Document(io.BytesIO(content))
    return doc, [t for t in doc.tables if t.rows[0].cells[0].text == "TT"]


def test_tables_repeat_their_header_never_split_and_align_numbers_right(document):
    name, content = document
    doc, (summary, *units) = _tables(content)
    assert [c.text for c in summary.rows[0].cells] == ["TT", "Đơn vị", "Tự chấm", "Khối thẩm định", "Hội đồng",
                                                         "Xếp hạng"]
    assert len(units) == len(example(KIND, name)["don_vi"])
    for tbl in (summary, *units):
        assert tbl.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in tbl.rows)
    for row in summary.rows[1:]:
        assert {c.paragraphs[0].alignment for c in row.cells[2:5]} == {WD_ALIGN_PARAGRAPH.RIGHT}
    first = units[0]
    assert [c.text for c in first.rows[0].cells] == ["TT", "Tiêu chí", "Điểm chuẩn", "Điểm thưởng", "Điểm trừ",
                                                       "Tự chấm", "Khối thẩm định", "Hội đồng", "Ghi chú"]
    total = first.rows[-1]
    assert total.cells[1].text == "TỔNG ĐIỂM" and total.cells[2].text == "100"
    assert all(run.bold for run in total.cells[5].paragraphs[0].runs)
    for row in first.rows[1:]:
        assert {c.paragraphs[0].alignment for c in row.cells[2:8]} == {WD_ALIGN_PARAGRAPH.RIGHT}
    tieu_chuan = first.rows[1]
    assert tieu_chuan.cells[0].text == "1" and all(run.bold for run in tieu_chuan.cells[1].paragraphs[0].runs)


def test_the_totals_and_the_ranks_are_printed(document):
    name, content = document
    _, (summary, first, *_) = _tables(content)
    if name == SEED:
        assert [c.text for c in summary.rows[1].cells] == ["1", "Ban Dân vận Thành ủy", "102", "102", "", "1"]
    elif name == STATE:
        assert [c.text for c in summary.rows[3].cells] == ["3", "Phường Lâm Viên - Đà Lạt", "99,5", "99", "", "2"]
        assert [c.text for c in first.rows[-1].cells[5:7]] == ["102", "101"]
        deduction = next(row for row in first.rows if row.cells[0].text == "2.5")
        assert deduction.cells[4].text == "2"
    else:
        assert [c.text for c in summary.rows[5].cells[4:]] == ["97", "4"]
        graded = next(row for row in first.rows if row.cells[0].text == "1.1.b")
        assert [c.text for c in graded.cells[5:8]] == ["10 (A)", "8 (B)", "8 (B)"]


def test_the_phu_luc_is_referred_to_its_document_in_its_own_form(document):
    name, content = document
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    if name == STATE:
        assert "Phụ lục I\nBẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026\nPHƯỜNG XUÂN HƯƠNG - ĐÀ LẠT" in text
        assert "(Kèm theo Thông báo số 10/TB-CTĐP2 ngày 12 tháng 12 năm 2026 của Cụm thi đua các phường số 2)" in text
        assert "tại Phụ lục I đến V kèm theo.\nKết quả trên là căn cứ" in text and text.count("./.") == 1
    elif name == PARTY:
        assert "PHỤ LỤC 7\nBẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026\nTRƯỜNG CHÍNH TRỊ TỈNH LÂM ĐỒNG" in text
        assert ("(Kèm theo Giao ước thi đua số 02-GƯTĐ/KTĐCQĐ, ngày 24/02/2026 của Khối thi đua các cơ quan Đảng "
                "tỉnh)\n-----") in text
    else:  # HD 36
        assert "PHỤ LỤC 1\nBẢNG CHẤM ĐIỂM THI ĐUA NĂM 2021\nVĂN PHÒNG THÀNH ỦY" in text
        assert "(Kèm theo Giao ước thi đua số 02-GƯTĐ/KTĐ1, ngày 15/4/2021 của Khối thi đua số 1)" in text
        assert "tại Phụ lục 1 đến 6 kèm theo.\nKết quả trên" in text and "./." not in text


def test_each_phu_luc_is_a_section_of_its_own_numbered_from_one(document):
    name, content = document
    doc = Document(io.BytesIO(content))
    sections = doc.sections
    assert len(sections) == 1 + len(example(KIND, name)["don_vi"])
    landscape = name == PARTY
    assert sections[0].page_width < sections[0].page_height  # the Thông báo itself is portrait
    for section in sections[1:]:
        assert (section.page_width > section.page_height) == landscape
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
        assert section.different_first_page_header_footer
        assert (section.left_margin.twips, section.right_margin.twips, section.top_margin.twips) == (1701, 850, 1134)


def test_the_checker_finds_no_error_in_the_examples(document):
    name, content = document
    found = [(f.severity, f.rule) for f in check(content)]
    assert found == ([("warning", "PAGE_PORTRAIT")] if name == PARTY else [])  # «khổ ngang»: a table appendix


def test_party_form_under_hd_36_and_the_criteria_table_alone():
    data = example(KIND, PARTY) | {"ngay": "2026-03-02", "phu_luc": "tieu_chi"}
    content = render(KIND, data).content
    assert check(content).version.ma == "hd36" and check(content).errors == 0
    _, (_, blank) = _tables(content)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "PHỤ LỤC\nBẢNG TIÊU CHÍ CHẤM ĐIỂM THI ĐUA NĂM 2026" in text
    assert all(c.text == "" for row in blank.rows[1:] for c in row.cells[5:8])


def test_a_state_document_with_landscape_appendices_passes_the_checker():
    """Each paragraph is measured against its own section: the Thông báo portrait, the Phụ lục landscape."""
    content = render(KIND, example(KIND, STATE) | {"huong_phu_luc": "ngang", "don_vi_in": 2}).content
    assert [f.rule for f in check(content) if f.severity == "error"] == []


def test_only_one_units_table_when_asked_and_warnings_are_none_for_the_examples():
    document = render(KIND, example(KIND, STATE) | {"don_vi_in": 2})
    _, (_, only) = _tables(document.content)
    text = "\n".join(p.text for p in Document(io.BytesIO(document.content)).paragraphs)
    assert "Phụ lục\nBẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026\nPHƯỜNG CAM LY - ĐÀ LẠT" in text and len(only.rows) > 10
    assert "Điểm chấm theo từng tiêu chí của Phường Cam Ly - Đà Lạt tại Phụ lục kèm theo." in text
    assert ("don_vi_in", "«Chỉ in bảng của đơn vị thứ» 9: bảng điểm có 5 đơn vị.") in errors_of(
        example(KIND, STATE) | {"don_vi_in": 9})
    for name in (SEED, STATE, PARTY):
        assert score_check.warnings(validated(example(KIND, name))) == []


def test_next_year_keeps_the_criteria_and_clears_the_giao_uocs_number_and_date():
    rolled = roll(get_kind(KIND), example(KIND, PARTY), 2027)
    assert {"kem_theo.so", "kem_theo.ngay"} <= {flag.field for flag in rolled.flags}
    assert rolled.data["tieu_chuan"] == example(KIND, PARTY)["tieu_chuan"]
    assert "Đơn vị và điểm chấm" in [item.label for item in rolled.highlights]
