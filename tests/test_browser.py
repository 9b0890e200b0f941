"""The form in the real Chromium: repeating groups, conditional fields, tokens, download."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from doctpl.check.reader import Reader
from doctpl.store.models import DonVi
from tests.conftest import PASSWORD, body_text

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not CHROMIUM:
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser tests: .ci/run installs Debian's chromium")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from app import create_app
    from doctpl.store import users

    app = create_app({"SECRET_KEY": "browser-test", "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db')}/b.db"})
    with app.extensions["doctpl.store"].session() as session:
        unit = session.scalar(select(DonVi).where(DonVi.ma == "BTGDVTU-LD"))  # a unit of the demo khối
        users.create(session, {"ten_dang_nhap": "vanthu", "ho_ten": "Văn thư Khối", "mat_khau": PASSWORD},
                     role="van_thu", don_vi_id=unit.id)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def signed_in_page(browser, server, **options):
    """Open a page and sign in as the clerk through the login form."""
    page = browser.new_page(**options)
    page.goto(f"{server}/")
    page.fill("#f-login", "vanthu")
    page.fill("#f-password", PASSWORD)
    page.click("form.narrow button[type=submit]")
    page.wait_for_selector("nav")
    return page


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def test_clerk_builds_a_plan_from_a_blank_form(server, browser, tmp_path):
    page = signed_in_page(browser, server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/ke_hoach?mau=trong")
    page.fill("#f-co_quan-ten", "Khối thi đua số 3")
    page.fill("#f-co_quan-ky_hieu", "KTĐ3")
    page.fill("#f-dia_danh", "Bảo Lộc")
    page.fill("#f-nam", "2026")
    page.fill("#f-trich_yeu", "Tổ chức phong trào thi đua năm 2026")

    sections = page.locator("#f-noi_dung")
    add_section = sections.locator(":scope > button.add")
    for title in ("Tổ chức thực hiện", "Mục đích, yêu cầu", "Mục bị xóa"):
        add_section.click()
        section = page.locator("#f-noi_dung > ol > li").last
        section.locator("input[name$='.tieu_de']").first.fill(title)  # the section's own title, not its «Phần»
    page.locator("#f-noi_dung > ol > li").nth(1).locator(":scope > .item-bar .up").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#f-noi_dung > ol > li").nth(2).locator(":scope > .item-bar .remove").click()
    assert page.locator("#f-noi_dung > ol > li").count() == 2

    # A quarter block in the second section: choosing "quy" shows its fields and hides the text.
    second = page.locator("#f-noi_dung > ol > li").nth(1)
    second.locator("button.add").first.click()
    block = second.locator("ol.items > li").first
    assert block.locator("[name$='van_ban']").is_visible()
    block.locator("select").first.select_option("quy")
    assert not block.locator("[name$='van_ban']").is_visible()
    page.fill("#f-noi_dung-1-thanh_phan-0-chu_de", "Mừng xuân ")
    page.focus("#f-noi_dung-1-thanh_phan-0-chu_de")
    page.press("#f-noi_dung-1-thanh_phan-0-chu_de", "End")
    page.locator("button.token[data-token='[[can_chi]]']").click()
    block.locator("button.add").first.click()
    page.fill("#f-noi_dung-1-thanh_phan-0-con-0-van_ban", "Kỷ niệm [[ky_niem:thanh_lap_dang]].")

    page.select_option("#f-nguoi_ky-tham_quyen", "KT")
    page.fill("#f-nguoi_ky-thay_mat", "Trưởng khối")
    page.fill("#f-nguoi_ky-chuc_vu", "Phó Trưởng khối")
    page.fill("#f-nguoi_ky-ho_ten", "Lê Văn Bình")
    page.locator("#f-noi_nhan-cac_noi > button.add").click()
    page.fill("#f-noi_nhan-cac_noi-0", "Ban Thi đua – Khen thưởng tỉnh")

    page.click("#doc-form button.primary")
    # «Mục đích, yêu cầu» has no content yet: the form warns, the clerk creates the document anyway.
    assert "chưa có nội dung" in page.locator("#warning-summary").inner_text()
    with page.expect_download() as download:
        page.click("button[name=_xac_nhan]")
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.name == "Kế hoạch thi đua năm 2026.docx"
    text = body_text(Reader(target.read_bytes()))
    assert text.index("I. MỤC ĐÍCH, YÊU CẦU") < text.index("II. TỔ CHỨC THỰC HIỆN")
    assert "MỤC BỊ XÓA" not in text
    assert "Quý I: Tổ chức phong trào thi đua với chủ đề “Mừng xuân Bính Ngọ” hưởng ứng vào các nội dung sau:" in text
    assert "\nKỷ niệm 96 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2026)./.\n" in text
    assert "KT. TRƯỞNG KHỐI" in text and "- Ban Thi đua – Khen thưởng tỉnh;" in text
    assert "Đã lưu phiên bản 1" in page.inner_text("main") and "Văn thư Khối" in page.inner_text("main")
    assert errors == []


def test_validation_errors_in_the_browser_keep_what_was_typed(server, browser):
    page = signed_in_page(browser, server)
    page.goto(f"{server}/ke_hoach")
    page.fill("#f-co_quan-ten", "")
    page.fill("#f-noi_dung-0-tieu_de", "Mục đích – Yêu cầu (đã sửa)")
    page.click("#doc-form button[type=submit]")
    page.wait_for_selector("#error-summary")
    assert "Vui lòng nhập «Tên cơ quan, tổ chức ban hành»." in page.inner_text("#error-summary")
    assert page.input_value("#f-noi_dung-0-tieu_de") == "Mục đích – Yêu cầu (đã sửa)"
    assert page.locator(".field.has-error #f-co_quan-ten").count() == 1


def test_preview_shows_the_pages_beside_the_form(server, browser):
    page = signed_in_page(browser, server, viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/ke_hoach")
    page.click("#preview-button")
    page.wait_for_selector("#preview-body img.page, #preview-body .page-html", timeout=120_000)
    assert page.locator("#preview-body img.page").count() == 7 or "KẾ HOẠCH" in page.inner_text("#preview-body")
    page.fill("#f-nguoi_ky-ho_ten", "")
    page.click("#preview-refresh")
    page.wait_for_selector("#preview-body .notice.error")
    assert "Vui lòng nhập «Họ và tên người ký»." in page.inner_text("#preview-body")


def test_nested_blocks_start_collapsed_and_open_on_request(server, browser):
    page = signed_in_page(browser, server)
    page.goto(f"{server}/ke_hoach")
    quarter = page.locator("#f-noi_dung-1-thanh_phan-3-con-0-chu_de")
    assert not quarter.is_visible()  # a quarter inside «3. Nhiệm vụ … từng quý» starts collapsed
    ancestors = page.locator("li.item", has=quarter)  # outermost first; the last one is the quarter itself
    parent = ancestors.nth(ancestors.count() - 2)
    assert parent.locator(":scope > .item-bar .summary").inner_text().startswith("Khoản: Nhiệm vụ phát động")
    parent.locator(":scope > .item-bar .toggle").click()
    item = ancestors.last
    summary = item.locator(":scope > .item-bar .summary").inner_text()
    assert summary.startswith("Nhiệm vụ quý: Tổ chức phát động phong trào thi đua với chủ đề")
    item.locator(":scope > .item-bar .toggle").click()
    assert quarter.is_visible() and quarter.input_value() == "Mừng đảng, mừng xuân"


def test_a_legal_basis_in_force_is_added_to_can_cu_with_one_click(server, browser):
    page = signed_in_page(browser, server)
    page.goto(f"{server}/ke_hoach?mau=ke_hoach_cum_phuong.json")
    items = page.locator("#f-can_cu > ol.items > li")
    before = items.count()
    page.click(".legal summary")  # folded by default so that it does not crowd the insert codes
    page.click("button.add-can-cu[data-text*='152/2025']")
    assert items.count() == before + 1
    assert items.last.locator("[data-field]").input_value().startswith("Căn cứ Nghị định số 152/2025/NĐ-CP")
