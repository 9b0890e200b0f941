"""Admin pages: the dated registry (khối, bodies, changes from a date, yearly roles), its file, the audit log,
and the roll-over of a khối's whole set with a confirmation page first."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for

from doctpl.errors import BadInput, FieldError, ValidationError
from doctpl.kind import kinds
from doctpl.store import audit, carry, records, registry, registry_edit, registry_file
from doctpl.vn.dates import parse_date
from web.context import db, form_page, int_arg, who
from web.pages import posted_data

bp = Blueprint("admin", __name__)
OPERATIONS = {"doi_ten": "Đổi tên, người đứng đầu", "giai_the": "Giải thể", "hop_nhat": "Hợp nhất",
              "chuyen_khoi": "Chuyển sang khối khác"}


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return form_page(template, khoi_form=registry_edit.KHOI_FORM, don_vi_form=registry_edit.DON_VI_FORM,
                     **context), status


def _date(name: str = "tu_ngay", label: str = "Từ ngày") -> dt.date:
    """Return a posted date or raise a field error naming it."""
    value = request.form.get(name, "").strip()
    try:
        return parse_date(value)
    except ValueError:
        raise ValidationError([FieldError(name, f"Vui lòng nhập «{label}» (ngày/tháng/năm).")]) from None


def _on() -> dt.date:
    """Return the date the page shows the registry for (?ngay=, else today)."""
    try:
        return parse_date(request.args["ngay"]) if request.args.get("ngay") else dt.date.today()
    except ValueError:
        return dt.date.today()


@bp.route("/quan-tri/", methods=["GET", "POST"])
def khoi_index() -> Response | tuple[str, int]:
    """List the khối as of a date, those in being first; POST creates one."""
    with db() as session:
        on = _on()
        listing = {"khoi_list": registry.khoi_list(session, on), "on": on,
                   "counts": {k.id: len(registry.members(session, k.id, on)) for k in registry.khoi_list(session, on)}}
        if request.method == "POST":
            try:
                khoi = registry_edit.create_khoi(session, posted_data())
            except ValidationError as error:
                return _page("admin_index.html", 422, raw=posted_data(), errors=error.errors(), **listing)
            return redirect(url_for("admin.khoi", khoi_id=khoi.id), 303)
        return _page("admin_index.html", raw={}, **listing)


def _khoi_page(session: Any, khoi_id: int, status: int = 200, **extra: Any) -> tuple[str, int]:
    row = registry.get_khoi(session, khoi_id)
    nam = int_arg("nam") or records.current_year()
    on = dt.date(nam, 1, 1)
    years = sorted({nam, nam + 1, *records.years(session), *registry.role_years(session, khoi_id)})
    successor = registry.khoi_on(session, row.ke_tiep_id, on) if row.ke_tiep_id else None
    members_by_year = {y: registry.members(session, khoi_id, dt.date(y, 12, 31)) for y in years}
    history = [(link, registry.body_on(session, link.don_vi_id, link.den_ngay or on))
               for link in registry.memberships(session, khoi_id)]
    return _page("admin_khoi.html", status, khoi=registry.khoi_on(session, khoi_id, on), row=row, nam=nam, on=on,
                 years=years, roles={y: registry.roles(session, khoi_id, y) for y in years},
                 members=registry.members(session, khoi_id, on), members_by_year=members_by_year, history=history,
                 facts=registry.facts_of(session, row), successor=successor, kinds=kinds(),
                 khoi_list=registry.khoi_list(session, on),
                 documents=carry.khoi_set(session, khoi_id, nam), **extra)


@bp.route("/quan-tri/khoi/<int:khoi_id>", methods=["GET", "POST"])
def khoi(khoi_id: int) -> Response | tuple[str, int]:
    """Show a khối as of a year; POST changes it, adds a body, sets a year's roles, ends it or starts its successor."""
    if request.method == "GET":
        with db() as session:
            return _khoi_page(session, khoi_id, raw={}, unit_raw={})
    part = request.form.get("_muc")
    try:
        with db() as session:  # a refused change rolls back whole
            target = registry.get_khoi(session, khoi_id)
            destination = _change_khoi(session, target, part)
    except ValidationError as error:
        raw, unit_raw = (posted_data(), {}) if part in ("khoi", "ke_tiep") else ({}, posted_data())
        with db() as session:
            return _khoi_page(session, khoi_id, 422, raw=raw, unit_raw=unit_raw, errors=error.errors(), muc=part)
    return redirect(destination, 303)


