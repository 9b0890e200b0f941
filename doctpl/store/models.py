"""Tables of the store."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base; naming conventions keep constraint names stable across databases."""


class Khoi(Base):
    """A khối or cụm thi đua."""

    __tablename__ = "khoi"
    id: Mapped[int] = mapped_column(primary_key=True)
    ten: Mapped[str] = mapped_column(String(150))
    loai: Mapped[str] = mapped_column(String(10), default="khoi")  # khoi | cum
    ky_hieu: Mapped[str] = mapped_column(String(30))
    chu_quan: Mapped[str] = mapped_column(String(150), default="")
    dia_danh: Mapped[str] = mapped_column(String(60), default="")
    don_vi: Mapped[list[DonVi]] = relationship(back_populates="khoi", order_by="DonVi.thu_tu")


class DonVi(Base):
    """A member unit of a khối."""

    __tablename__ = "don_vi"
    id: Mapped[int] = mapped_column(primary_key=True)
    khoi_id: Mapped[int] = mapped_column(ForeignKey("khoi.id"))
    ten: Mapped[str] = mapped_column(String(150))
    ten_ngan: Mapped[str] = mapped_column(String(60), default="")
    ky_hieu: Mapped[str] = mapped_column(String(30))
    chu_quan: Mapped[str] = mapped_column(String(150), default="")
    dia_danh: Mapped[str] = mapped_column(String(60), default="")
    thu_truong: Mapped[str] = mapped_column(String(80), default="")
    chuc_vu_thu_truong: Mapped[str] = mapped_column(String(120), default="")
    cap_pho: Mapped[str] = mapped_column(String(80), default="")
    chuc_vu_cap_pho: Mapped[str] = mapped_column(String(120), default="")
    thu_tu: Mapped[int] = mapped_column(Integer, default=0)
    khoi: Mapped[Khoi] = relationship(back_populates="don_vi")


class VaiTro(Base):
    """Who is trưởng khối and phó khối in a year (the roles rotate)."""

    __tablename__ = "vai_tro"
    __table_args__ = (UniqueConstraint("khoi_id", "nam", "vai_tro"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    khoi_id: Mapped[int] = mapped_column(ForeignKey("khoi.id"))
    nam: Mapped[int] = mapped_column(Integer)
    vai_tro: Mapped[str] = mapped_column(String(20))  # truong_khoi | pho_khoi
    don_vi_id: Mapped[int] = mapped_column(ForeignKey("don_vi.id"))


class VanBan(Base):
    """A saved document: what it is, who issues it, its number and date, its current version."""

    __tablename__ = "van_ban"
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
    """The last number given per issuing body and calendar year (NĐ 30 Điều 15)."""

    __tablename__ = "bo_dem"
    co_quan: Mapped[str] = mapped_column(String(30), primary_key=True)  # ký hiệu of the issuing body
    nam: Mapped[int] = mapped_column(Integer, primary_key=True)
    so_cuoi: Mapped[int] = mapped_column(Integer, default=0)


class SoDi(Base):
    """A line of the sổ văn bản đi: one number given, never given again."""

    __tablename__ = "so_di"
    __table_args__ = (UniqueConstraint("co_quan", "nam", "so"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    co_quan: Mapped[str] = mapped_column(String(30))
    nam: Mapped[int] = mapped_column(Integer)
    so: Mapped[int] = mapped_column(Integer)
    ky_hieu: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(40))
    trich_yeu: Mapped[str] = mapped_column(String(300), default="")
    van_ban_id: Mapped[int | None] = mapped_column(ForeignKey("van_ban.id"))
    nguoi_lay: Mapped[str] = mapped_column(String(80))
    lay_luc: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class NhatKy(Base):
    """Who did what to which document, with the template and data hashes of the output."""

    __tablename__ = "nhat_ky"
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
    """A person who signs in: a văn thư (clerk) or a quản trị (admin)."""

    __tablename__ = "nguoi_dung"
    id: Mapped[int] = mapped_column(primary_key=True)
    ten_dang_nhap: Mapped[str] = mapped_column(String(40), unique=True)
    ho_ten: Mapped[str] = mapped_column(String(80))
    mat_khau: Mapped[str] = mapped_column(String(200))  # a salted hash, never the password
    vai_tro: Mapped[str] = mapped_column(String(20), default="van_thu")  # van_thu | quan_tri
    hoat_dong: Mapped[bool] = mapped_column(default=True)
    tao_luc: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
