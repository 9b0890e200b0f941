"""Giao ước: outline, member list, and the multi-party signature grid."""

from __future__ import annotations

import io

import pytest
from docx import Document

from doctpl import layout
from doctpl.errors import ValidationError
from doctpl.render import render
from tests.conftest import HOSTILE, body_text, find, rendered, state_example

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def grid_tables(reader):
    """Return the row tables of the signature grid (centred, after the header table)."""
    return [t for t in reader.tables() if t.find(f"{W}tblPr/{W}jc") is not None]


def signing_cells(table):
    """Return the cells of a grid row that a unit signs: its first row, less the empty cells centring a short one."""
    return [cell for cell in table.find(f"{W}tr").iter(f"{W}tc") if "".join(cell.itertext()).strip()]


def cell_texts(table):
    return [["".join(e.text or "" if e.tag == f"{W}t" else "\n" for e in p.iter(f"{W}t", f"{W}br"))
             for p in cell.iter(f"{W}p")]
            for cell in signing_cells(table)]


def units(count):
    data = state_example("giao_uoc")
    template = data["don_vi_ky"]
    data["don_vi_ky"] = [dict(template[i % len(template)], ten=f"Đơn vị số {i + 1}", vai_tro="")
                         for i in range(count)]
    data["don_vi_ky"][count - 1]["vai_tro"] = "truong_khoi"
    if count > 2:
        data["don_vi_ky"][1]["vai_tro"] = "pho_khoi"
    return data


def test_outline_and_member_list():
    paragraphs = rendered("giao_uoc", state_example("giao_uoc")).paragraphs()
    texts = [p.text for p in paragraphs]
    assert "GIAO ƯỚC THI ĐUA" in texts and "Năm 2021" in texts
    assert "Số: 02/GƯTĐ-KTĐ1" in texts
    assert find(paragraphs, r"^- Căn cứ Kế hoạch số 01-KH/KTĐ1")  # cited as the Party khối numbers it
    assert find(paragraphs, r"^Chủ đề thi đua: “Đẩy mạnh đổi mới")
    members = texts.index("Các đơn vị trong Khối thi đua số 1 gồm:")
    assert texts[members + 1:members + 7] == [
        "1. Ban Dân vận Thành ủy (trưởng khối);", "2. Văn phòng Thành ủy (phó khối);", "3. Ban Tổ chức Thành ủy;",
        "4. Ban Tuyên giáo Thành ủy;", "5. Ủy ban Kiểm tra Thành ủy;", "6. Trung tâm Bồi dưỡng chính trị thành phố.",
    ]
    order = [texts.index(t) for t in ("I. NỘI DUNG GIAO ƯỚC", "II. CHỈ TIÊU", "III. TỔ CHỨC THỰC HIỆN",
                                       "ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC", "Nơi nhận:")]
    assert order == sorted(order)
    assert find(paragraphs, r"kỷ niệm 91 năm ngày thành lập Đảng Cộng sản Việt Nam \(03/02/1930 – 03/02/2021\)")
    heading = find(paragraphs, "^ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC$")
    assert heading.keep_next and heading.align == "center" and all(r.bold for r in heading.runs if r.text)


def test_grid_cells_hold_unit_authority_space_and_name():
    tables = grid_tables(rendered("giao_uoc", state_example("giao_uoc")))
    cells = [cell for table in tables for cell in cell_texts(table)]
    assert [c[0] for c in cells] == [
        "BAN DÂN VẬN THÀNH ỦY", "VĂN PHÒNG THÀNH ỦY", "BAN TỔ CHỨC THÀNH ỦY", "BAN TUYÊN GIÁO THÀNH ỦY",
        "ỦY BAN KIỂM TRA THÀNH ỦY", "TRUNG TÂM BỒI DƯỠNG\nCHÍNH TRỊ THÀNH PHỐ"]  # broken between words
    tuyen_giao = cells[3]
    assert tuyen_giao[1:3] == ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"] and tuyen_giao[-1] == "Phạm Ngọc Sơn"
    assert cells[5][1] == "Q. GIÁM ĐỐC"
    assert all(cell[-5:-1] == ["", "", "", ""] for cell in cells)  # room to sign and seal


