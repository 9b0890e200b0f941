"""Mở từ tệp Word: the corpus typed the way clerks type, read back, rendered, checked; the three faces; bad files."""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile

import pytest
from docx import Document

from doctpl import markup
from doctpl.check import report
from doctpl.check.reader import Reader
from doctpl.importer import guess_kind, import_docx
from doctpl.importer.patterns import label
from doctpl.kind import get_kind, kinds
from doctpl.limits import TooLarge, UnreadableFile
from doctpl.render import render, render_data
from doctpl.vn.canchi import can_chi
from doctpl.vn.text import fold, nfc
from tests import word_corpus as corpus
from tests.conftest import example

SHARE = 0.95  # of the typed sentences found in the document rendered from the import


def norm(text: str) -> str:
    """Return text as compared: NFC, folded (case, tone placement), one space for every run of spaces and breaks."""
    return " ".join(fold(nfc(text)).split())


def sentences(typed: list[str]) -> list[str]:
    """Return the sentences of the typed texts, without their typed numbering (doctpl numbers again)."""
    out = []
    for text in typed:
        for part in re.split(r"(?<=[.;:!?])\s+|\n", text):
            found = label(part.strip())
            part = part.strip()[found.length:] if found and found.kind != "phan" else part
            part = part.strip(" .,;:-–—+*")
            if any(char.isalpha() for char in part):
                out.append(part)
    return out


def rendered_text(imported) -> str:
    kind = get_kind(imported.kind)
    content = render_data(kind, kind.validate(imported.data)).content
    return norm("\n".join(p.text for p in Reader(content).paragraphs()))


def outline(sections: list[dict]) -> list[tuple[int, str]]:
    """Return the levels of the body: (0, "phan"), (0, "muc") and (depth, kind) of every block but paragraphs."""
    def blocks(items: list[dict], depth: int) -> list[tuple[int, str]]:
        return [found for item in items for found in (
            ([] if item["loai"] == "doan" else [(depth, item["loai"])]) + blocks(item.get("con", []), depth + 1))]
    return [found for section in sections for found in (
        [(0, "phan")] * bool(section.get("phan")) + [(0, "muc")] * bool(section["tieu_de"])
        + blocks(section["thanh_phan"], 1))]


@pytest.fixture(scope="module")
def imports():
    """Each corpus file, typed once, and its import as its own kind."""
    out = {}
    for name, (kind_id, build) in corpus.CORPUS.items():
        typist = build()
        out[name] = (typist, import_docx(kind_id, typist.content(), f"{name}.docx"))
    return out


@pytest.mark.parametrize("name", list(corpus.CORPUS))
def test_the_sentences_typed_come_back_in_the_document_rendered_from_the_import(imports, name):
    typist, imported = imports[name]
    assert imported.errors == []  # a whole document: the form lacks nothing, so nothing is filled in
    text = rendered_text(imported)
    typed = sentences(typist.typed)
    missing = [sentence for sentence in typed if norm(sentence) not in text]
    assert 1 - len(missing) / len(typed) >= SHARE, missing
    unplaced = [norm(item.van_ban) for item in imported.unplaced]
    assert [s for s in missing if not any(norm(s) in item for item in unplaced)] == []  # nothing lost unlisted


@pytest.mark.parametrize("name", ["seed_plan", "ubnd_plan", "so_ket_dot", "report_by_criteria"])
def test_the_document_rendered_from_the_import_has_no_checker_finding(imports, name):
    _, imported = imports[name]
    kind = get_kind(imported.kind)
    checked = report.check(render_data(kind, kind.validate(imported.data)).content)
    assert [finding.sentence for finding in checked] == []


def test_the_levels_of_the_body_are_those_typed(imports):
    assert outline(imports["seed_plan"][1].data["noi_dung"]) == outline(example("ke_hoach")["noi_dung"])
    for name, levels in corpus.LEVELS.items():
        assert outline(imports[name][1].data["noi_dung"]) == levels, name


