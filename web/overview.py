"""«Năm thi đua»: the checklist of a khối's year (page and .xlsx), and each unit's self-score sheet of the bảng điểm.

The states and deadlines are doctpl/store/overview.py; the self-score sheets doctpl/store/self_score.py.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from doctpl.errors import BadInput, DoctplError, NotFound
from doctpl.store import overview, records, registry, self_score
from doctpl.store import scope as scopes
from doctpl.vn.dates import short_date
from doctpl.vn.text import ascii_slug
from doctpl.xlsx import safe_cell
from web.context import db, scope, who

bp = Blueprint("overview", __name__)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILLS = {"ban_hanh": "C8E6C9", "da_lay_so": "DCEDC8", "da_cham": "DCEDC8", "da_soan": "FFF9C4", "nhap": "FFE0B2",
         "dang_cham": "FFE0B2", "qua_han": "F8BBD0", "sap_han": "FFECB3"}
MIN_YEAR, MAX_YEAR = 1945, 2200


def _year(nam: int) -> int:
    """Return a year the overview shows, or raise NotFound for one out of range."""
    if not MIN_YEAR <= nam <= MAX_YEAR:
        raise NotFound(f"Không có năm thi đua {nam}.")
    return nam


def xlsx_response(content: bytes, name: str) -> Response:
    """Return an .xlsx as an attachment, never cached."""
    return Response(content, mimetype=XLSX_MIME, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.get("/nam-thi-dua")
def mine() -> Response | str:
    """Open the account's khối this year (a unit's văn thư: its khối), or list the khối in reach to choose one."""
    today = dt.date.today()
    reach = scope()
    with db() as session:
        if reach.role == "thu_ky" and reach.khoi_id:
            return redirect(url_for("overview.page", khoi_id=reach.khoi_id, nam=today.year))
        if reach.role == "van_thu" and reach.don_vi_id:
            khoi_id = registry.khoi_of(session, reach.don_vi_id, today)
            if khoi_id is None:
                raise NotFound("Đơn vị của tài khoản không thuộc khối, cụm thi đua nào trong năm nay.")
            return redirect(url_for("overview.page", khoi_id=khoi_id, nam=today.year))
        khoi_list = [(k, _years(k, today.year)) for k in registry.khoi_list(session, today)
                     if scopes.allows_khoi(reach, k.id)]
        return render_template("overview_index.html", khoi_list=khoi_list)


def _years(khoi: registry.Body, nam: int) -> list[int]:
    """Return the years to offer for a khối: last year, this one and the next, or its last three when it ended."""
    last = min(nam + 1, khoi.den_ngay.year) if khoi.den_ngay else nam + 1
    first = khoi.tu_ngay.year if khoi.tu_ngay else MIN_YEAR
    return [year for year in range(last - 2, last + 1) if year >= first]


@bp.get("/khoi/<int:khoi_id>/nam/<int:nam>")
def page(khoi_id: int, nam: int) -> str:
    """Show the khối's year: every member unit against its documents, the khối's own, the deadlines."""
    with db() as session:
        only = overview.reach(session, scope(), khoi_id, _year(nam))
        year = overview.year(session, khoi_id, nam, today=dt.date.today(), only_unit=only)
        return render_template("overview.html", year=year, headings=overview.HEADINGS, alerts=overview.ALERTS,
                               states=overview.STATES, unit_columns=overview.UNIT_COLUMNS, whole=only is None)


@bp.get("/khoi/<int:khoi_id>/nam/<int:nam>.xlsx")
def export(khoi_id: int, nam: int) -> Response:
    """Download the khối's year as .xlsx: the same cells, states, dates and deadlines as the page."""
    with db() as session:
        only = overview.reach(session, scope(), khoi_id, _year(nam))
        year = overview.year(session, khoi_id, nam, today=dt.date.today(), only_unit=only)
    return xlsx_response(workbook(year), f"nam-thi-dua-{nam}-{ascii_slug(year.khoi.ten)}.xlsx")


def _text(cell: overview.Cell) -> str:
    """Return a cell as one line of the spreadsheet: each document's state, note and date, then its highlight."""
    parts = [" ".join(filter(None, (entry.label, entry.note, f"ngày {short_date(entry.on)}" if entry.on else "")))
             for entry in cell.entries] or [cell.label]
    if cell.alert:
        parts.append(f"{overview.ALERTS[cell.alert]} (hạn {short_date(cell.deadline.on)})")
    return "; ".join(parts)


