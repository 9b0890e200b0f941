"""Kiểm tra thể thức of Party documents (HD 36, HD 05), the choice of profile on every face, and a report a clerk
can read: one row per problem, plain Vietnamese, no page number asked of a one-page document."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
import zipfile

import pytest
from click.testing import CliRunner

from doctpl.check import pages, report
from doctpl.check.findings import rules as rule_table
from doctpl.check.reader import Reader
from doctpl.check.texts import title_before
from doctpl.cli import main
from doctpl.errors import ValidationError
from doctpl.kind import kinds
from doctpl.render import render
from doctpl.the_thuc import rules_on
from doctpl.vn.dates import parse_date
from tests.conftest import csrf_token, example
from tests.party_docs import Party, party_docx


def rules_of(content: bytes, the_thuc: str | None = None) -> list[str]:
    """Return the rule of every finding, in order."""
    return [finding.rule for finding in report.check(content, the_thuc=the_thuc)]


def state_docx(*changes: tuple[str, str]) -> bytes:
    """Return the seed plan rendered in state form (NĐ 30), with text replaced in word/document.xml."""
    return replaced(render("ke_hoach", {**example("ke_hoach"), "the_thuc": "nha_nuoc"}).content, *changes)


def replaced(content: bytes, *changes: tuple[str, str]) -> bytes:
    """Return a .docx with text replaced in word/document.xml (each text must be there)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    xml = source.read("word/document.xml").decode("utf-8")
    for old, new in changes:
        assert old in xml, old
        xml = xml.replace(old, new)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = xml.encode("utf-8") if item.filename == "word/document.xml" else source.read(item.filename)
            target.writestr(item, data)
    return out.getvalue()


# -- a correct Party document passes, under the version of its date ------------------------------------------


@pytest.mark.parametrize("version", ["hd36", "hd05"])
def test_a_correct_hand_typed_party_document_passes(version):
    checked = report.check(party_docx(version=version))
    assert checked == [], [f.message for f in checked]
    assert (checked.version.ma, checked.version.dang, checked.detected) == (version, True, True)
    assert checked.profile_words().startswith("Kiểm tra như văn bản của Đảng, theo Hướng dẫn")


def test_the_version_follows_the_date_line():
    hd36_style = Party(version="hd36")  # Nơi nhận entries end with «,», as HD 36 asks
    assert report.check(party_docx(hd36_style, date="Lâm Đồng, ngày 26 tháng 5 năm 2026")) == []
    after = report.check(party_docx(hd36_style, date="Lâm Đồng, ngày 27 tháng 5 năm 2026"))
    assert after.version.ma == "hd05" and [f.rule for f in after] == ["NOI_NHAN_ENTRY"]
    assert after[0].reference.startswith("HD 05-HD/VPTW") and after[0].count == 3


def test_a_document_without_a_readable_date_is_checked_by_todays_version_and_says_so():
    today = rules_on("dang", dt.date.today())
    checked = report.check(party_docx(version=today.ma, date="Lâm Đồng, tháng năm"))
    assert checked.version == today
    [info] = [f for f in checked if f.severity == "info"]
    assert info.rule == "DANG_PHIEN_BAN" and today.ten in info.found and "hôm nay" in info.found
    assert [f.rule for f in checked if f.severity != "info"] == ["NGAY_THANG"]


@pytest.mark.parametrize(("kind_id", "name"), [(kind.id, name) for kind in kinds() for name in kind.examples])
def test_every_example_rendered_in_party_form_passes_as_a_party_document(kind_id, name):
    data = {**example(kind_id, name), "the_thuc": "dang"}
    checked = report.check(render(kind_id, data).content)
    assert checked == [], [f.message for f in checked]
    on = parse_date(data["ngay"]) if data.get("ngay") else dt.date(data["nam"], 1, 1)  # as the renderer dates it
    assert checked.version == rules_on("dang", on)


