"""Both thể thức from one set of data: every kind under NĐ 30, HD 36 (2021) and HD 05 (rolled into 2027).

The documents are read back with python-docx, independently of doctpl's own checker, and each
element is held to its table in shared/spec/nd30-format.md and shared/spec/party-format.md.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from doctpl import layout
from doctpl.errors import ValidationError
from doctpl.kind import get_kind, kinds
from doctpl.parts.header import rules_of
from doctpl.render import render
from doctpl.rollover import roll, shift_date
from tests.conftest import example
from tests.test_rollover import PER_YEAR

KINDS = [kind.id for kind in kinds()]
VERSIONS = ("nd30", "hd36", "hd05")
TYPE = r"[A-ZĐƯ][A-Za-zĐƯ]*"  # KH, BC, … and the mixed-case TTr, CTr
SO_LINE = {"nd30": rf"^Số: (\d{{2,}}|\s+)/{TYPE}-[A-ZĐ0-9]+$", "hd36": rf"^Số (\d{{2,}}|\s+)-{TYPE}/[A-ZĐ0-9]+$",
           "hd05": rf"^Số (\d{{2,}}|\s+)-{TYPE}/[A-ZĐ0-9]+$"}
ONE_SIGNER = [kind.id for kind in kinds() if {"ky", "grid"} & set(kind.computed)]  # not the biên bản's roles


def data_for(kind_id: str, ma: str) -> dict:
    """Return the seed khối's data of a kind under one version: 2021 for NĐ 30 and HD 36, 2027 for HD 05."""
    data = example(kind_id)
    assert data["the_thuc"] == "dang" and data["nam"] == 2021
    if ma == "nd30":
        return data | {"the_thuc": "nha_nuoc"}
    if ma == "hd36":
        return data
    rolled = roll(get_kind(kind_id), data, 2027).data
    filled = {name: PER_YEAR[name].format(year=2027) for name in PER_YEAR if data.get(name)}
    return rolled | filled | {"ngay": shift_date(data["ngay"], 6), "so": 3}


@cache
def document(kind_id: str, ma: str):
    """Return the rendered document under python-docx (rendered once per kind and version)."""
    data = data_for(kind_id, ma)
    assert rules_of(get_kind(kind_id).validate(data)).ma == ma
    return Document(io.BytesIO(render(kind_id, data).content))


def runs(paragraph):
    return [run for run in paragraph.runs if run.text.strip()]


def style_of(paragraph):
    """Return the (size, bold, italic, underline) shared by every run with text."""
    values = {(run.font.size.pt if run.font.size else None, bool(run.bold), bool(run.italic), bool(run.underline))
              for run in runs(paragraph)}
    assert len(values) == 1, (paragraph.text, values)
    return values.pop()


def cell_paragraphs(cell):
    return [p for p in cell.paragraphs if p.text.strip() or p._p.find(qn("w:pPr")) is not None]


def has_bottom_border(paragraph) -> bool:
    ppr = paragraph._p.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:pBdr")) is not None


def all_paragraphs(doc):
    """Yield every paragraph: body and table cells, in document order."""
    for block in doc.element.body.iterchildren():
        if block.tag == qn("w:p"):
            yield next(p for p in doc.paragraphs if p._p is block)
        elif block.tag == qn("w:tbl"):
            table = next(t for t in doc.tables if t._tbl is block)
            for row in table.rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def texts(doc) -> list[str]:
    return [p.text for p in all_paragraphs(doc)]


def by_text(doc, pattern: str):
    for paragraph in all_paragraphs(doc):
        if re.search(pattern, paragraph.text):
            return paragraph
    raise AssertionError(f"no paragraph matches {pattern!r}")


