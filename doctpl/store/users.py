"""Accounts: create, authenticate, list. Passwords are stored as salted hashes (werkzeug.security)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from doctpl.errors import FieldError, ValidationError
from doctpl.fields import Choice, Group, Text
from doctpl.store.db import MAX_ID
from doctpl.store.models import NguoiDung

ROLES = {"van_thu": "Văn thư, chuyên viên của một đơn vị", "thu_ky": "Thư ký khối (văn bản của khối và các đơn vị)",
         "quan_tri": "Quản trị (danh mục, tài khoản)"}
MIN_PASSWORD = 10
_LOGIN = re.compile(r"^[a-z0-9._-]{3,40}$")
# A dummy hash to check against when the login does not exist, so a refusal takes the same time either way.
_NOBODY = generate_password_hash("không có tài khoản này")
FORM = Group("nguoi_dung", "Tài khoản", fields=[
    Text("ten_dang_nhap", "Tên đăng nhập", max_len=40, help="Chữ thường không dấu, số, dấu chấm, gạch: vanthu.btg"),
    Text("ho_ten", "Họ và tên", max_len=80, help="Ghi vào nhật ký và văn bản đã lưu."),
    Text("mat_khau", "Mật khẩu", max_len=200, secret=True,
         help=f"Ít nhất {MIN_PASSWORD} ký tự, gồm chữ và số hoặc ký hiệu; không chứa tên đăng nhập."),
    Choice("vai_tro", "Vai trò", choices=ROLES, default="van_thu"),
])
_COMMON = {"1234567890", "0123456789", "matkhau123", "password12", "qwertyuiop", "abc123456789", "admin12345",
           "12345678910", "iloveyou12", "matkhau@123"}


def weak_password(password: str, login: str = "") -> str:
    """Say why a password is too weak, "" when it is strong enough."""
    if len(password) < MIN_PASSWORD:
        return f"cần ít nhất {MIN_PASSWORD} ký tự"
    classes = sum(any(test(c) for c in password) for test in (str.isalpha, str.isdigit, lambda c: not c.isalnum()))
    if classes < 2 or len(set(password)) < 5:
        return "cần có cả chữ và số (hoặc ký hiệu), không lặp một vài ký tự"
    if password.lower() in _COMMON or (login and login.lower() in password.lower()):
        return "quá dễ đoán (mật khẩu thông dụng hoặc chứa tên đăng nhập)"
    return ""


def count(session: Session) -> int:
    """Return how many accounts exist (none means the first admin must be created)."""
    return session.scalar(select(func.count(NguoiDung.id))) or 0


def create(session: Session, raw: Any, *, role: str | None = None, don_vi_id: int | None = None,
           khoi_id: int | None = None) -> NguoiDung:
    """Create an account from form values; `role` forces the role (the first account is an admin).

    A văn thư serves one unit (`don_vi_id`), a thư ký khối one khối (`khoi_id`).
    """
    errors: list[FieldError] = []
    values = FORM.convert(raw, "", errors)
    if values["ten_dang_nhap"] and not _LOGIN.match(values["ten_dang_nhap"]):
        errors.append(FieldError("ten_dang_nhap", "«Tên đăng nhập» chỉ gồm chữ thường không dấu, số, «.», «_», «-» "
                                                  "(3–40 ký tự)."))
    if values["mat_khau"] and (why := weak_password(values["mat_khau"], values["ten_dang_nhap"])):
        errors.append(FieldError("mat_khau", f"«Mật khẩu» {why}."))
    if values["ten_dang_nhap"] and session.scalar(
            select(NguoiDung.id).where(NguoiDung.ten_dang_nhap == values["ten_dang_nhap"])):
        errors.append(FieldError("ten_dang_nhap", "Tên đăng nhập này đã có người dùng."))
    role = role or values["vai_tro"]
    errors += _scope_errors(role, don_vi_id, khoi_id)
    if errors:
        raise ValidationError(errors)
    user = NguoiDung(ten_dang_nhap=values["ten_dang_nhap"], ho_ten=values["ho_ten"],
                     mat_khau=generate_password_hash(values["mat_khau"]), vai_tro=role,
                     don_vi_id=don_vi_id if role == "van_thu" else None, khoi_id=khoi_id if role == "thu_ky" else None)
    session.add(user)
    session.flush()
    return user


def _scope_errors(role: str, don_vi_id: int | None, khoi_id: int | None) -> list[FieldError]:
    if role == "van_thu" and not don_vi_id:
        return [FieldError("don_vi_id", "Văn thư, chuyên viên cần được giao một đơn vị.")]
    if role == "thu_ky" and not khoi_id:
        return [FieldError("khoi_id", "Thư ký khối cần được giao một khối, cụm.")]
    return []


def set_scope(session: Session, user_id: int, role: str, don_vi_id: int | None, khoi_id: int | None) -> NguoiDung:
    """Change an account's role and the unit or khối it serves (admin only)."""
    user = (session.get(NguoiDung, user_id) if 0 < user_id <= MAX_ID else None)
    if user is None:
        raise ValidationError([FieldError("", "Không có tài khoản này.")])
    if role not in ROLES:
        raise ValidationError([FieldError("vai_tro", "Vai trò không hợp lệ.")])
    if errors := _scope_errors(role, don_vi_id, khoi_id):
        raise ValidationError(errors)
    user.vai_tro, user.don_vi_id, user.khoi_id = role, don_vi_id if role == "van_thu" else None, \
        khoi_id if role == "thu_ky" else None
    return user