def test_the_seed_plan_reads_as_the_project_s_example(imports):
    data = imports["seed_plan"][1].data
    seed = example("ke_hoach")
    assert data["the_thuc"] == "dang" and data["so"] == 1 and data["ngay"] == "2021-04-08"
    assert data["co_quan"] == {"cap_tren": "", "chu_quan": "THÀNH ỦY ĐÀ LẠT", "ten": "KHỐI THI ĐUA SỐ 1",
                               "ky_hieu": "KTĐ1"}
    assert data["nguoi_ky"] == {"tham_quyen": "TM", "thay_mat": "KHỐI THI ĐUA SỐ 1", "tham_quyen_2": "",
                                "thay_mat_2": "", "chuc_vu": "TRƯỞNG BAN DÂN VÂN", "kiem": "",
                                "ho_ten": "Nguyễn Quang Hải"}  # the seed's typo «VÂN» kept as typed
    assert data["noi_nhan"] == seed["noi_nhan"] and data["can_cu"] == seed["can_cu"]
    text = json.dumps(data, ensure_ascii=False)
    for token in ("[[ky_niem:thanh_lap_dang]]", "Mừng xuân [[can_chi]]", "[[so_nam:giai_phong_da_lat]]",
                  "[[ky_niem:xo_viet_nghe_tinh]]", "NĂM [[nam]]"):
        assert token in text
    assert "2021 - 2026" in text and "ngày 29 tháng 3 năm 2021" in text  # a range, a dated citation: as typed


def test_the_imported_plan_rolls_into_the_next_year():
    from doctpl.rollover import roll

    imported = import_docx("ke_hoach", corpus.seed_plan().content())
    kind = get_kind("ke_hoach")
    rolled = roll(kind, imported.data, 2022)
    rolled.data["ngay"] = "2022-04-08"
    text = norm("\n".join(p.text for p in Reader(render_data(kind, kind.validate(rolled.data)).content).paragraphs()))
    assert norm("92 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2022)") in text
    assert norm("Mừng xuân Nhâm Dần") in text and norm("NĂM 2022") in text


def test_a_ubnd_plan_with_two_levels_of_signing_and_a_lead_paragraph(imports):
    data = imports["ubnd_plan"][1].data
    assert data["co_quan"]["ten"] == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" and data["co_quan"]["ky_hieu"] == "UBND"
    assert (data["so"], data["ngay"], data["the_thuc"]) == (15, "2026-01-20", "nha_nuoc")
    assert {key: data["nguoi_ky"][key] for key in ("tham_quyen", "thay_mat", "tham_quyen_2", "thay_mat_2",
                                                    "chuc_vu", "ho_ten")} == {
        "tham_quyen": "TM", "thay_mat": "ỦY BAN NHÂN DÂN", "tham_quyen_2": "KT", "thay_mat_2": "CHỦ TỊCH",
        "chuc_vu": "PHÓ CHỦ TỊCH", "ho_ten": "Nguyễn Văn An"}
    assert data["loi_mo_dau"] == "Ủy ban nhân dân tỉnh ban hành Kế hoạch tổ chức phong trào thi đua yêu nước năm " \
                                 "[[nam]] như sau:"
    assert len(data["can_cu"]) == 2 and data["noi_nhan"]["luu"] == "TH"
    reform = data["noi_dung"][1]["thanh_phan"][1]
    assert reform["van_ban"].split("\n") == ["Đẩy mạnh chuyển đổi số trong cơ quan nhà nước.",
                                             "Phấn đấu 100 % hồ sơ được giải quyết trực tuyến toàn trình."]


