"""The registry's admin pages over the demo database: history, changes from a date, the registry file."""

from __future__ import annotations

import io
import json
import re

import pytest

from tests.conftest import csrf_token


@pytest.fixture
def demo(demo_client):
    return demo_client


def _unit_id(page: str, name: str) -> str:
    match = re.search(rf'/quan-tri/don-vi/(\d+)[^"]*">{re.escape(name)}<', page)
    assert match, name
    return match.group(1)


def test_khoi_list_shows_the_ended_bloc_as_history(demo):
    page = demo.get("/quan-tri/").get_data(as_text=True)
    assert page.index("Khối thi đua các cơ quan Đảng tỉnh") < page.index("Khối thi đua số 1")
    assert "đã kết thúc" in page and "từ 01/01/2019 đến 30/6/2025" in page
    old = demo.get("/quan-tri/?ngay=2021-05-01").get_data(as_text=True)
    assert "Thành ủy Đà Lạt" in old
    bloc = demo.get("/quan-tri/khoi/1?nam=2021").get_data(as_text=True)
    assert "Khối kế tiếp" in bloc and "Khối thi đua các cơ quan Đảng tỉnh" in bloc
    assert "Ban Dân vận Thành ủy" in bloc


def test_rename_from_a_date_end_and_move_through_the_pages(demo):
    page = demo.get("/quan-tri/khoi/2?nam=2026").get_data(as_text=True)
    token = csrf_token(page)
    unit = _unit_id(page, "Ban Nội chính Tỉnh ủy")
    renamed = demo.post(f"/quan-tri/don-vi/{unit}", data={
        "csrf_token": token, "_muc": "doi_ten", "ten": "Ban Nội chính và Cải cách tư pháp Tỉnh ủy", "ky_hieu": "BNCTU",
        "chu_quan": "Tỉnh ủy Lâm Đồng", "dia_danh": "Lâm Đồng", "thu_truong": "Võ Thị Hồng Nhung",
        "chuc_vu_thu_truong": "Trưởng Ban", "tu_ngay": "2027-01-01"})
    assert renamed.status_code == 303
    assert "Ban Nội chính Tỉnh ủy" in demo.get("/quan-tri/khoi/2?nam=2026").get_data(as_text=True)
    assert "Ban Nội chính và Cải cách tư pháp Tỉnh ủy" in demo.get("/quan-tri/khoi/2?nam=2027").get_data(as_text=True)
    bad = demo.post(f"/quan-tri/don-vi/{unit}", data={"csrf_token": token, "_muc": "giai_the", "tu_ngay": "hôm qua"})
    assert bad.status_code == 422 and "«Từ ngày»" in bad.get_data(as_text=True)
    cum = demo.get("/quan-tri/khoi/3?nam=2026").get_data(as_text=True)
    moved = demo.post(f"/quan-tri/don-vi/{unit}", data={"csrf_token": token, "_muc": "chuyen_khoi", "khoi_moi": "3",
                                                        "tu_ngay": "2027-07-01"})
    assert moved.status_code == 303 and "Ban Nội chính" not in cum
    assert "Ban Nội chính và Cải cách" in demo.get("/quan-tri/khoi/3?nam=2028").get_data(as_text=True)
    ended = demo.post(f"/quan-tri/don-vi/{unit}", data={"csrf_token": token, "_muc": "giai_the",
                                                        "tu_ngay": "2028-07-01"})
    assert ended.status_code == 303
    later = demo.get("/quan-tri/khoi/3?nam=2029").get_data(as_text=True)
    assert "Ban Nội chính" not in later.split("Lịch sử thành viên")[0] and "đến 30/06/2028" in later


def test_merge_two_units_into_a_new_one(demo):
    page = demo.get("/quan-tri/khoi/2?nam=2026").get_data(as_text=True)
    token = csrf_token(page)
    school, party = _unit_id(page, "Trường Chính trị tỉnh Lâm Đồng"), _unit_id(page, "Đảng ủy Các cơ quan Đảng tỉnh")
    merged = demo.post(f"/quan-tri/don-vi/{school}", data={
        "csrf_token": token, "_muc": "hop_nhat", "_cung_don_vi": party, "tu_ngay": "2027-03-01",
        "ten": "Trung tâm Chính trị tỉnh", "ky_hieu": "TTCT", "thu_truong": "Phan Văn Đức",
        "chuc_vu_thu_truong": "Giám đốc"})
    assert merged.status_code == 303
    new = demo.get(merged.headers["Location"]).get_data(as_text=True)
    assert "Trung tâm Chính trị tỉnh" in new and "từ 01/3/2027" in new
    assert "Đơn vị tiền thân" in new and "Trường Chính trị tỉnh Lâm Đồng" in new
    assert "Tỉnh ủy Lâm Đồng" in new  # the chủ quản and địa danh of its predecessors, when none was typed
    after = demo.get("/quan-tri/khoi/2?nam=2028").get_data(as_text=True)
    assert "Trung tâm Chính trị tỉnh" in after and "Trường Chính trị tỉnh Lâm Đồng" not in after.split("Lịch sử")[0]


def test_roles_take_two_pho_khoi_and_refuse_an_outsider(demo):
    page = demo.get("/quan-tri/khoi/2?nam=2027").get_data(as_text=True)
    token = csrf_token(page)
    assert "— chưa có —" in page
    a, b, c = (_unit_id(page, n) for n in ("Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"))
    saved = demo.post("/quan-tri/khoi/2", data={"csrf_token": token, "_muc": "vai_tro", "_nam": "2027",
                                                "truong_khoi": a, "pho_khoi": [b, c]})
    assert saved.status_code == 303
    outsider = _unit_id(demo.get("/quan-tri/khoi/3?nam=2027").get_data(as_text=True),
                        "Ủy ban nhân dân phường Xuân Hương - Đà Lạt")
    refused = demo.post("/quan-tri/khoi/2", data={"csrf_token": token, "_muc": "vai_tro", "_nam": "2027",
                                                  "truong_khoi": outsider})
    assert refused.status_code == 422 and "phải là đơn vị thành viên" in refused.get_data(as_text=True)


