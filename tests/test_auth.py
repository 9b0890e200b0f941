"""Accounts: first-run setup, sign-in, roles, and who is recorded."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, csrf_token, example, signed_in


@pytest.fixture
def fresh(app):
    return app.test_client()


def test_first_run_asks_for_the_first_admin_then_signs_in(fresh):
    assert fresh.get("/").headers["Location"].startswith("/dang-nhap")
    assert fresh.get("/dang-nhap").headers["Location"] == "/khoi-tao"
    page = fresh.get("/khoi-tao").get_data(as_text=True)
    assert "Không có mật khẩu mặc định" in page
    short = fresh.post("/khoi-tao", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "Quản trị",
                                          "ho_ten": "Nguyễn Quản Trị", "mat_khau": "ngan"})
    assert short.status_code == 422
    html = short.get_data(as_text=True)
    assert "«Mật khẩu» cần ít nhất 8 ký tự." in html and "chỉ gồm chữ thường không dấu" in html
    assert 'value="Nguyễn Quản Trị"' in html  # the input is kept
    assert '<input data-field type="password" name="mat_khau"' in html and "ngan" not in html  # never shown back
    made = fresh.post("/khoi-tao", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "quantri",
                                         "ho_ten": "Nguyễn Quản Trị", "mat_khau": PASSWORD})
    assert made.status_code == 303
    home = fresh.get("/").get_data(as_text=True)
    assert "Nguyễn Quản Trị · Quản trị" in home and "Nhật ký" in home
    assert fresh.get("/khoi-tao").headers["Location"] == "/dang-nhap"  # only once


def test_sign_in_sign_out_and_safe_redirects(app):
    signed_in(app)
    client = app.test_client()
    page = client.get("/dang-nhap?next=/van-ban/").get_data(as_text=True)
    wrong = client.post("/dang-nhap", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "quantri",
                                            "mat_khau": "sai-mat-khau"})
    assert wrong.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in wrong.get_data(as_text=True)
    good = client.post("/dang-nhap", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "QuanTri ",
                                           "mat_khau": PASSWORD, "next": "/van-ban/"})
    assert good.headers["Location"] == "/van-ban/"
    page = client.get("/").get_data(as_text=True)
    assert client.post("/dang-xuat", data={"csrf_token": csrf_token(page)}).status_code == 303
    assert client.get("/van-ban/").headers["Location"].startswith("/dang-nhap")
    page = client.get("/dang-nhap").get_data(as_text=True)
    evil = client.post("/dang-nhap", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "quantri",
                                           "mat_khau": PASSWORD, "next": "//evil.example/"})
    assert evil.headers["Location"] == "/"


def test_a_clerk_composes_but_cannot_administer(app):
    signed_in(app)  # the admin exists
    clerk = signed_in(app, login="vanthu", role="van_thu", name="Trần Văn Thư")
    for path in ("/quan-tri/", "/nhat-ky", "/quan-tri/tai-khoan", "/quan-tri/khoi/1"):
        assert clerk.get(path).status_code == 403, path
    home = clerk.get("/").get_data(as_text=True)
    assert "Trần Văn Thư · Văn thư, chuyên viên" in home and "Nhật ký" not in home
    import lxml.html

    values = dict(lxml.html.fromstring(clerk.get("/ke_hoach").data).get_element_by_id("doc-form").form_values())
    saved = clerk.post("/ke_hoach", data=values)
    assert saved.status_code == 303
    assert "Trần Văn Thư" in clerk.get(saved.headers["Location"]).get_data(as_text=True)


def test_admin_creates_accounts(client):
    page = client.get("/quan-tri/tai-khoan").get_data(as_text=True)
    made = client.post("/quan-tri/tai-khoan", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "vanthu.btg",
                                                    "ho_ten": "Võ Thị Hồng", "mat_khau": PASSWORD,
                                                    "vai_tro": "van_thu"})
    assert made.status_code == 200 and "vanthu.btg" in made.get_data(as_text=True)
    again = client.post("/quan-tri/tai-khoan", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "vanthu.btg",
                                                     "ho_ten": "X", "mat_khau": PASSWORD, "vai_tro": "van_thu"})
    assert again.status_code == 422 and "đã có người dùng" in again.get_data(as_text=True)
    assert "tao_tai_khoan" in client.get("/nhat-ky").get_data(as_text=True)


def test_the_api_stays_stateless_and_open(fresh):
    assert fresh.post("/api/v1/render/ke_hoach", json=example("ke_hoach")).status_code == 200
    assert fresh.get("/api/v1/kinds").status_code == 200


def test_password_change_and_locked_accounts(app):
    admin = signed_in(app)
    clerk = signed_in(app, login="vanthu", role="van_thu")
    page = clerk.get("/tai-khoan/mat-khau").get_data(as_text=True)
    wrong = clerk.post("/tai-khoan/mat-khau", data={"csrf_token": csrf_token(page), "mat_khau_cu": "sai",
                                                    "mat_khau_moi": "ngan", "nhap_lai": "ngan"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "Mật khẩu hiện tại không đúng." in html and "ít nhất 8 ký tự" in html
    ok = clerk.post("/tai-khoan/mat-khau", data={"csrf_token": csrf_token(page), "mat_khau_cu": PASSWORD,
                                                 "mat_khau_moi": "mat-khau-moi-2026", "nhap_lai": "mat-khau-moi-2026"})
    assert "Đã đổi mật khẩu." in ok.get_data(as_text=True)
    listing = admin.get("/quan-tri/tai-khoan").get_data(as_text=True)
    assert listing.count(">Khóa</button>") == 1  # an admin cannot lock their own account
    admin.post("/quan-tri/tai-khoan/2/khoa", data={"csrf_token": csrf_token(listing)})
    assert clerk.get("/").headers["Location"].startswith("/dang-nhap")  # a locked account is signed out
    fresh = app.test_client()
    login = fresh.get("/dang-nhap").get_data(as_text=True)
    refused = fresh.post("/dang-nhap", data={"csrf_token": csrf_token(login), "ten_dang_nhap": "vanthu",
                                             "mat_khau": "mat-khau-moi-2026"})
    assert refused.status_code == 401
    self_lock = admin.post("/quan-tri/tai-khoan/1/khoa", data={"csrf_token": csrf_token(listing)})
    assert self_lock.status_code == 422 and "Không thể tự khóa" in self_lock.get_data(as_text=True)
    admin.post("/quan-tri/tai-khoan/2/khoa", data={"csrf_token": csrf_token(listing), "mo": "1"})
    again = fresh.post("/dang-nhap", data={"csrf_token": csrf_token(login), "ten_dang_nhap": "vanthu",
                                           "mat_khau": "mat-khau-moi-2026"})
    assert again.status_code == 303


def test_security_headers_and_cookie(app):
    client = signed_in(app)
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_repeated_failures_wait_and_an_admin_resets_the_password(app):
    admin = signed_in(app)
    signed_in(app, login="vanthu", role="van_thu")
    fresh = app.test_client()
    page = fresh.get("/dang-nhap").get_data(as_text=True)
    for _ in range(5):
        assert fresh.post("/dang-nhap", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "vanthu",
                                              "mat_khau": "doan-sai-mat-khau"}).status_code == 401
    blocked = fresh.post("/dang-nhap", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "vanthu",
                                             "mat_khau": PASSWORD})
    assert blocked.status_code == 429 and "thử lại sau 15 phút" in blocked.get_data(as_text=True)
    listing = admin.get("/quan-tri/tai-khoan").get_data(as_text=True)
    short = admin.post("/quan-tri/tai-khoan/2/mat-khau", data={"csrf_token": csrf_token(listing), "mat_khau_moi": "x"})
    assert short.status_code == 422
    admin.post("/quan-tri/tai-khoan/2/mat-khau", data={"csrf_token": csrf_token(listing),
                                                       "mat_khau_moi": "mat-khau-dat-lai"})
    assert "dang_nhap_sai" in admin.get("/nhat-ky").get_data(as_text=True)
    after_reset = fresh.post("/dang-nhap", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "vanthu",
                                                 "mat_khau": "mat-khau-dat-lai"})
    assert after_reset.status_code == 303  # the reset lifts the wait
    other = signed_in(app, login="vanthu2", role="van_thu")  # other accounts are not held back
    assert other.get("/").status_code == 200