def test_a_report_by_criteria_keeps_its_parts_its_table_and_its_signer(imports):
    data = imports["report_by_criteria"][1].data
    assert data["kieu_phan"] == "thu" and data["kinh_gui"] == ["Ủy ban nhân dân tỉnh Lâm Đồng"]
    assert [s["phan"] for s in data["noi_dung"] if s["phan"]] == ["KẾT QUẢ THỰC HIỆN CÁC TIÊU CHUẨN THI ĐUA",
                                                                  "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027"]
    table = data["noi_dung"][2]["thanh_phan"][0]
    assert table == {"loai": "bang", "tieu_de": "Bảng tổng hợp điểm tự chấm", "cot": "STT | Tiêu chuẩn | Điểm chuẩn | "
                     "Điểm tự chấm", "nhom_cot": "", "dong": "1 | Tiêu chuẩn 1 | 60 | 57,5\n2 | Tiêu chuẩn 2 | 40 | 38",
                     "tong": "co", "con": []}
    assert data["co_quan"]["chu_quan"] == "UBND TỈNH LÂM ĐỒNG" and data["co_quan"]["ten"] == "SỞ NỘI VỤ"
    assert (data["nguoi_ky"]["chuc_vu"], data["nguoi_ky"]["ho_ten"]) == ("GIÁM ĐỐC", "Trần Văn Bình")
    assert data["noi_nhan"] == {"cac_noi": ["Như trên"], "luu": "VP"}
    policy = data["noi_dung"][0]["thanh_phan"][0]["con"][1]
    assert policy["van_ban"] == "Thực hiện tinh giản biên chế[[xuong_dong]]đúng lộ trình được giao."


def test_a_so_ket_of_a_dot_takes_its_period_and_three_levels_of_issuer(imports):
    data = imports["so_ket_dot"][1].data
    assert (data["ky"], data["dot_ten"], data["dot_tu"], data["dot_den"]) == (
        "dot", "Chào mừng Đại hội Công đoàn tỉnh", "2026-03-02", "2026-06-30")
    assert data["co_quan"] == {"cap_tren": "UBND TỈNH LÂM ĐỒNG", "chu_quan": "SỞ NỘI VỤ", "ten": "CÔNG ĐOÀN",
                               "ky_hieu": "CĐ"}


def test_the_kind_is_guessed_from_the_type_name_and_the_trich_yeu():
    for name, (kind_id, build) in corpus.CORPUS.items():
        assert guess_kind(build().content()) == kind_id, name


@pytest.mark.parametrize(("line", "read"), [
    ("Số: 01/KH-KTĐ1", (1, "KH", "KTĐ1", False)), ("Số 01-KH/KTĐ1", (1, "KH", "KTĐ1", True)),
    ("Số:      /BC-UBND", (None, "BC", "UBND", False)), ("Số: 12/2026/QĐ-UBND", (12, "QĐ", "UBND", False)),
])
def test_the_so_line_in_either_form(line, read):
    from doctpl.importer.patterns import so_line

    found = so_line(line)
    assert (found.so, found.loai, found.ky_hieu, found.dang) == read


@pytest.mark.parametrize(("line", "code"), [
    ("TM. ỦY BAN NHÂN DÂN", "TM"), ("TM ỦY BAN NHÂN DÂN", "TM"), ("T/M BAN THƯỜNG VỤ", "TM"),
    ("T.M BAN CHẤP HÀNH", "TM"), ("KT. CHỦ TỊCH", "KT"), ("K/T TRƯỞNG BAN", "KT"), ("TL. GIÁM ĐỐC", "TL"),
    ("T/L BAN THƯỜNG VỤ", "TL"),
    ("TUQ. CHỦ TỊCH", "TUQ"), ("Q. CHỦ TỊCH", "Q"), ("TM. Ủy ban nhân dân", "TM"), ("THÀNH ỦY ĐÀ LẠT", None),
    ("Tổng cộng", None), ("Q. Hoàn Kiếm", None), ("TM mới", None),
])
def test_the_quyen_han_however_it_is_written(line, code):
    from doctpl.importer.patterns import sign

    assert (sign(line) or (None,))[0] == code


@pytest.mark.parametrize(("line", "luu"), [("- Lưu: VT, TH.", "VT, TH"), ("- Lưu HSQT.", "HSQT"),
                                           ("Lưu: VT.", "VT"), ("- Hội đồng TĐ-KT,", None)])
def test_the_archive_line(line, luu):
    from doctpl.importer.patterns import luu as read

    assert read(line) == luu


