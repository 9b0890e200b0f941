"""The record pages over the demo database: list, versions, roll-over, registry, register, audit."""

from __future__ import annotations

import io
import re
import time

import lxml.html
import openpyxl
import pytest

from doctpl.check.reader import Reader
from doctpl.store import numbering
from tests.conftest import body_text, csrf_token


@pytest.fixture
def demo(demo_client):
    return demo_client


def doc_form(client, url):
    page = client.get(url)
    assert page.status_code == 200, url
    return dict(lxml.html.fromstring(page.data).get_element_by_id("doc-form").form_values())


def test_records_list_and_filters(demo):
    page = demo.get("/van-ban/?khoi=1").get_data(as_text=True)
    assert page.count("Dùng lại cho năm sau") == 5 and "Kế hoạch thi đua năm 2021" in page
    assert demo.get("/van-ban/").get_data(as_text=True).count("Dùng lại cho năm sau") == 24
    only = demo.get("/van-ban/?loai=dang_ky&nam=2021").get_data(as_text=True)
    assert "Đăng ký thi đua năm 2021 – Ban Tuyên giáo Thành ủy" in only and "Kế hoạch thi đua" not in only


def test_edit_keeps_history_and_every_version_downloads(demo):
    values = doc_form(demo, "/ke_hoach?ban=1")
    assert values["_ban"] == "1" and values["nguoi_ky.ho_ten"] == "Nguyễn Quang Hải"
    values["nguoi_ky.ho_ten"] = "Phạm Thị Thanh"
    saved = demo.post("/ke_hoach", data=values)
    assert saved.headers["Location"] == "/van-ban/1?moi=1"
    page = demo.get("/van-ban/1").get_data(as_text=True)
    assert "Tải phiên bản 1" in page and "Tải phiên bản 2" in page and "Lê Văn Thư" in page
    assert "Phạm Thị Thanh" in body_text(Reader(demo.get("/van-ban/1/tai-ve").data))
    assert "Nguyễn Quang Hải" in body_text(Reader(demo.get("/van-ban/1/tai-ve?phien_ban=1").data))
    assert demo.get("/van-ban/1/tai-ve").data == demo.get("/van-ban/1/tai-ve").data
    assert demo.get("/van-ban/1/tai-ve?phien_ban=9").status_code == 404
    assert demo.get("/van-ban/99").status_code == 404


def test_rollover_shows_the_diff_before_saving(demo):
    preview = demo.get("/van-ban/1/nam-sau").get_data(as_text=True)
    assert "Dùng lại cho năm 2022" in preview and "Chưa có gì được lưu" in preview
    assert "Số văn bản để trống" in preview
    visible = re.sub(r"<[^>]+>", "", preview).replace("&nbsp;", " ")
    assert re.search(r"diff_chg|diff_add", preview)
    # Old and new side by side (the table wraps long lines, so check fragments).
    assert "kỷ niệm 91 năm ngày thành lập Đảng C" in visible and "kỷ niệm 92 năm ngày thành lập Đảng C" in visible
    assert "Mừng xuân Tân Sử" in visible and "Mừng xuân Nhâm D" in visible
    assert "đoạn văn còn nhắc năm 2021" in preview
    assert "2022" not in demo.get("/van-ban/?nam=2022").get_data(as_text=True).split("<tbody>")[1]
    saved = demo.post("/van-ban/1/nam-sau", data={"csrf_token": csrf_token(preview), "nam": "2022"})
    assert saved.status_code == 303 and saved.headers["Location"].startswith("/ke_hoach?ban=")
    values = doc_form(demo, saved.headers["Location"])
    assert values["nam"] == "2022" and values["so"] == "" and values["nguoi_ky.ho_ten"] == "Trần Văn Minh"
    again = demo.post("/van-ban/1/nam-sau", data={"csrf_token": csrf_token(preview), "nam": "2022"})
    assert again.headers["Location"] == saved.headers["Location"]  # a second click opens the same record


def _finished(client, started) -> str:
    """Follow a roll-over job's page until it is done (it runs as a job, in this process without Redis)."""
    assert started.status_code == 303, started.get_data(as_text=True)[:500]
    for _ in range(200):
        page = client.get(started.headers["Location"]).get_data(as_text=True)
        if "Trang tự cập nhật" not in page:
            return page
        time.sleep(0.05)
    raise AssertionError("the roll-over job did not finish")


def test_whole_set_rollover_from_the_khoi_page(demo):
    page = demo.get("/quan-tri/khoi/1?nam=2021").get_data(as_text=True)
    assert "Dùng lại cả bộ văn bản cho năm 2022" in page
    confirm = demo.get("/quan-tri/khoi/1/nam-sau?tu=2021&den=2022").get_data(as_text=True)
    assert confirm.count("Sẽ tạo mới") == 5 and "Chưa có gì được lưu" in confirm and "Tạo 5 văn bản năm 2022" in confirm
    assert "năm 2022" not in demo.get("/van-ban/?khoi=1&nam=2022").get_data(as_text=True).split("<tbody>")[1]
    done = _finished(demo, demo.post("/quan-tri/khoi/1/nam-sau", data={"csrf_token": csrf_token(confirm),
                                                                       "tu": "2021", "den": "2022"}))
    assert "Đã tạo 5 văn bản năm 2022" in done
    listing = demo.get("/van-ban/?khoi=1&nam=2022").get_data(as_text=True)
    assert listing.count("năm 2022") >= 5
    again = _finished(demo, demo.post("/quan-tri/khoi/1/nam-sau", data={"csrf_token": csrf_token(confirm),
                                                                        "tu": "2021", "den": "2022"}))
    assert "Không tạo thêm văn bản nào" in again
    assert demo.get("/van-ban/?khoi=1&nam=2022").get_data(as_text=True).count("Dùng lại cho năm sau") == 5


