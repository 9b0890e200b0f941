"""The sổ văn bản đi: numbers per issuing body and calendar year, never given twice (NĐ 30 Điều 15)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from doctpl import facts
from doctpl.store.models import BoDem, SoDi
from doctpl.vn.numbering import so_thu_tu
from doctpl.vn.text import upper


def _counter(session: Session, co_quan: str, nam: int, start: int, then: object):  # type: ignore[no-untyped-def]
    """Return INSERT … ON CONFLICT DO UPDATE on the counter, in the session's SQL dialect."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(BoDem).values(co_quan=co_quan, nam=nam, so_cuoi=start)
    return statement.on_conflict_do_update(index_elements=["co_quan", "nam"], set_={"so_cuoi": then})


def _line(session: Session, co_quan: str, nam: int, number: int, ten_loai: str, **details: object) -> SoDi:
    abbreviation = facts.abbreviation(ten_loai, dt.date(nam, 1, 1))
    line = SoDi(co_quan=co_quan, nam=nam, so=number, ky_hieu=f"{so_thu_tu(number)}/{abbreviation}-{co_quan}",
                **details)
    session.add(line)
    session.flush()
    return line


def take(session: Session, co_quan: str, nam: int, ten_loai: str, *, kind: str, who: str, trich_yeu: str = "",
         van_ban_id: int | None = None) -> SoDi:
    """Give the next number of `co_quan` in `nam`; numbering starts again at 01 each 1 January.

    One INSERT … ON CONFLICT DO UPDATE … RETURNING takes the number, so the database serialises
    it: concurrent clerks, threads or processes never receive the same one.
    """
    co_quan = upper(co_quan)
    statement = _counter(session, co_quan, nam, 1, BoDem.so_cuoi + 1).returning(BoDem.so_cuoi)
    number = session.execute(statement).scalar_one()
    return _line(session, co_quan, nam, number, ten_loai, kind=kind, trich_yeu=trich_yeu[:300],
                 van_ban_id=van_ban_id, nguoi_lay=who)


def record(session: Session, co_quan: str, nam: int, so: int, ten_loai: str, *, kind: str, who: str,
           trich_yeu: str = "", van_ban_id: int | None = None) -> SoDi:
    """Enter a number given by hand; the counter moves past it so it is never given again."""
    co_quan = upper(co_quan)
    highest = (func.max if session.get_bind().dialect.name == "sqlite" else func.greatest)(BoDem.so_cuoi, so)
    session.execute(_counter(session, co_quan, nam, so, highest))
    return _line(session, co_quan, nam, so, ten_loai, kind=kind, trich_yeu=trich_yeu[:300],
                 van_ban_id=van_ban_id, nguoi_lay=who)


def register(session: Session, co_quan: str | None = None, nam: int | None = None) -> list[SoDi]:
    """Return the register lines, by issuing body, year and number."""
    query = select(SoDi).order_by(SoDi.co_quan, SoDi.nam, SoDi.so)
    if co_quan:
        query = query.where(SoDi.co_quan == upper(co_quan))
    if nam:
        query = query.where(SoDi.nam == nam)
    return list(session.scalars(query))


def to_xlsx(lines: list[SoDi]) -> bytes:
    """Return the register as an .xlsx workbook."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ văn bản đi"
    sheet.append(["Cơ quan", "Năm", "Số", "Số, ký hiệu", "Loại", "Trích yếu", "Người lấy số", "Thời điểm"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append([line.co_quan, line.nam, line.so, line.ky_hieu, line.kind, line.trich_yeu, line.nguoi_lay,
                      line.lay_luc])
    for column, width in zip("ABCDEFGH", (12, 8, 8, 20, 18, 60, 20, 20), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