@pytest.mark.parametrize(("old", "new", "rule_id"), [
    ("T/M KHỐI THI ĐUA SỐ 1", "TM. KHỐI THI ĐUA SỐ 1", "KY_THAM_QUYEN"),
    ("Số 01-KH/KTĐ1", "Số: 01-KH/KTĐ1", "SO_KY_HIEU"),
    ("- Lưu HSQT.", "- Lưu: VT, HSQT.", "NOI_NHAN_LUU"),
    (">-----<", ">———<", "DANG_TRICH_YEU_GACH"),
    (">*<", "><", "DANG_SAO"),
])
def test_a_breach_of_a_rendered_party_document_is_caught(old, new, rule_id):
    seed = render("ke_hoach", example("ke_hoach")).content  # the seed plan, in Party form under HD 36
    checked = report.check(replaced(seed, (old, new)))
    assert checked.version.ma == "hd36" and [f.rule for f in checked] == [rule_id], [f.message for f in checked]


# -- a corpus: each document breaks one rule once --------------------------------------------------------------

CORPUS = {
    "Quốc hiệu và Tiêu ngữ": ({"quoc_hieu": True}, "DANG_QUOC_HIEU"),
    "«Số:» có dấu hai chấm": ({"so": "Số: 01-KH/KTĐ1"}, "SO_KY_HIEU"),
    "số theo thứ tự nhà nước": ({"so": "Số 01/KH-KTĐ1"}, "SO_KY_HIEU"),
    "TM. thay cho T/M": ({"authority": "TM. KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG TỈNH"}, "KY_THAM_QUYEN"),
    "TUQ.": ({"authority": "TUQ. TRƯỞNG KHỐI THI ĐUA"}, "KY_THAM_QUYEN"),
    "chức vụ in đậm": ({"titles_bold": True}, "DANG_KY_CHUC_VU"),
    "kết thúc «./.»": ({"end": "./."}, "DANG_BODY_END"),
    "Lưu: VT": ({"luu": "- Lưu: VT, BTGDV."}, "NOI_NHAN_LUU"),
    "HD 05, nơi nhận kết thúc «,»": ({"version": "hd05", "entry_end": ","}, "NOI_NHAN_ENTRY"),
    "HD 36, nơi nhận kết thúc «;»": ({"entry_end": ";"}, "NOI_NHAN_ENTRY"),
    "thiếu «*»": ({"star": False}, "DANG_SAO"),
    "thiếu «-----»": ({"dashes": None}, "DANG_TRICH_YEU_GACH"),
    "«---» thay cho «-----»": ({"dashes": "---"}, "DANG_TRICH_YEU_GACH"),
    "trích yếu viết hoa chữ đầu": ({"trich_yeu": "Tổ chức phong trào thi đua năm 2021"}, "TRICH_YEU"),
    "«Nơi nhận:» không gạch chân": ({"label_underline": False}, "NOI_NHAN_LABEL"),
    "HD 05, giãn dòng 1,5 dòng": ({"version": "hd05", "line": ("auto", 360)}, "BODY_LINE"),
    "HD 05, giãn dòng chính xác 24 pt": ({"version": "hd05", "line": ("exact", 480)}, "BODY_LINE"),
    "tiêu đề không đậm": ({"title_bold": False}, "DANG_TIEU_DE"),
    "ngày tháng không nghiêng": ({"date_italic": False}, "NGAY_THANG"),
    "số trang ở trang 1": ({"first_page_number": True}, "PAGE_NUMBER_FIRST"),
    "học vị trước họ tên": ({"name": "TS. Nguyễn Văn An"}, "KY_HOC_HAM"),
    "ngày thiếu số 0": ({"date": "Lâm Đồng, ngày 5 tháng 01 năm 2021"}, "NGAY_THANG"),
}


@pytest.mark.parametrize("case", list(CORPUS))
def test_each_breach_is_one_finding_of_its_party_rule(case):
    changes, rule_id = CORPUS[case]
    checked = report.check(party_docx(**changes))
    assert [f.rule for f in checked] == [rule_id], [f.message for f in checked]
    [finding] = checked
    rule = rule_table(checked.version.ma)[rule_id]
    assert (finding.severity, finding.reference, finding.element, finding.expected) == (
        rule.severity, rule.reference, rule.element, rule.rule)
    assert finding.found and rule_id not in finding.message


def test_the_two_versions_differ_where_the_guidance_does():
    hd36, hd05 = rule_table("hd36"), rule_table("hd05")
    assert hd36["NOI_NHAN_ENTRY"].params["end"] == "," and hd05["NOI_NHAN_ENTRY"].params["end"] == ";"
    assert "max_pt" not in hd36["BODY_LINE"].params and hd05["BODY_LINE"].params["max_pt"] == 22
    assert hd05["SO_KY_HIEU"].reference == "HD 05-HD/VPTW, I.3.2; Phụ lục 2, dòng 3"
    assert set(hd36) == set(hd05)


