"""Signing in: throttles per address and per login from an address, server-side sessions with expiry.

The address throttle comes first, so one address cannot try many logins; a login is held back only
for the address that failed with it, so nobody elsewhere can lock an admin out. Failed attempts
live in their own table (swept after a day) and never crowd the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from doctpl.errors import DoctplError
from doctpl.store import users
from doctpl.store.models import DangNhapThu, NguoiDung, Phien

ADDRESS_LIMIT, LOGIN_LIMIT, WINDOW = 20, 5, dt.timedelta(minutes=15)
IDLE, LIFETIME = dt.timedelta(hours=8), dt.timedelta(days=7)
KEEP_ATTEMPTS = dt.timedelta(days=1)


class Throttled(DoctplError):
    """Too many failed sign-ins: from this address, or for this login from this address."""

    status = 429


def _failures(session: Session, address: str, login: str | None, since: dt.datetime) -> int:
    query = select(func.count(DangNhapThu.id)).where(DangNhapThu.dia_chi == address, DangNhapThu.luc >= since)
    if login is not None:
        query = query.where(DangNhapThu.ten_dang_nhap == login)
    return session.scalar(query) or 0


def sign_in(session: Session, address: str, login: str, password: str, now: dt.datetime | None = None
            ) -> NguoiDung | None:
    """Return the account for a login and password, None when they do not match; raise Throttled when held back."""
    now = now or dt.datetime.now()
    login = login.strip().lower()[:40]
    address = address[:64]
    session.execute(delete(DangNhapThu).where(DangNhapThu.luc < now - KEEP_ATTEMPTS))
    minutes = int(WINDOW.total_seconds() // 60)
    if _failures(session, address, None, now - WINDOW) >= ADDRESS_LIMIT:
        raise Throttled(f"Địa chỉ này đăng nhập sai quá nhiều lần; vui lòng thử lại sau {minutes} phút.")
    if _failures(session, address, login, now - WINDOW) >= LOGIN_LIMIT:
        raise Throttled(f"Đăng nhập sai quá {LOGIN_LIMIT} lần; vui lòng thử lại sau {minutes} phút "
                        "hoặc nhờ quản trị đặt lại mật khẩu.")
    user = users.authenticate(session, login, password)
    if user is None:
        session.add(DangNhapThu(dia_chi=address, ten_dang_nhap=login, luc=now))
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: NguoiDung, now: dt.datetime | None = None) -> str:
    """Start a session for `user` and return its token (for the cookie; only its hash is stored)."""
    now = now or dt.datetime.now()
    token = secrets.token_urlsafe(32)
    session.add(Phien(ma_bam=_hash(token), nguoi_dung_id=user.id, tao_luc=now, dung_luc=now))
    session.flush()
    return token


def current(session: Session, token: str, now: dt.datetime | None = None) -> NguoiDung | None:
    """Return the active account of a session token, None when it is unknown, expired or its account locked."""
    now = now or dt.datetime.now()
    row = session.get(Phien, _hash(token)) if token else None
    if row is None:
        return None
    if now - row.dung_luc > IDLE or now - row.tao_luc > LIFETIME:
        session.delete(row)
        return None
    user = session.get(NguoiDung, row.nguoi_dung_id)
    if user is None or not user.hoat_dong:
        return None
    if now - row.dung_luc > dt.timedelta(minutes=1):  # one write a minute, not one a request
        row.dung_luc = now
    return user


def close(session: Session, token: str) -> None:
    """End one session (signing out)."""
    session.execute(delete(Phien).where(Phien.ma_bam == _hash(token)))


def close_all(session: Session, user_id: int) -> None:
    """End every session of an account (its password changed, or it was locked)."""
    session.execute(delete(Phien).where(Phien.nguoi_dung_id == user_id))


def forget_failures(session: Session, login: str) -> None:
    """Lift the wait of a login (an admin has just set a new password for it)."""
    session.execute(delete(DangNhapThu).where(DangNhapThu.ten_dang_nhap == login.strip().lower()))
