"""The sổ văn bản đi: numbers per issuing body and series, never given twice (NĐ 30 Điều 15, Phụ lục IV; HD 05).

A state body numbers every type in one series per calendar year (NĐ 30 Điều 15). A Party body numbers
each type on its own within its cấp ủy's nhiệm kỳ, as the registry records it (HD 05 I.3.1.1.b), or within
the calendar year while no term is recorded (`series`). A series (BoDem) may start at a number above 01
(numbers given outside doctpl) and may be closed (khóa sổ); a cancelled number (hủy số) stays in the
register and is never given again.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from doctpl import facts
from doctpl.errors import FieldError, NotFound, ValidationError
from doctpl.fields import Date, Group, Integer, Text
from doctpl.kind import get_kind
from doctpl.parts import header
from doctpl.parts.noi_nhan import NHU_TREN
from doctpl.store import audit, records, registry  # records imports this module too; both call each other at run time
from doctpl.store.db import fetch
from doctpl.store.models import BoDem, SoDi, VanBan
from doctpl.the_thuc import DANG, NHA_NUOC, rules_on
from doctpl.vn.dates import short_date
from doctpl.vn.numbering import so_thu_tu
from doctpl.vn.text import clean, upper, without_breaks
from doctpl.xlsx import safe_cell

ADMIN = "quan_tri"  # the role that may reopen a closed book or give a number in it
COLUMNS = ("Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản", "Người ký",
           "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú")
LINE_FORM = Group("so_di", "Dòng sổ văn bản đi", fields=[
    Date("ngay", "Ngày tháng văn bản", required=False),
    Text("trich_yeu", "Trích yếu nội dung văn bản", required=False, max_len=300),
    Text("nguoi_ky", "Người ký", required=False, max_len=300),
    Text("noi_nhan", "Nơi nhận văn bản", required=False, max_len=5000, multiline=True,
         help="Mỗi dòng một nơi nhận."),
    Text("ban_luu", "Đơn vị, người nhận bản lưu", required=False, max_len=200),
    Integer("so_luong_ban", "Số lượng bản", required=False, minimum=1, maximum=10000),
    Date("ngay_chuyen", "Ngày chuyển", required=False),
    Text("ky_nhan", "Ký nhận", required=False, max_len=200),
    Text("ghi_chu", "Ghi chú", required=False, max_len=500),
])
KNOWN = ("ngay", "nguoi_ky", "noi_nhan", "ban_luu")  # what a saved document tells the register
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError([FieldError(field, message)])


@dataclass(frozen=True)
class Series:
    """One numbering series of an issuing body: a book of the sổ văn bản đi (a row of BoDem).

    NĐ 30 (Điều 15): every type in one series per calendar year, `loai` "" and `ky` "2026". A Party issuer
    (HD 05 I.3.1.1.b): each type on its own, `loai` "Kế hoạch", within the nhiệm kỳ of its cấp ủy that
    covers the document's date, `ky` "2025–2030"; within the calendar year while the registry records no term.
    """

    co_quan: str
    nam: int  # the calendar year; for a term, the year it began
    loai: str = ""  # the type name numbered on its own; "" for every type (NĐ 30)
    ky: str = ""  # "2026" or "2025–2030"; "" means the calendar year `nam`
    tu_ngay: dt.date | None = None  # a term's first and last day
    den_ngay: dt.date | None = None
    cua: str = ""  # whose term it is (the issuer, or the cấp ủy it belongs to), when known

    def __post_init__(self) -> None:
        object.__setattr__(self, "ky", self.ky or str(self.nam))

    @property
    def dang(self) -> bool:
        """Tell whether the series numbers one type of a Party issuer."""
        return bool(self.loai)

    @property
    def term(self) -> bool:
        """Tell whether the series runs over a nhiệm kỳ rather than a calendar year."""
        return not self.ky.isdigit()

    @property
    def key(self) -> tuple[str, str, str]:
        """Return the primary key of its BoDem row."""
        return self.co_quan, self.loai, self.ky

    @property
    def period(self) -> str:
        """Return "năm 2026" or "nhiệm kỳ 2025–2030"."""
        return f"nhiệm kỳ {self.ky}" if self.term else f"năm {self.ky}"

    @property
    def label(self) -> str:
        """Return "KTĐ1 năm 2026", or "KTĐ1 nhiệm kỳ 2025–2030, loại Kế hoạch" (the audit log's words)."""
        return f"{self.co_quan} {self.period}" + (f", loại {self.loai}" if self.loai else "")

    @property
    def name(self) -> str:
        """Return the book's name: «Sổ văn bản đi nhiệm kỳ 2025–2030 của KTĐ1, loại Kế hoạch».

        A Party series of a calendar year says why: the registry records no nhiệm kỳ for the date.
        """
        name = f"Sổ văn bản đi {self.period} của {self.co_quan}" + (f", loại {self.loai}" if self.loai else "")
        if self.dang and not self.term:
            name += " (theo năm, vì danh mục chưa ghi nhiệm kỳ)"
        return name

    def number(self, so: int) -> str:
        """Return "Số 07 năm 2021 của KTĐ1" or "Số 03 loại Kế hoạch nhiệm kỳ 2025–2030 của KTĐ1"."""
        kind = f" loại {self.loai}" if self.loai else ""
        return f"Số {so_thu_tu(so)}{kind} {self.period} của {self.co_quan}"


def of_book(book: BoDem | SoDi) -> Series:
    """Return the series a counter or a register line belongs to."""
    dates = (book.tu_ngay, book.den_ngay) if isinstance(book, BoDem) else (None, None)
    return Series(book.co_quan, int(book.ky[:4]), book.loai, book.ky, *dates)


def year_series(co_quan: str, nam: int) -> Series:
    """Return the NĐ 30 series of a calendar year (every type)."""
    return Series(upper(co_quan.strip()), nam)


def series(session: Session, co_quan: str, nam: int, ten_loai: str, *, the_thuc: str | None = None,
           on: dt.date | None = None, ten: str = "", chu_quan: str = "") -> Series:
    """Return the series a document of `ten_loai` by `co_quan`, of year `nam` and dated `on`, is numbered in.

    `the_thuc` is the document's own (the registry's for the issuer when None; NĐ 30 when it records none).
    A Party document is numbered per type within the nhiệm kỳ covering `on` (1 January of `nam` by
    default) of the registry body that issues it (named `ten`, with ký hiệu `co_quan`), or of its cấp ủy;
    failing a match, of the chủ quản the document names (`chu_quan`); failing a term, within the year.
    """
    co_quan, on = upper(co_quan.strip()), on or dt.date(nam, 1, 1)
    owner = registry.issuer(session, co_quan, ten, on) if co_quan else None
    if the_thuc is None:
        the_thuc = (registry.the_thuc_of(session, owner, on) if owner is not None else "") or NHA_NUOC
    if the_thuc != DANG or not ten_loai:  # NĐ 30, or no type named: the calendar year's one series
        return Series(co_quan, nam)
    if owner is not None:
        found = registry.term(session, owner, on)
    else:
        parent = registry.find_by_name(session, chu_quan)[0] if chu_quan else None
        found = registry.term(session, parent, on) if parent is not None else None
    if found is None:
        return Series(co_quan, nam, ten_loai)
    return Series(co_quan, int(found.ten[:4]), ten_loai, found.ten, found.tu_ngay, found.den_ngay, found.cua)


def issuer_the_thuc(session: Session, co_quan: str, on: dt.date, ten: str = "") -> str:
    """Return the thể thức the registry records for the issuer with ký hiệu `co_quan` on `on` (NĐ 30 by default)."""
    owner = registry.issuer(session, upper(co_quan.strip()), ten, on) if co_quan.strip() else None
    return (registry.the_thuc_of(session, owner, on) if owner is not None else "") or NHA_NUOC


def document_series(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return what a document's data tells `take` and `record` of its series: thể thức, date, issuer's names."""
    ngay = data.get("ngay")
    on = dt.date.fromisoformat(ngay) if isinstance(ngay, str) and ngay else ngay or None
    co_quan = data.get("co_quan") or {}
    return {"the_thuc": data.get("the_thuc") or NHA_NUOC, "on": on, "ten": without_breaks(co_quan.get("ten") or ""),
            "chu_quan": without_breaks(co_quan.get("chu_quan") or "")}


def _check_length(co_quan: str) -> None:
    if len(co_quan) > BoDem.__table__.c.co_quan.type.length:  # "ﬃ" passes as a letter and upper-cases to "FFI"
        raise _refuse("co_quan", f"«Ký hiệu cơ quan ban hành» viết hoa thành «{co_quan}», dài hơn "
                                 f"{BoDem.__table__.c.co_quan.type.length} ký tự của sổ văn bản đi.")


def _counter(session: Session, book: Series, start: int, then: Any, where: Any = None) -> Any:
    """Return INSERT … ON CONFLICT DO UPDATE [WHERE …] on the series' counter, in the session's SQL dialect."""
    _check_length(book.co_quan)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(BoDem).values(co_quan=book.co_quan, loai=book.loai, ky=book.ky, nam=book.nam,
                                             so_cuoi=start, tu_ngay=book.tu_ngay, den_ngay=book.den_ngay)
    changes: dict[str, Any] = {"so_cuoi": then}
    if book.tu_ngay is not None:  # a term's dates as the registry gives them now (a correction shows)
        changes |= {"tu_ngay": book.tu_ngay, "den_ngay": book.den_ngay}
    return statement.on_conflict_do_update(index_elements=["co_quan", "loai", "ky"], set_=changes, where=where)


def _lock(session: Session, book: Series) -> BoDem:
    """Return the series' counter, created if missing and locked until commit (takes wait behind it)."""
    session.execute(_counter(session, book, 0, BoDem.so_cuoi))
    return session.get(BoDem, book.key, populate_existing=True)  # type: ignore[return-value]


def _closed_since(book: BoDem) -> str:
    assert book.khoa_luc is not None
    return f"{of_book(book).name} đã khóa ngày {short_date(book.khoa_luc.date())} ({book.khoa_boi})"


def _abbreviated(ten_loai: str, nam: int, the_thuc: str = NHA_NUOC) -> None:
    """Refuse a year before the tables give `ten_loai` the abbreviation its ký hiệu needs (the form's own rule)."""
    if errors := facts.check_numbered(ten_loai)({"nam": nam, "ngay": None, "the_thuc": the_thuc}):
        raise ValidationError(errors)


def symbol(book: Series, so: int, ten_loai: str, on: dt.date | None = None) -> str:
    """Return the số and ký hiệu of a number of the series: "01/KH-KTĐ1" (NĐ 30) or "01-KH/KTĐ1" (Party)."""
    on = on or dt.date(book.nam, 1, 1)
    rules = rules_on(DANG if book.dang else NHA_NUOC, on)
    return header.number_symbol(so, ten_loai, book.co_quan, rules, on)


def _line(session: Session, book: Series, nam: int, number: int, ten_loai: str, on: dt.date | None,
          **details: object) -> SoDi:
    line = SoDi(co_quan=book.co_quan, nam=nam, loai=book.loai, ky=book.ky, so=number,
                ky_hieu=symbol(book, number, ten_loai, on or dt.date(nam, 1, 1)), **details)
    session.add(line)
    session.flush()
    return line


def take(session: Session, co_quan: str, nam: int, ten_loai: str, *, kind: str, who: str, trich_yeu: str = "",
         van_ban_id: int | None = None, role: str = "", override: bool = False, reason: str = "",
         the_thuc: str | None = None, on: dt.date | None = None, ten: str = "", chu_quan: str = "",
         ngay: dt.date | None = None) -> SoDi:
    """Give the next number of the series a document of `co_quan` in `nam` is numbered in (see `series`).

    NĐ 30: one series per calendar year, from 01 each 1 January. Party: per type, from 01 each nhiệm kỳ.
    One INSERT … ON CONFLICT DO UPDATE … WHERE the book is open … RETURNING takes the number, so the
    database serialises it: concurrent clerks, threads or processes never receive the same one, and
    none receives a number once the book is closed. An admin may `override` a closed book with a
    `reason`, which is written to the audit log. `ngay` fills the line's date column.
    """
    co_quan = upper(co_quan.strip())
    if not co_quan:
        raise _refuse("co_quan", "Vui lòng nhập «Cơ quan» (ký hiệu của cơ quan ban hành, ví dụ KTĐ1).")
    if override and role != ADMIN:
        raise _refuse("cap_khi_khoa", "Chỉ quản trị được cấp số khi sổ đã khóa.")
    if override and not reason.strip():
        raise _refuse("ly_do", "Vui lòng nhập «Lý do» cấp số khi sổ đã khóa.")
    _check_length(co_quan)
    book = series(session, co_quan, nam, ten_loai, the_thuc=the_thuc, on=on, ten=ten, chu_quan=chu_quan)
    _abbreviated(ten_loai, nam, DANG if book.dang else NHA_NUOC)
    statement = _counter(session, book, 1, BoDem.so_cuoi + 1, None if override else BoDem.khoa_luc.is_(None))
    given = session.execute(statement.returning(BoDem.so_cuoi, BoDem.khoa_luc)).one_or_none()
    if given is None:
        counter = session.get(BoDem, book.key, populate_existing=True)
        assert counter is not None
        advice = ("Đánh dấu «Cấp số khi sổ đã khóa» và ghi lý do để vẫn cấp." if role == ADMIN
                  else "Đề nghị quản trị mở lại sổ hoặc cấp số.")
        raise _refuse("nam", f"{_closed_since(counter)}; không cấp số mới. {advice}")
    number, closed = given
    line = _line(session, book, nam, number, ten_loai, on, kind=kind, trich_yeu=clean(trich_yeu)[:300],
                 van_ban_id=van_ban_id, nguoi_lay=who, ngay=ngay)
    if closed is not None:
        audit.log(session, who, "cap_so_khi_khoa", kind=kind, van_ban_id=van_ban_id,
                  chi_tiet=f"{line.ky_hieu} (sổ đã khóa): {reason.strip()}")
    return line


def record(session: Session, co_quan: str, nam: int, so: int, ten_loai: str, *, kind: str, who: str,
           trich_yeu: str = "", van_ban_id: int | None = None, the_thuc: str | None = None,
           on: dt.date | None = None, ten: str = "", chu_quan: str = "") -> SoDi:
    """Enter a number given by hand (typed in a form, or given outside doctpl); refuse one given or cancelled.

    The number belongs to the series `take` would give (see `series`). The counter moves past it so it is
    never given again, and stays locked until commit, so two clerks typing the same number are served one
    after the other. The number `van_ban_id` already has is returned as it is; a line taken for the same
    kind with no document yet is given to `van_ban_id`.
    """
    co_quan = upper(co_quan)
    _check_length(co_quan)
    book = series(session, co_quan, nam, ten_loai, the_thuc=the_thuc, on=on, ten=ten, chu_quan=chu_quan)
    _abbreviated(ten_loai, nam, DANG if book.dang else NHA_NUOC)
    highest = (func.max if session.get_bind().dialect.name == "sqlite" else func.greatest)(BoDem.so_cuoi, so)
    session.execute(_counter(session, book, so, highest))
    line = session.scalar(select(SoDi).where(SoDi.co_quan == book.co_quan, SoDi.loai == book.loai,
                                             SoDi.ky == book.ky, SoDi.so == so))
    if line is None:
        return _line(session, book, nam, so, ten_loai, on, kind=kind, trich_yeu=trich_yeu[:300],
                     van_ban_id=van_ban_id, nguoi_lay=who)
    given = book.number(so)
    if line.huy_luc is not None:
        raise _refuse("so", f"{given} đã hủy ngày {short_date(line.huy_luc.date())}; số đã hủy không được cấp lại.")
    if van_ban_id is not None and line.van_ban_id == van_ban_id:
        return line
    if van_ban_id is not None and line.van_ban_id is None and line.kind == kind:
        line.van_ban_id = van_ban_id
        return line
    other = (f"bản lưu #{line.van_ban_id}" if line.van_ban_id else
             f"«{type_name(line)}» lấy ngày {short_date(line.lay_luc.date())}, chưa gắn văn bản")
    raise _refuse("so", f"{given} đã cấp cho văn bản khác ({other}); nhập số chưa cấp, hoặc để trống "
                        "«Số văn bản» và chọn lấy số tự động.")


def _first_label(book: Series) -> str:
    return f"Số bắt đầu {book.period}" + (f", loại {book.loai}" if book.loai else "")


def set_first(session: Session, co_quan: str, nam: int, start: int, *, who: str, book: Series | None = None) -> BoDem:
    """Make `start` the next number of a series (the numbers below it were given outside doctpl).

    The series is `book`, by default the NĐ 30 series of `co_quan` in `nam`.
    """
    book = book or year_series(co_quan, nam)
    label = _first_label(book)
    if not book.co_quan:
        raise _refuse("co_quan", "Vui lòng nhập «Cơ quan» (ký hiệu của cơ quan ban hành, ví dụ KTĐ1).")
    if start < 1:
        raise _refuse("so_bat_dau", f"«{label}» phải từ 1 trở lên.")
    counter = _lock(session, book)
    if counter.khoa_luc is not None:
        raise _refuse("so_bat_dau", f"{_closed_since(counter)}; mở lại sổ trước khi đặt «{label}».")
    # Given: every line (cancelled ones too) and the counter itself unless it only skips the numbers set aside.
    lines = session.scalar(select(func.max(SoDi.so)).where(SoDi.co_quan == book.co_quan, SoDi.loai == book.loai,
                                                           SoDi.ky == book.ky)) or 0
    highest = max(lines, counter.so_cuoi if counter.so_cuoi >= counter.so_bat_dau else 0)
    if highest and start <= highest:
        raise _refuse("so_bat_dau", f"«{label}» của {book.co_quan} phải lớn hơn {so_thu_tu(highest)}: "
                                    f"số {so_thu_tu(highest)} đã được cấp.")
    counter.so_bat_dau, counter.so_cuoi = start, start - 1
    audit.log(session, who, "so_bat_dau", chi_tiet=f"{book.label}: số bắt đầu {so_thu_tu(start)}")
    return counter


def close(session: Session, co_quan: str, nam: int, *, who: str, book: Series | None = None) -> BoDem:
    """Close a series (khóa sổ): no number is given in it any more unless an admin overrides."""
    book = book or year_series(co_quan, nam)
    counter = _lock(session, book)
    if counter.khoa_luc is not None:
        raise _refuse("khoa", f"{_closed_since(counter)}.")
    counter.khoa_luc, counter.khoa_boi = dt.datetime.now(), who
    audit.log(session, who, "khoa_so", chi_tiet=f"{book.label}, số cuối {so_thu_tu(counter.so_cuoi)}")
    return counter


def reopen(session: Session, co_quan: str, nam: int, *, who: str, role: str, book: Series | None = None) -> BoDem:
    """Reopen a closed series (admins only)."""
    book = book or year_series(co_quan, nam)
    if role != ADMIN:
        raise _refuse("khoa", "Chỉ quản trị được mở lại sổ đã khóa.")
    counter = _lock(session, book)
    if counter.khoa_luc is None:
        raise _refuse("khoa", f"{book.name} chưa khóa.")
    counter.khoa_luc, counter.khoa_boi = None, ""
    audit.log(session, who, "mo_so", chi_tiet=book.label)
    return counter


def _known(data: dict[str, Any]) -> dict[str, Any]:
    """Return what a document's data says of the columns in KNOWN."""
    signer = (data.get("nguoi_ky") or {}).get("ho_ten") or ", ".join(
        unit["ho_ten"] for unit in data.get("don_vi_ky") or [] if unit.get("ho_ten"))
    listed = [*(data.get("kinh_gui") or []), *data["noi_nhan"]["cac_noi"]]
    luu = data["noi_nhan"].get("luu", "").strip(" ,;.")
    return {"ngay": dt.date.fromisoformat(data["ngay"]) if data.get("ngay") else None, "nguoi_ky": signer,
            "noi_nhan": "\n".join(dict.fromkeys(name for name in listed if name != NHU_TREN)),
            "ban_luu": f"VT, {luu}" if luu else "VT"}


def _fill(line: SoDi, data: dict[str, Any]) -> None:
    """Set the KNOWN columns from the document's data, each cut to its column (30 signers of a giao ước are long)."""
    for name, value in _known(data).items():
        length = getattr(SoDi.__table__.c[name].type, "length", None)
        setattr(line, name, value[:length] if length and isinstance(value, str) else value)


def _known_filled(session: Session, line: SoDi) -> SoDi:
    """Give a line of a saved document whose KNOWN columns are all blank those of the document's current version."""
    if line.van_ban_id and not any(getattr(line, name) for name in KNOWN):
        try:
            _fill(line, records.data(session, line.van_ban_id))
        except NotFound:  # the document was deleted: the line keeps what it has
            pass
    return line


def get(session: Session, line_id: int) -> SoDi:
    """Return a register line, its KNOWN columns filled from its document when blank, or raise NotFound."""
    return _known_filled(session, fetch(session, SoDi, line_id, "dòng sổ văn bản đi"))


def cancel(session: Session, line_id: int, *, who: str, reason: str) -> SoDi:
    """Cancel a number (hủy số): the line stays, marked with who, when and why; the number is never given again."""
    line = get(session, line_id)
    if line.huy_luc is not None:
        raise _refuse("ly_do_huy", f"Số {line.ky_hieu} đã hủy ngày {short_date(line.huy_luc.date())}.")
    reason = reason.strip()
    if not reason:
        raise _refuse("ly_do_huy", "Vui lòng nhập «Lý do hủy số».")
    line.huy_luc, line.huy_boi, line.ly_do_huy = dt.datetime.now(), who, reason[:300]
    audit.log(session, who, "huy_so", kind=line.kind, van_ban_id=line.van_ban_id,
              chi_tiet=f"{line.ky_hieu}: {reason}")
    return line


def update(session: Session, line_id: int, raw: Any, *, who: str) -> SoDi:
    """Change the Phụ lục IV columns given in `raw` (date, signer, recipients, delivery …) of a line."""
    line = get(session, line_id)
    errors: list[FieldError] = []
    converted = LINE_FORM.convert(raw, "", errors)
    if errors:
        raise ValidationError(errors)
    for name in raw:
        setattr(line, name, converted[name])
    audit.log(session, who, "sua_so_di", kind=line.kind, van_ban_id=line.van_ban_id, chi_tiet=line.ky_hieu)
    return line


def values(line: SoDi) -> dict[str, Any]:
    """Return the line's editable columns as LINE_FORM takes them."""
    return {f.name: getattr(line, f.name) for f in LINE_FORM.fields}


def register(session: Session, co_quan: str | None = None, nam: int | None = None) -> list[SoDi]:
    """Return the register lines of documents of `nam`, by issuing body, year, series and number.

    A line of a saved document whose KNOWN columns are all blank (numbered when the form was saved)
    takes them from the document's current version (see `get`).
    """
    query = select(SoDi).order_by(SoDi.co_quan, SoDi.nam, SoDi.loai, SoDi.ky, SoDi.so)
    if co_quan:
        query = query.where(SoDi.co_quan == upper(co_quan))
    if nam:
        query = query.where(SoDi.nam == nam)
    return [_known_filled(session, line) for line in session.scalars(query)]


def _covers(book: BoDem, nam: int) -> bool:
    """Tell whether a series numbers documents of the calendar year `nam`."""
    if book.ky.isdigit():
        return book.ky == str(nam)
    first, last = (int(year) for year in book.ky.split("–"))
    start = book.tu_ngay or dt.date(first, 1, 1)
    end = book.den_ngay or (dt.date.max if book.tu_ngay else dt.date(last, 12, 31))
    return start <= dt.date(nam, 12, 31) and dt.date(nam, 1, 1) <= end


def books(session: Session, nam: int, co_quan: str | None = None) -> list[BoDem]:
    """Return the series that number documents of a year (first number, last given, closed or not), by body.

    A year's NĐ 30 series; a Party body's series of each type, of the year or of the nhiệm kỳ covering it.
    """
    query = select(BoDem).order_by(BoDem.co_quan, BoDem.loai, BoDem.ky)
    if co_quan:
        query = query.where(BoDem.co_quan == upper(co_quan))
    return [book for book in session.scalars(query) if _covers(book, nam)]


def book(session: Session, co_quan: str, nam: int, loai: str = "", ky: str = "") -> Series:
    """Return the series a register page names (by body, type and period; the NĐ 30 year by default)."""
    found = session.get(BoDem, (upper(co_quan.strip()), loai, ky or str(nam)))
    return of_book(found) if found is not None else Series(upper(co_quan.strip()), nam, loai, ky)


def issuers(session: Session) -> list[str]:
    """Return every issuing body that has a register, any year."""
    return list(session.scalars(select(BoDem.co_quan).distinct().order_by(BoDem.co_quan)))


def _issuer(data: dict[str, Any]) -> str:
    return upper(data["co_quan"]["ky_hieu"].strip())


def _document_book(session: Session, kind_id: str, data: dict[str, Any]) -> Series:
    """Return the series a saved document is numbered in."""
    return series(session, _issuer(data), data["nam"], get_kind(kind_id).ten_loai, **document_series(data))


def _in_series(line: SoDi) -> tuple[str, str, str]:
    return line.co_quan, line.loai, line.ky


def candidates(session: Session, line: SoDi) -> list[VanBan]:
    """Return the saved documents a hand-taken number may be attached to: same kind, body, year and series, no Số."""
    found = []
    for document in records.find(session, nam=line.nam, kind=line.kind):
        data = records.data(session, document.id)
        if _issuer(data) == line.co_quan and not data.get("so") and \
                _document_book(session, document.kind, data).key == _in_series(line):
            found.append(document)
    return found


def attach(session: Session, line_id: int, record_id: int, *, who: str) -> VanBan:
    """Give a hand-taken number to a saved document: a new version with the Số, and the line linked to it."""
    line, field = get(session, line_id), "van_ban_id"
    if line.huy_luc is not None:
        raise _refuse(field, f"Số {line.ky_hieu} đã hủy; không gắn được vào văn bản.")
    if line.van_ban_id:
        raise _refuse(field, f"Số {line.ky_hieu} đã gắn với bản lưu #{line.van_ban_id}.")
    try:
        document, data = records.get(session, record_id), records.data(session, record_id)
    except NotFound as error:
        raise _refuse(field, str(error)) from error
    if document.kind != line.kind:
        raise _refuse(field, f"Số {line.ky_hieu} được lấy cho «{get_kind(line.kind).title}», còn bản lưu "
                             f"#{record_id} là «{get_kind(document.kind).title}».")
    if _issuer(data) != line.co_quan:
        raise _refuse(field, f"Số {line.ky_hieu} là số của {line.co_quan}, còn bản lưu #{record_id} do "
                             f"{_issuer(data)} ban hành.")
    if data["nam"] != line.nam:
        raise _refuse(field, f"Số {line.ky_hieu} là số năm {line.nam}, còn bản lưu #{record_id} là của năm "
                             f"{data['nam']}.")
    numbered_in = _document_book(session, document.kind, data)
    if numbered_in.key != _in_series(line):
        raise _refuse(field, f"Số {line.ky_hieu} thuộc «{of_book(line).name}», còn bản lưu #{record_id} được "
                             f"đánh số trong «{numbered_in.name}».")
    if data.get("so"):
        raise _refuse(field, f"Văn bản số {record_id} đã có Số {so_thu_tu(data['so'])}.")
    try:
        saved = records.save(session, document.kind, {**data, "so": line.so}, who=who, record_id=record_id)
    except ValidationError as error:
        missing = "; ".join(e.message for e in error.errors())
        raise _refuse(field, f"Văn bản số {record_id} chưa đủ nội dung để mang số: {missing}") from error
    line.van_ban_id = saved.id
    _fill(line, data)
    line.trich_yeu = line.trich_yeu or (data.get("trich_yeu") or saved.tieu_de)[:300]
    audit.log(session, who, "gan_so", kind=line.kind, van_ban_id=saved.id, phien_ban=saved.phien_ban,
              chi_tiet=line.ky_hieu)
    return saved


def type_name(line: SoDi) -> str:
    """Return the Vietnamese type name of the line's document: "Kế hoạch", "Giao ước thi đua"."""
    return get_kind(line.kind).ten_loai


def title(line: SoDi) -> str:
    """Return column 3, «Tên loại và trích yếu nội dung»: the type name, then the trích yếu on its own line."""
    name, summary = type_name(line), line.trich_yeu.strip()
    if not summary:
        return name
    return summary if summary.casefold().startswith(name.casefold()) else f"{name}\n{summary}"


def note(line: SoDi) -> str:
    """Return column 10, «Ghi chú»: the cancellation first (who, when, why), then the clerk's note."""
    parts = [f"Đã hủy số ngày {short_date(line.huy_luc.date())} ({line.huy_boi}): {line.ly_do_huy}"
             if line.huy_luc is not None else "", line.ghi_chu]
    return "\n".join(part for part in parts if part)


def cells(line: SoDi) -> list[str | int | None]:
    """Return the ten columns of NĐ 30 Phụ lục IV for one line (dates as the decree writes them)."""
    return [line.ky_hieu, short_date(line.ngay) if line.ngay else "", title(line), line.nguoi_ky, line.noi_nhan,
            line.ban_luu, line.so_luong_ban, short_date(line.ngay_chuyen) if line.ngay_chuyen else "", line.ky_nhan,
            note(line)]


def _sheet(sheet: Any, book: Series, lines: list[SoDi]) -> None:
    """Fill one sheet: the ten headed and numbered columns, one row per number, ready to print and bind."""
    sheet.title = _SHEET_NAME.sub("-", f"{book.co_quan} {book.loai} {book.ky}" if book.loai
                                  else f"{book.co_quan} {book.ky}")[:31]
    sheet.append(list(COLUMNS))
    sheet.append([f"({index})" for index in range(1, len(COLUMNS) + 1)])
    for line in lines:
        sheet.append([None if value == "" else safe_cell(value) for value in cells(line)])
        if line.huy_luc is not None:
            sheet.cell(sheet.max_row, 1).font = Font(strike=True)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center" if cell.row <= 2 else None)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate((14, 12, 45, 22, 35, 20, 9, 12, 16, 30), start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    kind = f" – LOẠI {upper(book.loai)}" if book.loai else ""
    sheet.oddHeader.center.text = (f"SỔ ĐĂNG KÝ VĂN BẢN ĐI – {book.co_quan} – {upper(book.period)}{kind}\n"
                                   f"Từ số {so_thu_tu(lines[0].so)} đến số {so_thu_tu(lines[-1].so)}")


def to_xlsx(lines: list[SoDi]) -> bytes:
    """Return the register as an .xlsx workbook: one sheet per series (body and year; Party: type and term)."""
    workbook = Workbook()
    groups: dict[tuple[str, str, str], list[SoDi]] = {}
    for line in lines:
        groups.setdefault(_in_series(line), []).append(line)
    for index, group in enumerate(groups.values()):
        _sheet(workbook.active if index == 0 else workbook.create_sheet(), of_book(group[0]),
               sorted(group, key=lambda line: line.so))
    if not lines:
        workbook.active.append(list(COLUMNS))
        workbook.active.title = "Sổ văn bản đi"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
