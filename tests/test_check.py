"""Kiểm tra thể thức (NĐ 30 profile): every document doctpl makes passes; each breach of a corpus is caught.

The Party profile has its own tests in tests/test_check_party.py.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from doctpl.check import common, dang, nd30, report
from doctpl.check.findings import rules as rule_table
from doctpl.check.findings import versions
from doctpl.cli import main
from doctpl.kind import kinds
from doctpl.render import render
from tests.conftest import example, signed_in

CASES = [(kind.id, name) for kind in kinds() for name in kind.examples]


def state(kind_id: str = "ke_hoach") -> dict:
    """Return the kind's first example laid out as a state document: the same data in NĐ 30 form."""
    return {**example(kind_id), "the_thuc": "nha_nuoc"}


@pytest.mark.parametrize(("kind_id", "name"), CASES)
def test_every_rendered_document_passes_with_zero_findings(kind_id, name):
    data = example(kind_id, name)
    checked = report.check(render(kind_id, data).content)
    assert checked == [], [f.message for f in checked]
    assert checked.version.the_thuc == (data.get("the_thuc") or "nha_nuoc")  # recognised from the document alone


@pytest.mark.parametrize("kind_id", [kind.id for kind in kinds()])
def test_the_same_data_in_state_form_passes_too(kind_id):
    assert report.check(render(kind_id, state(kind_id)).content, the_thuc="nha_nuoc") == []


def test_every_rule_of_the_table_is_used_by_the_checker():
    sources = {module: Path(module.__file__).read_text(encoding="utf-8") for module in (nd30, dang, common, report)}
    for version in ("nd30", "hd36", "hd05"):
        for rule_id, rule in rule_table(version).items():
            used = any(f'"{rule_id}"' in source for source in sources.values())
            assert used or rule_id.startswith("MARGIN_"), rule_id
            assert rule.severity in ("error", "warning", "info")
            assert rule.reference.startswith({"nd30": "NĐ 30", "hd36": "HD 36", "hd05": "HD 05"}[version]) \
                or rule.element == "Căn cứ", rule.reference
    assert versions() == {"nd30", "hd36", "hd05"}


def mutate(part: str, old: str, new: str, count: int = 1, kind_id: str = "ke_hoach") -> bytes:
    """Return the example document with one XML change: the corpus is generated, not committed."""
    content = render(kind_id, state(kind_id)).content
    source = zipfile.ZipFile(io.BytesIO(content))
    xml = source.read(part).decode("utf-8")
    assert old in xml, old
    changed = xml.replace(old, new, count)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, changed.encode("utf-8") if item.filename == part else source.read(item.filename))
    return out.getvalue()


