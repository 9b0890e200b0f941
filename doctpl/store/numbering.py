"""The sổ văn bản đi: numbers per issuing body and calendar year, never given twice (NĐ 30 Điều 15, Phụ lục IV).

A year of a body (BoDem) may start at a number above 01 (numbers given outside doctpl) and may be
closed (khóa sổ); a cancelled number (hủy số) stays in the register and is never given again.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
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
from doctpl.parts.noi_nhan import NHU_TREN
from doctpl.store import audit, records  # records imports this module too; both only call each other at run time
from doctpl.store.db import fetch
from doctpl.store.models import BoDem, SoDi, VanBan
from doctpl.vn.dates import short_date
from doctpl.vn.numbering import so_thu_tu
from doctpl.vn.text import clean, upper
from doctpl.xlsx import safe_cell

ADMIN = "quan_tri"  # the role that may reopen a closed year or give a number in it
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


def _counter(session: Session, co_quan: str, nam: int, start: int, then: Any, where: Any = None) -> Any:
    """Return INSERT … ON CONFLICT DO UPDATE [WHERE …] on the counter, in the session's SQL dialect."""
    if len(co_quan) > BoDem.__table__.c.co_quan.type.length:  # "ﬃ" passes as a letter and upper-cases to "FFI"
        raise _refuse("co_quan", f"«Ký hiệu cơ quan ban hành» viết hoa thành «{co_quan}», dài hơn "
                                 f"{BoDem.__table__.c.co_quan.type.length} ký tự của sổ văn bản đi.")
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(BoDem).values(co_quan=co_quan, nam=nam, so_cuoi=start)
    return statement.on_conflict_do_update(index_elements=["co_quan", "nam"], set_={"so_cuoi": then}, where=where)


def _lock(session: Session, co_quan: str, nam: int) -> BoDem:
    """Return the year's counter, created if missing and locked until commit (takes wait behind it)."""
    session.execute(_counter(session, co_quan, nam, 0, BoDem.so_cuoi))
    return session.get(BoDem, (co_quan, nam), populate_existing=True)  # type: ignore[return-value]


def _book_name(co_quan: str, nam: int) -> str:
    return f"Sổ văn bản đi năm {nam} của {co_quan}"


def _closed_since(book: BoDem) -> str:
    assert book.khoa_luc is not None
    return f"{_book_name(book.co_quan, book.nam)} đã khóa ngày {short_date(book.khoa_luc.date())} ({book.khoa_boi})"


def _abbreviated(ten_loai: str, nam: int) -> None:
    """Refuse a year before the tables give `ten_loai` the abbreviation its ký hiệu needs (the form's own rule)."""
    if errors := facts.check_numbered(ten_loai)({"nam": nam, "ngay": None}):
        raise ValidationError(errors)


def _line(session: Session, co_quan: str, nam: int, number: int, ten_loai: str, **details: object) -> SoDi:
    abbreviation = facts.abbreviation(ten_loai, dt.date(nam, 1, 1))
    line = SoDi(co_quan=co_quan, nam=nam, so=number, ky_hieu=f"{so_thu_tu(number)}/{abbreviation}-{co_quan}",
                **details)
    session.add(line)
    session.flush()
    return line


