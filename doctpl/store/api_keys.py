"""API keys: each belongs to an account and acts within its scope; stored hashed, shown once, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from doctpl.errors import FieldError, NotFound, ValidationError
from doctpl.store.db import MAX_ID
from doctpl.store.models import KhoaApi, NguoiDung

PREFIX = "dtpl_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(session: Session, user: NguoiDung, name: str) -> tuple[KhoaApi, str]:
    """Create a key for `user`; return its row and the key itself, which is never stored."""
    name = " ".join(name.split())[:80]
    if not name:
        raise ValidationError([FieldError("ten", "Vui lòng nhập «Tên khóa», ví dụ «phần mềm một cửa».")])
    key = PREFIX + secrets.token_urlsafe(32)
    row = KhoaApi(nguoi_dung_id=user.id, ten=name, tien_to=key[:12], ma_bam=_hash(key))
    session.add(row)
    session.flush()
    return row, key


def account(session: Session, key: str) -> NguoiDung | None:
    """Return the active account a key belongs to, None for an unknown or revoked key."""
    row = session.scalar(select(KhoaApi).where(KhoaApi.ma_bam == _hash(key))) if key.startswith(PREFIX) else None
    if row is None or row.thu_hoi_luc is not None:
        return None
    user = session.get(NguoiDung, row.nguoi_dung_id)
    if user is None or not user.hoat_dong:
        return None
    now = dt.datetime.now()
    if row.dung_luc is None or now - row.dung_luc > dt.timedelta(minutes=1):
        row.dung_luc = now
    return user


def of(session: Session, user_id: int) -> list[KhoaApi]:
    """Return an account's keys, newest first."""
    return list(session.scalars(select(KhoaApi).where(KhoaApi.nguoi_dung_id == user_id).order_by(KhoaApi.id.desc())))


def revoke(session: Session, key_id: int, user_id: int) -> KhoaApi:
    """Revoke one of an account's keys (another account's key is not found)."""
    row = session.get(KhoaApi, key_id) if 0 < key_id <= MAX_ID else None
    if row is None or row.nguoi_dung_id != user_id:
        raise NotFound("Không có khóa API này.")
    row.thu_hoi_luc = row.thu_hoi_luc or dt.datetime.now()
    return row