@pytest.mark.parametrize(("text", "kind", "depth"), [
    ("Phần thứ nhất", "phan", 1), ("PHẦN II. PHƯƠNG HƯỚNG", "phan", 1), ("IV. KIẾN NGHỊ", "muc", 1),
    ("1. Mục đích", "khoan", 1), ("1.1. Sắp xếp", "khoan", 2), ("2.1.3 Tuyển dụng", "khoan", 3),
    ("đ) Về số", "diem", 1), ("Quý III: Tổ chức", "quy", 1), ("- Nội dung", "gach", 1), ("+ Nội dung", "cong", 1),
    ("V/v phân công", None, 0),
    ("2021 là năm", None, 0), ("3.5 triệu đồng", None, 0), ("1.000 người tham gia", None, 0), ("_______", None, 0),
])
def test_typed_numbering(text, kind, depth):
    found = label(text)
    assert (found.kind, found.depth) == (kind, depth) if kind else found is None


def test_the_year_and_its_can_chi_become_tokens_only_where_they_are_the_document_s():
    from doctpl.importer.tokens import tokenise

    assert tokenise("Năm 2026, năm Bính Ngọ; 6 tháng đầu năm 2026.", 2026) == \
        "Năm [[nam]], năm [[can_chi]]; 6 tháng đầu năm [[nam]]."
    kept = "ngày 05 tháng 3 năm 2026, nhiệm kỳ 2026 - 2031, năm 2025, 02/9/2026, 97 năm ngày thành lập Đảng"
    assert tokenise(kept, 2026) == kept  # a full date, a range, another year, a date, a count that is not 96


def typed(lines_before: list[str], body: list[str], closing: list[str], **header) -> bytes:
    """A small state document: header table, KẾ HOẠCH and its trích yếu, the lines given, a closing table."""
    typist = corpus.Typist()
    typist.two_columns([(header.get("issuer", "SỞ NỘI VỤ"), {"bold": True}), ("Số: 05/KH-SNV", {})],
                       [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True}), ("Độc lập - Tự do - Hạnh phúc", {}),
                        ("Lâm Đồng, ngày 10 tháng 3 năm 2026", {"italic": True})] + [(t, {}) for t in lines_before])
    typist.para(header.get("ten_loai", "KẾ HOẠCH"), bold=True, align="center")
    typist.para("Thi đua năm 2026", bold=True, align="center")
    for text in body:
        typist.para(text)
    corpus.signature(typist, ["- Các phòng;", "- Lưu: VT, TH."], closing)
    return typist.content()


def test_a_kinh_gui_of_several_entries():
    imported = import_docx("bao_cao_tong_ket", typed([], ["Kính gửi:", "- Ủy ban nhân dân tỉnh;",
                                                         "- Ban Thi đua – Khen thưởng tỉnh.", "I. KẾT QUẢ",
                                                         "Đạt kết quả tốt."], ["GIÁM ĐỐC", "Lê Văn A"],
                                                   ten_loai="BÁO CÁO"))
    assert imported.data["kinh_gui"] == ["Ủy ban nhân dân tỉnh", "Ban Thi đua – Khen thưởng tỉnh"]


def test_nothing_is_dropped_silently():
    content = typed(["(Ban hành kèm theo Quyết định số 5)"], ["I. NỘI DUNG", "Thi đua hoàn thành nhiệm vụ."],
                    ["GIÁM ĐỐC", "(Đã ký)", "Lê Văn A"])
    listed = [item.van_ban for item in import_docx("ke_hoach", content).unplaced]
    assert listed == ["(Ban hành kèm theo Quyết định số 5)", "(Đã ký)"]
    wide = corpus.Typist()
    wide.para("KẾ HOẠCH", bold=True, align="center")
    wide.para("I. NỘI DUNG")
    wide.table([[f"Cột {i}" for i in range(13)], [str(i) for i in range(13)]])  # too wide for A4: listed
    wide.doc.sections[0].header.paragraphs[0].text = "Tài liệu nội bộ"
    found = import_docx("ke_hoach", wide.content()).unplaced
    assert [(item.noi, item.van_ban.split(" | ")[:2]) for item in found] == [
        ("bảng 1, dòng 1", ["Cột 0", "Cột 1"]), ("bảng 1, dòng 2", ["0", "1"]), ("đầu trang", ["Tài liệu nội bộ"])]