@pytest.mark.parametrize("changes", [
    {"title": ["ĐẢNG CỘNG SẢN", "VIỆT NAM"]},  # two paragraphs
    {"title": ["ĐẢNG CỘNG SẢN\nVIỆT NAM"]},  # a line break
    {"title": ["\u00d0ẢNG CỘNG SẢN VIỆT NAM"]},  # Ð (eth) typed for Đ
    {"title": [unicodedata.normalize("NFD", "ĐẢNG CỘNG SẢN VIỆT NAM")]},
    {"title_rule": "drawing"},  # the rule drawn as a line, not a border
    {"so": "Số      -KH/KTĐ1"},  # the number left for the văn thư
    {"cap_uy": ""},  # no superior committee
    {"version": "hd05", "authority": "T/M KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG TỈNH"},  # T/M under HD 05
])
def test_what_a_clerk_may_type_is_recognised_and_accepted(changes):
    checked = report.check(party_docx(**changes))
    assert checked.version.dang and checked == [], [f.message for f in checked]


def test_a_title_in_lower_case_is_still_recognised_and_flagged():
    checked = report.check(party_docx(title=["Đảng Cộng sản Việt Nam"]))
    assert checked.version.dang and [(f.rule, f.found) for f in checked] == [("DANG_TIEU_DE", "không in hoa")]


# -- profiles across the thể thức -----------------------------------------------------------------------------


def test_a_party_heading_in_a_state_document_is_flagged_under_the_state_profile():
    checked = report.check(party_docx(), the_thuc="nha_nuoc")
    assert checked.version.ma == "nd30" and not checked.detected
    [finding] = [f for f in checked if f.rule == "TIEU_DE_DANG"]
    assert finding.expected == ("Văn bản nhà nước không có tiêu đề ĐẢNG CỘNG SẢN VIỆT NAM; nếu là văn bản của Đảng, "
                                "chọn thể thức Đảng")
    assert finding.excerpt == "ĐẢNG CỘNG SẢN VIỆT NAM"
    # The «*» under the name is named for what it is, and the name above it is read as the issuing body.
    assert [(f.found, f.excerpt) for f in checked if f.rule == "CO_QUAN_RULE"] == [
        ("có dấu «*» của văn bản Đảng thay cho đường kẻ dưới tên cơ quan ban hành", "*")]
    assert [f.excerpt for f in checked if f.rule == "CO_QUAN"] == ["KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG TỈNH"]
    state = state_docx(("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"))
    assert "TIEU_DE_DANG" in rules_of(state, "nha_nuoc") and report.check(state).version.dang


def test_a_state_document_checked_as_a_party_one_names_each_state_habit():
    checked = report.check(state_docx(), the_thuc="dang")
    assert checked.version.ma == "hd36"  # dated 08/4/2021
    assert {(f.rule, f.found) for f in checked} >= {
        ("DANG_QUOC_HIEU", "có Quốc hiệu và Tiêu ngữ của văn bản nhà nước"),
        ("DANG_TIEU_DE", "không tìm thấy tiêu đề «ĐẢNG CỘNG SẢN VIỆT NAM»"),
        ("SO_KY_HIEU", "có dấu hai chấm sau «Số» (cách viết của văn bản nhà nước)"),
        ("SO_KY_HIEU", "viết số/tên loại-cơ quan như văn bản nhà nước (cần số-tên loại/cơ quan)"),
        ("KY_THAM_QUYEN", "viết «TM.» của văn bản nhà nước (cần «T/M»)"),
        ("DANG_BODY_END", "kết thúc bằng «./.» của văn bản nhà nước"),
        ("NOI_NHAN_LUU", "viết «Lưu: VT» của văn bản nhà nước"),
        ("DANG_SAO", "không có dấu «*» dưới tên cơ quan ban hành"),
    }


def test_an_unknown_the_thuc_is_a_field_error():
    with pytest.raises(ValidationError) as error:
        report.check(party_docx(), the_thuc="quan_doi")
    assert error.value.status == 422 and error.value.errors()[0].field == "the_thuc"