def authenticate(session: Session, login: str, password: str) -> NguoiDung | None:
    """Return the active account with this login and password, or None; as slow for an unknown login."""
    user = session.scalar(select(NguoiDung).where(NguoiDung.ten_dang_nhap == login.strip().lower()))
    matches = check_password_hash(user.mat_khau if user is not None else _NOBODY, password)
    if user is None or not user.hoat_dong or not matches:
        return None
    return user


def all_users(session: Session) -> list[NguoiDung]:
    """Return every account."""
    return list(session.scalars(select(NguoiDung).order_by(NguoiDung.id)))


def change_password(session: Session, user_id: int, current: str, new: str, repeat: str) -> None:
    """Change one's own password after checking the current one."""
    user = (session.get(NguoiDung, user_id) if 0 < user_id <= MAX_ID else None)
    errors = []
    if user is None or not check_password_hash(user.mat_khau, current):
        errors.append(FieldError("mat_khau_cu", "Mật khẩu hiện tại không đúng."))
    if why := weak_password(new, user.ten_dang_nhap if user else ""):
        errors.append(FieldError("mat_khau_moi", f"Mật khẩu mới {why}."))
    elif new != repeat:
        errors.append(FieldError("nhap_lai", "Hai lần nhập mật khẩu mới không giống nhau."))
    if errors:
        raise ValidationError(errors)
    user.mat_khau = generate_password_hash(new)


def set_active(session: Session, user_id: int, active: bool, *, by: int) -> NguoiDung:
    """Lock or unlock an account; nobody locks their own."""
    user = (session.get(NguoiDung, user_id) if 0 < user_id <= MAX_ID else None)
    if user is None:
        raise ValidationError([FieldError("", "Không có tài khoản này.")])
    if user.id == by and not active:
        raise ValidationError([FieldError("", "Không thể tự khóa tài khoản của mình.")])
    user.hoat_dong = active
    return user


def reset_password(session: Session, user_id: int, new: str) -> NguoiDung:
    """Set a new password for an account (an admin helping a clerk who forgot theirs)."""
    user = (session.get(NguoiDung, user_id) if 0 < user_id <= MAX_ID else None)
    if user is None:
        raise ValidationError([FieldError("", "Không có tài khoản này.")])
    if why := weak_password(new, user.ten_dang_nhap):
        raise ValidationError([FieldError("mat_khau_moi", f"Mật khẩu mới {why}.")])
    user.mat_khau = generate_password_hash(new)
    return user
