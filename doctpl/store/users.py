"""Accounts: create, authenticate, list. Passwords are stored as salted hashes (werkzeug.security)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from doctpl.errors import FieldError, ValidationError
from doctpl.fields import Choice, Group, Text
from doctpl.store.models import NguoiDung, NhatKy

ROLES = {"van_thu": "Văn thư, chuyên viên", "quan_tri": "Quản trị"}
MIN_PASSWORD = 8
_LOGIN = re.compile(r"^[a-z0-9._-]{3,40}$")
FORM = Group("nguoi_dung", "Tài khoản", fields=[
    Text("ten_dang_nhap", "Tên đăng nhập", max_len=40, help="Chữ thường không dấu, số, dấu chấm, gạch: vanthu.btg"),
    Text("ho_ten", "Họ và tên", max_len=80, help="Ghi vào nhật ký và văn bản đã lưu."),
    Text("mat_khau", "Mật khẩu", max_len=200, secret=True, help=f"Ít nhất {MIN_PASSWORD} ký tự."),
    Choice("vai_tro", "Vai trò", choices=ROLES, default="van_thu"),
])


def count(session: Session) -> int:
    """Return how many accounts exist (none means the first admin must be created)."""
    return session.scalar(select(func.count(NguoiDung.id))) or 0


def create(session: Session, raw: Any, *, role: str | None = None) -> NguoiDung:
    """Create an account from form values; `role` forces the role (the first account is an admin)."""
    errors: list[FieldError] = []
    values = FORM.convert(raw, "", errors)
    if values["ten_dang_nhap"] and not _LOGIN.match(values["ten_dang_nhap"]):
        errors.append(FieldError("ten_dang_nhap", "«Tên đăng nhập» chỉ gồm chữ thường không dấu, số, «.», «_», «-» "
                                                  "(3–40 ký tự)."))
    if values["mat_khau"] and len(values["mat_khau"]) < MIN_PASSWORD:
        errors.append(FieldError("mat_khau", f"«Mật khẩu» cần ít nhất {MIN_PASSWORD} ký tự."))
    if values["ten_dang_nhap"] and session.scalar(
            select(NguoiDung.id).where(NguoiDung.ten_dang_nhap == values["ten_dang_nhap"])):
        errors.append(FieldError("ten_dang_nhap", "Tên đăng nhập này đã có người dùng."))
    if errors:
        raise ValidationError(errors)
    user = NguoiDung(ten_dang_nhap=values["ten_dang_nhap"], ho_ten=values["ho_ten"],
                     mat_khau=generate_password_hash(values["mat_khau"]), vai_tro=role or values["vai_tro"])
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, login: str, password: str) -> NguoiDung | None:
    """Return the active account with this login and password, or None."""
    user = session.scalar(select(NguoiDung).where(NguoiDung.ten_dang_nhap == login.strip().lower()))
    if user is None or not user.hoat_dong or not check_password_hash(user.mat_khau, password):
        return None
    return user


def all_users(session: Session) -> list[NguoiDung]:
    """Return every account."""
    return list(session.scalars(select(NguoiDung).order_by(NguoiDung.id)))


def change_password(session: Session, user_id: int, current: str, new: str, repeat: str) -> None:
    """Change one's own password after checking the current one."""
    user = session.get(NguoiDung, user_id)
    errors = []
    if user is None or not check_password_hash(user.mat_khau, current):
        errors.append(FieldError("mat_khau_cu", "Mật khẩu hiện tại không đúng."))
    if len(new) < MIN_PASSWORD:
        errors.append(FieldError("mat_khau_moi", f"Mật khẩu mới cần ít nhất {MIN_PASSWORD} ký tự."))
    elif new != repeat:
        errors.append(FieldError("nhap_lai", "Hai lần nhập mật khẩu mới không giống nhau."))
    if errors:
        raise ValidationError(errors)
    user.mat_khau = generate_password_hash(new)


def set_active(session: Session, user_id: int, active: bool, *, by: int) -> NguoiDung:
    """Lock or unlock an account; nobody locks their own."""
    user = session.get(NguoiDung, user_id)
    if user is None:
        raise ValidationError([FieldError("", "Không có tài khoản này.")])
    if user.id == by and not active:
        raise ValidationError([FieldError("", "Không thể tự khóa tài khoản của mình.")])
    user.hoat_dong = active
    return user


FAILED_LIMIT, FAILED_WINDOW_MINUTES = 5, 15


def recently_refused(session: Session, login: str) -> bool:
    """Tell whether `login` failed to sign in FAILED_LIMIT times within the window (then it waits).

    Failures before the account's last password reset by an admin do not count.
    """
    login = login.strip().lower()
    since = dt.datetime.now() - dt.timedelta(minutes=FAILED_WINDOW_MINUTES)
    reset_at = session.scalar(select(func.max(NhatKy.id)).where(NhatKy.hanh_dong == "dat_lai_mat_khau",
                                                               NhatKy.chi_tiet == login))
    failures = session.scalar(select(func.count(NhatKy.id)).where(
        NhatKy.hanh_dong == "dang_nhap_sai", NhatKy.chi_tiet == login, NhatKy.luc >= since,
        NhatKy.id > (reset_at or 0)))
    return (failures or 0) >= FAILED_LIMIT


def reset_password(session: Session, user_id: int, new: str) -> NguoiDung:
    """Set a new password for an account (an admin helping a clerk who forgot theirs)."""
    user = session.get(NguoiDung, user_id)
    if user is None:
        raise ValidationError([FieldError("", "Không có tài khoản này.")])
    if len(new) < MIN_PASSWORD:
        raise ValidationError([FieldError("mat_khau_moi", f"Mật khẩu mới cần ít nhất {MIN_PASSWORD} ký tự.")])
    user.mat_khau = generate_password_hash(new)
    return user
