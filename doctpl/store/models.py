"""Tables of the store."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base; naming conventions keep constraint names stable across databases."""


class Khoi(Base):
    """A khối or cụm thi đua; its names and other facts are dated rows of ThuocTinh."""

    __tablename__ = "khoi"
    id: Mapped[int] = mapped_column(primary_key=True)
    ma: Mapped[str] = mapped_column(String(40), unique=True)  # stable code of the registry file
    loai: Mapped[str] = mapped_column(String(10), default="khoi")  # khoi | cum
    tu_ngay: Mapped[dt.date | None] = mapped_column(Date)  # None: since before the registry begins
    den_ngay: Mapped[dt.date | None] = mapped_column(Date)  # last day it existed; None: still exists
    ke_tiep_id: Mapped[int | None] = mapped_column(ForeignKey("khoi.id"))  # the khối that succeeded it


class DonVi(Base):
    """A body of the registry: a member unit of a khối, or another body documents name (a superior, a recipient)."""

    __tablename__ = "don_vi"
    id: Mapped[int] = mapped_column(primary_key=True)
    ma: Mapped[str] = mapped_column(String(40), unique=True)
    tu_ngay: Mapped[dt.date | None] = mapped_column(Date)
    den_ngay: Mapped[dt.date | None] = mapped_column(Date)
    ke_tiep_id: Mapped[int | None] = mapped_column(ForeignKey("don_vi.id"))  # merged into, or replaced by


class ThuocTinh(Base):
    """One fact of a khối or a body over a date range: its name, ký hiệu, chủ quản, địa danh, head or deputy,
    thể thức (nha_nuoc | dang), or a nhiệm kỳ of its cấp ủy ("2025–2030", over the term's dates)."""

    __tablename__ = "thuoc_tinh"
    __table_args__ = (Index("ix_thuoc_tinh_truong", "truong"),)  # registry names by field (migration 0009)
    id: Mapped[int] = mapped_column(primary_key=True)
    khoi_id: Mapped[int | None] = mapped_column(ForeignKey("khoi.id"), index=True)
    don_vi_id: Mapped[int | None] = mapped_column(ForeignKey("don_vi.id"), index=True)
    truong: Mapped[str] = mapped_column(String(30))  # ten | ky_hieu | chu_quan | … | the_thuc | nhiem_ky
    gia_tri: Mapped[str] = mapped_column(String(200), default="")
    tu_ngay: Mapped[dt.date | None] = mapped_column(Date)
    den_ngay: Mapped[dt.date | None] = mapped_column(Date)


class ThanhVien(Base):
    """A body's membership of a khối over a date range, and its place in the khối's lists."""

    __tablename__ = "thanh_vien"
    id: Mapped[int] = mapped_column(primary_key=True)
    khoi_id: Mapped[int] = mapped_column(ForeignKey("khoi.id"), index=True)
    don_vi_id: Mapped[int] = mapped_column(ForeignKey("don_vi.id"), index=True)
    tu_ngay: Mapped[dt.date | None] = mapped_column(Date)
    den_ngay: Mapped[dt.date | None] = mapped_column(Date)
    thu_tu: Mapped[int] = mapped_column(Integer, default=0)