def expanded(value, year: int) -> list[str]:
    """Return every text of imported data as printed: tokens filled in, emphasis marks dropped."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in expanded(item, year)]
    if isinstance(value, list):
        return [text for item in value for text in expanded(item, year)]
    if not isinstance(value, str):
        return []
    filled = markup.expand(value, {"nam": str(year), "can_chi": can_chi(year), "xuong_dong": " "}, year)
    return [norm("".join(run.text for run in markup.runs(filled)))]


@pytest.mark.parametrize("kind_id", [kind.id for kind in kinds()])
def test_a_document_read_as_another_kind_keeps_every_sentence_of_its_body(imports, kind_id):
    typist, own = imports["report_by_criteria"]
    body = [s for s in sentences(typist.typed) if any(norm(s) in text for text in expanded(
        {key: own.data[key] for key in ("kinh_gui", "can_cu", "loi_mo_dau", "noi_dung")}, 2026))]
    imported = import_docx(kind_id, typist.content())
    found = expanded(imported.data, 2026) + [norm(item.van_ban) for item in imported.unplaced]
    assert [s for s in body if not any(norm(s) in text for text in found)] == []


def test_hostile_text_is_kept_as_typed_and_renders():
    nfd = "Kế hoạch tổ chức phong trào thi đua Đảng ủy"
    lines = ['Công ty A & B <TNHH> "x" vẫn đạt.', "{{ 7*7 }} {% if true %}x{% endif %}.",
             unicodedata.normalize("NFD", nfd) + "."]
    imported = import_docx("ke_hoach", typed([], ["I. NỘI DUNG", *lines], ["GIÁM ĐỐC", "Lê Văn A"]))
    assert imported.data["noi_dung"][0]["thanh_phan"][0]["van_ban"].split("\n") == [
        'Công ty A & B <TNHH> "x" vẫn đạt.', "{{ 7*7 }} {% if true %}x{% endif %}.", nfd + "."]
    text = rendered_text(imported)
    assert norm('A & B <TNHH> "x"') in text and "{{ 7*7 }}" in text and norm(nfd) in text


def test_a_very_long_paragraph_is_an_error_of_its_field_not_a_crash():
    imported = import_docx("ke_hoach", typed([], ["I. NỘI DUNG", "Thi đua " * 2000], ["GIÁM ĐỐC", "Lê Văn A"]))
    assert [error.field for error in imported.errors] == ["noi_dung.0.thanh_phan.0.van_ban"]


def test_an_empty_docx_gives_the_fields_to_fill_and_nothing_unplaced():
    out = io.BytesIO()
    Document().save(out)
    imported = import_docx("ke_hoach", out.getvalue())
    assert imported.unplaced == [] and "co_quan.ten" in {error.field for error in imported.errors}


def test_bad_files_are_refused_with_the_checker_s_messages():
    with pytest.raises(UnreadableFile, match="không phải tệp .docx"):
        import_docx("ke_hoach", b"%PDF-1.4 not a word file", "ke-hoach.pdf")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:p/>" * 2_000_000)
    with pytest.raises(TooLarge, match="MAX_ZIP_RATIO"):
        import_docx("ke_hoach", bomb.getvalue(), "bom.docx")


def test_the_command_line_writes_the_data_and_lists_what_it_could_not_place(tmp_path):
    from click.testing import CliRunner

    from doctpl.cli import main

    source, out = tmp_path / "ke-hoach.docx", tmp_path / "ke-hoach.json"
    source.write_bytes(typed(["(Ban hành kèm theo Quyết định số 5)"], ["I. NỘI DUNG", "Thi đua tốt."],
                             ["GIÁM ĐỐC", "Lê Văn A"]))
    result = CliRunner().invoke(main, ["import", "ke_hoach", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["co_quan"]["ten"] == "SỞ NỘI VỤ"
    assert "Chưa xếp được – Đoạn 6 (bảng 1, dòng 1, ô 2): «(Ban hành kèm theo Quyết định số 5)»" in result.stderr
    machine = CliRunner().invoke(main, ["import", "ke_hoach", str(source), "--json"])
    assert machine.exit_code == 0 and set(json.loads(machine.stdout)) == {"data", "chua_xep", "errors"}
    assert json.loads(machine.stdout)["chua_xep"][0] == {"doan": 6, "noi": "bảng 1, dòng 1, ô 2",
                                                        "van_ban": "(Ban hành kèm theo Quyết định số 5)"}
    source.write_bytes(b"not a docx")
    refused = CliRunner().invoke(main, ["import", "ke_hoach", str(source)])
    assert refused.exit_code == 2 and "không phải tệp .docx đọc được" in refused.stderr
    assert CliRunner().invoke(main, ["import", "khong_co", str(source)]).exit_code == 2


def test_the_api_answers_the_data_the_unplaced_paragraphs_and_the_errors(client):
    content = corpus.ubnd_plan().content()
    body = client.post("/api/v1/import/ke_hoach", data={"file": (io.BytesIO(content), "kh.docx")}).get_json()
    assert body == import_docx("ke_hoach", content).as_json() and body["data"]["so"] == 15
    for data in ({}, {"file": (io.BytesIO(b"x"), "x.docx")}):
        refused = client.post("/api/v1/import/ke_hoach", data=data)
        errors = refused.get_json()["errors"]
        assert refused.status_code == 400 and set(errors[0]) == {"field", "message"} and errors[0]["message"]
    assert client.post("/api/v1/import/khong_co", data={"file": (io.BytesIO(content), "kh.docx")}).status_code == 404
    stranger = client.application.test_client()
    assert stranger.post("/api/v1/import/ke_hoach", data={"file": (io.BytesIO(content), "kh.docx")}).status_code == 401


def form_fields(html: bytes) -> dict[str, str]:
    """Return what a browser submits for the page's document form."""
    import lxml.html

    return dict(lxml.html.fromstring(html).get_element_by_id("doc-form").form_values())


