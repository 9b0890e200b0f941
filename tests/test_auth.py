"""Accounts: first-run setup, sign-in and its throttles, server-side sessions, roles and scopes, API keys."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest

from doctpl.store import signin
from tests.conftest import PASSWORD, csrf_token, example, signed_in


@pytest.fixture
def fresh(app):
    return app.test_client()


def _login(client, login: str, password: str, **extra):
    page = client.get("/dang-nhap").get_data(as_text=True)
    return client.post("/dang-nhap", data={"csrf_token": csrf_token(page), "ten_dang_nhap": login,
                                           "mat_khau": password, **extra})


def test_first_run_asks_for_the_first_admin_then_signs_in(fresh):
    assert fresh.get("/").headers["Location"].startswith("/dang-nhap")
    assert fresh.get("/dang-nhap").headers["Location"] == "/khoi-tao"
    page = fresh.get("/khoi-tao").get_data(as_text=True)
    assert "Không có mật khẩu mặc định" in page
    short = fresh.post("/khoi-tao", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "Quản trị",
                                          "ho_ten": "Nguyễn Quản Trị", "mat_khau": "ngan"})
    assert short.status_code == 422
    html = short.get_data(as_text=True)
    assert "«Mật khẩu» cần ít nhất 10 ký tự." in html and "chỉ gồm chữ thường không dấu" in html
    assert 'value="Nguyễn Quản Trị"' in html  # the input is kept
    assert '<input data-field type="password" name="mat_khau"' in html and "ngan" not in html  # never shown back
    weak = fresh.post("/khoi-tao", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "quantri",
                                         "ho_ten": "Nguyễn Quản Trị", "mat_khau": "quantri2026"})
    assert weak.status_code == 422 and "quá dễ đoán" in weak.get_data(as_text=True)
    made = fresh.post("/khoi-tao", data={"csrf_token": csrf_token(page), "ten_dang_nhap": "quantri",
                                         "ho_ten": "Nguyễn Quản Trị", "mat_khau": PASSWORD})
    assert made.status_code == 303
    home = fresh.get("/").get_data(as_text=True)
    assert "Nguyễn Quản Trị · Quản trị" in home and "Nhật ký" in home
    assert fresh.get("/khoi-tao").headers["Location"] == "/dang-nhap"  # only once


def test_first_run_setup_makes_one_admin_whatever_the_race(app):
    clients = [app.test_client() for _ in range(8)]
    tokens = [csrf_token(c.get("/khoi-tao").get_data(as_text=True)) for c in clients]
    barrier, codes = threading.Barrier(len(clients)), []

    def post(client, token, index):
        barrier.wait()
        codes.append(client.post("/khoi-tao", data={"csrf_token": token, "ten_dang_nhap": f"quantri{index}",
                                                    "ho_ten": "Quản trị", "mat_khau": PASSWORD}).status_code)

    pairs = enumerate(zip(clients, tokens, strict=True))
    threads = [threading.Thread(target=post, args=(c, t, i)) for i, (c, t) in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    from doctpl.store import users

    with app.extensions["doctpl.store"].session() as session:
        assert users.count(session) == 1
    assert codes == [303] * len(clients)  # the others are sent to sign in, none sees an error


def test_sign_in_sign_out_and_safe_redirects(app):
    signed_in(app)
    client = app.test_client()
    wrong = _login(client, "quantri", "sai-mat-khau")
    assert wrong.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in wrong.get_data(as_text=True)
    good = _login(client, "QuanTri ", PASSWORD, next="/van-ban/")
    assert good.headers["Location"] == "/van-ban/"
    page = client.get("/").get_data(as_text=True)
    assert client.post("/dang-xuat", data={"csrf_token": csrf_token(page)}).status_code == 303
    assert client.get("/van-ban/").headers["Location"].startswith("/dang-nhap")
    for evil in ("//evil.example/", "/%09/evil.example/", "/\\evil.example", "https://evil.example/",
                 "/%2F%2Fevil.example", "\t//evil.example"):
        assert _login(client, "quantri", PASSWORD, next=evil).headers["Location"] == "/", evil


def test_sessions_live_on_the_server_and_end_on_logout_and_password_change(app):
    clerk = signed_in(app, login="vanthu", role="van_thu")
    stolen = app.test_client()  # a copy of the clerk's cookie, as a thief would have it
    cookie = clerk.get_cookie("session")
    stolen.set_cookie("session", cookie.value)
    assert stolen.get("/").status_code == 200
    page = clerk.get("/tai-khoan/mat-khau").get_data(as_text=True)
    clerk.post("/tai-khoan/mat-khau", data={"csrf_token": csrf_token(page), "mat_khau_cu": PASSWORD,
                                            "mat_khau_moi": "mat-khau-moi-2026", "nhap_lai": "mat-khau-moi-2026"})
    assert stolen.get("/").headers["Location"].startswith("/dang-nhap")  # the old session ended
    assert clerk.get("/").status_code == 200  # the person who changed it stays signed in
    cookie = clerk.get_cookie("session")
    page = clerk.get("/").get_data(as_text=True)
    clerk.post("/dang-xuat", data={"csrf_token": csrf_token(page)})
    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    assert replay.get("/").headers["Location"].startswith("/dang-nhap")  # signed out on the server too
    with app.extensions["doctpl.store"].session() as session:  # an idle session expires
        from doctpl.store.models import NguoiDung

        user = session.query(NguoiDung).filter_by(ten_dang_nhap="vanthu").one()
        token = signin.open_session(session, user, now=dt.datetime.now() - signin.IDLE - dt.timedelta(minutes=1))
        assert signin.current(session, token) is None


def test_a_clerk_composes_but_cannot_administer(app):
    signed_in(app)  # the admin exists
    clerk = signed_in(app, login="vanthu", role="van_thu", name="Trần Văn Thư")
    for path in ("/quan-tri/", "/nhat-ky", "/quan-tri/tai-khoan", "/quan-tri/khoi/1"):
        assert clerk.get(path).status_code == 404, path  # outside the scope: not found
    home = clerk.get("/").get_data(as_text=True)
    assert "Trần Văn Thư · Văn thư, chuyên viên" in home and "Nhật ký" not in home


def test_admin_creates_accounts_with_their_scope(app):
    from doctpl.store import registry_edit

    with app.extensions["doctpl.store"].session() as session:
        khoi = registry_edit.create_khoi(session, {"ten": "Khối thi đua số 5", "ky_hieu": "KTĐ5"})
        unit = registry_edit.create_body(session, {"ten": "Sở Nội vụ", "ky_hieu": "SNV"}, khoi=khoi)
        khoi_id, unit_id = khoi.id, unit.id
    client = signed_in(app)
    page = client.get("/quan-tri/tai-khoan").get_data(as_text=True)
    base = {"csrf_token": csrf_token(page), "ho_ten": "Võ Thị Hồng", "mat_khau": PASSWORD}
    missing = client.post("/quan-tri/tai-khoan", data={**base, "ten_dang_nhap": "vanthu.snv", "vai_tro": "van_thu"})
    assert missing.status_code == 422 and "cần được giao một đơn vị" in missing.get_data(as_text=True)
    assert 'value="vanthu.snv"' in missing.get_data(as_text=True)  # the input is kept
    made = client.post("/quan-tri/tai-khoan", data={**base, "ten_dang_nhap": "vanthu.snv", "vai_tro": "van_thu",
                                                    "don_vi_id": str(unit_id)})
    assert made.status_code == 200 and "vanthu.snv" in made.get_data(as_text=True)
    secretary = client.post("/quan-tri/tai-khoan", data={**base, "ten_dang_nhap": "thuky.ktd5", "vai_tro": "thu_ky",
                                                         "khoi_id": str(khoi_id)})
    assert secretary.status_code == 200
    again = client.post("/quan-tri/tai-khoan", data={**base, "ten_dang_nhap": "thuky.ktd5", "vai_tro": "thu_ky",
                                                     "khoi_id": str(khoi_id)})
    assert again.status_code == 422 and "đã có người dùng" in again.get_data(as_text=True)
    assert "tao_tai_khoan" in client.get("/nhat-ky").get_data(as_text=True)


def test_the_api_needs_a_key_and_refuses_cross_site_posts(app, fresh):
    assert fresh.post("/api/v1/render/ke_hoach", json=example("ke_hoach")).status_code == 401
    assert fresh.get("/api/v1/kinds").get_json()["errors"][0]["message"].startswith("Cần khóa API")
    bad = fresh.get("/api/v1/kinds", headers={"Authorization": "Bearer dtpl_khong-dung"})
    assert bad.status_code == 401 and "thu hồi" in bad.get_json()["errors"][0]["message"]
    client = signed_in(app)
    assert client.post("/api/v1/render/ke_hoach", json=example("ke_hoach")).status_code == 200
    cross = client.post("/api/v1/check", headers={"Origin": "https://evil.example"},
                        data={"file": (__import__("io").BytesIO(b"x"), "a.docx")})
    assert cross.status_code == 403
    page = client.get("/tai-khoan/khoa-api").get_data(as_text=True)
    made = client.post("/tai-khoan/khoa-api", data={"csrf_token": csrf_token(page), "ten": "phần mềm một cửa"})
    key = re.search(r'class="secret">(dtpl_[^<]+)<', made.get_data(as_text=True)).group(1)
    assert fresh.get("/api/v1/kinds", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    key_id = re.findall(r"/tai-khoan/khoa-api/(\d+)/thu-hoi", made.get_data(as_text=True))[0]
    client.post(f"/tai-khoan/khoa-api/{key_id}/thu-hoi", data={"csrf_token": csrf_token(page)})
    assert fresh.get("/api/v1/kinds", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_password_change_and_locked_accounts(app):
    admin = signed_in(app)
    clerk = signed_in(app, login="vanthu", role="van_thu")
    page = clerk.get("/tai-khoan/mat-khau").get_data(as_text=True)
    wrong = clerk.post("/tai-khoan/mat-khau", data={"csrf_token": csrf_token(page), "mat_khau_cu": "sai",
                                                    "mat_khau_moi": "ngan", "nhap_lai": "ngan"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "Mật khẩu hiện tại không đúng." in html and "ít nhất 10 ký tự" in html
    ok = clerk.post("/tai-khoan/mat-khau", data={"csrf_token": csrf_token(page), "mat_khau_cu": PASSWORD,
                                                 "mat_khau_moi": "mat-khau-moi-2026", "nhap_lai": "mat-khau-moi-2026"})
    assert "Đã đổi mật khẩu." in ok.get_data(as_text=True)
    listing = admin.get("/quan-tri/tai-khoan").get_data(as_text=True)
    assert listing.count(">Khóa</button>") == 1  # an admin cannot lock their own account
    admin.post("/quan-tri/tai-khoan/2/khoa", data={"csrf_token": csrf_token(listing)})
    assert clerk.get("/").headers["Location"].startswith("/dang-nhap")  # a locked account is signed out
    fresh = app.test_client()
    assert _login(fresh, "vanthu", "mat-khau-moi-2026").status_code == 401
    self_lock = admin.post("/quan-tri/tai-khoan/1/khoa", data={"csrf_token": csrf_token(listing)})
    assert self_lock.status_code == 422 and "Không thể tự khóa" in self_lock.get_data(as_text=True)
    admin.post("/quan-tri/tai-khoan/2/khoa", data={"csrf_token": csrf_token(listing), "mo": "1"})
    assert _login(fresh, "vanthu", "mat-khau-moi-2026").status_code == 303


def test_security_headers_and_cookie(app):
    client = signed_in(app)
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_throttles_hold_back_an_address_but_never_lock_out_an_admin(app):
    admin = signed_in(app)
    signed_in(app, login="vanthu", role="van_thu")
    attacker = app.test_client()
    for _ in range(signin.LOGIN_LIMIT):
        assert _login(attacker, "quantri", "doan-sai-mat-khau").status_code == 401
    blocked = _login(attacker, "quantri", PASSWORD)
    assert blocked.status_code == 429 and "thử lại sau 15 phút" in blocked.get_data(as_text=True)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.8"
    assert _login(elsewhere, "quantri", PASSWORD).status_code == 303  # the admin still signs in from elsewhere
    for index in range(signin.ADDRESS_LIMIT):
        _login(attacker, f"ten{index}", "doan-sai-mat-khau")
    assert _login(attacker, "vanthu", PASSWORD).status_code == 429  # the address is held back for every login
    page = admin.get("/nhat-ky").get_data(as_text=True)
    assert "dang_nhap_sai" not in page and "dang_nhap" in page  # failures never crowd the audit log
    listing = admin.get("/quan-tri/tai-khoan").get_data(as_text=True)
    short = admin.post("/quan-tri/tai-khoan/2/mat-khau", data={"csrf_token": csrf_token(listing), "mat_khau_moi": "x"})
    assert short.status_code == 422


def test_login_takes_as_long_for_an_unknown_user(app, monkeypatch):
    from doctpl.store import users

    signed_in(app)
    calls = []
    original = users.check_password_hash
    monkeypatch.setattr(users, "check_password_hash", lambda h, p: calls.append(h) or original(h, p))
    client = app.test_client()
    _login(client, "khong-co-ai", "mat-khau-bat-ky")
    _login(client, "quantri", "mat-khau-bat-ky")
    assert len(calls) == 2  # the password is hashed for an unknown login too


def test_instance_files_are_private(tmp_path):
    import os
    import stat

    from app import _secret_key
    from doctpl.store.db import Store, sqlite_url

    instance = tmp_path / "instance"
    store = Store(sqlite_url(instance))
    store.upgrade()
    store.dispose()
    _secret_key(instance)
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
    for name in ("secret_key", "doctpl.sqlite3"):
        assert stat.S_IMODE(os.stat(instance / name).st_mode) == 0o600, name


def test_every_route_keeps_to_the_account_s_scope(demo_app):
    """A unit's văn thư reaches its unit only, a khối's secretariat the khối and its members, an admin all."""
    from sqlalchemy import select

    from doctpl.store import records
    from doctpl.store.models import DonVi, Khoi

    with demo_app.extensions["doctpl.store"].session() as session:
        khoi = session.scalar(select(Khoi).where(Khoi.ma == "KTD-CQD-LD"))
        unit = session.scalar(select(DonVi).where(DonVi.ma == "BTGDVTU-LD"))
        other = session.scalar(select(DonVi).where(DonVi.ma == "VPTU-LD"))
        own = records.find(session, don_vi_id=unit.id)[0].id
        plan = records.find(session, khoi_id=khoi.id, kind="ke_hoach", nam=2026)[0].id
        old_plan = records.find(session, kind="ke_hoach", nam=2021)[0].id
        khoi_id, unit_id, other_id = khoi.id, unit.id, other.id
    clerk = signed_in(demo_app, "vanthu", "van_thu", "Văn thư Ban Tuyên giáo", don_vi_id=unit_id)
    secretary = signed_in(demo_app, "thuky", "thu_ky", "Thư ký khối", khoi_id=khoi_id)
    admin = signed_in(demo_app)
    reach = {clerk: {own}, secretary: {own, plan}, admin: {own, plan, old_plan}}
    for client, allowed in reach.items():
        for record_id in (own, plan, old_plan):
            expected = 200 if record_id in allowed else 404
            for path in (f"/van-ban/{record_id}", f"/van-ban/{record_id}/tai-ve", f"/van-ban/{record_id}/nam-sau",
                         f"/ke_hoach?ban={record_id}" if record_id != own else f"/dang_ky?ban={record_id}"):
                assert client.get(path).status_code == expected, (path, expected)
    listing = clerk.get("/van-ban/").get_data(as_text=True)
    assert f"/van-ban/{own}" in listing and f"/van-ban/{plan}\"" not in listing
    assert clerk.get(f"/dang_ky?khoi={khoi_id}&don_vi={other_id}&nam=2027").status_code == 404
    assert clerk.get(f"/dang_ky?khoi={khoi_id}&don_vi={unit_id}&nam=2027").status_code == 200
    assert secretary.get(f"/dang_ky?khoi={khoi_id}&don_vi={other_id}&nam=2027").status_code == 200
    assert clerk.get(f"/quan-tri/khoi/{khoi_id}/nam-sau?tu=2026&den=2027").status_code == 404
    assert secretary.get(f"/quan-tri/khoi/{khoi_id}/nam-sau?tu=2026&den=2027").status_code == 200
    page = clerk.get("/lo/").get_data(as_text=True)
    refused = clerk.post("/lo/", data={"csrf_token": csrf_token(page), "nguon": "danh_muc", "khoi": str(khoi_id),
                                       "nam": "2027", "loai": ["dang_ky"]})
    assert refused.status_code == 404
    page = clerk.get(f"/van-ban/{own}").get_data(as_text=True)
    assert clerk.post(f"/van-ban/{plan}/xoa", data={"csrf_token": csrf_token(page)}).status_code == 404
    assert clerk.post(f"/van-ban/{own}/xoa", data={"csrf_token": csrf_token(page)}).status_code == 303