def test_cli_the_thuc_option(tmp_path):
    path = tmp_path / "dang.docx"
    path.write_bytes(party_docx())
    auto = CliRunner().invoke(main, ["check", str(path)])
    assert auto.exit_code == 0, auto.output
    assert "Kiểm tra như văn bản của Đảng, theo Hướng dẫn 36-HD/VPTW (nhận biết qua tiêu đề" in auto.output
    forced = CliRunner().invoke(main, ["check", str(path), "--the-thuc", "nha_nuoc"])
    assert forced.exit_code == 1 and "theo lựa chọn khi kiểm tra" in forced.output
    assert ("\n  Lỗi: có tiêu đề «ĐẢNG CỘNG SẢN VIỆT NAM». Cần: Văn bản nhà nước không có tiêu đề ĐẢNG CỘNG SẢN "
            "VIỆT NAM; nếu là văn bản của Đảng, chọn thể thức Đảng (NĐ 30, Phụ lục I, Mục II.1).\n") in forced.output
    as_json = CliRunner().invoke(main, ["check", str(path), "--the-thuc", "dang", "--json"])
    assert as_json.exit_code == 0 and json.loads(as_json.output) == {
        "the_thuc": {"the_thuc": "dang", "ma": "hd36", "ten": "Hướng dẫn 36-HD/VPTW", "tu_nhan_biet": False},
        "findings": [], "error_count": 0}
    assert CliRunner().invoke(main, ["check", str(path), "--the-thuc", "quan_doi"]).exit_code == 2


def test_api_takes_the_thuc(client):
    content = party_docx(version="hd05")

    def post(**form):
        return client.post("/api/v1/check", data={"file": (io.BytesIO(content), "dang.docx"), **form})

    auto = post().get_json()
    assert auto["findings"] == [] and auto["the_thuc"]["ma"] == "hd05" and auto["the_thuc"]["tu_nhan_biet"]
    assert post(the_thuc="dang").get_json()["error_count"] == 0
    state = post(the_thuc="nha_nuoc").get_json()
    assert state["the_thuc"]["ma"] == "nd30" and state["error_count"] >= 1
    [finding] = [f for f in state["findings"] if f["rule"] == "TIEU_DE_DANG"]
    assert finding["message"].startswith("Quốc hiệu: có tiêu đề «ĐẢNG CỘNG SẢN VIỆT NAM»")
    unknown = post(the_thuc="quan_doi")
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == "the_thuc"


def test_web_page_offers_the_choice_and_uses_it(client):
    page = client.get("/kiem-tra").get_data(as_text=True)
    assert '<select name="the_thuc">' in page
    assert re.findall(r'<option value="([^"]*)"', page) == ["", "nha_nuoc", "dang"]
    assert ">Tự nhận biết<" in page and ">Nhà nước<" in page and ">Đảng<" in page

    def post(the_thuc: str) -> str:
        return client.post("/kiem-tra", data={"csrf_token": csrf_token(page), "the_thuc": the_thuc, "tep": (
            io.BytesIO(party_docx()), "dang.docx")}).get_data(as_text=True)

    auto = post("")
    assert "dang.docx: đúng thể thức." in auto and "theo Hướng dẫn 36-HD/VPTW" in auto
    forced = post("nha_nuoc")
    assert "có tiêu đề «ĐẢNG CỘNG SẢN VIỆT NAM»" in forced and '<option value="nha_nuoc" selected>' in forced
    assert ">TIEU_DE_DANG<" not in forced and "<code>" not in forced  # the rule ids stay out of the text


# -- a report a clerk can read --------------------------------------------------------------------------------


def test_many_runs_in_a_wrong_font_are_one_row():
    checked = report.check(party_docx(body_font="Cambria"))
    [finding] = checked
    assert (finding.rule, finding.found, finding.count) == ("FONT_RUN", "dùng phông Cambria", 11)
    assert finding.where == "11 đoạn, đoạn đầu «- Thực hiện Kế hoạch số 05-KH/TU của Ban Thường vụ Tỉnh ủy về " \
                            "công tác thi đu…»"
    state = report.check(state_docx(('w:ascii="Times New Roman"', 'w:ascii="Cambria"'),
                                    ('w:hAnsi="Times New Roman"', 'w:hAnsi="Cambria"')))
    [font] = [f for f in state if f.rule == "FONT_RUN"]
    assert font.found == "dùng phông Cambria" and font.count > 50