@pytest.mark.parametrize("ma", VERSIONS)
@pytest.mark.parametrize("kind_id", KINDS)
def test_header(kind_id, ma):
    doc = document(kind_id, ma)
    header = doc.tables[0]
    left = [p for p in header.rows[0].cells[0].paragraphs if p.text.strip()]
    right = [p for p in header.rows[0].cells[1].paragraphs if p.text.strip()]
    party = ma != "nd30"
    name_size = 14 if party else 13
    chu_quan, co_quan = left[0], left[1]
    assert chu_quan.text == "THÀNH ỦY ĐÀ LẠT" and style_of(chu_quan) == (name_size, False, False, False)
    assert style_of(co_quan)[:2] == (name_size, True)
    if party:
        assert left[2].text == "*" and style_of(left[2])[0] == 14  # HD 05 I.2.2.1
        assert [p.text for p in right] == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
        assert style_of(right[0]) == (15, True, False, False)
    else:
        assert [p.text for p in right] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
        assert style_of(right[0])[:2] == (13, True) and style_of(right[1])[:2] == (14, True)
    # A solid rule under the title (the Tiêu ngữ, or ĐẢNG CỘNG SẢN VIỆT NAM) as long as it.
    cell_right = header.rows[0].cells[1].paragraphs
    after_title = next(i for i, p in enumerate(cell_right) if p.text == right[-1].text) + 1
    assert has_bottom_border(cell_right[after_title])
    so = header.rows[1].cells[0].paragraphs[0]
    assert re.match(SO_LINE[ma], so.text), so.text
    assert style_of(so) == (name_size, False, False, False)
    date = header.rows[1].cells[1].paragraphs[0]
    assert re.match(r"^Đà Lạt, ngày \d{2} tháng (0[12]|[3-9]|1[0-2]) năm (2021|2027)$", date.text), date.text
    assert style_of(date) == (14, False, True, False)
    body_text = "\n".join(texts(doc))
    assert ("CỘNG HÒA XÃ HỘI" in body_text) is not party and ("ĐẢNG CỘNG SẢN VIỆT NAM" in body_text) is party


@pytest.mark.parametrize("ma", VERSIONS)
@pytest.mark.parametrize("kind_id", KINDS)
def test_title_block(kind_id, ma):
    doc = document(kind_id, ma)
    kind = get_kind(kind_id)
    paragraphs = doc.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text == kind.ten_loai.upper())
    ten_loai, trich_yeu, separator = paragraphs[index:index + 3]
    party = ma != "nd30"
    assert style_of(ten_loai) == (15 if party else 14, True, False, False)
    assert style_of(trich_yeu)[:2] == (14, True)
    assert {ten_loai.alignment, trich_yeu.alignment} == {1}  # centred
    if party:
        assert trich_yeu.text[0].islower(), trich_yeu.text  # HD 05 I.5.1
        assert separator.text == "-----" and not has_bottom_border(separator)
    else:
        assert trich_yeu.text[0].isupper()
        assert separator.text == "" and has_bottom_border(separator)


@pytest.mark.parametrize("ma", VERSIONS)
@pytest.mark.parametrize("kind_id", KINDS)
def test_body_styles_and_end_mark(kind_id, ma):
    doc = document(kind_id, ma)
    content = doc.styles["VB Nội dung"].paragraph_format
    assert content.first_line_indent == layout.mm(10) * 635  # EMU: about 10 mm in both
    assert content.space_before >= Pt(6)
    spacing, exact = layout.LINE_SPACING[ma]
    if exact:
        assert content.line_spacing_rule == 4 and content.line_spacing == Pt(spacing)  # WD_LINE_SPACING.EXACTLY
        assert (Pt(18) <= content.line_spacing <= Pt(22)) if ma == "hd05" else content.line_spacing >= Pt(18)
    else:
        assert 1.0 <= content.line_spacing <= 1.5
    assert doc.styles["VB Căn cứ"].font.italic is (ma == "nd30")
    styled = [p for p in doc.paragraphs if p.style.name.startswith("VB ") and p.text.strip()]
    ends = [p.text for p in styled if p.text.rstrip().endswith("./.")]
    if ma == "nd30":
        assert len(ends) == 1 or kind_id in ("dang_ky", "bao_cao_tong_ket")
    else:
        assert ends == [], ends  # HD 05 I.6.2.2: a full stop, never "./."
    assert not any(text.endswith("./.") for text in texts(doc)) or ma == "nd30"