def workbook(year: overview.Year) -> bytes:
    """Return the overview as an .xlsx: the units' table, the khối's documents, the deadlines."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"Năm {year.nam}"
    sheet.append([safe_cell(f"NĂM THI ĐUA {year.nam} – {year.khoi.ten.upper()}")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([safe_cell(f"Tình trạng đến ngày {short_date(year.today)}")])
    sheet.append([])
    _table(sheet, "Đơn vị", [overview.HEADINGS[c] for c in overview.UNIT_COLUMNS],
           [(row.unit.ten, row.cells) for row in year.rows])
    if year.khoi_row is not None:
        sheet.append([])
        _table(sheet, "Văn bản của Khối", [overview.HEADINGS[c.column] for c in year.khoi_row.cells],
               [(year.khoi.ten, year.khoi_row.cells)])
    sheet.append([])
    sheet.append(["Hạn", "Nội dung", "Nguồn", "Đã xác minh"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for deadline in year.deadlines:
        sheet.append([short_date(deadline.on), safe_cell(deadline.text), safe_cell(deadline.source),
                      "có" if deadline.verified else "chưa [U]"])
    sheet.column_dimensions["A"].width = 40
    for letter in "BCDEFGHI":
        sheet.column_dimensions[letter].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(sheet: Any, first: str, headings: list[str], rows: list[tuple[str, tuple[overview.Cell, ...]]]) -> None:
    """Append a heading row and one row per unit (or the khối), each cell filled by its state or highlight."""
    sheet.append([first, *headings])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for name, cells in rows:
        sheet.append([safe_cell(name), *(safe_cell(_text(cell)) for cell in cells)])
        for target, cell in zip(sheet[sheet.max_row][1:], cells, strict=True):
            colour = FILLS.get(cell.alert) or FILLS.get(cell.state)
            if colour:
                target.fill = PatternFill("solid", fgColor=colour)
            target.alignment = Alignment(wrap_text=True, vertical="top")


@bp.get("/van-ban/<int:record_id>/diem/<int:don_vi_id>.xlsx")
def score_template(record_id: int, don_vi_id: int) -> Response:
    """Download a unit's self-score sheet of the khối's bảng điểm, its scores so far filled in."""
    with db() as session:
        chosen = self_score.sheet(session, scope(), record_id, don_vi_id)
        content = self_score.template(session, chosen, who=who())
    return xlsx_response(content, chosen.filename)


@bp.post("/van-ban/<int:record_id>/diem/<int:don_vi_id>")
def score_upload(record_id: int, don_vi_id: int) -> tuple[str, int]:
    """Read a filled self-score sheet (field «tep») into a new version of the bảng điểm; errors by row and column."""
    upload = request.files.get("tep")
    with db() as session:
        chosen = self_score.sheet(session, scope(), record_id, don_vi_id)
        context = {"record": chosen.record, "ten": chosen.ten, "don_vi_id": don_vi_id}
    try:
        if upload is None or not upload.filename:
            raise BadInput("Vui lòng chọn tệp bảng tự chấm (.xlsx) đã điền.")
        with db() as session:
            chosen = self_score.sheet(session, scope(), record_id, don_vi_id)
            saved, warnings = self_score.upload(session, chosen, upload.read(), upload.filename, who=who())
            context |= {"saved": saved.phien_ban, "warnings": warnings}
    except records.VersionConflict as conflict:
        return render_template("overview_scores.html", errors=conflict.errors(), **context), 409
    except DoctplError as error:  # not an .xlsx it can read (400), over a limit (413), scores wrong (422)
        return render_template("overview_scores.html", errors=error.errors(), **context), error.status
    return render_template("overview_scores.html", errors=[], **context), 200


def score_units(session: Any, record_id: int) -> list[tuple[int, str, str]]:
    """Return the member units of a bảng điểm record in reach (the khối's own): id, name, self-score in words."""
    record = records.get(session, record_id)
    if record.kind != "bang_diem" or record.khoi_id is None or record.don_vi_id is not None:
        return []
    units = overview.members(session, record.khoi_id, record.nam)
    scored = overview.score_entries(session, record, {unit.id for unit in units})
    return [(unit.id, unit.ten, " – ".join(filter(None, (scored[unit.id].label, scored[unit.id].note))))
            for unit in units]