def form_action(html: bytes) -> str:
    """Return where the page's document form posts (a form opened from a file posts to the kind's form)."""
    import lxml.html

    return lxml.html.fromstring(html).get_element_by_id("doc-form").get("action")


def test_the_form_opens_prefilled_from_a_word_file_with_its_unplaced_paragraphs(client):
    from tests.conftest import csrf_token

    page = client.get("/ke_hoach").get_data(as_text=True)
    assert "Mở từ tệp Word" in page and 'action="/ke_hoach/mo-tu-word"' in page
    content = typed(["(Ban hành kèm theo Quyết định số 5)"], ["I. NỘI DUNG", "Thi đua <b>tốt</b> & đều."],
                    ["GIÁM ĐỐC", "Lê Văn A"])
    opened = client.post("/ke_hoach/mo-tu-word", data={"csrf_token": csrf_token(page),
                                                        "tep": (io.BytesIO(content), "cu.docx")})
    html = opened.get_data(as_text=True)
    assert opened.status_code == 200 and "Chưa xếp được vào biểu mẫu: 1 đoạn" in html
    assert "(Ban hành kèm theo Quyết định số 5)" in html and "<b>tốt</b>" not in html
    assert form_fields(opened.data)["co_quan.ten"] == "SỞ NỘI VỤ" and form_action(opened.data) == "/ke_hoach"
    junk = client.post("/ke_hoach/mo-tu-word", data={"csrf_token": csrf_token(page),
                                                      "tep": (io.BytesIO(b"x"), "x.docx")})
    assert junk.status_code == 400 and "không phải tệp .docx đọc được" in junk.get_data(as_text=True)
    stale = client.post("/ke_hoach/mo-tu-word", data={"tep": (io.BytesIO(content), "cu.docx")})
    assert stale.status_code == 400 and "chọn lại tệp" in stale.get_data(as_text=True)


