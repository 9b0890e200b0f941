"""Sign-in: the first admin at first run, login and logout, accounts and their scopes, API keys, the guard.

Pages need a signed-in account, kept on the server (doctpl.store.signin): the cookie holds only a
random token, which expires when idle, on sign-out and when the password changes. /api/v1 needs an
account's API key (`Authorization: Bearer …`) and acts within that account's scope. The registry,
accounts and the audit log need the admin role.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Blueprint, Flask, Response, abort, g, jsonify, redirect, request, session, url_for
from sqlalchemy.exc import IntegrityError

from doctpl.errors import FieldError, ValidationError
from doctpl.store import api_keys, audit, registry, signin, users
from doctpl.store.models import KhoiTao, NguoiDung
from web.context import db, form_page, whole

bp = Blueprint("auth", __name__)
PUBLIC = {"static", "auth.login", "auth.setup"}
API = {"api", "batch_api"}
ADMIN_ONLY = {"admin.khoi_index", "admin.khoi", "admin.don_vi", "admin.registry_export", "admin.registry_import",
              "admin.audit_log", "auth.accounts", "auth.lock", "auth.reset", "auth.scope"}


def safe_next(target: str | None) -> str:
    """Only follow a path of this site after signing in: no scheme, no host, no tricks that browsers undo."""
    fallback = url_for("pages.index")
    if not target:
        return fallback
    decoded = unquote(target)
    if any(ch in decoded for ch in "\\\t\r\n") or any(ord(ch) < 32 for ch in decoded):
        return fallback
    parts = urlsplit(decoded)
    if parts.scheme or parts.netloc or not decoded.startswith("/") or decoded.startswith("//"):
        return fallback
    return target


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return form_page(template, form=users.FORM, **context), status


def _accounts_page(session_: Any, status: int = 200, **context: Any) -> tuple[str, int]:
    today = dt.date.today()
    return _page("accounts.html", status, accounts=users.all_users(session_), roles=users.ROLES,
                 bodies={b.id: b.ten for b in registry.bodies(session_, today)},
                 khoi_names={k.id: k.ten for k in registry.khoi_list(session_, today)}, **context)


def _scope_ids() -> tuple[int | None, int | None]:
    """Return the posted unit and khối of an account's scope."""
    return whole(request.form.get("don_vi_id")), whole(request.form.get("khoi_id"))


@bp.route("/khoi-tao", methods=["GET", "POST"])
def setup() -> Response | tuple[str, int]:
    """Create the first account, an admin; only once, however many people post at the same moment."""
    with db() as session_:
        if session_.get(KhoiTao, 1) is not None or users.count(session_):
            return redirect(url_for("auth.login"))
        if request.method == "GET":
            return _page("setup.html", raw={})
    raw = {key: request.form.get(key, "") for key in ("ten_dang_nhap", "ho_ten", "mat_khau")}
    try:
        with db() as session_:
            session_.add(KhoiTao(id=1))  # its primary key lets one setup through; the others fail here
            session_.flush()
            user = users.create(session_, raw, role="quan_tri")
            audit.log(session_, user.ho_ten, "tao_tai_khoan", chi_tiet=f"{user.ten_dang_nhap} (quản trị, lần đầu)")
            _sign_in(session_, user)
    except IntegrityError:
        return redirect(url_for("auth.login"), 303)
    except ValidationError as error:
        return _page("setup.html", 422, raw=raw, errors=error.errors())
    return redirect(url_for("pages.index"), 303)


def _sign_in(session_: Any, user: NguoiDung) -> None:
    session.clear()  # a new token on sign-in, against session fixation
    session["token"] = signin.open_session(session_, user)
    session.permanent = False


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    """Sign in."""
    with db() as session_:
        if not users.count(session_):
            return redirect(url_for("auth.setup"))
        if request.method == "GET":
            return _page("login.html", next=request.args.get("next", ""))
        login_name = request.form.get("ten_dang_nhap", "").strip().lower()[:40]
        context = {"next": request.form.get("next", ""), "login": login_name}
        try:
            user = signin.sign_in(session_, request.remote_addr or "?", login_name, request.form.get("mat_khau", ""))
        except signin.Throttled as error:
            return _page("login.html", 429, errors=error.errors(), **context)
        if user is None:
            return _page("login.html", 401, errors=[FieldError(
                "", "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa.")], **context)
        audit.log(session_, user.ho_ten, "dang_nhap")
        _sign_in(session_, user)
    return redirect(safe_next(request.form.get("next")), 303)