@pytest.mark.parametrize("ma", VERSIONS)
@pytest.mark.parametrize("kind_id", ONE_SIGNER)
def test_signature(kind_id, ma):
    doc = document(kind_id, ma)
    data = get_kind(kind_id).validate(data_for(kind_id, ma))
    signer = data["nguoi_ky"] if "nguoi_ky" in data else data["don_vi_ky"][0]
    party = {"TM": "T/M", "KT": "K/T"}
    prefixes = {"nd30": {"TM": "TM.", "KT": "KT."}, "hd36": party, "hd05": party}
    if not signer["tham_quyen"]:
        chuc_vu = by_text(doc, f"^{signer['chuc_vu'].upper()}$")
        assert style_of(chuc_vu) == (14, ma == "nd30", False, False)
        return
    prefix = prefixes[ma][signer["tham_quyen"]]
    quyen_han = by_text(doc, f"^{re.escape(prefix)} {signer['thay_mat'].upper()}$")
    assert style_of(quyen_han) == (14, True, False, False)
    paragraphs = list(all_paragraphs(doc))
    at = [p._p for p in paragraphs].index(quyen_han._p)
    chuc_vu = paragraphs[at + 1]
    assert chuc_vu.text == signer["chuc_vu"].upper()
    assert style_of(chuc_vu) == (14, ma == "nd30", False, False)  # HD 05 Phụ lục 2: chức vụ not bold
    name = next(p for p in paragraphs[at:] if p.text == signer["ho_ten"])
    assert style_of(name) == (14, True, False, False)
    assert not any(re.match(r"^(TM|KT|TL|TUQ)\. ", text) for text in texts(doc)) or ma == "nd30"


@pytest.mark.parametrize("ma", VERSIONS)
@pytest.mark.parametrize("kind_id", KINDS)
def test_noi_nhan(kind_id, ma):
    doc = document(kind_id, ma)
    label = by_text(doc, "^Nơi nhận:$")
    paragraphs = list(all_paragraphs(doc))
    start = [p._p for p in paragraphs].index(label._p) + 1
    entries = []
    for paragraph in paragraphs[start:]:
        if not paragraph.text.startswith("- "):
            break
        entries.append(paragraph)
    *recipients, archive = entries
    assert recipients
    if ma == "nd30":
        assert style_of(label) == (12, True, True, False)
        assert {style_of(p)[0] for p in entries} == {11}
        assert all(p.text.endswith(";") for p in recipients) and archive.text == "- Lưu: VT, HSQT." \
            or archive.text.startswith("- Lưu: VT")
    else:
        assert style_of(label) == (14, False, False, True)  # HD 05 I.9.2.1: upright, underlined
        assert {style_of(p)[0] for p in entries} == {12}
        end = "," if ma == "hd36" else ";"
        assert all(p.text.endswith(end) for p in recipients), [p.text for p in recipients]
        assert re.match(r"^- Lưu [^:]+\.$", archive.text) and "VT" not in archive.text, archive.text


@pytest.mark.parametrize("ma", VERSIONS)
def test_page_numbers_centred_14_not_on_page_1(ma):
    doc = document("ke_hoach", ma)
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.paragraphs[0].text.strip()
    paragraph = section.header.paragraphs[0]
    assert paragraph.alignment == 1 and "PAGE" in paragraph._p.xml
    size = paragraph._p.find(".//" + qn("w:sz"))
    assert size is not None and size.get(qn("w:val")) == "28"  # 14 pt
    assert section.header_distance == layout.mm(10) * 635
    mm = 36000
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m / mm) for m in margins] == [20, 20, 30, 15]  # HD 05 IV.4.1, inside the NĐ 30 ranges


@pytest.mark.parametrize("ma", ("hd36", "hd05"))
def test_giao_uoc_grid_puts_the_lead_unit_on_the_right(ma):
    doc = document("giao_uoc", ma)
    data = get_kind("giao_uoc").validate(data_for("giao_uoc", ma))
    lead = next(unit for unit in data["don_vi_ky"] if unit["vai_tro"] == "truong_khoi")
    heading = next(i for i, t in enumerate(doc.tables) if "THÀNH ỦY" in t.rows[0].cells[-1].text
                   and t is not doc.tables[0])
    first_row = doc.tables[heading].rows[0].cells
    assert len(first_row) == int(data["so_cot"])
    assert lead["ten"].upper().split()[0] in first_row[-1].text.replace("\n", " ")
    assert lead["ho_ten"] in first_row[-1].text and lead["ho_ten"] not in first_row[0].text
    state = document("giao_uoc", "nd30")
    state_row = next(t for t in state.tables[1:] if lead["ho_ten"] in t.rows[0].cells[0].text)
    assert state_row is not None  # NĐ 30: the trưởng khối first, in reading order