def test_registry_file_download_and_upload(demo):
    exported = demo.get("/quan-tri/danh-muc.json")
    assert exported.status_code == 200 and exported.headers["Content-Disposition"].endswith('"danh-muc.json"')
    document = json.loads(exported.data)
    page = demo.get("/quan-tri/").get_data(as_text=True)
    same = demo.post("/quan-tri/danh-muc", data={"csrf_token": csrf_token(page),
                                                 "tep": (io.BytesIO(exported.data), "danh-muc.json")})
    assert same.status_code == 303
    assert json.loads(demo.get("/quan-tri/danh-muc.json").data) == document
    document["khoi"][0]["don_vi"][0]["ky_hieu"] = "VP TU"
    bad = demo.post("/quan-tri/danh-muc", data={"csrf_token": csrf_token(page), "tep": (
        io.BytesIO(json.dumps(document).encode()), "sai.json")})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "không có khoảng trắng" in text
    assert "Khối, cụm thứ 1 › đơn vị thứ 1 › giá trị thứ 1 › Ký hiệu" in text
    garbage = demo.post("/quan-tri/danh-muc", data={"csrf_token": csrf_token(page),
                                                    "tep": (io.BytesIO(b"\xff{"), "x.json")})
    assert garbage.status_code == 400 and "không phải tệp JSON" in garbage.get_data(as_text=True)


def test_the_admin_sets_the_the_thuc_and_the_nhiem_ky(demo):
    page = demo.get("/quan-tri/khoi/2?nam=2026").get_data(as_text=True)
    token = csrf_token(page)
    assert "thể thức văn bản: Đảng, đánh số từng loại theo năm" in page
    assert re.search(r'<option value="dang" selected>Văn bản của Đảng', page)  # the khối's form shows its own
    unit = _unit_id(page, "Ban Tổ chức Tỉnh ủy")
    body = demo.get(f"/quan-tri/don-vi/{unit}?ngay=2026-03-01").get_data(as_text=True)
    assert "trong nhiệm kỳ 2025–2030 của Tỉnh ủy Lâm Đồng" in body  # its chủ quản's term
    # The cụm of phường is a state one; the admin switches a khối to Party form from a date, and records its term.
    cum = demo.get("/quan-tri/khoi/3?nam=2026").get_data(as_text=True)
    assert "thể thức văn bản: Nhà nước" in cum
    changed = demo.post("/quan-tri/khoi/3", data={"csrf_token": token, "_muc": "khoi", "loai": "cum",
                                                  "ten": "Cụm thi đua các phường số 2", "ky_hieu": "CTĐP2",
                                                  "the_thuc": "dang", "tu_ngay": "2027-01-01"})
    assert changed.status_code == 303
    assert "thể thức văn bản: Nhà nước" in demo.get("/quan-tri/khoi/3?nam=2026").get_data(as_text=True)
    assert "thể thức văn bản: Đảng" in demo.get("/quan-tri/khoi/3?nam=2027").get_data(as_text=True)
    bad = demo.post("/quan-tri/khoi/3", data={"csrf_token": token, "_muc": "nhiem_ky", "nhiem_ky": "khóa I",
                                              "tu_ngay": "2025-10-11"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "ví dụ 2025–2030" in text and 'value="khóa I"' in text
    term = demo.post("/quan-tri/khoi/3", data={"csrf_token": token, "_muc": "nhiem_ky", "nhiem_ky": "2025-2030",
                                               "tu_ngay": "2025-10-11"})
    assert term.status_code == 303
    page = demo.get("/quan-tri/khoi/3?nam=2027").get_data(as_text=True)
    assert "đánh số từng loại trong nhiệm kỳ 2025–2030" in page and "<td>2025–2030</td><td>11/10/2025</td>" in page
    exported = json.loads(demo.get("/quan-tri/danh-muc.json").data)
    cum_file = next(k for k in exported["khoi"] if k["ma"] == "CTDP2-LD")
    assert cum_file["nhiem_ky"] == [{"nhiem_ky": "2025–2030", "tu_ngay": "2025-10-11", "den_ngay": None}]
    assert [t["the_thuc"] for t in cum_file["the_thuc"]] == ["nha_nuoc", "dang"]
    removed = demo.post("/quan-tri/khoi/3", data={"csrf_token": token, "_muc": "xoa_nhiem_ky", "nhiem_ky": "2025–2030"})
    assert removed.status_code == 303
    assert "Chưa ghi nhiệm kỳ nào." in demo.get("/quan-tri/khoi/3?nam=2027").get_data(as_text=True)
    log = demo.get("/nhat-ky").get_data(as_text=True)
    assert "khối CTDP2-LD: nhiệm kỳ 2025–2030 từ 11/10/2025" in log and "khối CTDP2-LD: xóa nhiệm kỳ 2025–2030" in log
    # A body's own term, from its page.
    committee = demo.post(f"/quan-tri/don-vi/{unit}", data={"csrf_token": token, "_muc": "nhiem_ky",
                                                            "nhiem_ky": "2025–2030", "tu_ngay": "2025-10-20"})
    assert committee.status_code == 303
    body = demo.get(f"/quan-tri/don-vi/{unit}?ngay=2026-03-01").get_data(as_text=True)
    assert "trong nhiệm kỳ 2025–2030." in body and "<td>2025–2030</td><td>20/10/2025</td>" in body