def test_registry_admin_and_prefilled_forms(demo):
    page = demo.get("/quan-tri/").get_data(as_text=True)
    token = csrf_token(page)
    bad = demo.post("/quan-tri/", data={"csrf_token": token, "ten": "", "ky_hieu": "K2"})
    assert bad.status_code == 422 and "Vui lòng nhập «Tên»." in bad.get_data(as_text=True)
    created = demo.post("/quan-tri/", data={"csrf_token": token, "ten": "Cụm thi đua số 2", "ky_hieu": "CTĐ2",
                                            "chu_quan": "UBND tỉnh Lâm Đồng", "dia_danh": "Bảo Lộc", "loai": "cum"})
    assert created.status_code == 303
    khoi = created.headers["Location"].rsplit("/", 1)[1]
    for name, code, head in (("Sở Nội vụ", "SNV", "Trần An"), ("Sở Tài chính", "STC", "Lê Bình")):
        demo.post(f"/quan-tri/khoi/{khoi}", data={"csrf_token": token, "_muc": "don_vi", "ten": name, "ky_hieu": code,
                                                 "thu_truong": head, "chuc_vu_thu_truong": "Giám đốc"})
    page = demo.get(f"/quan-tri/khoi/{khoi}?nam=2026").get_data(as_text=True)
    assert "Sở Nội vụ" in page and "Sở Tài chính" in page
    units = list(dict.fromkeys(re.findall(r'<option value="(\d+)" >Sở', page)))
    demo.post(f"/quan-tri/khoi/{khoi}?nam=2026", data={"csrf_token": token, "_muc": "vai_tro", "_nam": "2026",
                                                       "truong_khoi": units[1], "pho_khoi": units[0]})
    values = doc_form(demo, f"/ke_hoach?khoi={khoi}&nam=2026")
    assert (values["co_quan.ten"], values["co_quan.ky_hieu"], values["dia_danh"]) == (
        "Cụm thi đua số 2", "CTĐ2", "Bảo Lộc")
    assert (values["nguoi_ky.tham_quyen"], values["nguoi_ky.ho_ten"]) == ("TM", "Lê Bình")
    registration = doc_form(demo, f"/dang_ky?khoi={khoi}&don_vi={units[0]}&nam=2026")
    assert registration["kinh_gui.0"] == "Sở Tài chính (Trưởng Cụm thi đua số 2)"
    covenant = doc_form(demo, f"/giao_uoc?khoi={khoi}&nam=2026")
    assert covenant["don_vi_ky.1.ten"] == "Sở Tài chính" and covenant["don_vi_ky.1.vai_tro"] == "truong_khoi"


def test_number_register_take_and_export(demo):
    page = demo.get("/so-van-ban?nam=2021").get_data(as_text=True)
    for line in ("01-KH/KTĐ1", "02-GƯTĐ/KTĐ1", "07-BC/KTĐ1", "15-BC/KTĐ1", "05-ĐKTĐ/BTGTU"):
        assert line in page
    taken = demo.post("/so-van-ban?nam=2021", data={"csrf_token": csrf_token(page), "co_quan": "KTĐ1", "nam": "2021",
                                                    "loai": "bao_cao_so_ket", "trich_yeu": "Báo cáo nhanh"})
    assert "Đã cấp số <strong>16-BC/KTĐ1</strong>" in taken.get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(demo.get("/so-van-ban?nam=2021&co_quan=KTĐ1&xlsx=1").data))
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    assert all(rows[0] == numbering.COLUMNS for rows in sheets.values())
    numbers = sorted(row[0] for rows in sheets.values() for row in rows[2:])  # a Party body: one book per type
    assert numbers == ["01-KH/KTĐ1", "02-GƯTĐ/KTĐ1", "07-BC/KTĐ1", "15-BC/KTĐ1", "16-BC/KTĐ1"]


def test_saving_a_new_document_can_take_its_number(demo):
    values = doc_form(demo, "/bao_cao_so_ket?khoi=1&nam=2022")
    values.update({"trich_yeu": "", "noi_dung.0.tieu_de": "Kết quả", "noi_dung.0.thanh_phan.0.loai": "doan",
                   "noi_dung.0.thanh_phan.0.van_ban": "Kết quả tốt.",
                   "noi_nhan.cac_noi.0": "Các đơn vị trong Khối", "_lay_so": "1"})
    saved = demo.post("/bao_cao_so_ket", data=values)
    assert saved.status_code == 303, saved.get_data(as_text=True)[:2000]
    record_id = saved.headers["Location"].split("/")[2].split("?")[0]
    text = body_text(Reader(demo.get(f"/van-ban/{record_id}/tai-ve").data))
    assert "Số 01-BC/KTĐ1" in text and "CHÁNH VĂN PHÒNG" in text  # the Party khối: Báo cáo numbered on its own


def test_audit_log_lists_who_did_what_with_hashes(demo):
    demo.get("/van-ban/2/tai-ve")
    page = demo.get("/nhat-ky").get_data(as_text=True)
    assert "tai_ve" in page and "Lê Văn Thư" in page and "dữ liệu mẫu" in page
    assert re.search(r"<code>[0-9a-f]{12}</code>", page)