@bp.post("/dang-xuat")
def logout() -> Response:
    """Sign out: the session ends on the server too."""
    with db() as session_:
        signin.close(session_, session.get("token", ""))
    session.clear()
    return redirect(url_for("auth.login"), 303)


@bp.route("/quan-tri/tai-khoan", methods=["GET", "POST"])
def accounts() -> tuple[str, int]:
    """List accounts; POST creates one with its role and the unit or khối it serves (admin only)."""
    with db() as session_:
        raw: dict[str, Any] = {}
        errors: list[FieldError] = []
        status = 200
        if request.method == "POST":
            raw = {key: request.form.get(key, "") for key in ("ten_dang_nhap", "ho_ten", "mat_khau", "vai_tro")}
            don_vi_id, khoi_id = _scope_ids()
            try:
                user = users.create(session_, raw, don_vi_id=don_vi_id, khoi_id=khoi_id)
                audit.log(session_, g.user["ho_ten"], "tao_tai_khoan",
                          chi_tiet=f"{user.ten_dang_nhap} ({user.vai_tro})")
                raw = {}
            except ValidationError as error:
                errors, status = error.errors(), 422
                raw |= {"don_vi_id": request.form.get("don_vi_id", ""), "khoi_id": request.form.get("khoi_id", "")}
        return _accounts_page(session_, status, raw=raw, errors=errors)


@bp.post("/quan-tri/tai-khoan/<int:user_id>/pham-vi")
def scope(user_id: int) -> Response | tuple[str, int]:
    """Change an account's role and the unit or khối it serves (admin only); its sessions end."""
    with db() as session_:
        don_vi_id, khoi_id = _scope_ids()
        try:
            user = users.set_scope(session_, user_id, request.form.get("vai_tro", ""), don_vi_id, khoi_id)
        except ValidationError as error:
            return _accounts_page(session_, 422, raw={}, errors=error.errors())
        signin.close_all(session_, user.id)
        audit.log(session_, g.user["ho_ten"], "pham_vi", chi_tiet=f"{user.ten_dang_nhap}: {user.vai_tro}")
    return redirect(url_for("auth.accounts"), 303)


@bp.route("/tai-khoan/mat-khau", methods=["GET", "POST"])
def password() -> tuple[str, int]:
    """Change one's own password; every other session of the account ends."""
    if request.method == "GET":
        return _page("password.html")
    with db() as session_:
        try:
            users.change_password(session_, g.user["id"], request.form.get("mat_khau_cu", ""),
                                  request.form.get("mat_khau_moi", ""), request.form.get("nhap_lai", ""))
        except ValidationError as error:
            return _page("password.html", 422, errors=error.errors())
        signin.close_all(session_, g.user["id"])
        _sign_in(session_, session_.get(NguoiDung, g.user["id"]))
        audit.log(session_, g.user["ho_ten"], "doi_mat_khau")
    return _page("password.html", done=True)


@bp.route("/tai-khoan/khoa-api", methods=["GET", "POST"])
def keys() -> tuple[str, int]:
    """List one's API keys; POST creates one, shown once."""
    with db() as session_:
        shown, errors, status = "", [], 200
        if request.method == "POST":
            try:
                row, shown = api_keys.create(session_, session_.get(NguoiDung, g.user["id"]),
                                             request.form.get("ten", ""))
                audit.log(session_, g.user["ho_ten"], "tao_khoa_api", chi_tiet=f"{row.ten} ({row.tien_to}…)")
            except ValidationError as error:
                errors, status = error.errors(), 422
        return _page("api_keys.html", status, keys=api_keys.of(session_, g.user["id"]), shown=shown, errors=errors)


