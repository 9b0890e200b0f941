"""Header and signature as agencies write them (issue 12, point 2), read back with python-docx.

A three-level issuer, a trích yếu on several balanced lines, a two-level quyền hạn (NĐ 30 Phụ lục I II.7, ô 7b),
names broken between Vietnamese word units (doctpl/data/tu_ghep.txt) or where the clerk typed «|», and the Số
typed with a stray leading zero. Each is checked in NĐ 30 and in Party form (shared/spec/nd30-format.md,
shared/spec/party-format.md).
"""

from __future__ import annotations

import io
import json
import math
import unicodedata

import pytest
from docx import Document
from docx.oxml.ns import qn

from doctpl import layout
from doctpl.check import report
from doctpl.errors import ValidationError
from doctpl.facts import DATA_DIR
from doctpl.fields import walk
from doctpl.kind import get_kind
from doctpl.metrics import break_lines, text_width
from doctpl.ooxml import cell_box
from doctpl.parts import title
from doctpl.render import render
from doctpl.vn.text import fold, upper
from tests.conftest import example

HEADER_BOX = cell_box(layout.HEADER_LEFT)
GRID_BOXES = {columns: cell_box(layout.TEXT_WIDTH // columns) for columns in (2, 3)}
SIGNATURE_BOX = cell_box(layout.FOOTER_RIGHT)
FORMS = ("nha_nuoc", "dang")
NAME_SIZE = {"nha_nuoc": 13, "dang": 14}
LONG_TRICH_YEU = ("Tổ chức phong trào thi đua yêu nước và công tác thi đua - khen thưởng của Công đoàn Sở Nội vụ "
                  "tỉnh Đắk Lắk giai đoạn 2026 - 2030, chào mừng Đại hội Công đoàn các cấp tiến tới Đại hội "
                  "Công đoàn Việt Nam lần thứ XIV năm 2026")


# -- reading the document ------------------------------------------------------------------------------------


def docx(kind_id: str, data: dict):
    return Document(io.BytesIO(render(kind_id, data).content))


def style_of(paragraph) -> tuple:
    """Return the (size, bold, italic) shared by every run with text."""
    values = {(run.font.size.pt if run.font.size else None, bool(run.bold), bool(run.italic))
              for run in paragraph.runs if run.text.strip()}
    assert len(values) == 1, (paragraph.text, values)
    return values.pop()


def left_header(doc) -> list:
    return [p for p in doc.tables[0].rows[0].cells[0].paragraphs if p.text.strip()]


def signature_block(doc) -> list:
    """Return the lines of the closing table's signature column, name included."""
    return [p for p in doc.tables[-1].rows[0].cells[-1].paragraphs if p.text.strip()]


def all_texts(doc) -> list[str]:
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs]
    return out


def rule_length(paragraph) -> int:
    """Return the length in twips of the rule drawn as the paragraph's bottom border between its indents."""
    fmt = paragraph.paragraph_format
    assert paragraph._p.find(qn("w:pPr")).find(qn("w:pBdr")) is not None
    return layout.TEXT_WIDTH - round((fmt.left_indent or 0) / 635) - round((fmt.right_indent or 0) / 635)


# -- the dictionary, read on its own -------------------------------------------------------------------------


def _keys(text: str) -> list[str]:
    out = []
    for token in unicodedata.normalize("NFC", text).split():
        folded = fold(token).strip(",.;:()“”\"")
        out.append("-" if folded in ("-", "–", "—") else folded)
    return out


def compounds() -> list[list[str]]:
    """Return the entries of several syllables of tu_ghep.txt, folded, as the test reads the file itself."""
    entries = []
    for line in (DATA_DIR / "tu_ghep.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "[")) and len([k for k in _keys(line) if k != "-"]) > 1:
            entries.append(_keys(line))
    return entries


def broken_units(lines: list[str], size: float, box: int, *, bold: bool = True) -> list[str]:
    """Return each dictionary compound, place name joined by « - », or «năm <số>» that a line break cuts,
    unless nothing could keep it whole: it is wider than the box, or it overlaps another compound («BAN TUYÊN
    GIÁO» and «TUYÊN GIÁO VÀ DÂN VẬN») and the two together are."""
    tokens = [token for line in lines for token in line.split()]
    keys = _keys(" ".join(lines))
    ends, count = set(), 0
    for line in lines[:-1]:
        count += len(line.split())
        ends.add(count)  # a break before token `count`
    cut = []
    spans = [(start, start + len(entry)) for entry in compounds()
             for start in range(len(keys) - len(entry) + 1) if keys[start:start + len(entry)] == entry]
    spans += [(i - 2, i + 3) for i, k in enumerate(keys) if k == "-" and 2 <= i < len(keys) - 2
              and all(t[:1].isupper() and t == upper(t) for t in tokens[i - 2:i + 3] if t not in "-–")]
    spans += [(i, i + 2) for i, k in enumerate(keys[:-1]) if k == "năm" and keys[i + 1].isdigit()]
    def wide(start: int, end: int) -> bool:
        return text_width(" ".join(tokens[start:end]), size, bold=bold) > box

    for start, end in spans:
        if not any(start < at < end for at in ends) or wide(start, end):
            continue
        if any((a < start < b < end or start < a < end < b) and wide(min(a, start), max(b, end)) for a, b in spans):
            continue
        cut.append(" ".join(tokens[start:end]))
    return cut


# -- 1. three levels of the issuing body ---------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_three_level_issuer_only_the_issuer_bold(form):
    data = example("ke_hoach") | {"the_thuc": form}
    data["co_quan"] = {"cap_tren": "UBND tỉnh Đắk Lắk", "chu_quan": "Sở Nội vụ", "ten": "Công đoàn", "ky_hieu": "CĐ"}
    doc = docx("ke_hoach", data)
    lines = left_header(doc)
    size = NAME_SIZE[form]
    assert [p.text for p in lines[:3]] == ["UBND TỈNH ĐẮK LẮK", "SỞ NỘI VỤ", "CÔNG ĐOÀN"]
    assert [style_of(p) for p in lines[:3]] == [(size, False, False), (size, False, False), (size, True, False)]
    if form == "dang":
        assert lines[3].text == "*"  # HD 05 I.2.2.1
    else:  # NĐ 30 Phụ lục I II.2: a rule 1/3–1/2 of the issuer's name under it
        rule = doc.tables[0].rows[0].cells[0].paragraphs[3]
        width = text_width("CÔNG ĐOÀN", size, bold=True)
        ratio = (HEADER_BOX - round((rule.paragraph_format.left_indent or 0) / 635) * 2) / width
        assert 1 / 3 <= ratio <= 1 / 2
    assert report.check(render("ke_hoach", data).content) == []


def test_existing_data_without_the_new_level_stays_valid_and_a_level_needs_its_chu_quan():
    data = example("ke_hoach")
    assert "cap_tren" not in data["co_quan"]
    assert get_kind("ke_hoach").validate(data)["co_quan"]["cap_tren"] == ""
    assert [p.text for p in left_header(docx("ke_hoach", data))][:2] == ["THÀNH ỦY ĐÀ LẠT", "KHỐI THI ĐUA SỐ 1"]
    data["co_quan"] |= {"cap_tren": "Tỉnh ủy Lâm Đồng", "chu_quan": ""}
    with pytest.raises(ValidationError) as caught:
        render("ke_hoach", data)
    (error,) = caught.value.errors()
    assert error.field == "co_quan.cap_tren" and "«Cơ quan, tổ chức chủ quản»" in error.message


# -- 2. a long trích yếu, balanced ---------------------------------------------------------------------------


def trich_yeu_paragraph(doc, kind_id: str = "ke_hoach"):
    paragraphs = doc.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text == get_kind(kind_id).ten_loai.upper())
    return paragraphs[at + 1], paragraphs[at + 2]


@pytest.mark.parametrize("form", FORMS)
def test_long_trich_yeu_in_balanced_lines_without_a_lone_word_or_a_broken_compound(form):
    data = example("ke_hoach") | {"the_thuc": form, "trich_yeu": LONG_TRICH_YEU}
    doc = docx("ke_hoach", data)
    paragraph, separator = trich_yeu_paragraph(doc)
    lines = paragraph.text.split("\n")
    assert paragraph.text.replace("\n", " ") == (title.lower_initial(LONG_TRICH_YEU) if form == "dang"
                                                 else LONG_TRICH_YEU)
    assert style_of(paragraph) == (14, True, False) and paragraph.alignment == 1  # one centred paragraph
    widths = [text_width(line, 14, bold=True) for line in lines]
    assert max(widths) <= title.BOX < layout.TEXT_WIDTH
    assert len(lines) == math.ceil(text_width(LONG_TRICH_YEU, 14, bold=True) / title.BOX)  # the fewest lines
    assert min(widths) >= 0.6 * max(widths), (lines, widths)  # balanced
    assert broken_units(lines, 14, title.BOX) == []  # «thi đua - khen thưởng», «năm 2026», «2026 - 2030» whole
    assert len(lines[-1].split()) >= 3 and not lines[-1].startswith("năm")
    if form == "dang":
        assert lines[0].startswith("tổ chức") and separator.text == "-----"  # HD 05 I.5.1, I.5.2.1
    else:  # the rule under it: 1/3–1/2 of the longest line
        assert 1 / 3 <= rule_length(separator) / max(widths) <= 1 / 2
    assert report.check(render("ke_hoach", data).content) == []


def words_to_fill(box: int) -> str:
    """Return a trích yếu that fits `box` on one line but not with « năm 2026» after it."""
    words = "Tổ chức thực hiện phong trào thi đua yêu nước trong các cơ quan đơn vị trên địa bàn phường".split()
    text = ""
    for word in words * 3:
        longer = f"{text} {word}".strip()
        if text_width(f"{longer} năm 2026", 14, bold=True) > box:
            break
        text = longer
    assert text_width(text + " năm 2026", 14, bold=True) <= box
    for extra in ("mới", "mới nay"):
        if text_width(f"{text} {extra} năm 2026", 14, bold=True) > box >= text_width(f"{text} {extra}", 14, bold=True):
            return f"{text} {extra} năm 2026"
    raise AssertionError("no filler found")


def test_the_last_line_never_holds_one_word_or_a_short_tail():
    text = words_to_fill(title.BOX)
    lines = title.lines(text)
    assert len(lines) == 2 and lines[-1] != "năm 2026" and lines[-1] != "2026"
    assert len(lines[-1].split()) >= 3 and not lines[0].endswith(" năm")
    assert broken_units(lines, 14, title.BOX) == []


def test_trich_yeu_of_500_characters_renders_and_a_bar_forces_a_break():
    data = example("ke_hoach") | {"the_thuc": "nha_nuoc"}
    data["trich_yeu"] = (LONG_TRICH_YEU + ", ") * 2 + "x" * (title.MAX_LEN - 2 * len(LONG_TRICH_YEU) - 4)
    assert len(data["trich_yeu"]) == title.MAX_LEN
    paragraph, _ = trich_yeu_paragraph(docx("ke_hoach", data))
    assert paragraph.text.count("\n") >= 4
    data["trich_yeu"] = "Tổ chức thực hiện phong trào thi đua|năm 2026"
    paragraph, _ = trich_yeu_paragraph(docx("ke_hoach", data))
    assert paragraph.text == "Tổ chức thực hiện phong trào thi đua\nnăm 2026"  # the clerk's break, no «|»


def test_a_short_trich_yeu_stays_on_one_line():
    paragraph, _ = trich_yeu_paragraph(docx("ke_hoach", example("ke_hoach") | {"the_thuc": "nha_nuoc"}))
    assert paragraph.text == "Tổ chức thực hiện phong trào thi đua năm 2021"


# -- 3. two-level quyền hạn ----------------------------------------------------------------------------------

UBND_SIGNER = {"tham_quyen": "TM", "thay_mat": "Ủy ban nhân dân", "tham_quyen_2": "KT", "thay_mat_2": "Chủ tịch",
               "chuc_vu": "Phó Chủ tịch", "ho_ten": "Nguyễn Văn An"}


def test_two_level_authority_in_state_form_every_line_bold():
    data = example("ke_hoach", "ke_hoach_cum_phuong.json") | {"nguoi_ky": dict(UBND_SIGNER)}
    doc = docx("ke_hoach", data)
    block = signature_block(doc)
    assert [p.text for p in block] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]
    assert {style_of(p) for p in block} == {(14, True, False)}  # NĐ 30 Phụ lục I II.7: all bold
    assert report.check(render("ke_hoach", data).content) == []
    data["nguoi_ky"] |= {"tham_quyen_2": "Q", "thay_mat_2": "", "chuc_vu": "Chủ tịch"}
    assert [p.text for p in signature_block(docx("ke_hoach", data))] == [
        "TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH", "Nguyễn Văn An"]
    data["nguoi_ky"] = dict(UBND_SIGNER, tham_quyen="KT", thay_mat="Chủ tịch")  # no second level under KT.
    assert [p.text for p in signature_block(docx("ke_hoach", data))] == [
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]


def test_the_second_level_needs_the_head_title():
    data = example("ke_hoach", "ke_hoach_cum_phuong.json") | {"nguoi_ky": dict(UBND_SIGNER, thay_mat_2="")}
    with pytest.raises(ValidationError) as caught:
        render("ke_hoach", data)
    assert [e.field for e in caught.value.errors()] == ["nguoi_ky.thay_mat_2"]


@pytest.mark.parametrize("kind_id", ["ke_hoach", "giao_uoc"])
def test_two_level_authority_is_refused_in_party_form_with_the_field_named(kind_id):
    data = example(kind_id)
    assert data["the_thuc"] == "dang"
    signer = data["nguoi_ky"] if "nguoi_ky" in data else data["don_vi_ky"][0]
    signer.update(tham_quyen="TM", thay_mat="Ban Thường vụ", tham_quyen_2="KT", thay_mat_2="Bí thư",
                  chuc_vu="Phó Bí thư")
    with pytest.raises(ValidationError) as caught:
        render(kind_id, data)
    (error,) = [e for e in caught.value.errors() if e.field.endswith("tham_quyen_2")]
    assert "T/M" in error.message and "K/T" in error.message and "Hướng dẫn 05-HD/VPTW" in error.message
    assert "«Quyền hạn ký cấp thứ hai»" in error.message
    render(kind_id, data | {"the_thuc": "nha_nuoc"})  # a state document may


def test_party_signature_keeps_quyen_han_bold_and_chuc_vu_upright():
    doc = docx("ke_hoach", example("ke_hoach"))
    block = signature_block(doc)
    assert [p.text for p in block] == ["T/M KHỐI THI ĐUA SỐ 1", "TRƯỞNG BAN DÂN VẬN", "Nguyễn Quang Hải"]
    assert [style_of(p)[1] for p in block] == [True, False, True]


def test_a_long_authority_line_breaks_between_units_with_its_prefix():
    data = example("ke_hoach", "ke_hoach_cum_phuong.json")
    data["nguoi_ky"] = dict(UBND_SIGNER, thay_mat="Ủy ban nhân dân phường Xuân Hương - Đà Lạt")
    block = signature_block(docx("ke_hoach", data))
    first = block[0].text.split("\n")
    assert first[0] == "TM. ỦY BAN NHÂN DÂN" and " ".join(first) == "TM. ỦY BAN NHÂN DÂN PHƯỜNG XUÂN HƯƠNG - ĐÀ LẠT"
    assert all(text_width(line, 14, bold=True) <= SIGNATURE_BOX for line in first)
    assert broken_units(first, 14, SIGNATURE_BOX) == []


# -- 4. word units and «|» -----------------------------------------------------------------------------------

BRIEF_NAMES = [
    "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK", "UBND TỈNH ĐẮK LẮK", "SỞ NỘI VỤ", "CÔNG ĐOÀN",
    "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG TỈNH ĐẮK LẮK", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG THÀNH PHỐ",
    "ỦY BAN KIỂM TRA ĐẢNG ỦY PHƯỜNG", "TRƯỜNG CHÍNH TRỊ TỈNH LÂM ĐỒNG", "KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG TỈNH",
    "ỦY BAN NHÂN DÂN PHƯỜNG LÂM VIÊN - ĐÀ LẠT", "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ĐẢNG ỦY PHƯỜNG XUÂN HƯƠNG - ĐÀ LẠT",
    "CHI BỘ VĂN PHÒNG ĐẢNG ỦY PHƯỜNG LÂM VIÊN - ĐÀ LẠT", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH ĐẮK LẮK",
    "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH LÂM ĐỒNG", "LIÊN ĐOÀN LAO ĐỘNG TỈNH LÂM ĐỒNG",
    "ĐOÀN THANH NIÊN CỘNG SẢN HỒ CHÍ MINH TỈNH LÂM ĐỒNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY",
    "BAN TỔ CHỨC THÀNH ỦY", "BAN NỘI CHÍNH TỈNH ỦY", "VĂN PHÒNG TỈNH ỦY", "CỤM THI ĐUA CÁC PHƯỜNG SỐ 2",
    "TRUNG TÂM BỒI DƯỠNG CHÍNH TRỊ THÀNH PHỐ", "ĐẶC KHU PHÚ QUÝ", "ỦY BAN NHÂN DÂN XÃ ĐỨC TRỌNG",
    "HỘI ĐỒNG NHÂN DÂN TỈNH LÂM ĐỒNG",
]


def registry_names() -> list[str]:
    """Return every name of the demo registry (khối, bodies, other names, chủ quản), in capitals."""
    data = json.loads((DATA_DIR / "demo" / "danh_muc.json").read_text(encoding="utf-8"))

    def names(value):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                yield item
            elif isinstance(item, dict):
                yield from (item[k] for k in ("ten", "chu_quan") if isinstance(item.get(k), str))

    bodies = [*data["khoi"], *(unit for khoi in data["khoi"] for unit in khoi.get("don_vi", [])), *data["co_quan"]]
    found = {upper(name) for body in bodies for field in ("ten", "ten_khac", "ten_ngan", "chu_quan")
             for name in names(body.get(field)) if name}
    assert len(found) > 30
    return sorted(found)


SIZES_AND_BOXES = [(13, HEADER_BOX), (14, HEADER_BOX), (13, GRID_BOXES[3]), (14, GRID_BOXES[3]),
                   (14, GRID_BOXES[2]), (14, SIGNATURE_BOX)]


@pytest.mark.parametrize("name", BRIEF_NAMES + registry_names())
def test_names_never_break_inside_a_word_unit(name):
    for size, box in SIZES_AND_BOXES:
        lines = break_lines(name, size, box, bold=True)
        assert " ".join(lines) == name
        assert broken_units(lines, size, box) == [], (size, box, lines)
        assert all(text_width(line, size, bold=True) <= box for line in lines if " " in line), (size, box, lines)


@pytest.mark.parametrize(("name", "size", "box", "lines"), [
    ("ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK", 13, HEADER_BOX, ["ỦY BAN NHÂN DÂN", "TỈNH ĐẮK LẮK"]),  # not «… NHÂN / DÂN …»
    ("UỶ BAN NHÂN DÂN TỈNH ĐẮK LẮK", 13, HEADER_BOX, ["UỶ BAN NHÂN DÂN", "TỈNH ĐẮK LẮK"]),  # old tone placement
    ("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG THÀNH PHỐ", 13, HEADER_BOX, ["HỘI ĐỒNG", "THI ĐUA - KHEN THƯỞNG", "THÀNH PHỐ"]),
    ("HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH ĐẮK LẮK", 13, HEADER_BOX,
     ["HỘI ĐỒNG", "THI ĐUA – KHEN THƯỞNG", "TỈNH ĐẮK LẮK"]),
    ("ỦY BAN KIỂM TRA ĐẢNG ỦY PHƯỜNG", 14, GRID_BOXES[3], ["ỦY BAN KIỂM TRA", "ĐẢNG ỦY PHƯỜNG"]),
    ("TRƯỜNG CHÍNH TRỊ TỈNH LÂM ĐỒNG", 14, HEADER_BOX, ["TRƯỜNG CHÍNH TRỊ", "TỈNH LÂM ĐỒNG"]),
    ("KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG TỈNH", 13, HEADER_BOX, ["KHỐI THI ĐUA", "CÁC CƠ QUAN ĐẢNG TỈNH"]),
    ("ỦY BAN NHÂN DÂN PHƯỜNG LÂM VIÊN - ĐÀ LẠT", 14, GRID_BOXES[2], ["ỦY BAN NHÂN DÂN", "PHƯỜNG LÂM VIÊN - ĐÀ LẠT"]),
    ("BAN TUYÊN GIÁO THÀNH ỦY", 13, HEADER_BOX, ["BAN TUYÊN GIÁO", "THÀNH ỦY"]),
    ("KHỐI THI ĐUA SỐ 1", 13, HEADER_BOX, ["KHỐI THI ĐUA SỐ 1"]),  # fits: never broken
])
def test_balanced_lines_between_units(name, size, box, lines):
    assert break_lines(name, size, box, bold=True) == lines


def test_matching_works_on_decomposed_input_and_returns_nfc():
    name = unicodedata.normalize("NFD", "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK")
    assert break_lines(name, 13, HEADER_BOX, bold=True) == ["ỦY BAN NHÂN DÂN", "TỈNH ĐẮK LẮK"]


def test_a_bar_forces_a_break_and_is_never_printed():
    assert break_lines("KHỐI THI ĐUA|SỐ 1", 13, HEADER_BOX, bold=True) == ["KHỐI THI ĐUA", "SỐ 1"]
    forced = break_lines("ỦY BAN NHÂN DÂN|PHƯỜNG LÂM VIÊN - ĐÀ LẠT", 14, GRID_BOXES[2], bold=True)
    assert forced == ["ỦY BAN NHÂN DÂN", "PHƯỜNG LÂM VIÊN - ĐÀ LẠT"]
    assert break_lines("ỦY BAN | NHÂN DÂN", 13, HEADER_BOX) == ["ỦY BAN", "NHÂN DÂN"]  # the clerk decides


@pytest.mark.parametrize("form", FORMS)
def test_bars_in_names_break_the_header_the_grid_and_the_signature(form):
    data = example("ke_hoach") | {"the_thuc": form}
    data["co_quan"] |= {"chu_quan": "Thành ủy|Đà Lạt", "ten": "Khối thi đua|số 1"}
    data["nguoi_ky"] |= {"thay_mat": "Khối thi đua|số 1"}
    doc = docx("ke_hoach", data)
    assert [p.text for p in left_header(doc)][:2] == ["THÀNH ỦY\nĐÀ LẠT", "KHỐI THI ĐUA\nSỐ 1"]
    prefix = "T/M" if form == "dang" else "TM."
    assert signature_block(doc)[0].text == f"{prefix} KHỐI THI ĐUA\nSỐ 1"
    assert not any("|" in text for text in all_texts(doc))

    covenant = example("giao_uoc") | {"the_thuc": form}
    covenant["don_vi_ky"][0]["ten"] = "Ủy ban Kiểm tra|Thành ủy"
    grid = [p.text for table in docx("giao_uoc", covenant).tables[1:] for cell in table.rows[0].cells
            for p in cell.paragraphs]
    assert "ỦY BAN KIỂM TRA\nTHÀNH ỦY" in grid and not any("|" in text for text in grid)


def test_the_help_of_every_name_field_tells_of_the_bar():
    fields = dict(walk(get_kind("giao_uoc").fields))
    for path in ("co_quan.cap_tren", "co_quan.chu_quan", "co_quan.ten", "don_vi_ky.*.ten",
                 "don_vi_ky.*.thay_mat", "trich_yeu"):
        assert "«|»" in fields[path].help, path
    assert fields["co_quan.cap_tren"].label == "Cơ quan cấp trên của cơ quan chủ quản"


# -- 5. leading zeros in Số ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0125", "005", "010"])
def test_a_stray_leading_zero_in_so_is_refused_with_the_field_named(typed):
    data = example("ke_hoach") | {"so": typed}
    with pytest.raises(ValidationError) as caught:
        render("ke_hoach", data)
    (error,) = caught.value.errors()
    value = int(typed)
    assert error.field == "so"
    assert error.message == f"«Số văn bản» «{typed}»: viết {value}; số dưới 10 tự thêm số 0 ở đầu."


@pytest.mark.parametrize(("typed", "printed"), [("05", "Số 05-KH/KTĐ1"), ("5", "Số 05-KH/KTĐ1"),
                                                ("125", "Số 125-KH/KTĐ1"), (125, "Số 125-KH/KTĐ1")])
def test_numbers_typed_as_printed_are_kept(typed, printed):
    assert printed in all_texts(docx("ke_hoach", example("ke_hoach") | {"so": typed}))


def test_other_integers_still_ignore_leading_zeros():
    assert get_kind("ke_hoach").validate(example("ke_hoach") | {"nam": "02021"})["nam"] == 2021