def take(session: Session, co_quan: str, nam: int, ten_loai: str, *, kind: str, who: str, trich_yeu: str = "",
         van_ban_id: int | None = None, role: str = "", override: bool = False, reason: str = "") -> SoDi:
    """Give the next number of `co_quan` in `nam`; numbering starts again at 01 each 1 January.

    One INSERT … ON CONFLICT DO UPDATE … WHERE the year is open … RETURNING takes the number, so the
    database serialises it: concurrent clerks, threads or processes never receive the same one, and
    none receives a number once the year is closed. An admin may `override` a closed year with a
    `reason`, which is written to the audit log.
    """
    co_quan = upper(co_quan.strip())
    if not co_quan:
        raise _refuse("co_quan", "Vui lòng nhập «Cơ quan» (ký hiệu của cơ quan ban hành, ví dụ KTĐ1).")
    if override and role != ADMIN:
        raise _refuse("cap_khi_khoa", "Chỉ quản trị được cấp số khi sổ đã khóa.")
    if override and not reason.strip():
        raise _refuse("ly_do", "Vui lòng nhập «Lý do» cấp số khi sổ đã khóa.")
    _abbreviated(ten_loai, nam)
    statement = _counter(session, co_quan, nam, 1, BoDem.so_cuoi + 1, None if override else BoDem.khoa_luc.is_(None))
    given = session.execute(statement.returning(BoDem.so_cuoi, BoDem.khoa_luc)).one_or_none()
    if given is None:
        book = session.get(BoDem, (co_quan, nam), populate_existing=True)
        assert book is not None
        advice = ("Đánh dấu «Cấp số khi sổ đã khóa» và ghi lý do để vẫn cấp." if role == ADMIN
                  else "Đề nghị quản trị mở lại sổ hoặc cấp số.")
        raise _refuse("nam", f"{_closed_since(book)}; không cấp số mới. {advice}")
    number, closed = given
    line = _line(session, co_quan, nam, number, ten_loai, kind=kind, trich_yeu=clean(trich_yeu)[:300],
                 van_ban_id=van_ban_id, nguoi_lay=who)
    if closed is not None:
        audit.log(session, who, "cap_so_khi_khoa", kind=kind, van_ban_id=van_ban_id,
                  chi_tiet=f"{line.ky_hieu} (sổ đã khóa): {reason.strip()}")
    return line


def record(session: Session, co_quan: str, nam: int, so: int, ten_loai: str, *, kind: str, who: str,
           trich_yeu: str = "", van_ban_id: int | None = None) -> SoDi:
    """Enter a number given by hand (typed in a form, or given outside doctpl); refuse one given or cancelled.

    The counter moves past it so it is never given again, and stays locked until commit, so two clerks
    typing the same number are served one after the other. The number `van_ban_id` already has is
    returned as it is; a line taken for the same kind with no document yet is given to `van_ban_id`.
    """
    co_quan = upper(co_quan)
    _abbreviated(ten_loai, nam)
    highest = (func.max if session.get_bind().dialect.name == "sqlite" else func.greatest)(BoDem.so_cuoi, so)
    session.execute(_counter(session, co_quan, nam, so, highest))
    line = session.scalar(select(SoDi).where(SoDi.co_quan == co_quan, SoDi.nam == nam, SoDi.so == so))
    if line is None:
        return _line(session, co_quan, nam, so, ten_loai, kind=kind, trich_yeu=trich_yeu[:300],
                     van_ban_id=van_ban_id, nguoi_lay=who)
    given = f"Số {so_thu_tu(so)} năm {nam} của {co_quan}"
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


def set_first(session: Session, co_quan: str, nam: int, start: int, *, who: str) -> BoDem:
    """Make `start` the next number of the year (the numbers below it were given outside doctpl)."""
    co_quan, label = upper(co_quan.strip()), f"Số bắt đầu năm {nam}"
    if not co_quan:
        raise _refuse("co_quan", "Vui lòng nhập «Cơ quan» (ký hiệu của cơ quan ban hành, ví dụ KTĐ1).")
    if start < 1:
        raise _refuse("so_bat_dau", f"«{label}» phải từ 1 trở lên.")
    book = _lock(session, co_quan, nam)
    if book.khoa_luc is not None:
        raise _refuse("so_bat_dau", f"{_closed_since(book)}; mở lại sổ trước khi đặt «{label}».")
    # Given: every line (cancelled ones too) and the counter itself unless it only skips the numbers set aside.
    lines = session.scalar(select(func.max(SoDi.so)).where(SoDi.co_quan == co_quan, SoDi.nam == nam)) or 0
    highest = max(lines, book.so_cuoi if book.so_cuoi >= book.so_bat_dau else 0)
    if highest and start <= highest:
        raise _refuse("so_bat_dau", f"«{label}» của {co_quan} phải lớn hơn {so_thu_tu(highest)}: "
                                    f"số {so_thu_tu(highest)} đã được cấp.")
    book.so_bat_dau, book.so_cuoi = start, start - 1
    audit.log(session, who, "so_bat_dau", chi_tiet=f"{co_quan} năm {nam}: số bắt đầu {so_thu_tu(start)}")
    return book


