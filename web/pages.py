"""HTML pages: the list of kinds and each kind's form (open, validate, save, download)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from doctpl import facts, fields, pdf
from doctpl import preview as preview_pages
from doctpl.errors import BadInput, DoctplError, FieldError, NotFound, ValidationError
from doctpl.importer import import_docx
from doctpl.kind import Kind, get_kind, kinds
from doctpl.parts import header
from doctpl.render import render
from doctpl.review import stale_facts
from doctpl.store import next_year, records, registry
from doctpl.store import scope as scopes
from doctpl.vn.canchi import can_chi
from doctpl.vn.dates import short_date
from web import checking
from web.context import db, form_page, int_arg, scope, who, whole

bp = Blueprint("pages", __name__)
BLANK = "trong"  # ?mau=trong opens an empty form
CONFIRM = "_xac_nhan"  # posted by "Vẫn tạo văn bản" after the clerk has read the warnings
# Which record the form edits and the version the edit started from, or which khối and unit it is for.
TARGET = ("_ban", "_khoi", "_don_vi", "_phien_ban")


@bp.get("/")
def index() -> str:
    """List the document kinds."""
    return render_template("index.html", kinds=kinds())


def posted_data() -> dict[str, Any]:
    """Return the posted form as nested data; field names are dotted paths."""
    flat = {key: value for key, value in request.form.items() if key != "csrf_token" and not key.startswith("_")}
    return fields.unflatten(flat)


def show_form(kind: Kind, raw: dict[str, Any], errors: list[FieldError], status: int = 200, notice: str = "",
              warnings: tuple[FieldError, ...] = (), target: dict[str, Any] | None = None,
              upload: dict[str, Any] | None = None) -> tuple[str, int]:
    """Render the form with the clerk's values and each error beside its field; `upload` says what «Mở từ tệp Word»
    read (the file's name and the paragraphs it could not place) or why it could not."""
    year = _valid_value(kind, "nam", raw)
    on = header.document_date({"ngay": _valid_value(kind, "ngay", raw), "nam": year or records.current_year()})
    return form_page(
        "form.html", errors, kind=kind, raw=raw, notice=notice, warnings=warnings,
        target=target or {}, templates=[(p, f) for p, f in fields.walk(kind.fields) if isinstance(f, fields.Repeat)],
        events=facts.anniversaries().values(), year=year, can_chi=can_chi(year) if year else "",
        round_events=facts.round_anniversaries(year) if year else {},
        legal_bases=facts.legal_bases(on) if any(f.name == "can_cu" for f in kind.fields) else [],
        on=short_date(on), upload=upload or {},
    ), status


def _valid_value(kind: Kind, name: str, raw: dict[str, Any]) -> Any:
    """Return the top-level field's value if the clerk's input for it is valid, else None (its error shows anyway)."""
    field = next((f for f in kind.fields if f.name == name), None)
    errors: list[FieldError] = []
    value = field.convert(raw.get(name), name, errors) if field else None
    return None if errors else value


def _target_from(values: Any) -> dict[str, int]:
    return {key: number for key in TARGET if (number := whole(values.get(key))) is not None}


@bp.get("/<kind_id>")
def form(kind_id: str) -> tuple[str, int]:
    """Open the form: a saved record (?ban=), a new one from the registry (?khoi=&don_vi=&nam=), or an example."""
    kind = get_kind(kind_id)
    record_id, khoi_id, nam = int_arg("ban"), int_arg("khoi"), int_arg("nam")
    if record_id:
        with db() as session:
            record = scopes.record(session, scope(), record_id)
            if record.kind != kind.id:
                abort(404)
            target = {"_ban": record.id, "_khoi": record.khoi_id, "_don_vi": record.don_vi_id,
                      "_phien_ban": record.phien_ban}
            notice = "Bản nháp: điền các mục được đánh dấu rồi lưu." if record.nhap else ""
            if record.xem_lai:
                notice = Markup('{} <a href="{}">Danh sách điểm cần xem lại khi dùng lại cho năm {}</a>.').format(
                    notice, url_for("records.show", record_id=record.id, _anchor="khi-dung-lai"), record.nam)
            return show_form(kind, records.data(session, record_id), records.to_fill(session, record_id),
                             notice=notice, target=target)
    if khoi_id:
        with db() as session:
            _in_reach(session, khoi_id, int_arg("don_vi"))
            raw = next_year.prefill(session, kind, khoi_id, int_arg("don_vi"), nam or records.current_year())
        return show_form(kind, raw, [], target={"_khoi": khoi_id, "_don_vi": int_arg("don_vi")})
    example = request.args.get("mau")
    if example == BLANK:
        return show_form(kind, kind.form.empty(), [])  # with the defaults: a report's outline to edit
    if example and example not in kind.examples:
        abort(404)
    # An example's number is its issuer's, already in the demo register: a document started from it takes its own.
    return show_form(kind, kind.example(example) | {"so": None}, [])


@bp.post("/<kind_id>")
def submit(kind_id: str) -> Response | tuple[str, int]:
    """Validate and save the document, then open its record page, which starts the download.

    Errors come back beside their fields with the input kept; warnings ask for confirmation first. An edit
    saved after another clerk saved a newer version comes back too (409), the input kept, with a link to it.
    """
    kind = get_kind(kind_id)
    raw, target = posted_data(), _target_from(request.form)
    try:
        data = kind.validate(raw)
    except ValidationError as error:
        return show_form(kind, raw, error.errors(), 422, target=target)
    with db() as session:
        warnings = tuple(kind.warnings(data)) + tuple(_registry_warnings(session, kind, data))
    if warnings and not request.form.get(CONFIRM):
        return show_form(kind, raw, [], warnings=warnings, target=target)
    try:
        with db() as session:
            if target.get("_ban"):
                scopes.record(session, scope(), target["_ban"])
            elif target.get("_khoi") or target.get("_don_vi"):
                _in_reach(session, target.get("_khoi"), target.get("_don_vi"))
            record = records.save(session, kind.id, raw, who=who(), khoi_id=target.get("_khoi"),
                                  don_vi_id=target.get("_don_vi"), record_id=target.get("_ban"),
                                  lay_so=bool(request.form.get("_lay_so")), expected_version=target.get("_phien_ban"))
            _keep_in_reach(session, record)
            record_id = record.id
    except records.VersionConflict as conflict:  # saving again now, after reading the newer version, replaces it
        notice = Markup('{} <a href="{}">Mở bản lưu #{} (phiên bản {})</a>.').format(
            str(conflict), url_for("records.show", record_id=conflict.record_id), conflict.record_id, conflict.newer)
        return show_form(kind, raw, [], 409, notice=notice, target=target | {"_phien_ban": conflict.newer})
    except ValidationError as error:  # a typed Số already given, or data that does not render
        return show_form(kind, raw, error.errors(), 422, target=target)
    return redirect(url_for("records.show", record_id=record_id, moi=1), 303)


@bp.post("/mo-tu-word")
def import_word_any() -> tuple[str, int]:
    """Open the form of the kind posted in «loai» from the file «Kiểm tra thể thức» kept (field «giu»)."""
    return import_word(request.form.get("loai", ""))


@bp.post("/<kind_id>/mo-tu-word")
def import_word(kind_id: str) -> tuple[str, int]:
    """«Mở từ tệp Word»: open the form prefilled from an uploaded .docx (field «tep») or a kept one (field «giu»),
    with the paragraphs it could not place listed above it. Nothing is saved until the clerk saves the form."""
    kind = get_kind(kind_id)
    upload = request.files.get("tep")
    name = upload.filename if upload is not None and upload.filename else request.form.get("ten_tep", "")[:200]
    try:
        if upload is not None and upload.filename:
            content = upload.read()
        elif request.form.get("giu"):
            content = checking.take(request.form["giu"])
        else:
            raise BadInput(checking.MAX_UPLOAD_MESSAGE)
        checking.sweep()
        imported = import_docx(kind.id, content, name or "tệp tải lên")
    except DoctplError as error:  # not a .docx it can read (400), over a limit (413)
        return show_form(kind, {}, [], error.status, upload={"error": str(error)})
    notice = (f"Đã mở từ tệp «{name}». Kiểm tra từng mục, điền các chỗ được đánh dấu rồi bấm «Lưu và tải về» "
              f"để tạo lại văn bản đúng thể thức.")
    return show_form(kind, imported.data, imported.errors, notice=notice,
                     upload={"name": name, "unplaced": imported.unplaced})


def _in_reach(session: Any, khoi_id: int | None, don_vi_id: int | None) -> None:
    """Raise NotFound for a khối or unit outside the account's scope, as for one that does not exist."""
    if not scopes.allows(session, scope(), khoi_id, don_vi_id):
        raise NotFound("Không có khối, đơn vị này.")


def _keep_in_reach(session: Any, record: Any) -> None:
    """Give a new record the account's own unit or khối when its header names no registry body; refuse another's."""
    if scopes.allows(session, scope(), record.khoi_id, record.don_vi_id):
        return
    reach = scope()
    if record.khoi_id is None and record.don_vi_id is None and not reach.everything:
        record.don_vi_id = reach.don_vi_id if reach.role == "van_thu" else None
        record.khoi_id = reach.khoi_id if reach.role == "thu_ky" else None
        return
    raise ValidationError([FieldError("co_quan.ten", "Cơ quan ban hành này không thuộc phạm vi tài khoản của bạn; "
                                                     "văn bản chưa được lưu.")])


def _registry_warnings(session: Any, kind: Kind, data: dict[str, Any]) -> list[FieldError]:
    """Return the names of bodies no longer in force on the document's date, which only the registry knows."""
    on = header.document_date(data)
    plain = set(stale_facts(kind, data, on))
    return [FieldError(f.field, f"{f.label}: {f.reason}: «{f.text}»")
            for f in stale_facts(kind, data, on, registry.stale_names(session, on)) if f not in plain]


@bp.post("/<kind_id>/xem-truoc")
def preview(kind_id: str) -> tuple[str, int]:
    """Return an HTML fragment previewing the form as it stands: page images, or HTML without LibreOffice."""
    kind = get_kind(kind_id)
    try:
        document = render(kind.id, posted_data())
    except ValidationError as error:
        items = "".join(f"<li>{escape(e.message)}</li>" for e in error.errors())
        return f'<div class="notice error">Chưa xem trước được, cần sửa:<ul>{items}</ul></div>', 422
    if preview_pages.images_available():
        try:
            return preview_pages.images_html(preview_pages.page_images(document.content)), 200
        except DoctplError:
            pass  # LibreOffice failed: the HTML preview below still shows the text
    note = ('<p class="help">Bản xem trước dạng HTML (máy chủ chưa có LibreOffice để dựng trang). '
            f"{escape(pdf.INSTALL)}</p>")
    return note + preview_pages.html_preview(document.content), 200


def resubmit_after_csrf() -> tuple[str, int]:
    """Show the posted form again with a fresh token when the old one was missing or stale."""
    kind_id = (request.view_args or {}).get("kind_id", "")
    if request.method != "POST" or request.blueprint != "pages" or not kind_id:
        return render_template("error.html", status=400, errors=[FieldError(
            "", "Phiên làm việc đã hết hạn. Vui lòng tải lại trang.")]), 400
    if request.endpoint == "pages.import_word":  # the file is not kept: the clerk chooses it again
        return show_form(get_kind(kind_id), {}, [], 400, upload={"error": "Phiên làm việc đã hết hạn nên tệp chưa "
                                                                 "được mở; hãy chọn lại tệp và bấm «Mở từ tệp Word»."})
    return show_form(get_kind(kind_id), posted_data(), [], 400, target=_target_from(request.form), notice=(
        "Phiên làm việc đã hết hạn nên văn bản chưa được lưu. Dữ liệu bạn nhập vẫn còn nguyên; "
        "hãy bấm «Lưu và tải về» một lần nữa."))


@bp.app_template_global()
def ftype(f: fields.Field) -> str:
    """Return the widget family of a field: text, date, integer, number, choice, group or repeat."""
    return type(f).__name__.lower()


@bp.app_template_global()
def fid(path: str) -> str:
    """Return the HTML id of the field at a dotted path (the target of error links)."""
    return "f-" + path.replace(".", "-") if path else "doc-form"


@bp.app_template_global()
def tid(schema_path: str) -> str:
    """Return the id of the <template> that adds an item to the repeat at a schema path."""
    return "tpl-" + schema_path.replace(".", "-").replace("*", "x")


bp.add_app_template_global(fields.join, "join")
