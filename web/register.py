"""The sổ văn bản đi (/so-van-ban): take a number, a book's first number, khóa sổ, and each line's page.

A book is a year of a state body, or a type's year or nhiệm kỳ of a Party body (doctpl.store.numbering).

Each account keeps the registers of its scope (a văn thư its unit's, a khối's secretariat the khối's and
its members'); reopening a closed year, or giving a number in it, is for the quản trị
(doctpl.store.numbering checks the role and writes the audit log).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, g, redirect, request, url_for
from sqlalchemy.orm import Session

from doctpl import the_thuc
from doctpl.errors import FieldError, NotFound, ValidationError
from doctpl.fields import Date, Integer
from doctpl.kind import get_kind, kinds
from doctpl.store import audit, numbering, records, registry
from doctpl.store import scope as scopes
from doctpl.store.models import SoDi
from doctpl.the_thuc import DANG
from web.context import db, form_page, int_arg, scope, who

bp = Blueprint("register", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _role() -> str:
    return g.user["vai_tro"]


def _whole(name: str, label: str, minimum: int, maximum: int) -> int:
    """Return the posted whole number `name`, or raise its Vietnamese error."""
    errors: list[FieldError] = []
    value = Integer(name, label, minimum=minimum, maximum=maximum).convert(request.form.get(name), name, errors)
    if errors:
        raise ValidationError(errors)
    return value  # type: ignore[return-value]


def _day(name: str = "ngay", label: str = "Ngày văn bản") -> dt.date | None:
    """Return the posted date `name` (None when blank), or raise its Vietnamese error."""
    errors: list[FieldError] = []
    value = Date(name, label, required=False).convert(request.form.get(name), name, errors)
    if errors:
        raise ValidationError(errors)
    return value  # type: ignore[return-value]


def _posted_the_thuc() -> str | None:
    """Return the thể thức the «Lấy số» form forces, or None to take the registry's for the issuer."""
    value = request.form.get("the_thuc", "")
    return value if value in the_thuc.CHOICES else None


def _issuers(session: Session) -> list[str]:
    """Return the ký hiệu the «Cơ quan» boxes suggest: the registry's khối and bodies, and every register, in reach."""
    known = {body.ky_hieu for body in [*registry.khoi_list(session), *registry.bodies(session)]}
    reach = scopes.issuers(session, scope())
    return sorted(sign for sign in (known - {""}) | set(numbering.issuers(session)) if reach is None or sign in reach)


def _in_reach(session: Session, co_quan: str) -> None:
    """Raise NotFound for a register the account does not keep."""
    reach = scopes.issuers(session, scope())
    if co_quan and reach is not None and co_quan.strip().upper() not in reach:
        raise NotFound(f"Không có sổ văn bản đi của «{co_quan}».")


def _lines(session: Session, co_quan: str, nam: int) -> list[SoDi]:
    _in_reach(session, co_quan)
    reach = scopes.issuers(session, scope())
    lines = numbering.register(session, co_quan or None, nam)
    return [line for line in lines if reach is None or line.co_quan in reach]


def _page(session: Session, co_quan: str, nam: int, status: int = 200, **context: Any) -> tuple[str, int]:
    lines = _lines(session, co_quan, nam)
    context = {"raw": {}, "part": "", **context}
    return form_page("register.html", co_quan=co_quan, nam=nam, issuers=_issuers(session), kinds=kinds(),
                     rows=[(line, numbering.cells(line)) for line in lines], columns=numbering.COLUMNS,
                     books=[(b, numbering.of_book(b)) for b in numbering.books(session, nam, co_quan or None)
                            if (reach := scopes.issuers(session, scope())) is None or b.co_quan in reach],
                     admin=_role() == numbering.ADMIN, the_thuc_choices=the_thuc.CHOICES,
                     **context), status