def test_hd05_example_signs_with_the_kiem_form():
    data = example("bao_cao_tong_ket", "bao_cao_tong_ket_2026_khoi_dang.json")
    kind = get_kind("bao_cao_tong_ket")
    assert rules_of(kind.validate(data)).ma == "hd05"
    doc = Document(io.BytesIO(render("bao_cao_tong_ket", data).content))
    lines = texts(doc)
    start = lines.index("TRƯỞNG BAN\nTUYÊN GIÁO VÀ DÂN VẬN")  # wider than the column: broken between word units
    assert lines[start:start + 3] == ["TRƯỞNG BAN\nTUYÊN GIÁO VÀ DÂN VẬN", "kiêm",
                                      "TRƯỞNG KHỐI THI ĐUA\nCÁC CƠ QUAN ĐẢNG TỈNH"]
    paragraphs = [p for p in all_paragraphs(doc) if p.text in lines[start:start + 3]]
    assert {style_of(p) for p in paragraphs} == {(14, False, False, False)}
    assert "- Lưu Ban Tuyên giáo và Dân vận." in lines
    state = data | {"the_thuc": "nha_nuoc"}
    assert "kiem" in {e.field.split(".")[-1] for e in render("bao_cao_tong_ket", state).warnings}
    assert "kiêm" not in texts(Document(io.BytesIO(render("bao_cao_tong_ket", state).content)))


@pytest.mark.parametrize("kind_id", ONE_SIGNER)
def test_a_party_document_never_offers_tuq(kind_id):
    data = example(kind_id)
    signer = data["nguoi_ky"] if "nguoi_ky" in data else data["don_vi_ky"][1]
    signer.update(tham_quyen="TUQ", thay_mat="Trưởng khối")
    with pytest.raises(ValidationError) as error:
        render(kind_id, data)
    assert any(e.field.endswith("tham_quyen") and "TUQ" in e.message for e in error.value.errors())
    render(kind_id, data | {"the_thuc": "nha_nuoc"})  # a state document may


def test_number_forms_and_a_blank_number():
    data = example("ke_hoach")
    data["so"] = None
    doc = Document(io.BytesIO(render("ke_hoach", data).content))
    assert "Số      -KH/KTĐ1" in texts(doc)
    data["so"] = 125
    assert "Số 125-KH/KTĐ1" in texts(Document(io.BytesIO(render("ke_hoach", data).content)))
    data["the_thuc"] = "nha_nuoc"
    assert "Số: 125/KH-KTĐ1" in texts(Document(io.BytesIO(render("ke_hoach", data).content)))


def test_party_trich_yeu_starts_lower_case_but_keeps_an_abbreviation():
    data = example("ke_hoach")
    data["trich_yeu"] = "UBND phường và các đoàn thể thi đua năm 2021"
    assert "UBND phường và các đoàn thể thi đua năm 2021" in texts(
        Document(io.BytesIO(render("ke_hoach", data).content)))
    data["trich_yeu"] = "Tổ chức thực hiện phong trào thi đua năm 2021"
    assert "tổ chức thực hiện phong trào thi đua năm 2021" in texts(
        Document(io.BytesIO(render("ke_hoach", data).content)))


def test_a_party_document_without_its_archive_unit_is_filed_under_the_issuer():
    data = example("ke_hoach")
    data["noi_nhan"]["luu"] = ""
    party = render("ke_hoach", data)
    assert "- Lưu Khối thi đua số 1." in texts(Document(io.BytesIO(party.content)))
    state = render("ke_hoach", data | {"the_thuc": "nha_nuoc"})
    assert "- Lưu: VT." in texts(Document(io.BytesIO(state.content)))


def test_typed_end_marks_and_van_thu_are_not_doubled():
    data = example("ke_hoach")
    data["noi_dung"][-1]["thanh_phan"].append({"loai": "doan", "van_ban": "Đoạn cuối./."})
    data["noi_nhan"]["luu"] = "VT, Trạng"
    party = texts(Document(io.BytesIO(render("ke_hoach", data).content)))
    assert "Đoạn cuối." in party
    state = texts(Document(io.BytesIO(render("ke_hoach", data | {"the_thuc": "nha_nuoc"}).content)))
    assert "Đoạn cuối./." in state and "- Lưu: VT, Trạng." in state


def test_the_version_follows_the_date():
    data = get_kind("ke_hoach").validate(example("ke_hoach"))
    on = {"2026-05-26": "hd36", "2026-05-27": "hd05"}
    for day, ma in on.items():
        assert rules_of(data | {"nam": 2026, "ngay": dt.date.fromisoformat(day)}).ma == ma
    assert rules_of(data | {"the_thuc": "nha_nuoc"}).ma == "nd30"
    assert rules_of(data | {"nam": 2027, "ngay": None}).ma == "hd05"  # undated: 1 January of its year
