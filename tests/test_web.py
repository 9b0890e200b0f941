"""The web face through Flask's test client: form, validation, CSRF, download."""

from __future__ import annotations

import lxml.html

from doctpl.check.reader import Reader
from doctpl.render import DOCX_MIME
from tests.conftest import body_text, csrf_token, submit


def form_fields(html: bytes) -> dict[str, str]:
    """Return what a browser would submit for the page's form, exactly as rendered."""
    form = lxml.html.fromstring(html).get_element_by_id("doc-form")
    return dict(form.form_values())


def test_index_lists_the_kinds(client):
    page = client.get("/").get_data(as_text=True)
    assert "Kế hoạch tổ chức phong trào thi đua" in page and 'href="/ke_hoach"' in page
    assert '<html lang="vi">' in page


def test_form_opens_prefilled_from_the_example(client):
    page = client.get("/ke_hoach").get_data(as_text=True)
    assert 'value="Khối thi đua số 1"' in page
    assert "Mừng đảng, mừng xuân" in page
    assert page.count('class="add"') >= 6  # add buttons for every repeating group
    assert 'id="tpl-noi_dung-x-thanh_phan-x-con"' in page  # templates for new items of nested groups


def test_blank_form_and_unknown_example(client):
    assert client.get("/ke_hoach?mau=trong").status_code == 200
    outline = client.get("/bao_cao_so_ket?mau=trong").get_data(as_text=True)  # a new sơ kết: its usual outline
    assert 'value="Đánh giá chung"' in outline and 'value="Ưu điểm"' in outline
    assert client.get("/ke_hoach?mau=../../etc/passwd").status_code == 404
    missing = client.get("/khong_co")
    assert missing.status_code == 404 and "Không có loại văn bản" in missing.get_data(as_text=True)


def test_get_form_then_post_saves_and_downloads_the_document(client):
    values = form_fields(client.get("/ke_hoach").data)
    assert values["csrf_token"] and values["noi_dung.1.thanh_phan.3.con.0.chu_de"] == "Mừng đảng, mừng xuân"
    saved = client.post("/ke_hoach", data=values)
    assert saved.status_code == 303 and saved.headers["Location"] == "/van-ban/1?moi=1"
    response = client.get("/van-ban/1/tai-ve")
    assert response.mimetype == DOCX_MIME
    disposition = response.headers["Content-Disposition"]
    assert 'filename="Ke-hoach-thi-dua-nam-2021.docx"' in disposition
    assert "filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20thi%20%C4%91ua%20n%C4%83m%202021.docx" in disposition
    text = body_text(Reader(response.data))
    assert "kỷ niệm 91 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2021)" in text


def test_web_and_api_give_the_same_document(client):
    from tests.conftest import example

    web = submit(client, "/ke_hoach", form_fields(client.get("/ke_hoach").data))
    api = client.post("/api/v1/render/ke_hoach", json=example("ke_hoach") | {"so": None}).data  # the form leaves Số
    assert web == api


def test_errors_are_shown_beside_their_field_and_the_input_is_kept(client):
    values = form_fields(client.get("/ke_hoach").data)
    values["co_quan.ten"] = ""
    values["ngay"] = "2021-02-31"
    values["noi_dung.0.tieu_de"] = 'Mục đích & <yêu cầu> "mới"'
    response = client.post("/ke_hoach", data=values)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    doc = lxml.html.fromstring(page)
    wrapper = doc.get_element_by_id("f-co_quan-ten").getparent()
    assert "Vui lòng nhập «Tên cơ quan, tổ chức ban hành»." in wrapper.text_content()
    assert "không phải ngày hợp lệ" in doc.get_element_by_id("f-ngay").getparent().text_content()
    kept = form_fields(response.data)
    assert kept["co_quan.chu_quan"] == "Thành ủy Đà Lạt"
    assert kept["noi_dung.0.tieu_de"] == 'Mục đích & <yêu cầu> "mới"'
    assert kept["noi_dung.1.thanh_phan.3.con.0.chu_de"] == "Mừng đảng, mừng xuân"
    assert "có 2 chỗ cần sửa" in page and 'href="#f-co_quan-ten"' in page


def test_missing_csrf_token_keeps_the_input_and_asks_to_submit_again(client):
    values = form_fields(client.get("/ke_hoach").data)
    del values["csrf_token"]
    values["trich_yeu"] = "Nội dung clerk vừa sửa"
    response = client.post("/ke_hoach", data=values)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Phiên làm việc đã hết hạn" in page
    kept = form_fields(response.data)
    assert kept["trich_yeu"] == "Nội dung clerk vừa sửa" and kept["csrf_token"] != ""
    assert client.post("/ke_hoach", data=kept).status_code == 303


def test_csrf_token_is_required_and_checked(client):
    token = csrf_token(client.get("/ke_hoach").get_data(as_text=True))
    assert client.post("/ke_hoach", data={"csrf_token": token + "x"}).status_code == 400


def test_form_offers_the_legal_bases_in_force_for_the_document_year(client):
    page = lxml.html.fromstring(client.get("/ke_hoach?mau=ke_hoach_cum_phuong.json").data)
    offered = [button.get("data-text") for button in page.xpath("//button[@class='add-can-cu']")]
    assert any(text.startswith("Căn cứ Nghị định số 152/2025/NĐ-CP") for text in offered)
    assert not any("98/2023" in text for text in offered)
    assert "Căn cứ pháp lý hiệu lực ngày 01/01/2026 (3)" in page.text_content()
    # The 2021 seed is offered the law of 2003 as amended and NĐ 91/2017, in force that year.
    offered_2021 = [button.get("data-text") for button in
                    lxml.html.fromstring(client.get("/ke_hoach").data).xpath("//button[@class='add-can-cu']")]
    assert offered_2021[0] == "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003"
    assert any(text.startswith("Căn cứ Nghị định số 91/2017/NĐ-CP") for text in offered_2021)
    assert not any("152/2025" in text or "2022" in text for text in offered_2021)


def test_out_of_range_year_or_impossible_date_is_reported_not_a_server_error(client):
    values = form_fields(client.get("/ke_hoach").data)
    for nam, ngay, message in (("99999", "", "«Năm» phải là số nguyên từ 1945 đến 2200."),
                               ("0", "", "«Năm» phải là số nguyên từ 1945 đến 2200."),
                               ("2026", "31/02/2026", "Ngày ban hành")):
        response = client.post("/ke_hoach", data=values | {"nam": nam, "ngay": ngay})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and message in page
        assert f'value="{nam}"' in page  # the clerk's input is kept


def test_a_stale_legal_basis_is_flagged_with_a_link_to_its_line_before_saving(client):
    values = form_fields(client.get("/ke_hoach?mau=ke_hoach_cum_phuong.json").data)
    values["can_cu.1"] = "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;"
    warned = client.post("/ke_hoach", data=values)
    assert warned.status_code == 200
    page = lxml.html.fromstring(warned.data)
    [link] = page.get_element_by_id("warning-summary").xpath(".//a")
    assert link.get("href") == "#f-can_cu-1" and page.get_element_by_id("f-can_cu-1") is not None
    assert "dẫn văn bản số 98/2023/NĐ-CP, đã hết hiệu lực từ ngày 01/7/2025" in link.text_content()
    assert form_fields(warned.data)["can_cu.1"] == values["can_cu.1"]
    assert submit(client, "/ke_hoach", form_fields(warned.data) | {"_xac_nhan": "1"}).startswith(b"PK")
