"""Sign-in: the first admin at first run, login and logout, accounts, and the guard on every page.

Pages need a signed-in account; the registry, accounts and the audit log need the admin role.
The JSON API stays stateless (it renders, checks and rolls data but reads no records).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, g, redirect, request, session, url_for

from doctpl.errors import FieldError, ValidationError
from doctpl.store import audit, users
from doctpl.store.models import NguoiDung
from web.context import db, form_page

bp = Blueprint("auth", __name__)
PUBLIC = {"static", "auth.login", "auth.setup"}
STATELESS = {"api", "batch_api"}
ADMIN_ONLY = {"admin.khoi_index", "admin.khoi", "admin.don_vi", "admin.registry_export", "admin.registry_import",
              "admin.audit_log",
              "auth.accounts", "auth.lock", "auth.reset"}


def _safe_next(target: str | None) -> str:
    """Only follow a local path after signing in (no open redirect)."""
    return target if target and target.startswith("/") and not target.startswith("//") else url_for("pages.index")


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return form_page(template, form=users.FORM, **context), status


@bp.route("/khoi-tao", methods=["GET", "POST"])
def setup() -> Response | tuple[str, int]:
    """Create the first account, an admin; only while there is none."""
    with db() as session_:
        if users.count(session_):
            return redirect(url_for("auth.login"))
        if request.method == "GET":
            return _page("setup.html", raw={})
        raw = {key: request.form.get(key, "") for key in ("ten_dang_nhap", "ho_ten", "mat_khau")}
        try:
            user = users.create(session_, raw, role="quan_tri")
        except ValidationError as error:
            return _page("setup.html", 422, raw=raw, errors=error.errors())
        audit.log(session_, user.ho_ten, "tao_tai_khoan", chi_tiet=f"{user.ten_dang_nhap} (quản trị, lần đầu)")
        _sign_in(user)
    return redirect(url_for("pages.index"), 303)


def _sign_in(user: Any) -> None:
    session.clear()  # a new session id on sign-in, against session fixation
    session["user_id"] = user.id


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    """Sign in."""
    with db() as session_:
        if not users.count(session_):
            return redirect(url_for("auth.setup"))
        if request.method == "GET":
            return _page("login.html", next=request.args.get("next", ""))
        login_name = request.form.get("ten_dang_nhap", "").strip().lower()[:40]
        if users.recently_refused(session_, login_name):
            return _page("login.html", 429, next=request.form.get("next", ""), login=login_name, errors=[FieldError(
                "", f"Đăng nhập sai quá {users.FAILED_LIMIT} lần; vui lòng thử lại sau "
                    f"{users.FAILED_WINDOW_MINUTES} phút hoặc nhờ quản trị đặt lại mật khẩu.")])
        user = users.authenticate(session_, login_name, request.form.get("mat_khau", ""))
        if user is None:
            audit.log(session_, login_name or "?", "dang_nhap_sai", chi_tiet=login_name)
            return _page("login.html", 401, next=request.form.get("next", ""), login=login_name,
                         errors=[FieldError("", "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa.")])
        audit.log(session_, user.ho_ten, "dang_nhap")
        _sign_in(user)
    return redirect(_safe_next(request.form.get("next")), 303)


@bp.post("/dang-xuat")
def logout() -> Response:
    """Sign out."""
    session.clear()
    return redirect(url_for("auth.login"), 303)


@bp.route("/quan-tri/tai-khoan", methods=["GET", "POST"])
def accounts() -> tuple[str, int]:
    """List accounts; POST creates one (admin only)."""
    with db() as session_:
        raw: dict[str, Any] = {}
        errors: list[FieldError] = []
        status = 200
        if request.method == "POST":
            raw = {key: request.form.get(key, "") for key in ("ten_dang_nhap", "ho_ten", "mat_khau", "vai_tro")}
            try:
                user = users.create(session_, raw)
                audit.log(session_, g.user["ho_ten"], "tao_tai_khoan",
                          chi_tiet=f"{user.ten_dang_nhap} ({user.vai_tro})")
                raw = {}
            except ValidationError as error:
                errors, status = error.errors(), 422
        return _page("accounts.html", status, accounts=users.all_users(session_), raw=raw, errors=errors,
                     roles=users.ROLES)


@bp.route("/tai-khoan/mat-khau", methods=["GET", "POST"])
def password() -> tuple[str, int]:
    """Change one's own password."""
    if request.method == "GET":
        return _page("password.html")
    with db() as session_:
        try:
            users.change_password(session_, g.user["id"], request.form.get("mat_khau_cu", ""),
                                  request.form.get("mat_khau_moi", ""), request.form.get("nhap_lai", ""))
        except ValidationError as error:
            return _page("password.html", 422, errors=error.errors())
        audit.log(session_, g.user["ho_ten"], "doi_mat_khau")
    return _page("password.html", done=True)


@bp.post("/quan-tri/tai-khoan/<int:user_id>/mat-khau")
def reset(user_id: int) -> Response | tuple[str, int]:
    """Set a new password for an account (admin only)."""
    with db() as session_:
        try:
            user = users.reset_password(session_, user_id, request.form.get("mat_khau_moi", ""))
        except ValidationError as error:
            return _page("accounts.html", 422, accounts=users.all_users(session_), raw={}, errors=error.errors(),
                         roles=users.ROLES)
        audit.log(session_, g.user["ho_ten"], "dat_lai_mat_khau", chi_tiet=user.ten_dang_nhap)
    return redirect(url_for("auth.accounts"), 303)


@bp.post("/quan-tri/tai-khoan/<int:user_id>/khoa")
def lock(user_id: int) -> Response | tuple[str, int]:
    """Lock (or, with mo=1, unlock) an account (admin only)."""
    active = request.form.get("mo") == "1"
    with db() as session_:
        try:
            user = users.set_active(session_, user_id, active, by=g.user["id"])
        except ValidationError as error:
            return _page("accounts.html", 422, accounts=users.all_users(session_), raw={}, errors=error.errors(),
                         roles=users.ROLES)
        audit.log(session_, g.user["ho_ten"], "mo_khoa" if active else "khoa", chi_tiet=user.ten_dang_nhap)
    return redirect(url_for("auth.accounts"), 303)


def guard() -> Response | None:
    """Send visitors to sign in (or to the first-run setup); keep admin pages for admins."""
    g.user = None
    if request.endpoint is None or request.endpoint in PUBLIC or request.blueprint in STATELESS:
        return None
    user_id = session.get("user_id")
    if user_id:
        with db() as session_:
            user = session_.get(NguoiDung, user_id)
            if user is not None and user.hoat_dong:
                g.user = {"id": user.id, "ho_ten": user.ho_ten, "vai_tro": user.vai_tro}
    if g.user is None:
        if request.endpoint == "auth.logout":
            return None
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if request.endpoint in ADMIN_ONLY and g.user["vai_tro"] != "quan_tri":
        abort(403)
    return None


def init_app(app: Flask) -> None:
    """Install the guard and expose the signed-in account to templates."""
    app.before_request(guard)
    app.context_processor(lambda: {"current_user": g.get("user"), "roles": users.ROLES})
