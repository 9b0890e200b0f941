"""The audit log: every document produced, saved, numbered or rolled over, by whom."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from doctpl.store.models import NhatKy

ACTIONS = {
    "luu": "Lưu văn bản", "luu_nhap": "Lưu bản nháp", "sua": "Sửa (phiên bản mới)", "tai_ve": "Tải về",
    "nam_sau": "Dùng lại cho năm sau", "xoa": "Xóa văn bản", "khoi_phuc": "Khôi phục văn bản",
    "lay_so": "Lấy số", "gan_so": "Gắn số vào văn bản", "huy_so": "Hủy số", "so_bat_dau": "Đặt số bắt đầu năm",
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