def test_check_then_open_in_the_form_then_save_gives_a_document_in_form(client, tmp_path):
    from tests.conftest import csrf_token

    token = csrf_token(client.get("/kiem-tra").get_data(as_text=True))
    checked = client.post("/kiem-tra", data={"csrf_token": token,
                                             "tep": (io.BytesIO(corpus.seed_plan().content()), "ke-hoach-2021.docx")})
    page = checked.get_data(as_text=True)
    kept = re.search(r'name="giu" value="([^"]+)"', page).group(1)
    assert '<option value="ke_hoach" selected>' in page and list(tmp_path.rglob("*.docx"))
    opened = client.post("/mo-tu-word", data={"csrf_token": csrf_token(page), "giu": kept, "loai": "ke_hoach",
                                              "ten_tep": "ke-hoach-2021.docx"})
    assert opened.status_code == 200
    assert "Chưa xếp được vào biểu mẫu: không có đoạn nào" in opened.get_data(as_text=True)
    assert not list(tmp_path.rglob("*.docx"))  # the kept file goes once opened
    again = client.post("/mo-tu-word", data={"csrf_token": csrf_token(page), "giu": kept, "loai": "ke_hoach"})
    assert again.status_code == 400 and "không còn được giữ" in again.get_data(as_text=True)
    assert form_action(opened.data) == "/ke_hoach"
    saved = client.post(form_action(opened.data), data=form_fields(opened.data))
    assert saved.status_code == 303, saved.get_data(as_text=True)[:2000]
    content = client.get(saved.headers["Location"].split("?")[0] + "/tai-ve").data
    assert list(report.check(content)) == []
    assert "Số 01-KH/KTĐ1" in "\n".join(p.text for p in Reader(content).paragraphs())


@pytest.mark.parametrize("kind_id", ["ke_hoach", "giao_uoc", "dang_ky", "bao_cao_so_ket", "bao_cao_tong_ket"])
def test_a_document_doctpl_made_opens_back_into_the_same_text(kind_id):
    kind = get_kind(kind_id)
    for name in kind.examples:
        content = render_data(kind, kind.validate(kind.example(name))).content
        typed_back = [p.text for p in Reader(content).paragraphs()]
        imported = import_docx(kind_id, content)
        assert (imported.unplaced, imported.errors) == ([], []), name
        text = rendered_text(imported)
        assert [s for s in sentences(typed_back) if norm(s) not in text] == [], name


def test_heading_styles_and_word_s_multilevel_numbering():
    from docx.enum.style import WD_STYLE_TYPE

    typist = corpus.Typist()
    for name in ("Tiêu đề 1", "Tiêu đề 2"):
        typist.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    decimal = typist.numbering([("decimal", "%1."), ("decimal", "%1.%2."), ("lowerLetter", "%3)")])
    typist.para("KẾ HOẠCH", bold=True, align="center")
    typist.para("MỤC ĐÍCH, YÊU CẦU", style="Tiêu đề 1")  # a heading style, no number typed
    typist.para("Mục đích", style="Tiêu đề 2")
    typist.para("Nâng cao chất lượng.")
    typist.para("Tổ chức", num=(decimal, 0), bold=True)
    typist.para("Hội nghị", num=(decimal, 1), bold=True)
    typist.para("Đúng thời gian quy định.", num=(decimal, 2))
    sections = import_docx("ke_hoach", typist.content()).data["noi_dung"]
    assert outline(sections) == [(0, "muc"), (1, "khoan"), (1, "khoan"), (2, "khoan"), (3, "diem")]
    assert sections[0]["tieu_de"] == "MỤC ĐÍCH, YÊU CẦU" and sections[0]["thanh_phan"][0]["van_ban"] == \
        "Nâng cao chất lượng."


@pytest.mark.parametrize(("kind_id", "name"), [("bao_cao_so_ket", "bao_cao_so_ket_2026_khoi_dang.json"),
                                               ("bao_cao_tong_ket", "bao_cao_tong_ket_2026_khoi_dang.json")])
def test_a_signature_wrapped_onto_two_lines_comes_back_whole(kind_id, name):
    raw = get_kind(kind_id).example(name)
    back = import_docx(kind_id, render(kind_id, raw).content, "x.docx").data["nguoi_ky"]
    for key in ("thay_mat", "chuc_vu", "kiem"):
        assert fold(back.get(key, "")) == fold(raw["nguoi_ky"].get(key, "")), key
