"""Bản đăng ký thi đua: Kính gửi, the two registration tables, the signer, and the ratio warnings."""

from __future__ import annotations

import json

import lxml.html
import pytest
from click.testing import CliRunner

from doctpl.cli import main
from doctpl.errors import ValidationError
from doctpl.render import render
from tests.conftest import HOSTILE, body_text, find, rendered, state_example, submit

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def table_rows(table):
    return [["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.iter(f"{W}tc")]
            for row in table.iter(f"{W}tr")]


def data_tables(reader):
    return [t for t in reader.tables()
            if t.find(f"{W}tblPr/{W}tblBorders/{W}top").get(f"{W}val") == "single"]


def test_outline_kinh_gui_tables_and_signer():
    reader = rendered("dang_ky", state_example("dang_ky"))
    paragraphs = reader.paragraphs()
    texts = [p.text for p in paragraphs]
    assert ["BẢN ĐĂNG KÝ THI ĐUA", "Năm 2021"] == texts[texts.index("BẢN ĐĂNG KÝ THI ĐUA"):][:2]
    assert "Số: 05/ĐKTĐ-BTGTU" in texts
    assert "Kính gửi: Ban Dân vận Thành ủy (Trưởng Khối thi đua số 1)" in texts
    order = [texts.index(t) for t in ("I. ĐĂNG KÝ DANH HIỆU THI ĐUA, HÌNH THỨC KHEN THƯỞNG CỦA TẬP THỂ",
                                       "II. ĐĂNG KÝ DANH HIỆU THI ĐUA, HÌNH THỨC KHEN THƯỞNG CỦA CÁ NHÂN",
                                       "III. CAM KẾT")]
    assert order == sorted(order)
    collective, individuals = data_tables(reader)
    assert table_rows(collective) == [
        ["STT", "Tên tập thể", "Danh hiệu thi đua", "Hình thức khen thưởng"],
        ["1", "Ban Tuyên giáo Thành ủy", "Tập thể lao động xuất sắc", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"]]
    rows = table_rows(individuals)
    assert rows[0] == ["STT", "Họ và tên", "Chức vụ", "Danh hiệu thi đua", "Hình thức khen thưởng"]
    assert rows[1] == ["1", "Phạm Ngọc Sơn", "Phó Trưởng Ban", "Chiến sĩ thi đua cơ sở",
                       "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"]
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 9)]
    header_row = individuals.find(f"{W}tr/{W}trPr/{W}tblHeader")
    assert header_row is not None  # the heading row repeats on every page
    assert find(paragraphs, r"^Tổng số cá nhân đăng ký: 8/9 người; Lao động tiên tiến trở lên: 8; "
                            r"Chiến sĩ thi đua cơ sở trở lên: 1\.$")
    assert texts[-1] == "Phạm Ngọc Sơn" and "KT. TRƯỞNG BAN" in texts and "PHÓ TRƯỞNG BAN" in texts
    assert find(paragraphs, r"^- Gửi báo cáo sơ kết, tổng kết đúng thời gian quy định\./\.$")
    assert "- Như trên;" in texts  # a document with Kính gửi starts Nơi nhận with "Như trên"
    cells = [p for p in paragraphs if p.where.startswith("table 2") and p.text]
    assert {r.size for p in cells for r in p.runs if r.text} == {13}


def test_several_recipients_line_up_under_the_first():
    data = state_example("dang_ky")
    data["kinh_gui"] = ["Ban Dân vận Thành ủy", "Hội đồng Thi đua – Khen thưởng thành phố"]
    paragraphs = rendered("dang_ky", data).paragraphs()
    first = find(paragraphs, "^Kính gửi: - Ban Dân vận Thành ủy;$")
    second = paragraphs[first.index + 1]
    assert second.text == "- Hội đồng Thi đua – Khen thưởng thành phố."
    assert second.left > first.left


def test_each_row_registers_something():
    data = state_example("dang_ky")
    data["ca_nhan"][2].update(danh_hieu="", hinh_thuc="")
    with pytest.raises(ValidationError) as caught:
        render("dang_ky", data)
    assert [e.field for e in caught.value.errors()] == ["ca_nhan.2.danh_hieu"]


def test_danh_hieu_and_hinh_thuc_are_separate_lists():
    data = state_example("dang_ky")
    data["ca_nhan"][0]["danh_hieu"] = "bang_khen_tinh"  # a hình thức in the danh hiệu column
    data["tap_the"][0]["hinh_thuc"] = "ttldxs"
    with pytest.raises(ValidationError) as caught:
        render("dang_ky", data)
    assert {e.field for e in caught.value.errors()} == {"ca_nhan.0.danh_hieu", "tap_the.0.hinh_thuc"}


def over_ratio():
    data = state_example("dang_ky")
    data["tong_so_nguoi"] = 20
    data["ca_nhan"][1]["danh_hieu"] = "cstd_co_so"
    return data


def test_ratio_warnings_do_not_refuse():
    document = render("dang_ky", over_ratio())
    messages = [(w.field, w.message) for w in document.warnings]
    assert ("ca_nhan", "Số đăng ký Chiến sĩ thi đua cơ sở (2) vượt 15% số Lao động tiên tiến (8); "
                       "thông thường tối đa 1 người.") in messages
    assert ("tap_the.0.danh_hieu", "Tập thể lao động xuất sắc cần ít nhất 70% cá nhân đạt Lao động tiên tiến; "
                                   "mới đăng ký 8/20 người.") in messages
    assert document.content.startswith(b"PK")
    data = state_example("dang_ky")
    for person in data["ca_nhan"]:
        person["danh_hieu"] = "ldtt"
    assert [w.message for w in render("dang_ky", data).warnings] == [
        "Tập thể lao động xuất sắc cần có ít nhất một Chiến sĩ thi đua cơ sở."]
    assert render("dang_ky", state_example("dang_ky")).warnings == ()


def test_web_shows_warnings_then_downloads_on_confirmation(client):
    page = client.get("/dang_ky")
    form = dict(lxml.html.fromstring(page.data).get_element_by_id("doc-form").form_values())
    form.update({"tong_so_nguoi": "20", "ca_nhan.1.danh_hieu": "cstd_co_so"})
    warned = client.post("/dang_ky", data=form)
    assert warned.status_code == 200 and warned.mimetype == "text/html"
    html = warned.get_data(as_text=True)
    assert "điểm khác thông lệ" in html and "vượt 15% số Lao động tiên tiến" in html
    kept = dict(lxml.html.fromstring(warned.data).get_element_by_id("doc-form").form_values())
    assert kept["tong_so_nguoi"] == "20"
    assert submit(client, "/dang_ky", kept | {"_xac_nhan": "1"}).startswith(b"PK")


def test_api_and_cli_report_warnings(client, tmp_path):
    response = client.post("/api/v1/render/dang_ky", json=over_ratio())
    assert response.status_code == 200
    warnings = json.loads(response.headers["X-Doctpl-Warnings"])
    assert {w["field"] for w in warnings} == {"ca_nhan", "tap_the.0.danh_hieu"}
    checked = client.post("/api/v1/validate/dang_ky", json=over_ratio()).get_json()
    assert checked["ok"] and len(checked["warnings"]) == 2
    assert client.post("/api/v1/validate/dang_ky", json={}).status_code == 422
    source = tmp_path / "dk.json"
    source.write_text(json.dumps(over_ratio(), ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["render", "dang_ky", str(source), "-o", str(tmp_path / "dk.docx")])
    assert result.exit_code == 0 and "Cảnh báo – ca_nhan: Số đăng ký Chiến sĩ thi đua cơ sở" in result.output
    assert (tmp_path / "dk.docx").exists()


def test_hostile_input():
    data = state_example("dang_ky")
    data["ca_nhan"][0]["ho_ten"] = HOSTILE["amp_lt_quote"]
    data["tap_the"][0]["ten"] = HOSTILE["jinja"]
    data["kinh_gui"] = [HOSTILE["nfd"]]
    text = body_text(rendered("dang_ky", data))
    assert HOSTILE["amp_lt_quote"] in text and HOSTILE["jinja"] in text
    assert "Kính gửi: Kế hoạch tổ chức phong trào thi đua Đảng ủy" in text


def test_a_unit_name_too_long_for_the_header_breaks_between_word_pairs():
    reader = rendered("dang_ky", state_example("dang_ky"))
    [name] = [p for p in reader.paragraphs() if p.text.startswith("BAN TUYÊN GIÁO")]
    assert name.where.startswith("table") and name.text == "BAN TUYÊN GIÁO\nTHÀNH ỦY"
    assert all(run.bold and run.size == 13 for run in name.runs if run.text.strip())