def _act(session: Session, part: str, nam: int) -> SoDi | None:
    """Do what the posted form asks; return the line of a number given."""
    co_quan = request.form.get("co_quan", "")
    _in_reach(session, co_quan)
    if part == "so_bat_dau":
        start = _whole("so_bat_dau", f"Số bắt đầu năm {nam}", 1, 99999)
        numbering.set_first(session, co_quan, nam, start, who=who(), book=_first_book(session, co_quan, nam))
    elif part in ("khoa", "mo_khoa"):
        book = numbering.book(session, co_quan, nam, request.form.get("loai_so", ""), request.form.get("ky", ""))
        if part == "khoa":
            numbering.close(session, co_quan, nam, who=who(), book=book)
        else:
            numbering.reopen(session, co_quan, nam, who=who(), role=_role(), book=book)
    elif part == "lay_so":
        kind = get_kind(request.form.get("loai", "ke_hoach"))
        day = _day()
        given = numbering.take(session, co_quan, nam, kind.ten_loai, kind=kind.id, who=who(),
                               trich_yeu=request.form.get("trich_yeu", ""), role=_role(),
                               override=bool(request.form.get("cap_khi_khoa")), reason=request.form.get("ly_do", ""),
                               the_thuc=_posted_the_thuc(), on=day, ngay=day)
        audit.log(session, who(), "lay_so", kind=kind.id, chi_tiet=given.ky_hieu)
        return given
    else:
        abort(400)
    return None


def _first_book(session: Session, co_quan: str, nam: int) -> numbering.Series:
    """Return the series «Số bắt đầu» is set for: the issuer's year (NĐ 30), or a Party type's year or term."""
    loai, day = request.form.get("loai", ""), _day()
    forced = _posted_the_thuc()
    if not loai and (forced or numbering.issuer_the_thuc(session, co_quan, day or dt.date(nam, 1, 1))) == DANG:
        raise ValidationError([FieldError("loai", f"{co_quan.strip().upper()} đánh số theo thể thức của Đảng, riêng "
                                                  "từng loại văn bản: chọn «Loại» để đặt số bắt đầu.")])
    return numbering.series(session, co_quan, nam, get_kind(loai).ten_loai if loai else "", on=day, the_thuc=forced)


@bp.route("/so-van-ban", methods=["GET", "POST"])
def index() -> Response | tuple[str, int]:
    """Show the register of a year (?xlsx=1 exports it); POST «Lấy số», or by «_muc» the year's settings."""
    co_quan, nam = request.values.get("co_quan", "").strip(), int_arg("nam") or records.current_year()
    with db() as session:
        if request.method == "GET":
            if request.args.get("xlsx"):
                return Response(numbering.to_xlsx(_lines(session, co_quan, nam)), headers={
                    "Content-Disposition": f'attachment; filename="So-van-ban-di-{nam}.xlsx"'}, mimetype=XLSX)
            return _page(session, co_quan, nam)
        part = request.form.get("_muc", "lay_so")
        try:
            nam = _whole("nam", "Năm", 1945, 2200)
            given = _act(session, part, nam)
        except ValidationError as error:
            return _page(session, co_quan, nam, 422, raw=request.form, part=part, errors=error.errors())
        if given is not None:
            return _page(session, co_quan, nam, given=given)
    return redirect(url_for("register.index", co_quan=co_quan, nam=nam), 303)


def _line_page(session: Session, line: SoDi, status: int = 200, **context: Any) -> tuple[str, int]:
    open_line = line.huy_luc is None and not line.van_ban_id
    context = {"raw": numbering.values(line), "posted": {}, "part": "", **context}
    return form_page("register_line.html", line=line, cells=numbering.cells(line), columns=numbering.COLUMNS,
                     type_name=numbering.type_name(line), form=numbering.LINE_FORM,
                     book_name=numbering.of_book(line).name,
                     candidates=numbering.candidates(session, line) if open_line else [], **context), status


@bp.route("/so-van-ban/<int:line_id>", methods=["GET", "POST"])
def line(line_id: int) -> Response | tuple[str, int]:
    """Show one line; POST by «_muc» edits its columns, cancels its number or attaches it to a saved document."""
    with db() as session:
        item = numbering.get(session, line_id)
        _in_reach(session, item.co_quan)
        if request.method == "GET":
            return _line_page(session, item)
        part = request.form.get("_muc", "")
        edited = {f.name: request.form.get(f.name, "") for f in numbering.LINE_FORM.fields}
        try:
            if part == "sua":
                numbering.update(session, line_id, edited, who=who())
            elif part == "huy":
                numbering.cancel(session, line_id, who=who(), reason=request.form.get("ly_do_huy", ""))
            elif part == "gan":
                record = scopes.record(session, scope(), _whole("van_ban_id", "Văn bản", 1, 10**9))
                numbering.attach(session, line_id, record.id, who=who())
            else:
                abort(400)
        except ValidationError as error:
            extra = {"raw": edited} if part == "sua" else {}
            return _line_page(session, item, 422, posted=request.form, part=part, errors=error.errors(), **extra)
        target = url_for("register.index", co_quan=item.co_quan, nam=item.nam, _anchor=f"so-{item.id}")
    return redirect(target, 303)
