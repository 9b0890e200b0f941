"""The audit log: every document produced, saved, numbered or rolled over, by whom."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from doctpl.store.models import NhatKy

if TYPE_CHECKING:
    from doctpl.store.records import Page

ACTIONS = {
    "luu": "Lưu văn bản", "luu_nhap": "Lưu bản nháp", "sua": "Sửa (phiên bản mới)", "tai_ve": "Tải về",
    "nam_sau": "Dùng lại cho năm sau", "xoa": "Xóa văn bản", "khoi_phuc": "Khôi phục văn bản",
    "lay_so": "Lấy số", "gan_so": "Gắn số vào văn bản", "huy_so": "Hủy số", "so_bat_dau": "Đặt số bắt đầu năm",
    "ban_hanh": "Tải lên bản đã ban hành", "go_ban_hanh": "Gỡ tệp ban hành tải nhầm",
    "khoa_so": "Khóa sổ", "mo_so": "Mở lại sổ", "cap_so_khi_khoa": "Cấp số khi sổ đã khóa", "sua_so_di": "Sửa dòng sổ",
    "danh_muc": "Sửa danh mục", "dang_nhap": "Đăng nhập", "tao_tai_khoan": "Tạo tài khoản",
    "doi_mat_khau": "Đổi mật khẩu", "dat_lai_mat_khau": "Đặt lại mật khẩu", "khoa": "Khóa tài khoản",
    "mo_khoa": "Mở khóa tài khoản", "pham_vi": "Đổi vai trò, phạm vi", "tao_khoa_api": "Tạo khóa API",
    "thu_hoi_khoa_api": "Thu hồi khóa API",
}


def log(session: Session, who: str, action: str, *, kind: str = "", van_ban_id: int | None = None,
        phien_ban: int | None = None, ma_mau: str = "", ma_du_lieu: str = "", chi_tiet: str = "") -> None:
    """Append one line to the log."""
    session.add(NhatKy(nguoi=who, hanh_dong=action, kind=kind, van_ban_id=van_ban_id, phien_ban=phien_ban,
                       ma_mau=ma_mau, ma_du_lieu=ma_du_lieu, chi_tiet=chi_tiet[:500]))


def entries(session: Session, limit: int = 500) -> list[NhatKy]:
    """Return the newest lines first."""
    return list(session.scalars(select(NhatKy).order_by(NhatKy.id.desc()).limit(limit)))


def people(session: Session) -> list[str]:
    """Return everyone the log names, in alphabetical order, for the page's filter."""
    return list(session.scalars(select(NhatKy.nguoi).distinct().order_by(NhatKy.nguoi)))


def page(session: Session, *, nguoi: str = "", hanh_dong: str = "", kind: str = "", van_ban_id: int | None = None,
         tu: dt.date | None = None, den: dt.date | None = None, q: str = "", number: int | None = None,
         per_page: int = 50) -> Page:
    """Return one page of the log, newest first, filtered and searched in the database (a records.Page).

    `tu` and `den` bound the day (both included); `q` searches the details, the person and the hashes.
    """
    from doctpl.store.records import Page, page_number, text_patterns

    query = select(NhatKy)
    for column, value in ((NhatKy.nguoi, nguoi), (NhatKy.hanh_dong, hanh_dong), (NhatKy.kind, kind),
                          (NhatKy.van_ban_id, van_ban_id)):
        if value:
            query = query.where(column == value)
    if tu:
        query = query.where(NhatKy.luc >= dt.datetime.combine(tu, dt.time.min))
    if den:
        query = query.where(NhatKy.luc < dt.datetime.combine(den + dt.timedelta(days=1), dt.time.min))
    text = " ".join((q or "").split())[:200]
    if text:
        query = query.where(or_(text_patterns(NhatKy.chi_tiet, text), text_patterns(NhatKy.nguoi, text),
                                NhatKy.ma_mau.startswith(text.lower(), autoescape=True),
                                NhatKy.ma_du_lieu.startswith(text.lower(), autoescape=True)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    current = page_number(number, total, per_page)
    rows = list(session.scalars(query.order_by(NhatKy.id.desc()).limit(per_page).offset((current - 1) * per_page)))
    return Page(rows, total, current, per_page)
