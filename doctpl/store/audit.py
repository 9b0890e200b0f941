"""The audit log: every document produced, saved, numbered or rolled over, by whom."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from doctpl.store.models import NhatKy


def log(session: Session, who: str, action: str, *, kind: str = "", van_ban_id: int | None = None,
        phien_ban: int | None = None, ma_mau: str = "", ma_du_lieu: str = "", chi_tiet: str = "") -> None:
    """Append one line to the log."""
    session.add(NhatKy(nguoi=who, hanh_dong=action, kind=kind, van_ban_id=van_ban_id, phien_ban=phien_ban,
                       ma_mau=ma_mau, ma_du_lieu=ma_du_lieu, chi_tiet=chi_tiet[:500]))


def entries(session: Session, limit: int = 500) -> list[NhatKy]:
    """Return the newest lines first."""
    return list(session.scalars(select(NhatKy).order_by(NhatKy.id.desc()).limit(limit)))
