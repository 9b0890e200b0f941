"""Admin pages: the dated registry (khối, bodies, changes from a date, yearly roles), its file, the audit log,
and the roll-over of a khối's whole set with a confirmation page first."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Blueprint, Response, g, redirect, render_template, request, url_for

from doctpl import jobs, the_thuc
from doctpl.errors import BadInput, FieldError, ValidationError
from doctpl.kind import kinds
from doctpl.store import audit, carry, records, registry, registry_edit, registry_file
from doctpl.store import scope as scopes
from doctpl.vn.dates import parse_date
from web import batches
from web.context import db, form_page, int_arg, page_url, scope, who, whole
from web.pages import posted_data

bp = Blueprint("admin", __name__)
OPERATIONS = {"doi_ten": "Đổi tên, người đứng đầu", "giai_the": "Giải thể", "hop_nhat": "Hợp nhất",
              "chuyen_khoi": "Chuyển sang khối khác"}
TERM_OPERATIONS = {"nhiem_ky": "ghi nhiệm kỳ", "xoa_nhiem_ky": "xóa nhiệm kỳ"}


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("term_raw", {})
    return form_page(template, khoi_form=registry_edit.KHOI_FORM, don_vi_form=registry_edit.DON_VI_FORM,
                     term_form=registry_edit.TERM_FORM, fact_labels=registry.FACT_LABELS,
                     the_thuc_labels=the_thuc.LABELS, **context), status


def _change_term(session: Any, owner: Any, part: str) -> str:
    """Record or remove a nhiệm kỳ of a khối or a body; return what the audit log says."""
    if part == "nhiem_ky":
        fact = registry_edit.set_term(session, owner, posted_data())
        return f"nhiệm kỳ {fact.gia_tri} từ {fact.tu_ngay:%d/%m/%Y}"
    label = request.form.get("nhiem_ky", "")
    registry_edit.remove_term(session, owner, label)
    return f"xóa nhiệm kỳ {label}"


def _terms(session: Any, owner: Any, on: dt.date) -> dict[str, Any]:
    """Return the terms recorded on `owner` and the one its Party documents dated `on` are numbered within."""
    return {"terms": registry.terms_of(session, owner), "term": registry.term(session, owner, on)}


def _date(name: str = "tu_ngay", label: str = "Từ ngày") -> dt.date:
    """Return a posted date or raise a field error naming it."""
    value = request.form.get(name, "").strip()
    try:
        return parse_date(value)
    except ValueError:
        raise ValidationError([FieldError(name, f"Vui lòng nhập «{label}» (ngày/tháng/năm).")]) from None


def _id(value: str | None, field: str = "", label: str = "") -> int | None:
    """Return a posted id or year, None when blank; anything else is a field error, never a 500."""
    value = (value or "").strip()
    if not value:
        return None
    if (number := whole(value)) is None:
        raise ValidationError([FieldError(field, f"«{label or field}» không hợp lệ: «{value[:20]}».")])
    return number


def _ids(name: str, label: str) -> list[int]:
    return [number for value in request.form.getlist(name) if (number := _id(value, name, label))]


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


def _year_of(row: Any) -> int:
    """Return the year a khối's page opens on: this year, or the nearest year of the khối's life."""
    year = records.current_year()
    if row.tu_ngay and year < row.tu_ngay.year:
        return row.tu_ngay.year
    return min(year, row.den_ngay.year) if row.den_ngay else year


def _khoi_page(session: Any, khoi_id: int, status: int = 200, **extra: Any) -> tuple[str, int]:
    row = registry.get_khoi(session, khoi_id)
    nam = int_arg("nam") or _year_of(row)
    on = dt.date(nam, 1, 1)
    years = sorted({nam, nam + 1, _year_of(row), *records.years(session), *registry.role_years(session, khoi_id)})
    successor = registry.khoi_on(session, row.ke_tiep_id, on) if row.ke_tiep_id else None
    members_by_year = {y: registry.members(session, khoi_id, dt.date(y, 12, 31)) for y in years}
    history = [(link, registry.body_on(session, link.don_vi_id, link.den_ngay or on))
               for link in registry.memberships(session, khoi_id)]
    extra.setdefault("muc", "")
    return _page("admin_khoi.html", status, khoi=registry.khoi_on(session, khoi_id, on), row=row, nam=nam, on=on,
                 years=years, year_roles={y: registry.roles(session, khoi_id, y) for y in years},
                 members=registry.members(session, khoi_id, on), members_by_year=members_by_year, history=history,
                 facts=registry.facts_of(session, row), successor=successor, kinds=kinds(),
                 khoi_list=registry.khoi_list(session, on), **_terms(session, row, on),
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
        term_raw = posted_data() if part == "nhiem_ky" else {}
        with db() as session:
            return _khoi_page(session, khoi_id, 422, raw=raw, unit_raw=unit_raw, term_raw=term_raw,
                              errors=error.errors(), muc=part)
    return redirect(destination, 303)


def _change_khoi(session: Any, target: Any, part: str | None) -> str:
    """Apply one change to a khối; return the page to show next."""
    if part == "khoi":
        registry_edit.update_khoi(session, target, posted_data())
    elif part == "don_vi":
        registry_edit.create_body(session, posted_data(), khoi=target)
    elif part == "vai_tro":
        year = _id(request.form.get("_nam"), "_nam", "Năm")
        if year is None or not 1945 <= year <= 2200:
            raise ValidationError([FieldError("_nam", "«Năm» phải từ 1945 đến 2200.")])
        registry_edit.set_roles(session, target, year, _id(request.form.get("truong_khoi"), "truong_khoi",
                                                           "Trưởng khối"), _ids("pho_khoi", "Phó khối"))
    elif part == "giai_the":
        registry_edit.end(session, target, _date())
    elif part == "ke_tiep":
        carried = [registry.get_don_vi(session, unit_id) for unit_id in _ids("_mang_theo", "Đơn vị chuyển sang")]
        new = registry_edit.succeed(session, target, posted_data(), _date(), carried)
        audit.log(session, who(), "danh_muc", chi_tiet=f"khối {new.ma} kế tiếp khối {target.ma}")
        return url_for("admin.khoi", khoi_id=new.id)
    elif part in TERM_OPERATIONS:
        audit.log(session, who(), "danh_muc", chi_tiet=f"khối {target.ma}: {_change_term(session, target, part)}")
        return url_for("admin.khoi", khoi_id=target.id, nam=request.form.get("_nam") or None)
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
    the_thuc_now = registry.the_thuc_of(session, row, on)  # its own, else its khối's
    raw = extra.pop("raw", None) or {**{name: getattr(unit, name) for name in registry.BODY_FACTS},
                                     "the_thuc": the_thuc_now or the_thuc.NHA_NUOC}
    successor = registry.body_on(session, row.ke_tiep_id, on) if row.ke_tiep_id else None
    links = registry.memberships_of(session, don_vi_id)
    khoi_names = {k.id: k.ten for k in registry.khoi_list(session, on)}
    extra.setdefault("muc", "")
    predecessors = [registry.view(session, u, on) for u in registry.predecessors(session, row)]
    return _page("admin_don_vi.html", status, unit=unit, row=row, raw=raw, on=on, khoi_id=khoi_id,
                 predecessors=predecessors,
                 siblings=[u for u in siblings if u.id != don_vi_id], successor=successor, links=links,
                 khoi_names=khoi_names, facts=registry.facts_of(session, row), operations=OPERATIONS,
                 the_thuc_now=the_thuc_now, **_terms(session, row, on),
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
                              term_raw=posted_data() if part == "nhiem_ky" else {}, errors=error.errors(), muc=part)
    return redirect(destination, 303)


def _change_body(session: Any, unit: Any, part: str) -> str:
    """Apply one change to a body; return the page to show next."""
    if part == "doi_ten":
        registry_edit.update_body(session, unit, posted_data())
    elif part == "giai_the":
        registry_edit.end(session, unit, _date())
    elif part == "hop_nhat":
        others = [registry.get_don_vi(session, unit_id) for unit_id in _ids("_cung_don_vi", "Hợp nhất cùng")]
        new = registry_edit.merge(session, [unit, *others], posted_data(), _date())
        audit.log(session, who(), "danh_muc", chi_tiet=f"hợp nhất {unit.ma} và {len(others)} đơn vị vào {new.ma}")
        return url_for("admin.don_vi", don_vi_id=new.id)
    elif part == "chuyen_khoi":
        registry_edit.move(session, unit, registry.get_khoi(session, _id(request.form.get("khoi_moi"), "khoi_moi",
                                                                         "Khối mới") or 0), _date())
    elif part in TERM_OPERATIONS:
        audit.log(session, who(), "danh_muc", chi_tiet=f"đơn vị {unit.ma}: {_change_term(session, unit, part)}")
        return url_for("admin.don_vi", don_vi_id=unit.id)
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
    from_year = _id(values.get("tu"), "tu", "Từ năm") or records.current_year()
    to_year = _id(values.get("den"), "den", "Sang năm") or from_year + 1
    if not (1945 <= from_year < to_year <= 2200):
        raise BadInput("Năm dùng lại phải sau năm của bộ văn bản, từ 1945 đến 2200.")
    with db() as session:
        scopes.khoi(session, scope(), khoi_id)
        khoi = registry.khoi_on(session, khoi_id, dt.date(from_year, 12, 31))
        if request.method == "GET":
            steps = carry.plan_set(session, khoi_id, from_year, to_year)
            return render_template("rollover_set.html", khoi=khoi, steps=steps, from_year=from_year, to_year=to_year,
                                   kind_of={k.id: k for k in kinds()})
        total = len(carry.khoi_set(session, khoi_id, from_year))
    # A khối's whole set may be long work: it runs as a job (on the workers when Redis is configured).
    state = batches.runner().enqueue("rollover", jobs.rollover_args(khoi_id, from_year, to_year, who()),
                                     owner=g.user["id"], total=total, name=f"{khoi.ten}: {from_year} → {to_year}")
    return redirect(url_for("admin.rollover_job", khoi_id=khoi_id, job_id=state.id, tu=from_year, den=to_year), 303)


@bp.get("/quan-tri/khoi/<int:khoi_id>/nam-sau/<job_id>")
def rollover_job(khoi_id: int, job_id: str) -> str:
    """Show a whole-set roll-over as it runs, then what became of each record."""
    from_year, to_year = _id(request.args.get("tu"), "tu", "Từ năm"), _id(request.args.get("den"), "den", "Sang năm")
    state = batches.runner().state(job_id, g.user["id"])
    outcome = []
    if state.ready:
        _, path = batches.runner().result(job_id, g.user["id"])
        outcome = json.loads(path.read_text(encoding="utf-8"))
    with db() as session:
        scopes.khoi(session, scope(), khoi_id)
        khoi = registry.khoi_on(session, khoi_id, dt.date(from_year or records.current_year(), 12, 31))
    return render_template("rollover_job.html", khoi=khoi, state=state, outcome=outcome, from_year=from_year,
                           to_year=to_year, created=[o for o in outcome if o["ket_qua"] == "tao"])


@bp.get("/nhat-ky")
def audit_log() -> str:
    """Show the audit log, 50 lines a page, newest first, filtered by person, action, kind, record and day and
    searched (?q=) in the database; the filters and the page (?trang=) stay in the URL."""
    filters = {"nguoi": (request.args.get("nguoi") or "").strip(), "hanh_dong": request.args.get("viec") or "",
               "kind": request.args.get("loai") or "", "van_ban_id": int_arg("ban")}
    days = {}
    for name in ("tu", "den"):
        try:
            days[name] = parse_date(request.args[name]) if (request.args.get(name) or "").strip() else None
        except ValueError:
            days[name] = None  # a day that is no date filters nothing
    query = " ".join((request.args.get("q") or "").split())[:200]
    with db() as session:
        found = audit.page(session, **filters, **days, q=query, number=int_arg("trang"))
        return render_template("audit.html", page=found, entries=found.rows, filters=filters, days=days, q=query,
                               people=audit.people(session), actions=audit.ACTIONS, kinds=kinds(),
                               kind_titles={k.id: k.title for k in kinds()}, page_url=page_url)