DOC, STYLES, HEADER = "word/document.xml", "word/styles.xml", "word/header1.xml"
CORPUS = {
    "PAGE_A4": lambda: mutate(DOC, 'w:w="11906" w:h="16838"', 'w:w="12240" w:h="15840"'),
    "PAGE_PORTRAIT": lambda: mutate(DOC, 'w:w="11906" w:h="16838"', 'w:w="16838" w:h="11906" w:orient="landscape"'),
    "MARGIN_TOP": lambda: mutate(DOC, 'w:top="1134"', 'w:top="567"'),
    "MARGIN_LEFT": lambda: mutate(DOC, 'w:left="1701"', 'w:left="1134"'),
    "MARGIN_RIGHT": lambda: mutate(DOC, 'w:right="850"', 'w:right="1417"'),
    "MARGIN_BOTTOM": lambda: mutate(DOC, 'w:bottom="1134"', 'w:bottom="2000"'),
    "FONT_RUN": lambda: mutate(DOC, 'w:ascii="Times New Roman"', 'w:ascii="Arial"'),
    "FONT_STYLE": lambda: mutate(STYLES, 'w:eastAsia="Times New Roman"', 'w:eastAsiaTheme="minorEastAsia"'),
    "QUOC_HIEU": lambda: mutate(DOC, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    "TIEU_NGU": lambda: mutate(DOC, "Độc lập - Tự do - Hạnh phúc", "Độc lập – Tự do – Hạnh phúc"),
    "TIEU_NGU_RULE": lambda: re_mutate(DOC, r'(Hạnh phúc</w:t></w:r></w:p><w:p><w:pPr>)<w:pBdr>.*?</w:pBdr>', r"\1"),
    "SIZE_PAIR": lambda: re_mutate(DOC, r'<w:sz w:val="26"/>(</w:rPr><w:t[^>]*>CỘNG HÒA)', r'<w:sz w:val="24"/>\1'),
    "CO_QUAN": lambda: re_mutate(DOC, r'<w:b/>(<w:i w:val="0"/><w:sz w:val="26"/></w:rPr><w:t[^>]*>KHỐI)', r"\1"),
    "CO_QUAN_RULE": lambda: re_mutate(DOC, r'(KHỐI THI ĐUA SỐ 1</w:t></w:r></w:p><w:p><w:pPr>)<w:pBdr>.*?</w:pBdr>',
                                      r"\1"),
    "TRICH_YEU_RULE": lambda: re_mutate(DOC, r'(năm 2021</w:t></w:r></w:p><w:p><w:pPr>)<w:pBdr>.*?</w:pBdr>', r"\1"),
    "SO_KY_HIEU": lambda: mutate(DOC, "Số: 01/KH-KTĐ1", "Số: 1/KHTĐ-KTĐ1"),
    "NGAY_THANG": lambda: mutate(DOC, "ngày 08 tháng 4 năm 2021", "ngày 8 tháng 04 năm 2021"),
    "TEN_LOAI": lambda: mutate(DOC, "<w:t>KẾ HOẠCH</w:t>", "<w:t>Kế hoạch</w:t>"),
    "TRICH_YEU": lambda: re_mutate(DOC, r'<w:b/>(<w:i w:val="0"/><w:sz w:val="28"/></w:rPr><w:t[^>]*>Tổ chức th)',
                                   r"\1"),
    "BODY_ALIGN": lambda: mutate(STYLES, '<w:jc w:val="both"/>', '<w:jc w:val="left"/>'),
    "BODY_INDENT": lambda: mutate(STYLES, 'w:firstLine="567"', 'w:firstLine="284"'),
    "BODY_SPACING": lambda: mutate(STYLES, 'w:before="120"', 'w:before="40"', count=10),
    "BODY_LINE": lambda: mutate(STYLES, 'w:line="276"', 'w:line="480"', count=10),
    "BODY_SIZE": lambda: mutate(STYLES, '<w:sz w:val="28"/>', '<w:sz w:val="24"/>'),
    "HEADING": lambda: mutate(DOC, "II. NỘI DUNG", "IV. NỘI DUNG"),
    "KY_THAM_QUYEN": lambda: mutate(DOC, "TM. KHỐI THI ĐUA SỐ 1", "T/M KHỐI THI ĐUA SỐ 1"),
    "KY_HO_TEN": lambda: mutate(DOC, "Nguyễn Quang Hải", "NGUYỄN QUANG HẢI"),
    "KY_HOC_HAM": lambda: mutate(DOC, "Nguyễn Quang Hải", "ThS. Nguyễn Quang Hải"),
    "TIEU_DE_DANG": lambda: mutate(DOC, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
    "NOI_NHAN_LABEL": lambda: re_mutate(DOC, r"<w:i/>(<w:sz w:val=\"24\"/></w:rPr><w:t>Nơi nhận:)", r"\1"),
    "NOI_NHAN_ENTRY": lambda: mutate(DOC, "- Phòng Nội vụ Thành phố;", "- Phòng Nội vụ Thành phố,"),
    "NOI_NHAN_LUU": lambda: mutate(DOC, "- Lưu: VT, HSQT.", "- Lưu HSQT."),
    "CAN_CU_HIEU_LUC": lambda: mutate(DOC, "Căn cứ Công văn số 2013/UBND-NV", "Căn cứ Nghị định số 98/2023/NĐ-CP"),
    "PAGE_NUMBER": lambda: mutate(HEADER, "<w:jc w:val=\"center\"/>", "<w:jc w:val=\"right\"/>"),
    "PAGE_NUMBER_FIRST": lambda: mutate(DOC, "<w:titlePg/>", ""),
}


def re_mutate(part: str, pattern: str, replacement: str) -> bytes:
    content = render("ke_hoach", state()).content
    xml = zipfile.ZipFile(io.BytesIO(content)).read(part).decode("utf-8")
    changed, count = re.subn(pattern, replacement, xml, count=1, flags=re.S)
    assert count == 1, pattern
    return mutate(part, xml, changed)


@pytest.mark.parametrize("rule_id", sorted(CORPUS))
def test_each_breach_of_the_corpus_is_caught(rule_id):
    content = CORPUS[rule_id]()
    found = report.check(content, the_thuc="nha_nuoc")
    assert rule_id in {f.rule for f in found}, [(f.rule, f.found) for f in found]
    finding = next(f for f in found if f.rule == rule_id)
    rule = nd30.rules()[rule_id]
    assert (finding.severity, finding.reference, finding.element) == (rule.severity, rule.reference, rule.element)
    assert finding.expected and finding.found


@pytest.mark.parametrize(("old", "new", "rule_id"), [
    ('w:left="1317" w:right="1317"', 'w:left="100" w:right="100"', "CO_QUAN_RULE"),  # the rule is too long
    ('w:left="1035" w:right="1036"', 'w:left="1835" w:right="1836"', "TIEU_NGU_RULE"),  # shorter than the Tiêu ngữ
    ('w:left="3538" w:right="3539"', 'w:left="4338" w:right="4339"', "TRICH_YEU_RULE"),  # under a third
])
def test_rule_lengths_are_measured(old, new, rule_id):
    findings = report.check(mutate(DOC, old, new))
    assert [f.rule for f in findings] == [rule_id], [(f.rule, f.found) for f in findings]
    assert "đường kẻ dài" in findings[0].found


def test_the_corpus_covers_every_rule():
    assert set(CORPUS) == set(nd30.rules())


def test_findings_carry_location_and_excerpt():
    findings = report.check(CORPUS["NGAY_THANG"]())
    date = [f for f in findings if f.rule == "NGAY_THANG"]
    assert {f.found for f in date} == {"ngày «8» thiếu số 0 đứng trước", "tháng «04» không ghi số 0 (chỉ tháng 1, 2)"}
    assert all(f.paragraph is not None and f.excerpt == "Đà Lạt, ngày 8 tháng 04 năm 2021" for f in date)


def test_a_hand_typed_document_is_checked_too(tmp_path):
    document = Document()
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 5/KH-UBND",
                 "Hà Nội, ngày 05 tháng 01 năm 2021", "KẾ HOẠCH"):
        document.add_paragraph(text)
    path = tmp_path / "tay.docx"
    document.save(path)
    findings = {f.rule for f in report.check(path.read_bytes())}
    assert {"PAGE_A4", "FONT_RUN", "QUOC_HIEU", "SO_KY_HIEU", "CO_QUAN", "NOI_NHAN_LABEL"} <= findings
    assert "PAGE_NUMBER" not in findings  # one page: no page number is needed


def test_cli_check(tmp_path):
    good, bad = tmp_path / "dung.docx", tmp_path / "sai.docx"
    good.write_bytes(render("ke_hoach", state()).content)
    bad.write_bytes(CORPUS["NOI_NHAN_LUU"]())
    result = CliRunner().invoke(main, ["check", str(good)])
    assert result.exit_code == 0 and "Đúng thể thức" in result.output
    assert "Kiểm tra như văn bản hành chính nhà nước, theo Nghị định 30/2020/NĐ-CP" in result.output
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1 and "Lỗi: dòng cuối «- Lưu HSQT.»" in result.output
    assert "NOI_NHAN_LUU" not in result.output  # the rule id is for programs, not for the clerk
    result = CliRunner().invoke(main, ["check", str(bad), "--json"])
    body = json.loads(result.output)
    [item] = body["findings"]
    assert result.exit_code == 1 and item["rule"] == "NOI_NHAN_LUU" and item["paragraph"] is not None
    assert body["error_count"] == 1 and body["the_thuc"]["ma"] == "nd30" and item["message"].startswith("Nơi nhận: ")
    junk = tmp_path / "x.docx"
    junk.write_bytes(b"not a zip")
    assert CliRunner().invoke(main, ["check", str(junk)]).exit_code == 2


def test_web_page_groups_findings_by_element(client):
    page = client.get("/kiem-tra").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    good = client.post("/kiem-tra", data={"csrf_token": token, "tep": (io.BytesIO(
        render("ke_hoach", state()).content), "ke_hoach.docx")})
    assert good.status_code == 200 and "ke_hoach.docx: đúng thể thức." in good.get_data(as_text=True)
    bad = client.post("/kiem-tra", data={"csrf_token": token, "tep": (io.BytesIO(CORPUS["NGAY_THANG"]()), "sai.docx")})
    html = bad.get_data(as_text=True)
    assert "<h2>Địa danh và thời gian</h2>" in html and "ngày «8» thiếu số 0 đứng trước" in html
    assert "«Đà Lạt, ngày 8 tháng 04 năm 2021»" in html
    junk = client.post("/kiem-tra", data={"csrf_token": token, "tep": (io.BytesIO(b"x"), "x.docx")})
    assert junk.status_code == 400 and "không phải tệp .docx" in junk.get_data(as_text=True)


def test_api_check_and_the_record_page_show_findings(client, demo_app):
    ok = client.post("/api/v1/check", data={"file": (io.BytesIO(render("ke_hoach", state()).content), "kh.docx")})
    assert ok.get_json() == {"findings": [], "error_count": 0, "the_thuc": {
        "the_thuc": "nha_nuoc", "ma": "nd30", "ten": "Nghị định 30/2020/NĐ-CP", "tu_nhan_biet": True}}
    bad = client.post("/api/v1/check", data={"file": (io.BytesIO(CORPUS["SO_KY_HIEU"]()), "kh.docx")}).get_json()
    assert bad["error_count"] >= 1 and bad["findings"][0]["rule"] == "SO_KY_HIEU"
    assert client.post("/api/v1/check", data={}).status_code == 400
    page = signed_in(demo_app).get("/van-ban/1").get_data(as_text=True)
    assert "đúng Hướng dẫn 36-HD/VPTW" in page  # the demo khối's 2021 plan, in Party form


def test_a_cited_legal_document_is_checked_against_the_date_line():
    findings = report.check(CORPUS["CAN_CU_HIEU_LUC"]())
    [finding] = [f for f in findings if f.rule == "CAN_CU_HIEU_LUC"]
    assert finding.found == ("dẫn văn bản số 98/2023/NĐ-CP, chỉ có hiệu lực từ ngày 01/01/2024 "
                             "(văn bản đề ngày 08/4/2021)")
    assert finding.excerpt.startswith("- Căn cứ Nghị định số 98/2023/NĐ-CP")
    data = example("ke_hoach", "ke_hoach_cum_phuong.json")
    data["can_cu"][1] = "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;"
    assert [f.found for f in report.check(render("ke_hoach", data).content)] == [
        "dẫn văn bản số 98/2023/NĐ-CP, đã hết hiệu lực từ ngày 01/7/2025 (văn bản đề năm 2026)"]


@pytest.mark.parametrize("the_thuc", ["nha_nuoc", "dang"])
def test_a_bien_ban_without_noi_nhan_and_several_recipients_pass(the_thuc):
    kept = example("bien_ban") | {"the_thuc": the_thuc, "co_noi_nhan": ""}
    assert not [f for f in report.check(render("bien_ban", kept).content) if f.severity == "error"]
    plan = Document(io.BytesIO(render("ke_hoach", example("ke_hoach") | {"the_thuc": the_thuc}).content))
    label = next(p for t in plan.tables for c in t._cells for p in c.paragraphs if p.text == "Nơi nhận:")
    label.runs[0].text = "Danh sách:"
    out = io.BytesIO()
    plan.save(out)
    assert "NOI_NHAN_LABEL" in {f.rule for f in report.check(out.getvalue())}  # any other kind needs it
    upward = example("to_trinh") | {"the_thuc": the_thuc, "kinh_gui": [
        "Hội đồng Thi đua – Khen thưởng tỉnh", "Ban Thi đua – Khen thưởng tỉnh", "Sở Nội vụ tỉnh"]}
    assert not [f for f in report.check(render("to_trinh", upward).content) if f.severity == "error"]