@bp.post("/tai-khoan/khoa-api/<int:key_id>/thu-hoi")
def revoke(key_id: int) -> Response:
    """Revoke one of one's API keys."""
    with db() as session_:
        row = api_keys.revoke(session_, key_id, g.user["id"])
        audit.log(session_, g.user["ho_ten"], "thu_hoi_khoa_api", chi_tiet=f"{row.ten} ({row.tien_to}…)")
    return redirect(url_for("auth.keys"), 303)


@bp.post("/quan-tri/tai-khoan/<int:user_id>/mat-khau")
def reset(user_id: int) -> Response | tuple[str, int]:
    """Set a new password for an account (admin only); its sessions end."""
    with db() as session_:
        try:
            user = users.reset_password(session_, user_id, request.form.get("mat_khau_moi", ""))
        except ValidationError as error:
            return _accounts_page(session_, 422, raw={}, errors=error.errors())
        signin.close_all(session_, user.id)
        signin.forget_failures(session_, user.ten_dang_nhap)
        audit.log(session_, g.user["ho_ten"], "dat_lai_mat_khau", chi_tiet=user.ten_dang_nhap)
    return redirect(url_for("auth.accounts"), 303)


@bp.post("/quan-tri/tai-khoan/<int:user_id>/khoa")
def lock(user_id: int) -> Response | tuple[str, int]:
    """Lock (or, with mo=1, unlock) an account (admin only); a locked account's sessions end."""
    active = request.form.get("mo") == "1"
    with db() as session_:
        try:
            user = users.set_active(session_, user_id, active, by=g.user["id"])
        except ValidationError as error:
            return _accounts_page(session_, 422, raw={}, errors=error.errors())
        if not active:
            signin.close_all(session_, user.id)
        audit.log(session_, g.user["ho_ten"], "mo_khoa" if active else "khoa", chi_tiet=user.ten_dang_nhap)
    return redirect(url_for("auth.accounts"), 303)


def _as_g(user: NguoiDung) -> dict[str, Any]:
    return {"id": user.id, "ho_ten": user.ho_ten, "vai_tro": user.vai_tro, "khoi_id": user.khoi_id,
            "don_vi_id": user.don_vi_id}


def _api_guard() -> Response | tuple[Response, int] | None:
    """Let an API call through with an account's key; refuse cross-site form posts outright."""
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.host:
        return jsonify({"errors": [{"field": "", "message": "Không nhận yêu cầu gửi từ trang web khác."}]}), 403
    header = request.headers.get("Authorization", "")
    key = header[7:].strip() if header[:7].lower() == "bearer " else ""
    with db() as session_:
        user = api_keys.account(session_, key) if key else None
        if user is not None:
            g.user = _as_g(user)
            return None
    message = ("Cần khóa API của một tài khoản: Authorization: Bearer <khóa> (tạo ở trang «Khóa API»)."
               if not key else "Khóa API không đúng hoặc đã bị thu hồi.")
    return jsonify({"errors": [{"field": "", "message": message}]}), 401


def guard() -> Response | tuple[Response, int] | None:
    """Send visitors to sign in (or to the first-run setup); API calls need a key; admin pages need an admin."""
    g.user = None
    if request.endpoint is None or request.endpoint in PUBLIC:
        return None
    if request.blueprint in API:
        return _api_guard()
    token = session.get("token")
    if token:
        with db() as session_:
            user = signin.current(session_, token)
            if user is not None:
                g.user = _as_g(user)
    if g.user is None:
        session.pop("token", None)
        if request.endpoint == "auth.logout":
            return None
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if request.endpoint in ADMIN_ONLY and g.user["vai_tro"] != "quan_tri":
        abort(404)  # outside the account's scope: not found, as for any id it cannot reach
    return None


def init_app(app: Flask) -> None:
    """Install the guard and expose the signed-in account to templates."""
    app.before_request(guard)
    app.context_processor(lambda: {"current_user": g.get("user"), "roles": users.ROLES})