class VaiTro(Base):
    """Who is trưởng khối and phó khối in a year (the roles rotate; a year may have two phó khối)."""

    __tablename__ = "vai_tro"
    __table_args__ = (UniqueConstraint("khoi_id", "nam", "vai_tro", "don_vi_id", name="uq_vai_tro"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    khoi_id: Mapped[int] = mapped_column(ForeignKey("khoi.id"))
    nam: Mapped[int] = mapped_column(Integer)
    vai_tro: Mapped[str] = mapped_column(String(20))  # truong_khoi | pho_khoi
    don_vi_id: Mapped[int] = mapped_column(ForeignKey("don_vi.id"))
    thu_tu: Mapped[int] = mapped_column(Integer, default=0)


class VanBan(Base):
    """A saved document: what it is, who issues it, its number and date, its current version."""

    __tablename__ = "van_ban"
    # Migration 0009: the latest record of each unit and kind in one query, lists paged newest first.
    __table_args__ = (Index("ix_van_ban_khoi_kind_don_vi", "khoi_id", "kind", "don_vi_id", "nam", "id"),
                      Index("ix_van_ban_don_vi_kind", "don_vi_id", "kind", "nam", "id"),
                      Index("ix_van_ban_nam_id", "nam", "id"), Index("ix_van_ban_tao_tu", "tao_tu"))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    nam: Mapped[int] = mapped_column(Integer, index=True)
    khoi_id: Mapped[int | None] = mapped_column(ForeignKey("khoi.id"), index=True)
    don_vi_id: Mapped[int | None] = mapped_column(ForeignKey("don_vi.id"), index=True)
    tieu_de: Mapped[str] = mapped_column(String(300))
    so: Mapped[int | None] = mapped_column(Integer)
    ngay: Mapped[dt.date | None] = mapped_column(Date)
    phien_ban: Mapped[int] = mapped_column(Integer, default=1)
    tao_tu: Mapped[int | None] = mapped_column(ForeignKey("van_ban.id"))  # the record it was rolled from
    nhap: Mapped[bool] = mapped_column(default=False)  # a draft: saved with fields still to fill
    xem_lai: Mapped[str] = mapped_column(Text, default="")  # JSON: what its roll-over listed for review
    xoa_luc: Mapped[dt.datetime | None] = mapped_column(DateTime)  # deleted (restorable) when set
    xoa_boi: Mapped[str] = mapped_column(String(80), default="")
    nguoi_tao: Mapped[str] = mapped_column(String(80))
    tao_luc: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    sua_luc: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    versions: Mapped[list[PhienBan]] = relationship(back_populates="van_ban", order_by="PhienBan.phien_ban")


class PhienBan(Base):
    """One saved version of a document's data; edits add versions, never overwrite them."""

    __tablename__ = "phien_ban"
    __table_args__ = (UniqueConstraint("van_ban_id", "phien_ban"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    van_ban_id: Mapped[int] = mapped_column(ForeignKey("van_ban.id"))
    phien_ban: Mapped[int] = mapped_column(Integer)
    du_lieu: Mapped[str] = mapped_column(Text)  # canonical JSON of the data as entered
    ma_mau: Mapped[str] = mapped_column(String(64))  # sha256 of the template used
    ma_du_lieu: Mapped[str] = mapped_column(String(64))  # sha256 of du_lieu
    nguoi_luu: Mapped[str] = mapped_column(String(80))
    luu_luc: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    van_ban: Mapped[VanBan] = relationship(back_populates="versions")


class BoDem(Base):
    """One numbering series of an issuing body, with the last number given (a book of the sổ văn bản đi).

    NĐ 30 Điều 15: one series for every type per calendar year (`loai` "", `ky` "2026"). HD 05 I.3.1.1.b:
    a Party body numbers each type on its own (`loai` "Kế hoạch") within its cấp ủy's nhiệm kỳ (`ky`
    "2025–2030", from `tu_ngay` to `den_ngay`), or within the calendar year while no term is recorded.
    """

    __tablename__ = "bo_dem"
    co_quan: Mapped[str] = mapped_column(String(30), primary_key=True)  # ký hiệu of the issuing body
    loai: Mapped[str] = mapped_column(String(60), primary_key=True, default="")  # type name; "" every type
    ky: Mapped[str] = mapped_column(String(20), primary_key=True)  # "2026" (a calendar year) or "2025–2030"
    nam: Mapped[int] = mapped_column(Integer)  # the calendar year, or the year the term began
    so_cuoi: Mapped[int] = mapped_column(Integer, default=0)
    so_bat_dau: Mapped[int] = mapped_column(Integer, default=1)  # numbers below it were given outside doctpl
    khoa_luc: Mapped[dt.datetime | None] = mapped_column(DateTime)  # khóa sổ: closed since, None while open
    khoa_boi: Mapped[str] = mapped_column(String(80), default="")
    tu_ngay: Mapped[dt.date | None] = mapped_column(Date)  # a term's first and last day, as the registry gives them
    den_ngay: Mapped[dt.date | None] = mapped_column(Date)


class SoDi(Base):
    """A line of the sổ văn bản đi: one number given in a series (BoDem), never given again."""

    __tablename__ = "so_di"
    __table_args__ = (UniqueConstraint("co_quan", "loai", "ky", "so", name="uq_so_di_so"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    co_quan: Mapped[str] = mapped_column(String(30))
    nam: Mapped[int] = mapped_column(Integer)  # the calendar year of the document
    loai: Mapped[str] = mapped_column(String(60), default="")  # the series (BoDem.loai, BoDem.ky)
    ky: Mapped[str] = mapped_column(String(20))
    so: Mapped[int] = mapped_column(Integer)
    ky_hieu: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(40))
    trich_yeu: Mapped[str] = mapped_column(String(300), default="")
    van_ban_id: Mapped[int | None] = mapped_column(ForeignKey("van_ban.id"))
    nguoi_lay: Mapped[str] = mapped_column(String(80))
    lay_luc: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    # The other columns of NĐ 30 Phụ lục IV (sổ đăng ký văn bản đi).
    ngay: Mapped[dt.date | None] = mapped_column(Date)  # ngày tháng văn bản
    nguoi_ky: Mapped[str] = mapped_column(String(300), default="")
    noi_nhan: Mapped[str] = mapped_column(Text, default="")
    ban_luu: Mapped[str] = mapped_column(String(200), default="")  # đơn vị, người nhận bản lưu
    so_luong_ban: Mapped[int | None] = mapped_column(Integer)
    ngay_chuyen: Mapped[dt.date | None] = mapped_column(Date)
    ky_nhan: Mapped[str] = mapped_column(String(200), default="")
    ghi_chu: Mapped[str] = mapped_column(String(500), default="")
    # Hủy số: the line stays, its number is never given again.
    huy_luc: Mapped[dt.datetime | None] = mapped_column(DateTime)
    huy_boi: Mapped[str] = mapped_column(String(80), default="")
    ly_do_huy: Mapped[str] = mapped_column(String(300), default="")


class NhatKy(Base):
    """Who did what to which document, with the template and data hashes of the output."""

    __tablename__ = "nhat_ky"
    __table_args__ = (Index("ix_nhat_ky_hanh_dong_id", "hanh_dong", "id"),  # the log filtered (migration 0009)
                      Index("ix_nhat_ky_nguoi_id", "nguoi", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    luc: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now(), index=True)
    nguoi: Mapped[str] = mapped_column(String(80))
    hanh_dong: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(40), default="")
    van_ban_id: Mapped[int | None] = mapped_column(Integer, index=True)
    phien_ban: Mapped[int | None] = mapped_column(Integer)
    ma_mau: Mapped[str] = mapped_column(String(64), default="")
    ma_du_lieu: Mapped[str] = mapped_column(String(64), default="")
    chi_tiet: Mapped[str] = mapped_column(String(500), default="")


class NguoiDung(Base):
    """A person who signs in, within a scope: a unit's văn thư, a khối's secretariat, or a province admin."""

    __tablename__ = "nguoi_dung"
    id: Mapped[int] = mapped_column(primary_key=True)
    ten_dang_nhap: Mapped[str] = mapped_column(String(40), unique=True)
    ho_ten: Mapped[str] = mapped_column(String(80))
    mat_khau: Mapped[str] = mapped_column(String(200))  # a salted hash, never the password
    vai_tro: Mapped[str] = mapped_column(String(20), default="van_thu")  # van_thu | thu_ky | quan_tri
    hoat_dong: Mapped[bool] = mapped_column(default=True)
    tao_luc: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    don_vi_id: Mapped[int | None] = mapped_column(ForeignKey("don_vi.id"))  # the unit a văn thư serves
    khoi_id: Mapped[int | None] = mapped_column(ForeignKey("khoi.id"))  # the khối a secretariat serves


class Phien(Base):
    """A signed-in session kept on the server: the cookie holds a random token, the table its hash."""

    __tablename__ = "phien"
    ma_bam: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's token
    nguoi_dung_id: Mapped[int] = mapped_column(ForeignKey("nguoi_dung.id"), index=True)
    tao_luc: Mapped[dt.datetime] = mapped_column(DateTime)
    dung_luc: Mapped[dt.datetime] = mapped_column(DateTime)  # last request, for the idle timeout


class KhoaApi(Base):
    """An API key of an account, stored hashed; the key itself is shown once, when it is created."""

    __tablename__ = "khoa_api"
    id: Mapped[int] = mapped_column(primary_key=True)
    nguoi_dung_id: Mapped[int] = mapped_column(ForeignKey("nguoi_dung.id"), index=True)
    ten: Mapped[str] = mapped_column(String(80))
    tien_to: Mapped[str] = mapped_column(String(16))  # the key's first characters, to recognise it
    ma_bam: Mapped[str] = mapped_column(String(64), unique=True)
    tao_luc: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    dung_luc: Mapped[dt.datetime | None] = mapped_column(DateTime)
    thu_hoi_luc: Mapped[dt.datetime | None] = mapped_column(DateTime)


class DangNhapThu(Base):
    """A failed sign-in, by address and login: the throttles count these, not the audit log."""

    __tablename__ = "dang_nhap_thu"
    id: Mapped[int] = mapped_column(primary_key=True)
    dia_chi: Mapped[str] = mapped_column(String(64), index=True)
    ten_dang_nhap: Mapped[str] = mapped_column(String(40), index=True)
    luc: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class KhoiTao(Base):
    """One row once the first admin exists: its primary key makes first-run setup happen once, whatever the race."""

    __tablename__ = "khoi_tao"
    id: Mapped[int] = mapped_column(primary_key=True)
    luc: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class BanHanh(Base):
    """A file of an issued document uploaded to its record: the signed scan or the digitally signed PDF (or .docx)."""

    __tablename__ = "ban_hanh"
    id: Mapped[int] = mapped_column(primary_key=True)
    van_ban_id: Mapped[int] = mapped_column(ForeignKey("van_ban.id"), index=True)
    ten_tep: Mapped[str] = mapped_column(String(200))  # the name it was uploaded under
    loai: Mapped[str] = mapped_column(String(10))  # pdf | docx, as its content shows
    kich_thuoc: Mapped[int] = mapped_column(Integer)  # bytes
    ma_bam: Mapped[str] = mapped_column(String(64))  # sha256 of the content
    noi_dung: Mapped[bytes] = mapped_column(LargeBinary)
    nguoi_tai: Mapped[str] = mapped_column(String(80))
    tai_luc: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