def _change_khoi(session: Any, target: Any, part: str | None) -> str:
    """Apply one change to a khối; return the page to show next."""
    if part == "khoi":
        registry_edit.update_khoi(session, target, posted_data())
    elif part == "don_vi":
        registry_edit.create_body(session, posted_data(), khoi=target)
    elif part == "vai_tro":
        year = int(request.form["_nam"])
        registry_edit.set_roles(session, target, year, int(request.form.get("truong_khoi") or 0) or None,
                                [int(v) for v in request.form.getlist("pho_khoi") if v.isdigit()])
    elif part == "giai_the":
        registry_edit.end(session, target, _date())
    elif part == "ke_tiep":
        carried = [registry.get_don_vi(session, int(v)) for v in request.form.getlist("_mang_theo")]
        new = registry_edit.succeed(session, target, posted_data(), _date(), carried)
        audit.log(session, who(), "danh_muc", chi_tiet=f"khối {new.ma} kế tiếp khối {target.ma}")
        return url_for("admin.khoi", khoi_id=new.id)
    else:
        raise BadInput("Thao tác không xác định.")
    audit.log(session, who(), "danh_muc", chi_tiet=f"khối {target.ma}: {part}")
    return url_for("admin.khoi", khoi_id=target.id, nam=request.form.get("_nam") or None)


def _body_page(session: Any, don_vi_id: int, status: int = 200, **extra: Any) -> tuple[str, int]:
    row = registry.get_don_vi(session, don_vi_id)
    on = _on()
    unit = registry.view(session, row, on)
    khoi_id = registry.khoi_of(session, don_vi_id, on)
    siblings = registry.members(session, khoi_id, on) if khoi_id else []
    raw = extra.pop("raw", None) or {name: getattr(unit, name) for name in registry.BODY_FACTS}
    successor = registry.body_on(session, row.ke_tiep_id, on) if row.ke_tiep_id else None
    links = registry.memberships_of(session, don_vi_id)
    khoi_names = {k.id: k.ten for k in registry.khoi_list(session, on)}
    return _page("admin_don_vi.html", status, unit=unit, row=row, raw=raw, on=on, khoi_id=khoi_id,
                 siblings=[u for u in siblings if u.id != don_vi_id], successor=successor, links=links,
                 khoi_names=khoi_names, facts=registry.facts_of(session, row), operations=OPERATIONS,
                 khoi_list=[k for k in registry.khoi_list(session, on) if k.exists(on)], **extra)


@bp.route("/quan-tri/don-vi/<int:don_vi_id>", methods=["GET", "POST"])
def don_vi(don_vi_id: int) -> Response | tuple[str, int]:
    """Show a body with its history; POST renames it, ends it, merges it with others or moves it, from a date."""
    if request.method == "GET":
        with db() as session:
            return _body_page(session, don_vi_id)
    part = request.form.get("_muc", "doi_ten")
    try:
        with db() as session:
            destination = _change_body(session, registry.get_don_vi(session, don_vi_id), part)
    except ValidationError as error:
        with db() as session:
            return _body_page(session, don_vi_id, 422, raw=posted_data() if part in ("doi_ten", "hop_nhat") else None,
                              errors=error.errors(), muc=part)
    return redirect(destination, 303)