def test_messages_are_plain_vietnamese_without_slots_or_rule_ids():
    content = state_docx(('w:eastAsia="Times New Roman"', 'w:eastAsiaTheme="minorEastAsia"'),
                         ("Số: 01/KH-KTĐ1", "Số 1/KH-KTĐ1"), ("- Phòng Nội vụ Thành phố;", "- Phòng Nội vụ Thành phố,"))
    checked = report.check(content)
    assert {"FONT_RUN", "SO_KY_HIEU", "NOI_NHAN_ENTRY"} <= {f.rule for f in checked}
    for finding in checked:
        text = " ".join((finding.message, finding.found, finding.expected, finding.where))
        assert not re.search(r"ascii|hAnsi|eastAsia|theme:|\b[A-Z]+_[A-Z_]+\b", text), text
    [font] = [f for f in checked if f.rule == "FONT_RUN"]
    assert font.found == "dùng phông theo chủ đề (theme) của Word" and font.count > 50
    [number] = [f for f in checked if f.rule == "SO_KY_HIEU"]
    assert number.message == ("Số và ký hiệu: viết «Số 1/KH-KTĐ1». Cần: Số: <số>/<tên loại viết tắt>-<cơ quan>, số nhỏ "
                              "hơn 10 ghi thêm số 0, cỡ 13, đứng (NĐ 30, Phụ lục I, Mục II.3; Phụ lục III).")


def test_no_page_number_is_asked_of_a_one_page_document():
    assert report.check(party_docx(page_numbers=False, paragraphs=5)) == []  # one page: no number needed
    long = report.check(party_docx(page_numbers=False, extra_paragraphs=40))
    assert [(f.rule, f.found) for f in long] == [("PAGE_NUMBER", "không có số trang ở đầu trang")]
    short, several = Reader(party_docx(paragraphs=5)), Reader(party_docx(extra_paragraphs=40))
    assert pages.page_count(short, short.paragraphs()) == 1
    assert pages.page_count(several, several.paragraphs()) >= 3


def test_the_page_count_word_saved_is_trusted_only_when_it_counted_words():
    def with_app(pages_xml: str) -> Reader:
        source = zipfile.ZipFile(io.BytesIO(party_docx(page_numbers=False, paragraphs=5)))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                target.writestr(item, pages_xml if item.filename == "docProps/app.xml" else source.read(item))
        return Reader(out.getvalue())

    props = '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">{}</Properties>'
    counted = with_app(props.format("<Pages>3</Pages><Words>812</Words>"))
    assert pages.page_count(counted, counted.paragraphs()) == 3
    template = with_app(props.format("<Pages>3</Pages><Words>0</Words>"))
    assert pages.page_count(template, template.paragraphs()) == 1  # a library's template: estimated instead
    damaged = with_app("<Properties><Pages>3")
    assert pages.page_count(damaged, damaged.paragraphs()) == 1


@pytest.mark.parametrize(("name", "title"), [
    ("TS. Nguyễn Quang Hải", "TS."), ("PGS.TS. Nguyễn Quang Hải", "PGS.TS."), ("Th.S Nguyễn Quang Hải", "Th.S."),
    ("Đại tá Nguyễn Quang Hải", "Đại tá"), ("Thượng uý Nguyễn Quang Hải", "Thượng úy"),
])
def test_a_title_before_the_signers_name_is_flagged(name, title):
    checked = report.check(state_docx(("Nguyễn Quang Hải", name)))
    assert [(f.rule, f.found) for f in checked] == [("KY_HOC_HAM", f"ghi «{title}» trước họ tên")]


def test_a_name_is_not_taken_for_a_title():
    for name in ("Nguyễn Quang Hải", "Trung Thị Tá", "Thân Văn Sơn", "Tsu Hà", "Đại Ngọc Tú", "Cù Thị Ngân"):
        assert title_before(name) is None, name


@pytest.mark.parametrize("written", [
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",  # old-style tone placement
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA</w:t><w:br/><w:t>VIỆT NAM",  # typed over two lines
    unicodedata.normalize("NFD", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
])
def test_the_quoc_hieu_is_recognised_however_it_is_typed(written):
    checked = report.check(state_docx(("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", written)))
    assert checked.version.ma == "nd30" and checked == [], [f.message for f in checked]