def close(session: Session, co_quan: str, nam: int, *, who: str) -> BoDem:
    """Close the year (khóa sổ): no number is given in it any more unless an admin overrides."""
    co_quan = upper(co_quan.strip())
    book = _lock(session, co_quan, nam)
    if book.khoa_luc is not None:
        raise _refuse("khoa", f"{_closed_since(book)}.")
    book.khoa_luc, book.khoa_boi = dt.datetime.now(), who
    audit.log(session, who, "khoa_so", chi_tiet=f"{co_quan} năm {nam}, số cuối {so_thu_tu(book.so_cuoi)}")
    return book


def reopen(session: Session, co_quan: str, nam: int, *, who: str, role: str) -> BoDem:
    """Reopen a closed year (admins only)."""
    co_quan = upper(co_quan.strip())
    if role != ADMIN:
        raise _refuse("khoa", "Chỉ quản trị được mở lại sổ đã khóa.")
    book = _lock(session, co_quan, nam)
    if book.khoa_luc is None:
        raise _refuse("khoa", f"{_book_name(co_quan, nam)} chưa khóa.")
    book.khoa_luc, book.khoa_boi = None, ""
    audit.log(session, who, "mo_so", chi_tiet=f"{co_quan} năm {nam}")
    return book


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
    """Return the register lines, by issuing body, year and number.

    A line of a saved document whose KNOWN columns are all blank (numbered when the form was saved)
    takes them from the document's current version (see `get`).
    """
    query = select(SoDi).order_by(SoDi.co_quan, SoDi.nam, SoDi.so)
    if co_quan:
        query = query.where(SoDi.co_quan == upper(co_quan))
    if nam:
        query = query.where(SoDi.nam == nam)
    return [_known_filled(session, line) for line in session.scalars(query)]


def books(session: Session, nam: int, co_quan: str | None = None) -> list[BoDem]:
    """Return the counters of a year (first number, last number given, closed or not), by issuing body."""
    query = select(BoDem).where(BoDem.nam == nam).order_by(BoDem.co_quan)
    if co_quan:
        query = query.where(BoDem.co_quan == upper(co_quan))
    return list(session.scalars(query))


def issuers(session: Session) -> list[str]:
    """Return every issuing body that has a register, any year."""
    return list(session.scalars(select(BoDem.co_quan).distinct().order_by(BoDem.co_quan)))


def _issuer(data: dict[str, Any]) -> str:
    return upper(data["co_quan"]["ky_hieu"].strip())


def candidates(session: Session, line: SoDi) -> list[VanBan]:
    """Return the saved documents a hand-taken number may be attached to: same kind, body and year, no Số yet."""
    found = []
    for document in records.find(session, nam=line.nam, kind=line.kind):
        data = records.data(session, document.id)
        if _issuer(data) == line.co_quan and not data.get("so"):
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


def _sheet(sheet: Any, co_quan: str, nam: int, lines: list[SoDi]) -> None:
    """Fill one sheet: the ten headed and numbered columns, one row per number, ready to print and bind."""
    sheet.title = _SHEET_NAME.sub("-", f"{co_quan} {nam}")[:31]
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
    sheet.oddHeader.center.text = (f"SỔ ĐĂNG KÝ VĂN BẢN ĐI – {co_quan} – NĂM {nam}\n"
                                   f"Từ số {so_thu_tu(lines[0].so)} đến số {so_thu_tu(lines[-1].so)}")


def to_xlsx(lines: list[SoDi]) -> bytes:
    """Return the register as an .xlsx workbook: one sheet per issuing body and year, the columns of Phụ lục IV."""
    book = Workbook()
    groups = itertools.groupby(lines, key=lambda line: (line.co_quan, line.nam))
    for index, ((co_quan, nam), group) in enumerate(groups):
        _sheet(book.active if index == 0 else book.create_sheet(), co_quan, nam, list(group))
    if not lines:
        book.active.append(list(COLUMNS))
        book.active.title = "Sổ văn bản đi"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