def test_names_in_a_row_line_up_whatever_the_lines_above_them():
    rows = [cell_texts(table) for table in grid_tables(rendered("giao_uoc", state_example("giao_uoc")))]

    def lines_above_name(cell):
        return sum(text.count("\n") + 1 for text in cell[:-1])

    assert all(len({lines_above_name(cell) for cell in row}) == 1 for row in rows)
    to_chuc, tuyen_giao = rows[1]  # «TRƯỞNG BAN» beside «KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN»
    assert to_chuc[:3] == ["BAN TỔ CHỨC THÀNH ỦY", "TRƯỞNG BAN", ""] and tuyen_giao[2] == "PHÓ TRƯỞNG BAN"


@pytest.mark.parametrize(("count", "columns", "shape"), [
    (5, 2, [2, 2, 1]), (6, 2, [2, 2, 2]), (25, 2, [2] * 12 + [1]), (2, 2, [2]),
    (5, 3, [3, 2]), (7, 3, [3, 3, 1]), (30, 3, [3] * 10),
])
def test_grid_shape_order_centring_and_rows_that_cannot_split(count, columns, shape):
    data = units(count)
    data["so_cot"] = str(columns)
    tables = grid_tables(rendered("giao_uoc", data))
    assert [len(signing_cells(t)) for t in tables] == shape
    names = [cell[0] for table in tables for cell in cell_texts(table)]
    assert names[0] == f"ĐƠN VỊ SỐ {count}"  # the trưởng khối first
    if count > 2:
        assert names[1] == "ĐƠN VỊ SỐ 2"  # the phó khối second
    assert len(names) == count == len(set(names))
    width = layout.TEXT_WIDTH // columns
    for table in tables:
        assert table.find(f"{W}tblPr/{W}jc").get(f"{W}val") == "center"
        cells = len(signing_cells(table))
        widths = [int(cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for cell in table.find(f"{W}tr").iter(f"{W}tc")]
        if table is tables[-1] and cells < columns:  # a short last row: centred between two equal empty cells
            assert widths[0] == widths[-1] == (columns - cells) * width // 2 and widths[1:-1] == [width] * cells
        else:
            assert widths == [width] * cells
        assert int(table.find(f"{W}tblPr/{W}tblW").get(f"{W}w")) == sum(widths)
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in table.iter(f"{W}tr"))
        borders = table.find(f"{W}tblPr/{W}tblBorders")
        assert all(b.get(f"{W}val") == "nil" for b in borders)


def test_unit_count_limits_and_roles():
    for count in (1, 31):
        with pytest.raises(ValidationError) as caught:
            render("giao_uoc", units(31) if count == 31 else dict(units(2), don_vi_ky=units(2)["don_vi_ky"][:1]))
        assert caught.value.errors()[0].field == "don_vi_ky"
    data = state_example("giao_uoc")
    data["don_vi_ky"][0]["vai_tro"] = "truong_khoi"
    with pytest.raises(ValidationError) as caught:
        render("giao_uoc", data)
    assert [(e.field, e.message) for e in caught.value.errors()] == [
        ("don_vi_ky.3.vai_tro", "Chỉ một đơn vị được là trưởng khối.")]


def test_hostile_input():
    data = state_example("giao_uoc")
    data["chu_de"] = HOSTILE["jinja"]
    data["don_vi_ky"][0]["ten"] = HOSTILE["amp_lt_quote"]
    data["chi_tieu"].append(HOSTILE["nfd"])
    text = body_text(rendered("giao_uoc", data))
    assert HOSTILE["jinja"] in text and 'CÔNG TY A & B <TNHH> "X"' in text
    assert "- Kế hoạch tổ chức phong trào thi đua Đảng ủy" in text


def test_the_last_row_of_signatures_is_kept_on_the_page_of_noi_nhan():
    document = Document(io.BytesIO(render("giao_uoc", state_example("giao_uoc")).content))
    rows = [table for table in document.tables if table._tbl.tblPr.jc is not None]  # the centred grid rows

    def kept(table):
        return {p.paragraph_format.keep_with_next for cell in table.rows[0].cells for p in cell.paragraphs}

    # Word and LibreOffice move the last row with the next row of its table: Nơi nhận, at the left margin.
    assert [kept(table) for table in rows] == [{None}, {None}, {True}] and len(rows[-1].rows) == 2
    recipients = rows[-1].rows[1].cells
    assert len({cell._tc for cell in recipients}) == 1  # one cell over the whole width
    assert [p.text for p in recipients[0].paragraphs][1:3] == ["Nơi nhận:", "- Hội đồng TĐ-KT Thành phố;"]
    assert int(rows[-1]._tbl.tblPr.find(f"{W}tblW").get(f"{W}w")) == layout.TEXT_WIDTH // 2 * 2
    assert "Nơi nhận:" not in [p.text for p in document.paragraphs]