def _change_body(session: Any, unit: Any, part: str) -> str:
    """Apply one change to a body; return the page to show next."""
    if part == "doi_ten":
        registry_edit.update_body(session, unit, posted_data())
    elif part == "giai_the":
        registry_edit.end(session, unit, _date())
    elif part == "hop_nhat":
        others = [registry.get_don_vi(session, int(v)) for v in request.form.getlist("_cung_don_vi")]
        new = registry_edit.merge(session, [unit, *others], posted_data(), _date())
        audit.log(session, who(), "danh_muc", chi_tiet=f"hợp nhất {unit.ma} và {len(others)} đơn vị vào {new.ma}")
        return url_for("admin.don_vi", don_vi_id=new.id)
    elif part == "chuyen_khoi":
        registry_edit.move(session, unit, registry.get_khoi(session, int(request.form.get("khoi_moi") or 0)), _date())
    else:
        raise BadInput("Thao tác không xác định.")
    audit.log(session, who(), "danh_muc", chi_tiet=f"đơn vị {unit.ma}: {OPERATIONS.get(part, part)}")
    return url_for("admin.don_vi", don_vi_id=unit.id)


@bp.get("/quan-tri/danh-muc.json")
def registry_export() -> Response:
    """Download the whole registry as a JSON file (python -m doctpl registry import reads it back)."""
    with db() as session:
        document = registry_file.export(session)
    return Response(json.dumps(document, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="danh-muc.json"'})


@bp.post("/quan-tri/danh-muc")
def registry_import() -> Response | tuple[str, int]:
    """Import a registry file uploaded as «tep»; errors name each field, nothing is written then."""
    upload = request.files.get("tep")
    try:
        if upload is None or not upload.filename:
            raise BadInput("Chọn tệp danh mục (.json) để nhập.")
        try:
            document = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadInput(f"«{upload.filename}» không phải tệp JSON UTF-8 hợp lệ.") from exc
        with db() as session:
            counts = registry_file.import_file(session, document)
            audit.log(session, who(), "danh_muc", chi_tiet=f"nhập tệp {upload.filename}")
    except (ValidationError, BadInput) as error:
        problems = [FieldError("", f"{registry_file.where(e.field)}: {e.message}" if e.field else e.message)
                    for e in error.errors()]
        with db() as session:
            on = dt.date.today()
            return _page("admin_index.html", error.status, raw={}, errors=problems, on=on, counts={},
                         khoi_list=registry.khoi_list(session, on))
    return redirect(url_for("admin.khoi_index", nhap=f"{counts['khoi']}-{counts['don_vi']}"), 303)


@bp.route("/quan-tri/khoi/<int:khoi_id>/nam-sau", methods=["GET", "POST"])
def khoi_rollover(khoi_id: int) -> Response | str:
    """GET: what rolling the khối's set of ?tu= into ?den= creates and what needs review; POST: do it."""
    values = request.values
    from_year = int(values.get("tu") or 0) or records.current_year()
    to_year = int(values.get("den") or 0) or from_year + 1
    with db() as session:
        khoi = registry.khoi_on(session, khoi_id, dt.date(from_year, 12, 31))
        if request.method == "GET":
            steps = carry.plan_set(session, khoi_id, from_year, to_year)
            return render_template("rollover_set.html", khoi=khoi, steps=steps, from_year=from_year, to_year=to_year,
                                   kind_of={k.id: k for k in kinds()})
        steps = carry.apply_set(session, khoi_id, from_year, to_year, who=who())
        created = [s for s in steps if s.created]
        return render_template("rollover_set.html", khoi=khoi, steps=steps, from_year=from_year, to_year=to_year,
                               kind_of={k.id: k for k in kinds()}, done=True, created=created)


@bp.get("/nhat-ky")
def audit_log() -> str:
    """Show the audit log, newest first."""
    with db() as session:
        return render_template("audit.html", entries=audit.entries(session))
