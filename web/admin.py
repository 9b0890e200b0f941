"""Admin pages: khối and units, yearly roles, the number register, the audit log, roll-over of a set."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for

from doctpl.errors import ValidationError
from doctpl.kind import get_kind, kinds
from doctpl.store import audit, carry, numbering, records, registry
from web.context import db, form_page, int_arg, who
from web.pages import posted_data

bp = Blueprint("admin", __name__)


def _form_page(template: str, **context: Any) -> str:
    return form_page(template, khoi_form=registry.KHOI_FORM, don_vi_form=registry.DON_VI_FORM, **context)


@bp.route("/quan-tri/", methods=["GET", "POST"])
def khoi_index() -> Response | tuple[str, int] | str:
    """List the khối; POST creates one."""
    with db() as session:
        if request.method == "POST":
            try:
                khoi = registry.save_khoi(session, posted_data())
            except ValidationError as error:
                return _form_page("admin_index.html", khoi_list=registry.khoi_list(session), raw=posted_data(),
                                  errors=error.errors()), 422
            return redirect(url_for("admin.khoi", khoi_id=khoi.id), 303)
        return _form_page("admin_index.html", khoi_list=registry.khoi_list(session), raw={})


def _khoi_page(session: Any, khoi_id: int, status: int = 200, **extra: Any) -> tuple[str, int]:
    khoi = registry.get_khoi(session, khoi_id)
    nam = int_arg("nam") or records.current_year()
    years = sorted({nam, nam + 1, *records.years(session)})
    return _form_page("admin_khoi.html", khoi=khoi, nam=nam, years=years,
                      roles={y: registry.roles(session, khoi.id, y) for y in years}, kinds=kinds(),
                      documents=carry.khoi_set(session, khoi.id, nam), **extra), status


@bp.route("/quan-tri/khoi/<int:khoi_id>", methods=["GET", "POST"])
def khoi(khoi_id: int) -> Response | tuple[str, int]:
    """Show a khối; POST updates it, adds a unit or sets a year's roles (by the form's «_muc»)."""
    with db() as session:
        if request.method == "GET":
            return _khoi_page(session, khoi_id, raw={}, unit_raw={})
        target = registry.get_khoi(session, khoi_id)
        part = request.form.get("_muc")
        try:
            if part == "khoi":
                registry.save_khoi(session, posted_data(), target)
            elif part == "don_vi":
                registry.save_don_vi(session, target, posted_data())
            elif part == "vai_tro":
                year = int(request.form["_nam"])
                registry.set_roles(session, khoi_id, year, {role: int(request.form[role] or 0) or None
                                                            for role in registry.ROLES})
        except ValidationError as error:
            raw, unit_raw = (posted_data(), {}) if part == "khoi" else ({}, posted_data())
            return _khoi_page(session, khoi_id, 422, raw=raw, unit_raw=unit_raw, errors=error.errors())
    return redirect(url_for("admin.khoi", khoi_id=khoi_id), 303)


@bp.route("/quan-tri/don-vi/<int:don_vi_id>", methods=["GET", "POST"])
def don_vi(don_vi_id: int) -> Response | tuple[str, int]:
    """Edit a member unit."""
    with db() as session:
        unit = registry.get_don_vi(session, don_vi_id)
        if request.method == "POST":
            try:
                registry.save_don_vi(session, unit.khoi, posted_data(), unit)
            except ValidationError as error:
                return _form_page("admin_don_vi.html", unit=unit, raw=posted_data(), errors=error.errors()), 422
            return redirect(url_for("admin.khoi", khoi_id=unit.khoi_id), 303)
        raw = {f.name: getattr(unit, f.name) for f in registry.DON_VI_FORM.fields}
        return _form_page("admin_don_vi.html", unit=unit, raw=raw), 200


@bp.post("/quan-tri/khoi/<int:khoi_id>/nam-sau")
def khoi_rollover(khoi_id: int) -> Response:
    """Roll the khối's whole set of a year into the next (each stays reviewable and editable)."""
    from_year, to_year = int(request.form["tu"]), int(request.form["den"])
    with db() as session:
        for record in carry.khoi_set(session, khoi_id, from_year):
            carry.apply(session, record.id, to_year, who=who())
    return redirect(url_for("records.index", khoi=khoi_id, nam=to_year), 303)


@bp.route("/so-van-ban", methods=["GET", "POST"])
def register() -> Response | str:
    """Show the sổ văn bản đi (or ?xlsx=1 to export it); POST «Lấy số» takes the next number."""
    co_quan, nam = request.values.get("co_quan", ""), int_arg("nam") or records.current_year()
    given = None
    with db() as session:
        if request.method == "POST":
            kind = get_kind(request.form.get("loai", "ke_hoach"))
            given = numbering.take(session, co_quan, int(request.form.get("nam") or nam), kind.ten_loai,
                                   kind=kind.id, who=who(), trich_yeu=request.form.get("trich_yeu", ""))
            audit.log(session, who(), "lay_so", kind=kind.id, chi_tiet=given.ky_hieu)
        lines = numbering.register(session, co_quan or None, nam)
        if request.args.get("xlsx"):
            return Response(numbering.to_xlsx(lines), headers={
                "Content-Disposition": f'attachment; filename="So-van-ban-di-{nam}.xlsx"'},
                mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        issuers = sorted({k.ky_hieu for k in registry.khoi_list(session)} |
                         {u.ky_hieu for k in registry.khoi_list(session) for u in k.don_vi})
        return render_template("register.html", lines=lines, co_quan=co_quan, nam=nam, issuers=issuers,
                               kinds=kinds(), given=given)


@bp.get("/nhat-ky")
def audit_log() -> str:
    """Show the audit log, newest first."""
    with db() as session:
        return render_template("audit.html", entries=audit.entries(session))
